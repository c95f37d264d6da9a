// The Earn page's LP economics in a real browser against a seeded devnet whose tranches have been paid premium over
// two weeks: the history charts (share price and APR of both tranches, drawn by lightweight-charts on canvases) show
// what getTrancheHistory reads at the same block, and the lines are on the canvas. Screenshots in test-results/web/.
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import type { Abi, Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpPoolAbi, settableFeedAbi, testUsdcAbi } from "../../ts/abi/generated";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import type { Deployment } from "../../ts/deploy/deployment";
import { deployProtocol } from "../../ts/deploy/deployProtocol";
import { seedProtocol } from "../../ts/deploy/seedProtocol";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients, type DevClients, type DevWalletClient } from "../../ts/devnet/clients";
import { WAD } from "../../ts/money";
import { getJuniorShare } from "../../ts/tranches/actions/getJuniorShare";
import { getTrancheHistory } from "../../ts/tranches/actions/getTrancheHistory";
import { pct } from "../../ts/web/app/fmt";
import { sideSeries } from "../../ts/web/app/historySeries";
import { buildWeb } from "../../ts/web/build";
import { serveWeb, type WebServer } from "../../ts/web/server";
import { CHROMIUM_LABEL, launchChromium } from "./browser";

const SHOTS = "test-results/web";
const TRADER = 9; // a dev account the seed does not use
const DAY = 86_400;
const HALF_DAY = DAY / 2;
const COLORS = { junior: [0xf0, 0x88, 0x3e], senior: [0x58, 0xa6, 0xff] } as const;

let anvil: AnvilInstance;
let chain: DevClients;
let deployment: Deployment;
let web: WebServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const text = async (testid: string) => ((await page.getByTestId(testid).textContent()) ?? "").trim();

