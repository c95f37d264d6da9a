// `liquidationOutcome` then `accountAfterLiquidation` (liquidationMath.ts) for the commonest account: one position in
// a market whose oracle is not halted, so nothing nets and the ladder has one leg. The same steps on plain bigints,
// without the general path's arrays and objects: about four times faster, for the risk report's paths, which run
// millions of ladder steps. Property-tested equal to the general path (test/ts/sdk/singleLadder.test.ts).
import type { MarketConfig } from "../types";
import { owed } from "./fundingMath";
import { ladderStep } from "./liquidationMath";
import { notionalUp, requirements, unrealizedPnl } from "./marginMath";
import { applyLeg } from "./positionMath";
import { abs, i256, min, mulDivDown, wMulDown, wMulUp } from "./solidity";

const BPS = 10_000n;
const MAX_UINT = (1n << 256n) - 1n;

/** A one-position account (mutable: `singleLiquidation` updates it in place). */
export type SingleAccount = {
  collateral: bigint;
  unsettledProfit: bigint;
  size: bigint;
  openNotional: bigint;
  fundingEntry: bigint;
};

/** Its market at one timestamp: the index and the funding indices accrued to that second. */
export type SingleMarket = { index: bigint; cumLong: bigint; cumShort: bigint; config: MarketConfig };

/** Value and (standalone = netted: one position) maintenance requirement, as `accountHealthAt`. */
export function singleHealth(a: SingleAccount, m: SingleMarket): { value: bigint; maintenance: bigint } {
  const due = owed(a.size, a.size > 0n ? m.cumLong : m.cumShort, a.fundingEntry);
  const pnl = i256(unrealizedPnl(a.size, a.openNotional, m.index) - due);
  return {
    value: i256(a.collateral + pnl + a.unsettledProfit),
    maintenance: requirements(m.config.tiers, notionalUp(a.size, m.index)).maintenance,
  };
}

/** What one call did: the base moved (signed as the position), its quote, the penalty, whether everything moved and
 * the bad debt left for the waterfall. */
export type SingleStep = {
  transferred: bigint;
  quoteDelta: bigint;
  penalty: bigint;
  everything: boolean;
  badDebt: bigint;
};

/**
 * One `liquidate(owner, subId, type(uint256).max)` of the account at the market's timestamp: undefined when healthy;
 * otherwise the step, with `a` moved to the state the pool leaves (collateral += realized PnL − penalty, the position
 * reduced at the index, its funding entry at the accrued index). A debt it leaves is not cleared here (the waterfall
 * does that).
 */
export function singleLiquidation(a: SingleAccount, m: SingleMarket): SingleStep | undefined {
  const { value, maintenance } = singleHealth(a, m);
  if (value >= maintenance) return undefined;
  const c = m.config;
  const penaltyBps = BigInt(c.liquidationPenaltyBps);
  // LiquidationLogic._ladder with one leg: the fraction, or everything when the value cannot pay the step's penalty.
  let everything = value < 2n;
  let delta = -a.size;
  if (!everything) {
    const step = ladderStep(a.size, c, MAX_UINT, BigInt(c.liquidationFractionBps));
    const planned = mulDivDown(step > 0n ? wMulUp(step, m.index) : wMulDown(-step, m.index), penaltyBps, BPS);
    if (value >= 2n + planned) delta = step;
    else everything = true;
  }
  // InventoryLogic._transferToBackstop: the quote at the index in the pool's favour, funding settled, PnL realized.
  const quoteDelta = delta > 0n ? wMulUp(delta, m.index) : -wMulDown(-delta, m.index);
  const cum = a.size > 0n ? m.cumLong : m.cumShort;
  const leg = applyLeg(a.size, a.openNotional, delta, quoteDelta);
  const realized = i256(-owed(a.size, cum, a.fundingEntry) + leg.realizedPnl);
  // The penalty, capped at what is left of the value after 2 wei of rounding.
  let room = value > 0n ? value : 0n;
  room = room > 2n ? room - 2n : 0n;
  const penalty = min(mulDivDown(abs(quoteDelta), penaltyBps, BPS), room);
  const collectable = i256(a.collateral + a.unsettledProfit + realized - penalty);
  a.collateral += realized - penalty;
  a.fundingEntry = cum;
  a.size = leg.newSize;
  a.openNotional = leg.newOpenNotional;
  return {
    transferred: -delta,
    quoteDelta,
    penalty,
    everything,
    badDebt: everything && collectable < 0n ? -collectable : 0n,
  };
}
