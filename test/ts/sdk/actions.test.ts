// The SDK actions against a real chain: deposit, trade, close, withdraw; decoded reverts; input validation.
import { Percent, Rounding } from "@uniswap/sdk-core";
import { createWalletClient, custom } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../../ts/devnet/clients";
import { ContractRevertError, type PerpError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import {
  baseAmount,
  baseToken,
  bpsToPercent,
  closePosition,
  depositMargin,
  formatAmount,
  formatPercent,
  formatPrice,
  formatUsd,
  getAccountHealth,
  getMarket,
  getPositions,
  InvalidParametersError,
  perpActions,
  trade,
  usdcAmount,
  usdcToken,
  wadPrice,
  withdrawMargin,
} from "../../../ts/pool";
import {
  claim,
  deposit,
  getCoverage,
  getStress,
  getTranche,
  requestWithdraw,
  settleClaim,
  trancheActions,
} from "../../../ts/tranches";
import { useChain } from "../harness";
import { deployProtocolFixture, ETH, mintUsdc, type Protocol } from "./fixture";

const chain = useChain();
let p: Protocol;
const alice = () => chain.wallet(1);
const bob = () => chain.wallet(2);

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await mintUsdc(chain, p, alice().account.address, 1_000_000n * 10n ** 6n);
  await mintUsdc(chain, p, bob().account.address, 1_000_000n * 10n ** 6n);
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

describe("pool actions", () => {
  it("deposits, trades with a slippage Percent, reads positions, closes and withdraws", async () => {
    const { pool, lens } = p;
    const d = await depositMargin(alice(), { pool, amount: "10000.5" });
    expect(d.approveHash).toBeDefined();
    expect(d.amount).toBe(10_000_500_000n);
    expect(d.subId).toBe(0n);
    expect((await getAccountHealth(alice(), { lens, owner: alice().account.address })).collateral).toBe(
      10_000_500_000n * 10n ** 12n,
    );

    const opened = await trade(alice(), { pool, marketId: 0, size: "2.5", slippage: new Percent(30, 10_000) });
    expect(opened.quote).toBe(opened.expected.quote);
    expect(opened.fee).toBe(opened.expected.fee);
    expect(opened.quoteLimit).toBe((opened.expected.quote * 10_030n) / 10_000n);
    expect(opened.sizeAfter).toBe(25n * 10n ** 17n);
    const latest = await chain.publicClient.getBlock();
    expect(opened.deadline).toBeGreaterThan(latest.timestamp);

    const [position] = await getPositions(alice(), { lens, owner: alice().account.address });
    expect(position).toMatchObject({ marketId: 0n, size: 25n * 10n ** 17n, openNotional: opened.quote });

    const closed = await closePosition(alice(), { pool, marketId: ETH, slippage: 50 });
    expect(closed.sizeAfter).toBe(0n);
    expect(closed.quote).toBe(closed.expected.quote);
    expect(closed.realizedPnl < 0n).toBe(true); // the round trip pays the curve's rounding and spread
    expect(await getPositions(alice(), { lens, owner: alice().account.address })).toEqual([]);

    const w = await withdrawMargin(alice(), { pool, amount: 1_000_000_000n });
    expect(w.amount).toBe(1_000_000_000n);
    expect(w.to).toBe(alice().account.address);
  });

  it("decodes a margin revert into a named error with its arguments", async () => {
    await depositMargin(bob(), { pool: p.pool, amount: "1000" });
    const err = await errorOf(trade(bob(), { pool: p.pool, marketId: 0, size: "30" }));
    expect(err).toBeInstanceOf(ContractRevertError);
    const e = err as ContractRevertError;
    expect(e.errorName).toBe("InsufficientMargin");
    expect(e.shortMessage).toMatch(/^trade: InsufficientMargin: value=\d+ required=\d+$/);
    expect(e.args).toHaveLength(2);
  });

  it("decodes a slippage revert (explicit quote limit below the price)", async () => {
    await depositMargin(bob(), { pool: p.pool, amount: "50000" });
    const err = await errorOf(trade(bob(), { pool: p.pool, marketId: 0, size: "1", quoteLimit: 1000n * WAD }));
    expect(err).toBeInstanceOf(ContractRevertError);
    expect((err as ContractRevertError).errorName).toBe("SlippageExceeded");
    expect((err as ContractRevertError).shortMessage).toMatch(
      /SlippageExceeded: quote=\d+ limit=1000000000000000000000/,
    );
  });

  it("rejects bad input with a readable message before any RPC call", async () => {
    let requests = 0;
    const offline = createWalletClient({
      account: devAccount(1),
      transport: custom({
        request: async () => {
          requests++;
          throw new Error("no RPC expected");
        },
      }),
    });
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => depositMargin(offline, { pool: "0x1234", amount: "10" }),
        /depositMargin: invalid parameters: pool: must be a 0x-prefixed 20-byte hex address/,
      ],
      [() => depositMargin(offline, { pool: p.pool, amount: "-5" }), /amount: must be a non-negative decimal string/],
      [() => depositMargin(offline, { pool: p.pool, amount: "1.0000001" }), /amount/],
      [() => depositMargin(offline, { pool: p.pool, amount: "0" }), /amount: must be greater than zero/],
      [() => trade(offline, { pool: p.pool, marketId: 0, size: "0" }), /size: must not be zero/],
      [() => trade(offline, { pool: p.pool, marketId: 0, size: "abc" }), /size: must be a signed decimal/],
      [
        () => trade(offline, { pool: p.pool, marketId: 0, size: "1", slippage: 20_000 }),
        /slippage must be between 0 and 10000/,
      ],
      [() => trade(offline, { pool: p.pool, marketId: 99, size: "1" }), /marketId must be between 0 and 31/],
      [
        () => getAccountHealth(offline, { lens: p.lens, owner: "not an address" as `0x${string}` }),
        /owner: must be a 0x-prefixed/,
      ],
      [() => deposit(offline, { vault: p.junior, amount: -1n }), /amount: must not be negative/],
      [() => getStress(offline, { lens: p.lens, marketId: 0, shockBps: -10_000, accounts: [] }), /shockBps must be in/],
    ];
    for (const [call, message] of cases) {
      const err = await errorOf(call());
      expect(err).toBeInstanceOf(InvalidParametersError);
      expect((err as PerpError).shortMessage).toMatch(message);
    }
    expect(requests).toBe(0);
  });

  it("works through client.extend(perpActions(...))", async () => {
    const perp = alice().extend(perpActions({ pool: p.pool, lens: p.lens }));
    const market = await perp.getMarket({ marketId: 0 });
    expect(market.markPrice).toBe(2000n * WAD);
    await perp.depositMargin({ amount: "5000" });
    const r = await perp.trade({ marketId: 0, size: "-1" });
    expect(r.sizeAfter).toBe(-WAD);
    expect((await getMarket(chain.publicClient, { lens: p.lens, marketId: 0 })).shortOpenInterest).toBe(WAD);
  });
});

