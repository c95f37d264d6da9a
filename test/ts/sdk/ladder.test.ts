// The proportional ladder's mirror (ts/pool/math/liquidationMath), pure: the same vectors as
// test/unit/LiquidationPortfolio.t.sol and test/unit/Liquidation.t.sol, to the wei (no chain).
import { describe, expect, it } from "vitest";
import { ContractRevertError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import {
  type LiquidationPositionInput,
  liquidationCallsToHealthy,
  liquidationOutcome,
} from "../../../ts/pool/math/liquidationMath";
import type { Account, MarketConfig, MarketState } from "../../../ts/pool/types";
import { defaultConfig } from "./fixture";

const ETH_PRICE = 2000n * WAD;
const BTC_PRICE = 60_000n * WAD;
const MAX = (1n << 256n) - 1n;

const config = (over: Partial<MarketConfig> = {}): MarketConfig =>
  ({ ...defaultConfig(), volReferenceBps: 0, volCapBps: 10_000, ...over }) as MarketConfig;

const state = {
  cumFundingLong: 0n,
  cumFundingShort: 0n,
  fundingRate: 0n,
  fundingKicker: 0n,
  lastAccrual: 0,
  longOpenInterest: 0n,
  shortOpenInterest: 0n,
} as unknown as MarketState;

/** A position opened at `index` (no PnL): the account's value is its collateral. */
function position(marketId: bigint, size: bigint, index: bigint, c = config()): LiquidationPositionInput {
  return {
    marketId,
    position: { size, openNotional: (size * index) / WAD, fundingEntry: 0n },
    state,
    config: c,
    index,
  };
}

const account = (collateral: bigint): Account =>
  ({ collateral, unsettledProfit: 0n, marketMask: 3 }) as unknown as Account;

/** Long 20 ETH, short 0.6 BTC; a netted maintenance requirement (the engine's) of 2,000. */
const hedge = () => [position(0n, 20n * WAD, ETH_PRICE), position(1n, -6n * 10n ** 17n, BTC_PRICE)];
const netted = () => 2000n * WAD;
/** One 25 % step's penalty: 2.5 % of 10,000 (5 ETH) + 2.5 % of 9,000 (0.15 BTC). */
const STEP_PENALTY = 250n * WAD + 225n * WAD;

describe("the proportional ladder (LiquidationLogic._ladder)", () => {
  it("a step takes the same fraction of every usable position, the largest requirement first", () => {
    const out = liquidationOutcome(account(STEP_PENALTY + 4n), hedge(), 1n, MAX, netted);
    expect(out.kind).toBe("liquidated");
    if (out.kind !== "liquidated") return;
    expect(out.everything).toBe(false);
    expect(out.steps.map((s) => [s.marketId, s.transferred, s.penalty])).toEqual([
      [0n, 5n * WAD, 250n * WAD],
      [1n, -15n * 10n ** 16n, 225n * WAD],
    ]);
  });

  it("one wei short of the step's penalty and its rounding margin: everything moves, the penalty capped", () => {
    const out = liquidationOutcome(account(STEP_PENALTY + 3n), hedge(), 1n, MAX, netted);
    if (out.kind !== "liquidated") throw new Error(out.kind);
    expect(out.everything).toBe(true);
    expect(out.insolvent).toBe(false);
    expect(out.steps.map((s) => s.transferred)).toEqual([20n * WAD, -6n * 10n ** 17n]);
    // room: value - 2 per leg; the first leg's whole-position penalty (1,000) takes what is left of it.
    expect(out.steps.map((s) => s.penalty)).toEqual([STEP_PENALTY + 1n, 0n]);
    expect(out.badDebt).toBe(0n);
    expect(liquidationCallsToHealthy(account(STEP_PENALTY + 3n), hedge(), 1n, 64, netted)).toBe(1);
  });

  it("maxBase lowers the fraction for every leg: whole basis points of the largest position", () => {
    const out = liquidationOutcome(account(1000n * WAD), hedge(), 1n, WAD, netted);
    if (out.kind !== "liquidated") throw new Error(out.kind);
    expect(out.steps.map((s) => s.transferred)).toEqual([WAD, -3n * 10n ** 16n]); // f = 500 bps
  });

  it("maxBase below one basis point of the largest position moves exactly maxBase, the others in proportion", () => {
    const cap = (20n * WAD) / 10_000n - 1n;
    const out = liquidationOutcome(account(1000n * WAD), hedge(), 1n, cap, netted);
    if (out.kind !== "liquidated") throw new Error(out.kind);
    // 0.6 BTC * cap / 20 ETH, rounded up: 6e13.
    expect(out.steps.map((s) => s.transferred)).toEqual([cap, -6n * 10n ** 13n]);
  });

  it("maxBase 0 moves nothing: NothingToLiquidate", () => {
    let name = "(no revert)";
    try {
      liquidationOutcome(account(1000n * WAD), hedge(), 1n, 0n, netted);
    } catch (err) {
      if (err instanceof ContractRevertError) name = err.errorName;
    }
    expect(name).toBe("NothingToLiquidate");
  });

  it("the least liquidationFractionBps of the markets held applies to all", () => {
    const positions = [
      position(0n, 20n * WAD, ETH_PRICE),
      position(1n, -6n * 10n ** 17n, BTC_PRICE, config({ liquidationFractionBps: 1000 })),
    ];
    const out = liquidationOutcome(account(1900n * WAD), positions, 1n, MAX, netted);
    if (out.kind !== "liquidated") throw new Error(out.kind);
    expect(out.steps.map((s) => s.transferred)).toEqual([2n * WAD, -6n * 10n ** 16n]);
  });

  it("healthy against the netted requirement, liquidatable against the additive one", () => {
    expect(liquidationOutcome(account(3000n * WAD), hedge(), 1n, MAX, netted).kind).toBe("healthy");
    expect(liquidationOutcome(account(3000n * WAD), hedge(), 1n).kind).toBe("liquidated");
  });
});
