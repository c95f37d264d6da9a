// The page in a real browser (Chromium through playwright-core) against a real anvil with the protocol deployed and
// seeded: a person's journeys, each checked against the chain or against a direct SDK call at the same block.
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { type Address, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi, settableFeedAbi, testUsdcAbi, trancheVaultAbi } from "../../ts/abi/generated";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import type { Deployment } from "../../ts/deploy/deployment";
import { deployProtocol } from "../../ts/deploy/deployProtocol";
import { seedProtocol } from "../../ts/deploy/seedProtocol";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients, type DevClients } from "../../ts/devnet/clients";
import { getAccountState } from "../../ts/pool/actions/getAccountState";
import { getAccounts } from "../../ts/pool/actions/getAccounts";
import { getInventorySales } from "../../ts/pool/actions/getInventorySales";
import { getRiskEngine } from "../../ts/pool/actions/getRiskEngine";
import { usdcToken } from "../../ts/pool/format";
import { accountHealthAt } from "../../ts/pool/math/accountMath";
import { liquidationPrice } from "../../ts/pool/math/liquidationPrice";
import { stressTest, stressTestJoint } from "../../ts/pool/math/stressMath";
import { getStress } from "../../ts/tranches/actions/getStress";
import { base, pct, price, sharesText, usd } from "../../ts/web/app/fmt";
import { buildWeb } from "../../ts/web/build";
import { serveWeb, type WebServer } from "../../ts/web/server";
import { CHROMIUM_LABEL, launchChromium } from "./browser";

const SHOTS = "test-results/web";
const ME = 9; // a dev account the seed does not use
const ETH = 0n;
const BTC = 1n;

