// Account valuation at the index price, as PerpLens.accountHealth computes it (mirrors AccountLogic): the value
// (collateral + PnL at index after funding + deferred profit) against the portfolio requirement (portfolioMath:
// tier-0 parts netted over the risk engine's grid, the rest added).
import type { Account, AccountHealth, MarketConfig, MarketState, Position } from "../types";
import { owed } from "./fundingMath";
import { notionalUp, unrealizedPnl } from "./marginMath";
import { cumNow } from "./marketMath";
import {
  combineRequirements,
  NO_BINDING_SCENARIO,
  nettingColumn,
  ORACLE_HALTED,
  ORACLE_NORMAL,
  type PortfolioPosition,
  positionRequirement,
  type RequirementPart,
  type RiskGrid,
} from "./portfolioMath";
import { i256 } from "./solidity";

const BPS = 10_000n;

export type PositionInput = {
  position: Pick<Position, "size" | "openNotional" | "fundingEntry">;
  state: MarketState;
  config: MarketConfig;
  /** Oracle index price of the market (WAD), as `oracle.peek` returns it. */
  index: bigint;
  /** The market's oracle is Halted (`index` is its last price): the position's gain is ignored, its loss counts. */
  halted?: boolean;
  /** Market id: the risk engine's column (required to net; a position without it is margined standalone). */
  marketId?: bigint;
  /** OracleStatus (0 Normal, 1 ReduceOnly, 2 Halted); default Halted when `halted`, else Normal. Only a Normal
   * market gets netting credit. */
  oracleStatus?: number;
  /** The market's IM volatility multiplier (`VolatilityMath.initialMultiplierBps`); default 10,000 (none). */
  imMultiplierBps?: bigint;
};

/** Oracle status of a position or priced market: `oracleStatus`, else Halted/Normal from `halted`. */
export function statusOf(m: { halted?: boolean | undefined; oracleStatus?: number | undefined }): number {
  return m.oracleStatus ?? (m.halted ? ORACLE_HALTED : ORACLE_NORMAL);
}

/** An account's health with the portfolio requirement's parts (SPEC §6: `AccountHealth`'s new fields). */
export type NettedHealth = AccountHealth & {
  /** The requirements without netting (Σ of each position's standalone requirement). */
  additiveMaintenance: bigint;
  additiveInitial: bigint;
  /** Grid row binding the maintenance requirement; `NO_BINDING_SCENARIO` (2^256 − 1) when the floor binds or
   * nothing nets. */
  bindingScenario: bigint;
};

/** A market priced once for a block: funding indices accrued to the block (`cumNow`) and its index. */
export type PricedMarket = {
  config: MarketConfig;
  index: bigint;
  halted?: boolean;
  /** OracleStatus; default from `halted` (see `statusOf`). */
  oracleStatus?: number;
  /** IM volatility multiplier (bps), default 10,000. */
  imMultiplierBps?: bigint;
  cumLong: bigint;
  cumShort: bigint;
};

/**
 * One position's contribution against an already priced market (`Valuation.contribution`): PnL at index after
 * funding owed (`pnl`, a halted market's gain clamped to 0), and its standalone requirements (tiers; IM scaled by
 * the market's volatility multiplier) with their tier-0 parts (`baseInitial`, `baseMaint`: what nets). Pricing a market once per block
 * and every position against it is what lets a keeper value 10,000 accounts in milliseconds.
 */
export function contributionAt(position: PositionInput["position"], m: PricedMarket) {
  const { size, openNotional, fundingEntry } = position;
  const fundingOwed = owed(size, size > 0n ? m.cumLong : m.cumShort, fundingEntry);
  const pnlAtIndex = unrealizedPnl(size, openNotional, m.index);
  const notional = notionalUp(size, m.index);
  const { initial, maintenance, baseInitial, baseMaint } = positionRequirement(
    m.config.tiers,
    notional,
    m.imMultiplierBps ?? BPS,
  );
  let pnl = i256(pnlAtIndex - fundingOwed);
  if (m.halted && pnl > 0n) pnl = 0n;
  return { fundingOwed, unrealizedPnl: pnlAtIndex, pnl, notional, initial, maintenance, baseInitial, baseMaint };
}