describe("tranche actions", () => {
  it("deposits, requests a withdrawal, refuses an early claim, then claims after the cooldown", async () => {
    const vault = p.junior;
    const lp = alice();
    const { shares, assets: deposited } = await deposit(lp, { vault, amount: "25000" });
    expect(shares > 0n).toBe(true);
    expect(deposited).toBe(25_000n * 10n ** 6n);
    const t = await getTranche(lp, { vault, owner: lp.account.address });
    expect(t.owner?.shares).toBe(shares);
    expect(t.totalAssets).toBe(2_025_000n * 10n ** 6n);
    expect(t.sharePrice).toBe(10n ** 6n); // 1 share (12 decimals) = 1 USDC before any premium or loss
    expect(t.cooldown).toBe(7n * 86_400n);

    const request = await requestWithdraw(lp, { vault, shares });
    // The unlock time is the MINED block's timestamp + the cooldown (not the simulated pending block's).
    const mined = await chain.publicClient.getBlock({ blockNumber: request.receipt.blockNumber });
    expect(request.unlockTime).toBe(mined.timestamp + 7n * 86_400n);
    expect(request.shares).toBe(shares);
    expect(request.assetsAtRequest).toBe(25_000n * 10n ** 6n);
    expect((await getTranche(lp, { vault, owner: lp.account.address })).owner?.request.unlockTime).toBe(
      request.unlockTime,
    );
    const early = await errorOf(claim(lp, { vault }));
    expect((early as ContractRevertError).errorName).toBe("CooldownActive");

    await chain.testClient.increaseTime({ seconds: 7 * 86_400 + 1 });
    await chain.testClient.mine({ blocks: 1 });
    const claimed = await claim(lp, { vault });
    expect(claimed.assetsCap).toBe(25_000n * 10n ** 6n);
    expect(claimed.shares).toBe(shares);
    const claimedAt = await chain.publicClient.getBlock({ blockNumber: claimed.receipt.blockNumber });
    expect(claimed.settleAt).toBe(claimedAt.timestamp + 600n); // the default settlement delay: 10 minutes
    const pending = await errorOf(settleClaim(lp, { vault }));
    expect((pending as ContractRevertError).errorName).toBe("SettlementPending");

    await chain.testClient.increaseTime({ seconds: 600 });
    await chain.testClient.mine({ blocks: 1 });
    const settled = await settleClaim(lp, { vault });
    expect(settled.assets).toBe(25_000n * 10n ** 6n);
    expect(settled.shares).toBe(shares);
    expect(settled.owner).toBe(lp.account.address);
  });

  it("reads coverage and the stress test", async () => {
    await depositMargin(bob(), { pool: p.pool, amount: "20000" });
    await trade(bob(), { pool: p.pool, marketId: 0, size: "20" });
    const lp = chain.publicClient.extend(trancheActions({ lens: p.lens }));
    const cov = await lp.getCoverage();
    expect(cov.juniorCapital).toBe(2_000_000n * WAD);
    expect(cov.openInterestNotional).toBe(40_000n * WAD);
    expect(cov.coverageBps).toBe(2_000_000n);
    const s = await getCoverage(chain.publicClient, { lens: p.lens });
    expect(s).toEqual(cov);
    const stress = await lp.getStress({ marketId: 0, shockBps: -5000, accounts: [{ owner: bob().account.address }] });
    expect(stress.liquidatableCount).toBe(1n);
    expect(stress.shockedIndex).toBe(1000n * WAD);
  });
});

describe("format", () => {
  it("shows amounts, prices and percents with explicit rounding", () => {
    const usdc = usdcToken(31_337, p.usdc);
    const eth = baseToken(31_337, p.pool, "ETH");
    expect(formatAmount(usdcAmount(usdc, 1_234_567_891n))).toBe("1,234.56");
    expect(formatAmount(usdcAmount(usdc, 1_234_567_891n), 2, Rounding.ROUND_HALF_UP)).toBe("1,234.57");
    expect(formatUsd(usdc, -812_399_999_999_999_999_999n)).toBe("-812.39 USDC");
    expect(formatPrice(wadPrice(eth, usdc, 2000n * WAD + WAD / 3n), 8)).toBe("2,000.3333");
    // 1.5 ETH at 2,000 is worth exactly 3,000 USDC.
    expect(
      wadPrice(eth, usdc, 2000n * WAD)
        .quote(baseAmount(eth, 15n * 10n ** 17n))
        .toExact(),
    ).toBe("3000");
    expect(formatPercent(bpsToPercent(50))).toBe("0.50%");
  });
});
