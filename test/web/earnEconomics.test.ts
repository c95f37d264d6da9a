// The Earn page's LP economics in a real browser against a seeded devnet whose tranches have been paid premium over
// two weeks, with an LP ("me") in both tranches, a posted tail-risk figure, a junior exit request held back by the
// coverage floor and a risk-raising change queued in the timelock: the history charts (share price and APR of both
// tranches, drawn by lightweight-charts on canvases) show what getTrancheHistory reads at the same block, with the
// lines on the canvas; the panels show what the SDK reads at the page's block; "Claim boost" pays what the chain's
// BoostClaimed says. A deployment without the tail-risk oracle or the timelock says "not deployed" for them.
// Screenshots in test-results/web/.
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { type Abi, type Address, encodeFunctionData, keccak256, toHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  iRiskTimelockAbi,
  iTailRiskOracleAbi,
  iTrancheBoostAbi,
  iTrancheExitGateAbi,
  perpPoolAbi,
  settableFeedAbi,
  testUsdcAbi,
  trancheVaultAbi,
} from "../../ts/abi/generated";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import type { Deployment } from "../../ts/deploy/deployment";
import { deployProtocol } from "../../ts/deploy/deployProtocol";
import { seedProtocol } from "../../ts/deploy/seedProtocol";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients, type DevClients, type DevWalletClient } from "../../ts/devnet/clients";
import { WAD } from "../../ts/money";
import { usdcToken } from "../../ts/pool/format";
import { getBoost } from "../../ts/tranches/actions/getBoost";
import { getExitGate } from "../../ts/tranches/actions/getExitGate";
import { getJuniorShare } from "../../ts/tranches/actions/getJuniorShare";
import { getQueuedChanges } from "../../ts/tranches/actions/getQueuedChanges";
import { getTrancheHistory } from "../../ts/tranches/actions/getTrancheHistory";
import { duration, pct, usd6 } from "../../ts/web/app/fmt";
import { sideSeries } from "../../ts/web/app/historySeries";
import { buildWeb } from "../../ts/web/build";
import { serveWeb, type WebServer } from "../../ts/web/server";
import { CHROMIUM_LABEL, launchChromium } from "./browser";
import { linePixels } from "./canvasPixels";

const SHOTS = "test-results/web";
const TRADER = 9; // dev accounts the seed does not use
const ME = 8;
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
const usdc = () => usdcToken(deployment.chainId, deployment.contracts.usdc);

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

/** The storage slot of `contract` that holds exactly `value` (an address), among its first 32. */
async function slotHolding(contract: Address, value: Address) {
  for (let i = 0n; i < 32n; i++) {
    const slot = toHex(i, { size: 32 });
    const word = await chain.publicClient.getStorageAt({ address: contract, slot });
    if (word && BigInt(word) === BigInt(value)) return slot;
  }
  throw new Error(`no slot of ${contract} holds ${value}`);
}

/** Mints `amount` of `d`'s USDC to `who` and deposits it into `vault`. */
async function lpDeposit(who: DevWalletClient, vault: Address, amount: bigint, d: Deployment = deployment) {
  await send(chain.deployer, d.contracts.usdc, testUsdcAbi, "mint", [who.account.address, amount]);
  await send(who, d.contracts.usdc, testUsdcAbi, "approve", [vault, amount]);
  await send(who, vault, trancheVaultAbi, "deposit", [amount, who.account.address]);
}

/** Junior's net assets now (what the exit gate's capacity is measured against, before settling claims). */
const juniorAssets = () =>
  chain.publicClient.readContract({
    address: deployment.contracts.junior,
    abi: trancheVaultAbi,
    functionName: "totalAssets",
  });