/**
 * One position's contribution, as `Valuation.contribution` (the one function the pool and the lens both call):
 * PnL at index after funding owed (`pnl`, a halted market's gain clamped to 0), and its requirements.
 */
export function positionContribution(p: PositionInput, timestamp: bigint) {
  const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
  return contributionAt(p.position, {
    config: p.config,
    index: p.index,
    halted: p.halted,
    imMultiplierBps: p.imMultiplierBps,
    cumLong,
    cumShort,
  });
}

/** The account's health from the sums of its positions' contributions (AccountLogic: value vs maintenance). Without
 * the additive parts (an account that nets nothing) they equal the requirements. */
export function healthFromTotals(
  account: Account,
  totals: {
    pnl: bigint;
    initialRequirement: bigint;
    maintenanceRequirement: bigint;
    additiveInitial?: bigint;
    additiveMaintenance?: bigint;
    bindingScenario?: bigint;
  },
): NettedHealth {
  const value = i256(account.collateral + totals.pnl + account.unsettledProfit);
  return {
    collateral: account.collateral,
    unrealizedPnl: totals.pnl,
    unsettledProfit: account.unsettledProfit,
    value,
    initialRequirement: totals.initialRequirement,
    maintenanceRequirement: totals.maintenanceRequirement,
    liquidatable: value < totals.maintenanceRequirement && (account.marketMask !== 0 || account.collateral < 0n),
    additiveMaintenance: totals.additiveMaintenance ?? totals.maintenanceRequirement,
    additiveInitial: totals.additiveInitial ?? totals.initialRequirement,
    bindingScenario: totals.bindingScenario ?? NO_BINDING_SCENARIO,
  };
}

/**
 * Health of an account from raw state at `timestamp` (funding accrued to it), to the wei of `lens.accountHealth`.
 * `positions` holds every open position of the account (one per set bit of `account.marketMask`). `engine` is the
 * pool's risk engine grid (`getRiskEngine`; null/omitted: the pool has none and every market is additive); to net,
 * each position needs its `marketId`.
 */
export function accountHealthAt(
  account: Account,
  positions: readonly PositionInput[],
  timestamp: bigint,
  engine?: RiskGrid | null,
): NettedHealth {
  let pnl = 0n;
  const parts: RequirementPart[] = [];
  for (const p of positions) {
    const c = positionContribution(p, timestamp);
    pnl = i256(pnl + c.pnl);
    // The contribution's requirements are `accountRequirement`'s for this position (the same notional, tiers and
    // multiplier): reused rather than computed twice.
    const q = portfolioPosition(p, p.marketId);
    parts.push({
      column: nettingColumn(q.marketId, q.oracleNormal, engine),
      long: q.size > 0n,
      initial: c.initial,
      maintenance: c.maintenance,
      baseInitial: c.baseInitial,
      baseMaint: c.baseMaint,
    });
  }
  return healthFromTotals(account, { pnl, ...combineRequirements(parts, engine) });
}

/** The requirement's view of a position (no market id: never nets). */
export function portfolioPosition(
  p: {
    position: { size: bigint };
    index: bigint;
    config: { tiers: bigint };
    halted?: boolean | undefined;
    oracleStatus?: number | undefined;
    imMultiplierBps?: bigint | undefined;
  },
  marketId: bigint | undefined,
): PortfolioPosition {
  return {
    marketId: marketId ?? (1n << 256n) - 1n,
    size: p.position.size,
    index: p.index,
    tiers: p.config.tiers,
    oracleNormal: marketId !== undefined && statusOf(p) === ORACLE_NORMAL,
    imMultiplierBps: p.imMultiplierBps,
  };
}
