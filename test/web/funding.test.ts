// The Trade page's funding per market in a real browser against a seeded devnet whose ETH and BTC markets run the
// funding policy (cap from margin, change limit, extreme-session cap, ETH + BTC blended as group 1, a crowding kicker
// whose threshold the seeded book crosses) and have had two funding updates each: the chart draws every
// FundingUpdated the chain logged (the charged rate and the kicker on the canvas), and the forecast panel shows what
// the lens's fundingForecast and marketView say at the page's block, formatted the page's way. A 3 % index jump makes
// the session extreme: the effective cap halves, the badge shows, and the next update charges within it.
// Screenshots in test-results/web/.
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { type Abi, type Address, getAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi, settableFeedAbi, testUsdcAbi } from "../../ts/abi/generated";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import type { Deployment } from "../../ts/deploy/deployment";
import { deployProtocol } from "../../ts/deploy/deployProtocol";
import { seedProtocol } from "../../ts/deploy/seedProtocol";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients, type DevClients, type DevWalletClient } from "../../ts/devnet/clients";
import { WAD } from "../../ts/money";
import { getFundingForecast } from "../../ts/pool/actions/getFundingForecast";
import {
  blendText,
  crowdingText,
  HOUR,
  mostNextText,
  premiumPct,
  premiumPerHourDay,
  ratePerHourDay,
} from "../../ts/web/app/fundingFormat";

import { buildWeb } from "../../ts/web/build";
import { serveWeb, type WebServer } from "../../ts/web/server";
import { CHROMIUM_LABEL, launchChromium } from "./browser";
import { linePixels } from "./canvasPixels";

const SHOTS = "test-results/web";
const TRADER = 9; // a dev account the seed does not use
const MARKETS = [
  { id: 0n, symbol: "ETH" },
  { id: 1n, symbol: "BTC" },
] as const;
const RATE_RGB = [0x58, 0xa6, 0xff];
const KICKER_RGB = [0xf0, 0x88, 0x3e];
/** SPEC-22's chosen parameters, but a kicker threshold of 0.5 % of tranche capital (the seeded book's size). */
const PARAMS = {
  capMultipleBps: 1000,
  maxChangeBps: 2500,
  extremeVolBps: 15_000,
  extremeCapBps: 5000,
  blendWeightBps: 3000,
  kickerThresholdBps: 50,
  kickerMaxE8: 50_000,
  capE8: 0,
  group: 0,
  siblingCount: 0,
  siblings: 0,
};

let anvil: AnvilInstance;
let chain: DevClients;
let deployment: Deployment;
let web: WebServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const text = async (testid: string) => ((await page.getByTestId(testid).textContent()) ?? "").trim();