const me = () => chain.wallet(ME).account.address;
/** The block the page last finished drawing, once it has drawn the head for the connected wallet. */
async function settled(): Promise<bigint> {
  const head = await chain.publicClient.getBlockNumber();
  await page.waitForFunction(
    (b) => {
      const doc = (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
        .document;
      const [tab, block] = (doc.body.dataset.ready ?? "").split(":");
      return tab === "earn" && BigInt(block ?? "0") >= BigInt(b);
    },
    head.toString(),
    { timeout: 30_000 },
  );
  return BigInt(((await page.locator("body").getAttribute("data-ready")) ?? "").split(":")[1] ?? "0");
}

beforeAll(async () => {
  anvil = await startAnvil();
  chain = createDevClients(anvil.rpcUrl);
  const config = parseDeploymentConfig();
  const [dep] = await Promise.all([deployProtocol(chain, config), buildWeb(), mkdir(SHOTS, { recursive: true })]);
  deployment = dep;
  await seedProtocol({ ...chain, actors: chain.wallets.slice(1) }, deployment, config.seed);
  const { usdc, pool, junior, senior, tailRiskOracle, timelock } = deployment.contracts;
  const trader = chain.wallet(TRADER);
  const margin = 100_000n * 10n ** 6n;
  await send(chain.deployer, usdc, testUsdcAbi, "mint", [trader.account.address, margin]);
  await send(trader, usdc, testUsdcAbi, "approve", [pool, margin]);
  await send(trader, pool, perpPoolAbi, "depositMargin", [0n, margin]);
  await lpDeposit(chain.wallet(ME), junior, 50_000n * 10n ** 6n);
  await lpDeposit(chain.wallet(ME), senior, 20_000n * 10n ** 6n);
  // 15 days in half-day blocks: a payout on day 0 and day 6, each streaming into the share price over the days after
  // (and a part of it into each tranche's boost pot, paid by points).
  for (let half = 0; half < 30; half++) {
    if (half === 0 || half === 12) await tradeAndDistribute();
    await chain.testClient.increaseTime({ seconds: HALF_DAY });
    await chain.testClient.mine({ blocks: 1 });
  }
  await freshFeeds();
  // The steward posts a figure whose floor (1.5 x ES99) leaves junior exits 30,000 USDC of room.
  const floor = (await juniorAssets()) - 30_000n * 10n ** 6n;
  const es99 = (floor * 10_000n + 14_999n) / 15_000n;
  const head = await chain.publicClient.getBlockNumber();
  await send(chain.deployer, tailRiskOracle, iTailRiskOracleAbi, "post", [
    {
      juniorEs99: es99,
      juniorCapital: await juniorAssets(),
      stressLoss: 100_000n * 10n ** 6n,
      blockNumber: head - 1n,
      seed: 42n,
      paths: 10_000,
      reportHash: keccak256(toHex("report.json")),
    },
  ]);
  // Me: a junior exit of 50,000 USDC of shares, more than the room above the floor.
  const shares = await chain.publicClient.readContract({
    address: junior,
    abi: trancheVaultAbi,
    functionName: "convertToShares",
    args: [50_000n * 10n ** 6n],
  });
  await send(chain.wallet(ME), junior, trancheVaultAbi, "requestWithdraw", [shares]);
  // A risk-raising change queued in the timelock: a new steward for the tail-risk oracle.
  await send(chain.deployer, timelock, iRiskTimelockAbi, "propose", [
    tailRiskOracle,
    encodeFunctionData({ abi: iTailRiskOracleAbi, functionName: "setSteward", args: [me()] }),
  ]);
  web = await serveWeb({
    rpcUrl: anvil.rpcUrl,
    deployment,
    labels: { [trader.account.address]: "trader", [me()]: "me" },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
  });
  await page.goto(web.url);
  await page.getByTestId("wallet-picker").selectOption(`dev:${ME}`);
  await page.locator('[data-testid="connected"]', { hasText: /^me$/ }).waitFor({ timeout: 30_000 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await anvil?.stop();
});

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
      // Not a vacuous chart: points across the 15 days (an APR needs a full day behind it, so a point near the start
      // can have none, and how many depends on the seconds the setup's own transactions took: a lower bound only).
      expect(series.price.length).toBeGreaterThan(10);
      expect(series.apr.length).toBeGreaterThan(5);
      expect(await chart.getAttribute(`data-${side}-points`)).toBe(String(series.price.length));
      expect(await apr.getAttribute(`data-${side}-points`)).toBe(String(series.apr.length));
      const last = history[side].points.at(-1);
      expect(await chart.getAttribute(`data-${side}-last`)).toBe(last?.sharePrice.toString());
      expect(await apr.getAttribute(`data-${side}-last`)).toBe(last?.apr?.toString());
      // Two payouts reached each tranche, each part streamed and part into the boost pot; the share price rose.
      expect(await chart.getAttribute(`data-${side}-premiums`)).toBe("4");
      expect(history[side].premiums.map((e) => e.kind)).toEqual(["stream", "boost", "stream", "boost"]);
      expect(last?.sharePrice).toBeGreaterThan(history[side].points[0]?.sharePrice ?? 0n);
      // Each line is drawn across most of its chart's width, on both charts.
      for (const testid of ["chart-share-price", "chart-apr"]) {
        const px = await linePixels(page, testid, COLORS[side]);
        expect(px.count, `${side} on ${testid}`).toBeGreaterThan(200);
        expect(px.span, `${side} on ${testid}`).toBeGreaterThan(0.6);
      }
    }
    expect(history.distributions.map((d) => d.source)).toEqual(["capital", "capital"]);
    await page.getByTestId("history-card").screenshot({ path: `${SHOTS}/earn-history.png` });
    await page.screenshot({ path: `${SHOTS}/earn-economics.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it("shows the posted junior share and its inputs, my boost, my gated exit and the queued change, as the SDK reads them", async () => {
    const block = await settled();
    const d = deployment;
    const [share, gate, queued, ...boosts] = await Promise.all([
      getJuniorShare(chain.publicClient, d, { blockNumber: block }),
      getExitGate(chain.publicClient, d, me(), { blockNumber: block }),
      getQueuedChanges(chain.publicClient, d, { blockNumber: block }),
      getBoost(chain.publicClient, d, "junior", me(), { blockNumber: block }),
      getBoost(chain.publicClient, d, "senior", me(), { blockNumber: block }),
    ]);
    const u = usdc();
    // The junior share: the posted figure sets it (fresh, both tranches hold capital), bounded to hi = 90 %.
    expect(share.source).toBe("posted");
    const f = share.figure;
    if (!f || !share.params) throw new Error("no posted figure");
    expect(await text("junior-share")).toBe(pct(share.shareBps, 10_000n));
    expect(share.shareBps).toBe(share.params.maxShareBps);
    expect(await text("junior-share-source")).toBe("posted figure");
    expect(await text("junior-share-es99")).toBe(usd6(u, f.juniorEs99));
    expect(await text("junior-share-capital")).toBe(usd6(u, f.juniorCapital));
    expect(await text("junior-share-block")).toBe(f.blockNumber.toString());
    expect(await text("junior-share-age")).toBe(`${duration(f.ageSeconds)} ago`);
    expect(await text("junior-share-capital-rule")).toBe(pct(share.capitalRuleShareBps, 10_000n));
    // The boost: points for both tranches, a pot from the two payouts, and my part of it.
    for (const b of boosts) {
      const side = b.tranche;
      expect(b.points).toBeGreaterThan(0n);
      expect(b.pot).toBeGreaterThan(0n);
      expect(b.claimable).toBeGreaterThan(0n);
      expect(await text(`${side}-boost-points`)).toBe(b.points.toString());
      expect(await text(`${side}-boost-pot`)).toBe(usd6(u, b.pot));
      expect(await text(`${side}-boost-claimable`)).toBe(usd6(u, b.claimable));
      expect(await text(`${side}-boost-expected`)).toBe(usd6(u, b.claimableAt(b.timestamp + 7n * 86_400n)));
      expect(await text(`${side}-boost-share`)).toBe(pct(b.points, b.totalPoints));
    }
    // The gate: the floor from the posted ES99 leaves less room than my request asks for.
    const mine = gate.mine;
    if (!mine?.claimablePercent) throw new Error("no junior request");
    expect(gate.fromEs99).toBe(true);
    expect(mine.claimable).toBeLessThan(mine.requested);
    expect(mine.claimable).toBeGreaterThan(0n);
    expect(await text("gate-mine")).toBe(`${mine.claimablePercent.toFixed(0)} % claimable now`);
    expect(await text("gate-requested")).toBe(usd6(u, mine.requested));
    expect(await text("gate-claimable")).toBe(usd6(u, mine.claimable));
    expect(await text("gate-ahead")).toBe(usd6(u, mine.ahead));
    expect(await text("gate-floor")).toBe(usd6(u, gate.floor));
    expect(await text("gate-floor-source")).toBe("posted ES99");
    expect(await text("gate-capacity")).toBe(usd6(u, gate.capacity));
    expect(await text("gate-queued")).toBe(usd6(u, gate.queued));
    // The queued change, with its effective time.
    expect(queued).toHaveLength(1);
    const [change] = queued;
    if (!change) throw new Error("no queued change");
    expect(change.raisesRisk).toBe(true);
    const row = page.getByTestId(`queued-change-${change.id}`);
    expect(await row.textContent()).toContain("setSteward");
    expect(await row.textContent()).toContain("tailRiskOracle");
    expect(await page.getByTestId(`queued-change-${change.id}-eta`).getAttribute("data-eta")).toBe(
      change.eta.toString(),
    );
    await page.getByTestId("lp-economics").screenshot({ path: `${SHOTS}/earn-lp-economics.png` });
    expect(pageErrors).toEqual([]);
  });

  it("claims my junior boost and says what the chain paid", async () => {
    const before = await getBoost(chain.publicClient, deployment, "junior", me());
    expect(before.claimable).toBeGreaterThan(0n);
    await page.getByTestId("junior-boost-claim-button").click();
    await expect.poll(() => text("junior-boost-claim-status"), { timeout: 30_000 }).toContain("Boost claimed");
    const logs = await chain.publicClient.getContractEvents({
      address: deployment.contracts.junior,
      abi: iTrancheBoostAbi,
      eventName: "BoostClaimed",
      args: { owner: me() },
      fromBlock: before.blockNumber + 1n,
    });
    expect(logs).toHaveLength(1);
    const paid = logs[0]?.args.assets ?? 0n;
    // What the SDK projects for the claim's block from the state just before it (nothing else moved in between).
    const claimBlock = logs[0]?.blockNumber ?? 0n;
    const [{ timestamp }, justBefore] = await Promise.all([
      chain.publicClient.getBlock({ blockNumber: claimBlock }),
      getBoost(chain.publicClient, deployment, "junior", me(), { blockNumber: claimBlock - 1n }),
    ]);
    expect(paid).toBe(justBefore.claimableAt(timestamp));
    expect(paid).toBeGreaterThan(0n);
    expect(await text("junior-boost-claim-status")).toContain(`${usd6(usdc(), paid)} USDC`);
    await settled();
    const after = await getBoost(chain.publicClient, deployment, "junior", me());
    expect(after.points).toBeLessThan(before.points); // only what accrued since the claim
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
  it("holds my whole junior claim while the gate lets nothing through, and says so", async () => {
    // Just past my cooldown, the steward posts a figure whose floor (1.5 x ES99) is above all of junior's assets.
    const [, , unlockTime] = await chain.publicClient.readContract({
      address: deployment.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "withdrawRequest",
      args: [me()],
    });
    await chain.testClient.setNextBlockTimestamp({ timestamp: BigInt(unlockTime) + 60n });
    await chain.testClient.mine({ blocks: 1 });
    await freshFeeds();
    const head = await chain.publicClient.getBlockNumber();
    await send(chain.deployer, deployment.contracts.tailRiskOracle, iTailRiskOracleAbi, "post", [
      {
        juniorEs99: await juniorAssets(),
        juniorCapital: await juniorAssets(),
        stressLoss: 100_000n * 10n ** 6n,
        blockNumber: head - 1n,
        seed: 43n,
        paths: 10_000,
        reportHash: keccak256(toHex("report-2.json")),
      },
    ]);
    const block = await settled();
    const gate = await getExitGate(chain.publicClient, deployment, me(), { blockNumber: block });
    expect(gate.capacity).toBe(0n);
    expect(gate.mine?.claimable).toBe(0n);
    expect(await text("gate-mine")).toBe("0 % claimable now");
    const before = await chain.publicClient.getBlockNumber();
    await page.getByTestId("junior-claim-button").click();
    await expect
      .poll(() => text("junior-claim-status"))
      .toContain("Held back by the junior exit gate: 0 % of your request is claimable now");
    // The claim was sent and mined: the vault recorded the gate (ClaimGated) and started nothing.
    const gated = await chain.publicClient.getContractEvents({
      address: deployment.contracts.junior,
      abi: iTrancheExitGateAbi,
      eventName: "ClaimGated",
      args: { owner: me() },
      fromBlock: before + 1n,
    });
    expect(gated).toHaveLength(1);
    expect(gated[0]?.args.capacity).toBe(0n);
    expect(await text("junior-claim-status")).toContain(
      `${usd6(usdc(), gated[0]?.args.aheadAssets ?? 0n)} USDC queued ahead`,
    );
    const [pendingShares] = await chain.publicClient.readContract({
      address: deployment.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "pendingClaim",
      args: [me()],
    });
    expect(pendingShares).toBe(0n);
    await page.getByTestId("junior-card").screenshot({ path: `${SHOTS}/earn-junior-gated.png` });
  });
});

describe(`an Earn page on a deployment without the tail-risk oracle or the timelock, in ${CHROMIUM_LABEL}`, () => {
  let older: Deployment;
  let olderWeb: WebServer;
  let olderPage: Page;
  const olderText = async (testid: string) => ((await olderPage.getByTestId(testid).textContent()) ?? "").trim();

  beforeAll(async () => {
    // Owner governance (no timelock owns the pool), and the backstop's oracle slot cleared: what a backstop from
    // before [5/6] answers (`tailRiskOracle()` = 0, the capital rule).
    older = await deployProtocol(chain, parseDeploymentConfig({ governance: "owner" }));
    await lpDeposit(chain.wallet(ME), older.contracts.junior, 10_000n * 10n ** 6n, older);
    await chain.testClient.setStorageAt({
      address: older.contracts.backstop,
      index: await slotHolding(older.contracts.backstop, older.contracts.tailRiskOracle),
      value: toHex(0n, { size: 32 }),
    });
    await chain.testClient.mine({ blocks: 1 }); // reads at a block number see the edit from the next block on
    // A deployment file that names neither (the zero address: the page then asks the chain, as for an older file).
    const file = { ...older, contracts: { ...older.contracts, tailRiskOracle: zeroAddress, timelock: zeroAddress } };
    olderWeb = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment: file });
    olderPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    olderPage.on("pageerror", (e) => pageErrors.push(e.message));
    await olderPage.goto(olderWeb.url);
  }, 120_000);

  afterAll(async () => {
    await olderPage?.close();
    await olderWeb?.close();
  });

  it("says not deployed for the oracle and the timelock, splits by the capital rule, and still charts", async () => {
    const head = await chain.publicClient.getBlockNumber();
    await expect
      .poll(async () => (await olderPage.locator("body").getAttribute("data-ready"))?.split(":")[1])
      .toBe(head.toString());
    // What the page reads: the file names no oracle and no timelock, so the SDK asks the chain for them.
    const unnamed = { contracts: { ...older.contracts, tailRiskOracle: undefined, timelock: undefined } };
    const share = await getJuniorShare(chain.publicClient, unnamed, { blockNumber: head });
    expect(share.oracle).toBeNull();
    expect(await olderText("junior-share")).toBe(pct(share.shareBps, 10_000n));
    expect(await olderText("junior-share-source")).toBe("capital rule");
    expect(await olderText("junior-share-oracle")).toBe("not deployed");
    expect(await olderText("queued-none")).toBe("Timelock not deployed: the owner sets parameters.");
    expect(await olderText("gate-floor")).toBe(usd6(usdc(), 0n)); // no oracle: no floor
    await expect
      .poll(async () => olderPage.getByTestId("chart-share-price").getAttribute("data-junior-points"))
      .not.toBeNull();
    await olderPage.getByTestId("lp-economics").screenshot({ path: `${SHOTS}/earn-lp-economics-older.png` });
    expect(pageErrors).toEqual([]);
  });
});
