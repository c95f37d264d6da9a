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

/**
 * One position's contribution, as `Valuation.contribution` (the one function the pool and the lens both call):
 * PnL at index after funding owed (`pnl`, a halted market's gain clamped to 0), and its requirements.
 */
export function positionContribution(p: PositionInput, timestamp: bigint) {
  const { size, openNotional, fundingEntry } = p.position;
  const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
  const fundingOwed = owed(size, size > 0n ? cumLong : cumShort, fundingEntry);
  const pnlAtIndex = unrealizedPnl(size, openNotional, p.index);
  const notional = notionalUp(size, p.index);
  const { initial, maintenance } = requirements(p.config.tiers, notional);
  let pnl = i256(pnlAtIndex - fundingOwed);
  if (p.halted && pnl > 0n) pnl = 0n;
  return { fundingOwed, unrealizedPnl: pnlAtIndex, pnl, notional, initial, maintenance };
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
  const value = i256(account.collateral + pnl + account.unsettledProfit);
  return {
    collateral: account.collateral,
    unrealizedPnl: pnl,
    unsettledProfit: account.unsettledProfit,
    value,
    initialRequirement,
    maintenanceRequirement,
    liquidatable: value < maintenanceRequirement && (account.marketMask !== 0 || account.collateral < 0n),
  };
}