async function send(wallet: DevWalletClient, address: Address, abi: Abi, functionName: string, args: unknown[] = []) {
  const hash = await wallet.writeContract({ address, abi, functionName, args, gas: 5_000_000n } as never);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted (${hash})`);
}

/** Every feed of `symbol` answers its initial price times `bps` / 10,000, now. */
async function setFeeds(symbol: string, bps = 10_000n) {
  const m = deployment.markets.find((x) => x.symbol === symbol);
  if (!m) throw new Error(`no market ${symbol}`);
  const answer = (m.initialPrice * bps) / 10_000n / 10n ** BigInt(18 - m.feedDecimals);
  for (const feed of m.feeds) await send(chain.deployer, feed, settableFeedAbi, "setAnswer", [answer]);
}

/** Past the funding interval, then ETH's update and BTC's (the group's liquid market first), seconds apart (a
 * sibling's measurement is fresh for a market only when taken after that market's last update). */
async function fundingRound(symbols: readonly string[] = ["ETH", "BTC"]) {
  await chain.testClient.increaseTime({ seconds: 600 });
  for (const m of MARKETS.filter((x) => symbols.includes(x.symbol))) {
    await chain.testClient.increaseTime({ seconds: 2 });
    await send(chain.wallet(7), deployment.contracts.pool, perpPoolAbi, "updateFunding", [m.id]);
  }
}

const fundingUpdated = getAbiItem({ abi: perpPoolAbi, name: "FundingUpdated" });
const logsOf = (marketId: bigint) =>
  chain.publicClient.getLogs({
    address: deployment.contracts.pool,
    event: fundingUpdated,
    args: { marketId },
    fromBlock: deployment.startBlock,
  });

/** The block the page last finished drawing the Trade tab at, once it has drawn the chain head. */
async function settled(): Promise<bigint> {
  const head = await chain.publicClient.getBlockNumber();
  await page.waitForFunction(
    (b) => {
      const doc = (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
        .document;
      const [tab, block] = (doc.body.dataset.ready ?? "").split(":");
      return tab === "trade" && BigInt(block ?? "0") >= BigInt(b);
    },
    head.toString(),
    { timeout: 30_000 },
  );
  return BigInt(((await page.locator("body").getAttribute("data-ready")) ?? "").split(":")[1] ?? "0");
}

/** The lens's and the pool's reading of a market's funding at `blockNumber`, and the SDK's view of it. */
async function lensAt(marketId: bigint, blockNumber: bigint) {
  const { lens, pool } = deployment.contracts;
  const [forecast, market, params, config] = await Promise.all([
    chain.publicClient.readContract({
      address: lens,
      abi: perpLensAbi,
      functionName: "fundingForecast",
      args: [marketId],
      blockNumber,
    }),
    chain.publicClient.readContract({
      address: lens,
      abi: perpLensAbi,
      functionName: "marketView",
      args: [marketId],
      blockNumber,
    }),
    chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "fundingParams",
      args: [marketId],
      blockNumber,
    }),
    chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [marketId],
      blockNumber,
    }),
  ]);
  // The SDK's reading at that block carries the lens's forecast as is (the page formats the SDK's view).
  const [view] = await getFundingForecast(chain.publicClient, { lens, pool, marketId, blockNumber });
  if (!view) throw new Error(`no forecast for market ${marketId}`);
  expect(view.forecast).toEqual(forecast);
  expect(view.params).toEqual(params);
  return { forecast, market, fundingPeriod: BigInt(config.fundingPeriod), view };
}

beforeAll(async () => {
  anvil = await startAnvil();
  chain = createDevClients(anvil.rpcUrl);
  // The deployer owns the pool (no timelock wait) so it can set the funding policy directly.
  const config = parseDeploymentConfig({ governance: "owner" });
  const [dep] = await Promise.all([deployProtocol(chain, config), buildWeb(), mkdir(SHOTS, { recursive: true })]);
  deployment = dep;
  await seedProtocol({ ...chain, actors: chain.wallets.slice(1) }, deployment, config.seed);
  const { pool, usdc: token } = deployment.contracts;
  for (const m of MARKETS) await send(chain.deployer, pool, perpPoolAbi, "setFundingParams", [m.id, PARAMS]);
  await send(chain.deployer, pool, perpPoolAbi, "setFundingGroup", [1, MARKETS.map((m) => m.id)]);
  // A trader buys 50 ETH: the mark ~1 % above the index (the premium is capped), the group's net long.
  const trader = chain.wallet(TRADER);
  const margin = 100_000n * 10n ** 6n;
  await send(chain.deployer, token, testUsdcAbi, "mint", [trader.account.address, margin]);
  await send(trader, token, testUsdcAbi, "approve", [pool, margin]);
  await send(trader, pool, perpPoolAbi, "depositMargin", [0n, margin]);
  await send(trader, pool, perpPoolAbi, "trade", [
    trader.account.address,
    0n,
    0n,
    50n * WAD,
    (1n << 256n) - 1n,
    1n << 40n,
  ]);
  await fundingRound();
  await fundingRound();
  await chain.testClient.increaseTime({ seconds: 30 }); // time in the new periods: the forecasts measure something
  await chain.testClient.mine({ blocks: 1 });
  web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, labels: { [trader.account.address]: "trader" } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
  });
  await page.goto(`${web.url}#trade`);
  await settled();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await anvil?.stop();
});