/** A call with a fixed, generous gas limit (an estimate cannot see the feed reads a later block's refresh pays). */
async function send(wallet: DevWalletClient, address: Address, abi: Abi, functionName: string, args: unknown[] = []) {
  const hash = await wallet.writeContract({ address, abi, functionName, args, gas: 5_000_000n } as never);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted (${hash})`);
}

/** Every market's feeds answer their initial price now (the clock jumps between payouts). */
async function freshFeeds() {
  for (const m of deployment.markets) {
    const answer = m.initialPrice / 10n ** BigInt(18 - m.feedDecimals);
    for (const feed of m.feeds) await send(chain.deployer, feed, settableFeedAbi, "setAnswer", [answer]);
  }
}

/** A 50 ETH round trip from the trader (its fees become premium), then the premium paid into the tranches. */
async function tradeAndDistribute() {
  await freshFeeds();
  const trader = chain.wallet(TRADER);
  for (const size of [50n * WAD, -50n * WAD]) {
    const limit = size > 0n ? (1n << 256n) - 1n : 0n;
    await send(trader, deployment.contracts.pool, perpPoolAbi, "trade", [
      trader.account.address,
      0n,
      0n,
      size,
      limit,
      1n << 40n,
    ]);
  }
  await send(chain.wallet(7), deployment.contracts.pool, perpPoolAbi, "distributePremium");
}

async function nextDay() {
  await chain.testClient.increaseTime({ seconds: DAY });
  await chain.testClient.mine({ blocks: 1 });
}

beforeAll(async () => {
  anvil = await startAnvil();
  chain = createDevClients(anvil.rpcUrl);
  const config = parseDeploymentConfig();
  const [dep] = await Promise.all([deployProtocol(chain, config), buildWeb(), mkdir(SHOTS, { recursive: true })]);
  deployment = dep;
  await seedProtocol({ ...chain, actors: chain.wallets.slice(1) }, deployment, config.seed);
  const { usdc, pool } = deployment.contracts;
  const trader = chain.wallet(TRADER);
  const margin = 100_000n * 10n ** 6n;
  await send(chain.deployer, usdc, testUsdcAbi, "mint", [trader.account.address, margin]);
  await send(trader, usdc, testUsdcAbi, "approve", [pool, margin]);
  await send(trader, pool, perpPoolAbi, "depositMargin", [0n, margin]);
  // 15 days in half-day blocks: a payout on day 0 and day 6, each streaming into the share price over the days after.
  for (let half = 0; half < 30; half++) {
    if (half === 0 || half === 12) await tradeAndDistribute();
    await chain.testClient.increaseTime({ seconds: HALF_DAY });
    await chain.testClient.mine({ blocks: 1 });
  }
  await freshFeeds();
  web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, labels: { [trader.account.address]: "trader" } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
  });
  await page.goto(web.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await anvil?.stop();
});

/** Pixels of `rgb` (±12 a channel) in the chart's plot canvases (the widest ones), and the x range they span. */
async function linePixels(testid: string, rgb: readonly number[]) {
  return page.getByTestId(testid).evaluate((el, [r, g, b]) => {
    const canvases = [...el.querySelectorAll("canvas")] as HTMLCanvasElement[];
    const widest = Math.max(...canvases.map((c) => c.width));
    let count = 0;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = -1;
    for (const c of canvases.filter((x) => x.width === widest)) {
      const ctx = c.getContext("2d");
      if (!ctx) continue;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const near = (k: number, v: number) => Math.abs((data[i + k] as number) - v) <= 12;
        if (near(0, r as number) && near(1, g as number) && near(2, b as number)) {
          count++;
          const x = (i / 4) % c.width;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
    }
    return { count, span: maxX < 0 ? 0 : (maxX - minX + 1) / widest };
  }, rgb);
}

describe(`the Earn page's LP economics, in ${CHROMIUM_LABEL}`, () => {
  it("charts share price and APR over time for both tranches, as getTrancheHistory reads them", async () => {
    const head = await chain.publicClient.getBlockNumber();
    const chart = page.getByTestId("chart-share-price");
    await expect.poll(async () => BigInt((await chart.getAttribute("data-block")) ?? "-1")).toBe(head);
    const { junior, senior, backstop } = deployment.contracts;
    const history = await getTrancheHistory(chain.publicClient, {
      junior,
      senior,
      backstop,
      fromBlock: deployment.startBlock,
      toBlock: head,
      aprWindow: 86_400n,
    });
    const apr = page.getByTestId("chart-apr");
    await page.getByTestId("history-card").scrollIntoViewIfNeeded();
    for (const side of ["junior", "senior"] as const) {
      const series = sideSeries(history, side, 6);
      expect(series.price.length).toBeGreaterThan(10);
      expect(series.apr.length).toBeGreaterThan(10);
      expect(await chart.getAttribute(`data-${side}-points`)).toBe(String(series.price.length));
      expect(await apr.getAttribute(`data-${side}-points`)).toBe(String(series.apr.length));
      const last = history[side].points.at(-1);
      expect(await chart.getAttribute(`data-${side}-last`)).toBe(last?.sharePrice.toString());
      expect(await apr.getAttribute(`data-${side}-last`)).toBe(last?.apr?.toString());
      // Two payouts reached each tranche, and the share price rose with them.
      expect(await chart.getAttribute(`data-${side}-premiums`)).toBe("2");
      expect(history[side].premiums).toHaveLength(2);
      expect(last?.sharePrice).toBeGreaterThan(history[side].points[0]?.sharePrice ?? 0n);
      // Each line is drawn across most of its chart's width, on both charts.
      for (const testid of ["chart-share-price", "chart-apr"]) {
        const px = await linePixels(testid, COLORS[side]);
        expect(px.count, `${side} on ${testid}`).toBeGreaterThan(200);
        expect(px.span, `${side} on ${testid}`).toBeGreaterThan(0.6);
      }
    }
    expect(history.distributions.map((d) => d.source)).toEqual(["capital", "capital"]);
    await page.getByTestId("history-card").screenshot({ path: `${SHOTS}/earn-history.png` });
    await page.screenshot({ path: `${SHOTS}/earn-economics.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("shows the junior share from the capital rule, and what the deployment lacks as not deployed", async () => {
    const head = await chain.publicClient.getBlockNumber();
    await expect
      .poll(async () => (await page.locator("body").getAttribute("data-ready"))?.split(":")[1])
      .toBe(head.toString());
    const share = await getJuniorShare(chain.publicClient, deployment, { blockNumber: head });
    expect(share.source).toBe("capital");
    expect(await text("junior-share")).toBe(pct(share.shareBps, 10_000n));
    expect(await text("junior-share-source")).toBe("capital rule");
    expect(await text("junior-share-capital-rule")).toBe(pct(share.capitalRuleShareBps, 10_000n));
    expect(await text("junior-share-oracle")).toBe("not deployed");
    expect(await text("junior-boost-multiplier")).toBe("not deployed");
    expect(await text("gate-floor")).toBe("not deployed");
    expect(await text("queued-none")).toContain("not deployed");
    await page.getByTestId("lp-economics").screenshot({ path: `${SHOTS}/earn-lp-economics-older.png` });
    expect(pageErrors).toEqual([]);
  });

  it("keeps the charts in step with the chain as blocks arrive", async () => {
    await nextDay();
    await freshFeeds();
    const head = await chain.publicClient.getBlockNumber();
    const chart = page.getByTestId("chart-share-price");
    await expect.poll(async () => BigInt((await chart.getAttribute("data-block")) ?? "-1")).toBe(head);
    const { junior, senior } = deployment.contracts;
    const h = await getTrancheHistory(chain.publicClient, {
      junior,
      senior,
      fromBlock: deployment.startBlock,
      toBlock: head,
    });
    expect(await chart.getAttribute("data-junior-last")).toBe(h.junior.points.at(-1)?.sharePrice.toString());
    expect(await chart.getAttribute("data-junior-points")).toBe(String(sideSeries(h, "junior", 6).price.length));
  });
});
