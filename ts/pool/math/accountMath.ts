// Account valuation at the index price, as PerpLens.accountHealth computes it (mirrors AccountLogic).
import type { Account, AccountHealth, MarketConfig, MarketState, Position } from "../types";
import { owed } from "./fundingMath";
import { notionalUp, requirements, unrealizedPnl } from "./marginMath";
import { cumNow } from "./marketMath";
import { i256 } from "./solidity";

export type PositionInput = {
  position: Pick<Position, "size" | "openNotional" | "fundingEntry">;
  state: MarketState;
  config: MarketConfig;
  /** Oracle index price of the market (WAD), as `oracle.peek` returns it. */
  index: bigint;
  /** The market's oracle is Halted (`index` is its last price): the position's gain is ignored, its loss counts. */
  halted?: boolean;
};

/** A market priced once for a block: funding indices accrued to the block (`cumNow`) and its index. */
export type PricedMarket = {
  config: MarketConfig;
  index: bigint;
  halted?: boolean;
  cumLong: bigint;
  cumShort: bigint;
};

/**
 * One position's contribution against an already priced market (`Valuation.contribution`): PnL at index after
 * funding owed (`pnl`, a halted market's gain clamped to 0), and its requirements. Pricing a market once per block
 * and every position against it is what lets a keeper value 10,000 accounts in milliseconds.
 */
export function contributionAt(position: PositionInput["position"], m: PricedMarket) {
  const { size, openNotional, fundingEntry } = position;
  const fundingOwed = owed(size, size > 0n ? m.cumLong : m.cumShort, fundingEntry);
  const pnlAtIndex = unrealizedPnl(size, openNotional, m.index);
  const notional = notionalUp(size, m.index);
  const { initial, maintenance } = requirements(m.config.tiers, notional);
  let pnl = i256(pnlAtIndex - fundingOwed);
  if (m.halted && pnl > 0n) pnl = 0n;
  return { fundingOwed, unrealizedPnl: pnlAtIndex, pnl, notional, initial, maintenance };
}

/**
 * One position's contribution, as `Valuation.contribution` (the one function the pool and the lens both call):
 * PnL at index after funding owed (`pnl`, a halted market's gain clamped to 0), and its requirements.
 */
export function positionContribution(p: PositionInput, timestamp: bigint) {
  const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
  return contributionAt(p.position, { config: p.config, index: p.index, halted: p.halted, cumLong, cumShort });
}

/** The account's health from the sums of its positions' contributions (AccountLogic: value vs maintenance). */
export function healthFromTotals(
  account: Account,
  totals: { pnl: bigint; initialRequirement: bigint; maintenanceRequirement: bigint },
): AccountHealth {
  const value = i256(account.collateral + totals.pnl + account.unsettledProfit);
  return {
    collateral: account.collateral,
    unrealizedPnl: totals.pnl,
    unsettledProfit: account.unsettledProfit,
    value,
    initialRequirement: totals.initialRequirement,
    maintenanceRequirement: totals.maintenanceRequirement,
    liquidatable: value < totals.maintenanceRequirement && (account.marketMask !== 0 || account.collateral < 0n),
  };
}

/**
 * Health of an account from raw state at `timestamp` (funding accrued to it), to the wei of `lens.accountHealth`.
 * `positions` holds every open position of the account (one per set bit of `account.marketMask`).
 */
export function accountHealthAt(
  account: Account,
  positions: readonly PositionInput[],
  timestamp: bigint,
): AccountHealth {
  let pnl = 0n;
  let initialRequirement = 0n;
  let maintenanceRequirement = 0n;
  for (const p of positions) {
    const c = positionContribution(p, timestamp);
    pnl = i256(pnl + c.pnl);
    initialRequirement += c.initial;
    maintenanceRequirement += c.maintenance;
  }
  return healthFromTotals(account, { pnl, initialRequirement, maintenanceRequirement });
}