describe(`the Trade page's funding, in ${CHROMIUM_LABEL}`, () => {
  it("charts every funding update of each market as FundingUpdated logged it, the rate and the kicker drawn", async () => {
    const head = await chain.publicClient.getBlockNumber();
    for (const m of MARKETS) {
      const logs = await logsOf(m.id);
      expect(logs).toHaveLength(2);
      const last = logs.at(-1)?.args;
      const chart = page.getByTestId(`funding-chart-${m.symbol}`);
      await expect.poll(async () => BigInt((await chart.getAttribute("data-block")) ?? "-1")).toBe(head);
      expect(await chart.getAttribute("data-points")).toBe("2");
      expect(await chart.getAttribute("data-last-charged")).toBe(last?.charged?.toString());
      expect(await chart.getAttribute("data-last-kicker")).toBe(last?.kicker?.toString());
      expect(await chart.getAttribute("data-last-cap-effective")).toBe(last?.capEffective?.toString());
      // The book is net long across the group, past the kicker's threshold: the crowded longs pay a kicker.
      expect(last?.kicker).toBeGreaterThan(0n);
      // ETH's mark sits ~1 % over its index: its charge rose by the change limit's step (12.5 bps) each update.
      if (m.symbol === "ETH") expect(logs.map((l) => l.args.charged)).toEqual([1_250_000_000n, 2_500_000_000n]);
    }
    await page.getByTestId("funding-card").scrollIntoViewIfNeeded();
    for (const m of MARKETS) {
      const rate = await linePixels(page, `funding-chart-${m.symbol}`, RATE_RGB);
      const kicker = await linePixels(page, `funding-chart-${m.symbol}`, KICKER_RGB);
      expect(rate.count, `${m.symbol} rate`).toBeGreaterThan(50);
      expect(kicker.count, `${m.symbol} kicker`).toBeGreaterThan(50);
    }
    await page.getByTestId("funding-card").screenshot({ path: `${SHOTS}/trade-funding.png` });
    expect(pageErrors).toEqual([]);
  });

  it("shows each market's forecast as the lens reads it at the page's block", async () => {
    await settled();
    for (const m of MARKETS) {
      const panel = page.getByTestId(`funding-forecast-${m.symbol}`);
      const block = BigInt((await panel.getAttribute("data-block")) ?? "0");
      const { forecast: f, market: v, fundingPeriod: period, view } = await lensAt(m.id, block);
      const n = f.next;
      const t = (k: string) => text(`funding-${m.symbol}-${k}`);
      expect(await t("rate")).toBe(ratePerHourDay(v.fundingRate, v.indexPrice));
      expect(await t("kicker")).toBe(ratePerHourDay(v.fundingKicker, v.indexPrice));
      expect(await t("next")).toBe(premiumPerHourDay(n.charged, period));
      expect(await t("next-kicker")).toBe(premiumPerHourDay(n.kicker, period));
      expect(await t("most")).toBe(mostNextText(view));
      expect(await t("cap")).toBe(`${premiumPct(n.cap, period, HOUR)} / h`);
      expect(await t("cap-effective")).toBe(`${premiumPct(n.capEffective, period, HOUR)} / h`);
      expect(await t("blend")).toBe(blendText(view));
      expect(await t("group")).toBe(m.symbol === "ETH" ? "#1 with BTC" : "#1 with ETH");
      expect(await t("crowding")).toBe(crowdingText(view));
      expect(await page.getByTestId(`funding-${m.symbol}-update`).locator("span").getAttribute("data-next")).toBe(
        v.nextFundingUpdate.toString(),
      );
      expect(await t("update")).toMatch(/^(in (\d+m )?\d+s|due now)$/);
      expect(await page.getByTestId(`funding-${m.symbol}-extreme`).count()).toBe(0);
      // Crowded past the 0.5 % threshold (the seeded book and the trader's 50 ETH against 8M of capital), so the
      // kicker charges now; the cap is 10 % x (IM - MM) = 50 bps per (hourly) period.
      expect(period).toBe(HOUR);
      expect(await t("cap")).toBe("0.5000% / h");
      expect(n.crowdingBps).toBeGreaterThan(50n);
      expect(await t("crowding")).toMatch(/^\d+\.\d\d% vs 0\.50%$/);
      expect(v.fundingKicker).toBeGreaterThan(0n);
      expect(await t("kicker")).toMatch(/^0\.0\d*[1-9]\d*% \/ h/);
      if (m.symbol === "ETH") {
        // Charging 25 bps now, the next period at most one 12.5 bps step more, plus the kicker's 5 bps; BTC's
        // measurement, taken after ETH's last update, is blended into ETH's next premium.
        expect(f.chargedPremium).toBe(2_500_000_000n);
        expect(await t("most")).toBe("0.4250% / h (rate 0.3750% + kicker 0.0500%)");
        expect(n.blendWeight).toBeGreaterThan(0n);
        expect(await t("blend")).toMatch(/^\d+\.\d\d% of 30\.00%$/);
      }
    }
    await page.getByTestId("funding-forecast-ETH").screenshot({ path: `${SHOTS}/trade-funding-forecast.png` });
    expect(pageErrors).toEqual([]);
  });

  it("a 3 % index jump makes the session extreme: the effective cap halves with a badge, and the next update keeps within it", async () => {
    await setFeeds("ETH", 10_300n);
    await setFeeds("BTC");
    await chain.testClient.mine({ blocks: 1 });
    const block = await settled();
    await expect
      .poll(async () => BigInt((await page.getByTestId("funding-forecast-ETH").getAttribute("data-block")) ?? "0"))
      .toBeGreaterThanOrEqual(block);
    const shown = BigInt((await page.getByTestId("funding-forecast-ETH").getAttribute("data-block")) ?? "0");
    const eth = await lensAt(0n, shown);
    expect(eth.forecast.next.extreme).toBe(true);
    expect(eth.forecast.next.capEffective).toBe(eth.forecast.next.cap / 2n);
    expect(await text("funding-ETH-extreme")).toBe("extreme session");
    expect(await text("funding-ETH-cap-effective")).toBe("0.2500% / h");
    expect(await text("funding-ETH-next")).toBe(premiumPerHourDay(eth.forecast.next.charged, eth.fundingPeriod));
    expect(await page.getByTestId("funding-BTC-extreme").count()).toBe(0);

    await fundingRound(["ETH"]);
    // The head is ETH's update: its new period has no time in it yet, and the panel says so.
    await settled();
    expect(await text("funding-ETH-next")).toBe("not measured yet");
    expect(await text("funding-ETH-crowding")).toBe("not measured yet");
    const logs = await logsOf(0n);
    expect(logs).toHaveLength(3);
    const last = logs.at(-1)?.args;
    expect(last?.capEffective).toBe(eth.forecast.next.cap / 2n);
    const charged = last?.charged ?? 0n;
    expect(charged <= eth.forecast.next.cap / 2n && charged >= -eth.forecast.next.cap / 2n).toBe(true);
    const head = await chain.publicClient.getBlockNumber();
    const chart = page.getByTestId("funding-chart-ETH");
    await expect.poll(async () => BigInt((await chart.getAttribute("data-block")) ?? "-1")).toBe(head);
    expect(await chart.getAttribute("data-points")).toBe("3");
    expect(await chart.getAttribute("data-last-charged")).toBe(charged.toString());
    expect(await chart.getAttribute("data-last-cap-effective")).toBe(last?.capEffective?.toString());
    await page.getByTestId("funding-card").screenshot({ path: `${SHOTS}/trade-funding-extreme.png` });
    expect(pageErrors).toEqual([]);
  });
});