let anvil: AnvilInstance;
let chain: DevClients;
let deployment: Deployment;
let web: WebServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const me = () => chain.wallet(ME).account.address;
const usdc = () => usdcToken(deployment.chainId, deployment.contracts.usdc);
const text = async (testid: string) => ((await page.getByTestId(testid).textContent()) ?? "").trim();
/** The block the page last finished drawing. */
const pageBlock = async () => BigInt((await page.locator("body").getAttribute("data-block")) ?? "0");
/** Waits until the page has redrawn `tab` at the chain head for the connected wallet. */
async function settled(tab: string) {
  const head = await chain.publicClient.getBlockNumber();
  await page.waitForFunction(
    ([t, b]) => {
      // runs in the page: `document` is the browser's
      const doc = (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
        .document;
      const [tab, block] = (doc.body.dataset.ready ?? "").split(":");
      return tab === t && BigInt(block ?? "0") >= BigInt(b as string);
    },
    [tab, head.toString()],
    { timeout: 30_000 },
  );
}
/**
 * What the SDK's stress math takes at `blockNumber`: every listed account's raw state, the backstop inventory, the
 * pool's risk engine and what each vault can pay (its USDC balance).
 */
async function stressInputs(accounts: readonly { owner: Address; subId: bigint }[], blockNumber: bigint) {
  const { pool, oracle, usdc: token, junior, senior } = deployment.contracts;
  const read = (owner: Address, subId: bigint) =>
    getAccountState(chain.publicClient, { pool, oracle, owner, subId, blockNumber });
  const balance = (who: Address) =>
    chain.publicClient.readContract({
      address: token,
      abi: testUsdcAbi,
      functionName: "balanceOf",
      args: [who],
      blockNumber,
    });
  const [states, inventory, engine, juniorTokens, seniorTokens] = await Promise.all([
    Promise.all(accounts.map((a) => read(a.owner, a.subId))),
    read(zeroAddress, 0n),
    getRiskEngine(chain.publicClient, { pool, blockNumber }),
    balance(junior),
    balance(senior),
  ]);
  return {
    states,
    inventory: inventory.positions,
    engine,
    capacity: { juniorTokens, seniorTokens },
    timestamp: inventory.timestamp,
  };
}

async function goto(tab: string) {
  await page.getByTestId(`tab-${tab}`).click();
  await settled(tab);
}

beforeAll(async () => {
  anvil = await startAnvil();
  chain = createDevClients(anvil.rpcUrl);
  const config = parseDeploymentConfig();
  const [dep] = await Promise.all([deployProtocol(chain, config), buildWeb(), mkdir(SHOTS, { recursive: true })]);
  deployment = dep;
  await seedProtocol({ ...chain, actors: chain.wallets.slice(1) }, deployment, config.seed);
  web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, labels: { [me()]: "me" } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(web.url);
  await settled("earn");
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await anvil?.stop();
});

describe(`the web page, in ${CHROMIUM_LABEL}, against a seeded devnet`, () => {
  it("connects a dev account from the picker", async () => {
    await page.getByTestId("wallet-picker").selectOption(`dev:${ME}`);
    await expect.poll(() => text("connected")).toBe("me");
    await settled("earn");
    expect(await page.getByTestId("connected").getAttribute("title")).toBe(me());
  });

  it("a bad amount shows an error and sends nothing", async () => {
    const before = await chain.publicClient.getBlockNumber();
    for (const [input, message] of [
      ["12.1234567", "has more than 6 decimal places"],
      ["-5", "must be a non-negative decimal"],
      ["0", "must be greater than zero"],
    ] as const) {
      await page.getByTestId("junior-deposit-input").fill(input);
      await page.getByTestId("junior-deposit-button").click();
      await expect.poll(() => text("junior-deposit-status")).toContain(message);
    }
    await page.getByTestId("junior-request-input").fill("5");
    await page.getByTestId("junior-request-button").click();
    await expect.poll(() => text("junior-request-status")).toContain("exceed what you hold");
    expect(await chain.publicClient.getBlockNumber()).toBe(before);
    expect(await chain.publicClient.getTransactionCount({ address: me() })).toBe(0);
  });

  it("deposits into junior and shows the shares it holds on chain", async () => {
    await goto("trade");
    await page.getByTestId("mint-button").click();
    await expect.poll(() => text("mint-status"), { timeout: 30_000 }).toContain("Minted");
    await goto("earn");
    await page.getByTestId("junior-deposit-input").fill("25000");
    await page.getByTestId("junior-deposit-button").click();
    await expect.poll(() => text("junior-deposit-status"), { timeout: 30_000 }).toContain("Deposited 25,000.00 USDC");
    const shares = await chain.publicClient.readContract({
      address: deployment.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "balanceOf",
      args: [me()],
    });
    expect(shares).toBeGreaterThan(0n);
    await settled("earn");
    expect(await text("junior-my-shares")).toBe(sharesText(shares, 12));
    expect(await text("junior-my-value")).toMatch(/^24,99\d\.\d\d|^25,000\.00$/);
    expect(await text("junior-loss-30")).toMatch(/%\)$/);
  });

  it("requests a withdrawal and shows the countdown", async () => {
    await page.getByTestId("junior-request-max").click();
    await page.getByTestId("junior-request-button").click();
    await expect.poll(() => text("junior-request-status"), { timeout: 30_000 }).toContain("Requested");
    const [shares, , unlock] = await chain.publicClient.readContract({
      address: deployment.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "withdrawRequest",
      args: [me()],
    });
    expect(shares).toBeGreaterThan(0n);
    await settled("earn");
    expect(await text("junior-req-shares")).toBe(sharesText(shares, 12));
    expect(await text("junior-my-shares")).toBe("0");
    // The default junior cooldown is 7 days, counted from the chain's clock: in the request's own block the whole
    // 7 d remain, a moment later 6 d 23 h and some minutes (no block may have been mined in between).
    await expect.poll(() => text("junior-countdown")).toMatch(/^Claimable in (7d 0h 00m|6d 23h \d\dm)/);
    expect(unlock).toBeGreaterThan((await chain.publicClient.getBlock()).timestamp);
    await page.screenshot({ path: `${SHOTS}/earn.png`, fullPage: true });
  });

  it("opens a position and shows it with its liquidation price", async () => {
    await goto("trade");
    await page.getByTestId("margin-deposit-input").fill("10000");
    await page.getByTestId("margin-deposit-button").click();
    await expect.poll(() => text("margin-deposit-status"), { timeout: 30_000 }).toContain("Deposited");
    await settled("trade");
    await page.getByTestId("trade-input").fill("40");
    await expect.poll(() => text("quote-liq")).toMatch(/^\d{1,3}(,\d{3})*\.\d\d$/);
    expect(await text("quote-fee")).toMatch(/^\d/);
    // The quote says what the trade does to the account: its initial requirement from nothing to that of 40 ETH.
    const initialQuoted = await text("quote-initial");
    expect(initialQuoted).toMatch(/^0\.00 → \d{1,3}(,\d{3})*\.\d\d$/);
    await page.getByTestId("trade-button").click();
    await expect.poll(() => text("trade-status"), { timeout: 30_000 }).toContain("size now 40.0000");
    await settled("trade");
    const block = await pageBlock();
    const state = await getAccountState(chain.publicClient, {
      pool: deployment.contracts.pool,
      oracle: deployment.contracts.oracle,
      owner: me(),
      blockNumber: block,
    });
    const engine = await getRiskEngine(chain.publicClient, { pool: deployment.contracts.pool, blockNumber: block });
    const liq = liquidationPrice(state.account, state.positions, ETH, state.timestamp, engine);
    expect(liq).not.toBeNull();
    expect(liq as bigint).toBeLessThan(state.positions[0]?.index ?? 0n);
    expect(await text("liq-ETH")).toBe(price(usdc(), liq as bigint));
    expect(await text("position-ETH")).toContain("long 40.0000");
    const health = accountHealthAt(state.account, state.positions, state.timestamp, engine);
    expect(initialQuoted).toBe(`0.00 → ${usd(usdc(), health.initialRequirement)}`);
    await page.getByTestId("trade-input").fill("-10");
    await expect.poll(() => text("quote-amount")).toMatch(/^\d{1,3}(,\d{3})*\.\d\d$/);
    await page.screenshot({ path: `${SHOTS}/trade.png`, fullPage: true });
  });

  it("a small BTC short beside the ETH long nets: Margin shows the requirement with and without netting, and what binds", async () => {
    await goto("trade");
    await page.getByTestId("trade-market").selectOption("1");
    await page.getByTestId("trade-input").fill("-0.1");
    await page.getByTestId("trade-button").click();
    await expect.poll(() => text("trade-status"), { timeout: 30_000 }).toContain("size now -0.1000");
    await settled("trade");
    const health = await chain.publicClient.readContract({
      address: deployment.contracts.lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [me(), 0n],
      blockNumber: await pageBlock(),
    });
    // Long 40 ETH (80,000) and short 0.1 BTC (6,000), both in tier 0: the broken-correlation row binds,
    // 4,000 + 0.2 x 300 = 4,060 against 4,300 without netting.
    expect(health.maintenanceRequirement).toBeLessThan(health.additiveMaintenance);
    expect(await text("netting-maintenance")).toBe(usd(usdc(), health.maintenanceRequirement));
    expect(await text("netting-additive")).toBe(usd(usdc(), health.additiveMaintenance));
    expect(await text("netting-freed")).toContain(
      usd(usdc(), health.additiveMaintenance - health.maintenanceRequirement),
    );
    expect(await text("netting-binding")).toBe("ETH \u22125 %, BTC +1 %");
    // The Trade tab's own SDK numbers net too: health and the liquidation price are accountHealthAt /
    // liquidationPrice with the pool's engine (the netted requirement puts the ETH long's liquidation lower).
    const state = await getAccountState(chain.publicClient, {
      pool: deployment.contracts.pool,
      oracle: deployment.contracts.oracle,
      owner: me(),
      blockNumber: await pageBlock(),
    });
    const engine = await getRiskEngine(chain.publicClient, { pool: deployment.contracts.pool });
    const sdk = accountHealthAt(state.account, state.positions, state.timestamp, engine);
    expect(sdk.maintenanceRequirement).toBe(health.maintenanceRequirement);
    expect(await text("health")).toBe(pct(sdk.value, sdk.maintenanceRequirement, 0));
    const liq = liquidationPrice(state.account, state.positions, ETH, state.timestamp, engine);
    const additiveLiq = liquidationPrice(state.account, state.positions, ETH, state.timestamp);
    expect(liq).not.toBeNull();
    expect(liq as bigint).toBeLessThan(additiveLiq as bigint);
    expect(await text("liq-ETH")).toBe(price(usdc(), liq as bigint));
    await page.screenshot({ path: `${SHOTS}/netting.png`, fullPage: true });
    // The hedge closes again: a lone position nets nothing, its requirement is today's.
    await page.getByTestId("close-BTC").click();
    await expect.poll(() => page.getByTestId("position-BTC").count(), { timeout: 30_000 }).toBe(0);
    await settled("trade");
    expect(await text("netting-maintenance")).toBe(await text("netting-additive"));
    expect(await text("netting-binding")).toBe("\u2014");
  });

  it("submits a 2-leg trade in one transaction and shows both positions", async () => {
    await settled("trade");
    // Leg 0 is the card's own market and size; "Add leg" appends BTC.
    await page.getByTestId("trade-market").selectOption(String(ETH));
    await page.getByTestId("trade-input").fill("-5");
    await page.getByTestId("trade-add-leg").click();
    await page.getByTestId("trade-leg-market-1").selectOption(String(BTC));
    await page.getByTestId("trade-leg-size-1").fill("0.05");
    await expect.poll(() => text("quote-leg-amount-1")).toMatch(/^\d{1,3}(,\d{3})*\.\d\d$/);
    expect(await text("quote-leg-amount-0")).toMatch(/^\d{1,3}(,\d{3})*\.\d\d$/);
    // A market twice is refused on the page, before anything is sent.
    await page.getByTestId("trade-leg-market-1").selectOption(String(ETH));
    await expect.poll(() => text("quote-error")).toContain("ETH is listed twice");
    await page.getByTestId("trade-leg-market-1").selectOption(String(BTC));
    await expect.poll(() => text("quote-leg-amount-1")).toMatch(/^\d/);
    await page.screenshot({ path: `${SHOTS}/trade-legs.png`, fullPage: true });

    const sent = await chain.publicClient.getTransactionCount({ address: me() });
    await page.getByTestId("trade-button").click();
    await expect.poll(() => text("trade-status"), { timeout: 30_000 }).toContain("Filled 2 legs in one transaction");
    expect(await text("trade-status")).toContain("sizes now ETH 35.0000, BTC 0.0500");
    expect(await chain.publicClient.getTransactionCount({ address: me() })).toBe(sent + 1); // one transaction
    await settled("trade");
    expect(await text("position-ETH")).toContain("long 35.0000");
    expect(await text("position-BTC")).toContain("long 0.0500");
    expect(await page.getByTestId("trade-leg-size-1").count()).toBe(0); // the extra leg is cleared once filled
  });

  it("moving the shock slider shows the numbers the SDK's stressTest computes", async () => {
    await goto("risk");
    await page.getByTestId("shock-market").selectOption(String(ETH));
    for (const pct of [-10, -30, -45]) {
      await page.getByTestId("shock-slider").fill(String(pct));
      const totals = page.locator(`[data-testid="stress-totals"][data-shock="${pct * 100}"][data-market="0"]`);
      await totals.waitFor({ timeout: 30_000 });
      const blockNumber = BigInt((await totals.getAttribute("data-block")) ?? "0");
      const accounts = await getAccounts(chain.publicClient, {
        pool: deployment.contracts.pool,
        fromBlock: deployment.startBlock,
        toBlock: blockNumber,
      });
      const lens = await getStress(chain.publicClient, {
        lens: deployment.contracts.lens,
        marketId: ETH,
        shockBps: pct * 100,
        accounts,
        blockNumber,
      });
      expect(await text("stress-count")).toBe(`${lens.liquidatableCount} of ${accounts.length}`);
      expect(await text("stress-bad-debt")).toBe(usd(usdc(), lens.totalBadDebt));
      expect(await text("stress-junior")).toBe(usd(usdc(), lens.juniorLoss));
      expect(await text("stress-senior")).toBe(usd(usdc(), lens.seniorLoss));
      expect(await text("stress-socialized")).toBe(usd(usdc(), lens.socialized));
      expect(await text("stress-index")).toBe(price(usdc(), lens.shockedIndex));
      // The SDK's own mirror, netted over the pool's risk engine, is the lens's result at that block in every field.
      const sdk = await stressInputs(accounts, blockNumber);
      expect(sdk.engine).not.toBeNull();
      const mirror = stressTest(
        sdk.states,
        { marketId: ETH, shockBps: BigInt(pct * 100) },
        sdk.capacity,
        sdk.timestamp,
        sdk.engine,
        sdk.inventory,
      );
      expect(mirror).toEqual(lens);
      if (pct === -45) {
        expect(lens.totalBadDebt).toBeGreaterThan(0n);
        expect(await text("stress-accounts")).toContain("me");
        await page.screenshot({ path: `${SHOTS}/risk.png`, fullPage: true });
      }
    }
  });

  it("a joint shock (one move per market) shows the lens's stressTestJoint, every account margined with netting", async () => {
    await goto("risk");
    await page.getByTestId("joint-ETH").fill("-25");
    await page.getByTestId("joint-BTC").fill("-10");
    await page.getByTestId("joint-run").click();
    const totals = page.locator('[data-testid="stress-totals"][data-market="joint"]');
    await totals.waitFor({ timeout: 30_000 });
    expect(await text("shock-label")).toBe("ETH \u221225 %, BTC \u221210 %");
    const blockNumber = BigInt((await totals.getAttribute("data-block")) ?? "0");
    const accounts = await getAccounts(chain.publicClient, {
      pool: deployment.contracts.pool,
      fromBlock: deployment.startBlock,
      toBlock: blockNumber,
    });
    const lens = await chain.publicClient.readContract({
      address: deployment.contracts.lens,
      abi: perpLensAbi,
      functionName: "stressTestJoint",
      args: [[-2500n, -1000n], accounts.map((a) => a.owner), accounts.map((a) => a.subId)],
      blockNumber,
    });
    // The SDK's joint stress from raw state, netted over the pool's risk engine, is the lens's to the wei, and the
    // page shows it.
    const sdk = await stressInputs(accounts, blockNumber);
    const mirror = stressTestJoint(
      sdk.states,
      [-2500n, -1000n],
      sdk.capacity,
      sdk.timestamp,
      sdk.engine,
      sdk.inventory,
    );
    expect(mirror).toEqual(lens);
    expect(await text("stress-count")).toBe(`${mirror.liquidatableCount} of ${accounts.length}`);
    expect(await text("stress-bad-debt")).toBe(usd(usdc(), mirror.totalBadDebt));
    expect(await text("stress-junior")).toBe(usd(usdc(), mirror.juniorLoss));
    expect(await text("stress-senior")).toBe(usd(usdc(), mirror.seniorLoss));
    expect(await text("stress-socialized")).toBe(usd(usdc(), mirror.socialized));
    expect(await text("stress-inventory")).toBe(usd(usdc(), mirror.inventoryLoss));
    const falling = mirror.accounts.filter((a) => a.liquidatable);
    if (falling.length > 0) {
      const shown = await page.getByTestId("stress-accounts").textContent();
      for (const a of falling) expect(shown).toContain(usd(usdc(), a.maintenanceRequirement));
    }
  });

  it("after a liquidation the Backstop inventory panel shows the sale as the lens prices it at the page's block", async () => {
    const state = await getAccountState(chain.publicClient, {
      pool: deployment.contracts.pool,
      oracle: deployment.contracts.oracle,
      owner: me(),
    });
    const engine = await getRiskEngine(chain.publicClient, { pool: deployment.contracts.pool });
    const liq = liquidationPrice(state.account, state.positions, ETH, state.timestamp, engine);
    expect(liq).not.toBeNull();
    // ETH 1 % below my liquidation price: liquidatable, still solvent, so the backstop collects a penalty.
    const eth = deployment.markets[0];
    if (!eth || liq === null) throw new Error("no ETH market or liquidation price");
    const answer = (((liq * 99n) / 100n) * 10n ** BigInt(eth.feedDecimals)) / 10n ** 18n;
    for (const feed of eth.feeds) {
      const hash = await chain.deployer.writeContract({
        address: feed,
        abi: settableFeedAbi,
        functionName: "setAnswer",
        args: [answer],
      });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
    await chain.testClient.increaseTime({ seconds: 1 });
    await chain.testClient.mine({ blocks: 1 });
    const hash = await chain.wallet(7).writeContract({
      address: deployment.contracts.pool,
      abi: perpPoolAbi,
      functionName: "liquidate",
      args: [me(), 0n, (1n << 256n) - 1n],
      gas: 3_000_000n,
    });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    await chain.testClient.increaseTime({ seconds: 120 });
    await chain.testClient.mine({ blocks: 1 });

    await goto("risk");
    const blockNumber = BigInt((await page.getByTestId("inventory-sales").getAttribute("data-block")) ?? "0");
    const [sale] = await getInventorySales(chain.publicClient, {
      lens: deployment.contracts.lens,
      marketId: ETH,
      blockNumber,
    });
    if (!sale) throw new Error("no sale");
    expect(sale.size).toBeGreaterThan(0n);
    expect(sale.budget).toBeGreaterThan(0n);
    expect(await text("inventory-size-0")).toBe(`${base(sale.size)} long`);
    expect(await text("inventory-price-0")).toBe(price(usdc(), sale.pricePerBase));
    expect(await text("inventory-discount-0")).toContain(price(usdc(), sale.discountPerBase));
    expect(await text("inventory-budget-0")).toBe(usd(usdc(), sale.budget));
    expect(await text("repeg-due-0")).toMatch(/^(due|not due)$/);
    await page.screenshot({ path: `${SHOTS}/inventory.png`, fullPage: true });
  });

  it("raised no uncaught error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
