// Account health evaluated locally, exactly (bigint), from one snapshot of market state: the SDK's mirror of
// PerpLens.accountHealth (ts/pool/math/accountMath: contributionAt, healthFromTotals; portfolioMath:
// combineRequirements, the same functions `accountHealthAt` is made of), with the funding indices (cumNow) computed
// once per market per block instead of once per position. The requirement nets the positions' tier-0 parts over the
// pool's risk engine grid (SPEC-19 §3). The keeper adds only which position carries the largest maintenance
// requirement (the one a ladder step takes first). The differential test holds it to the lens, to the wei.
// The whole book is first classified by a float prefilter (prefilter.ts); this exact path runs for the accounts it
// cannot clear, and for every account before the keeper acts on it.
import { contributionAt, healthFromTotals, type NettedHealth, statusOf } from "../../pool/math/accountMath";
import { cumNow } from "../../pool/math/marketMath";
import {
  combineRequirements,
  nettingColumn,
  ORACLE_HALTED,
  ORACLE_NORMAL,
  type RequirementPart,
  type RiskGrid,
} from "../../pool/math/portfolioMath";
import { i256 } from "../../pool/math/solidity";
import type { Account, MarketConfig, MarketState, Position } from "../../pool/types";

const BPS = 10_000n;

/** One market as the book needs it at one block: the index the pool would use and the accrued funding indices. */
export type MarketPricing = {
  marketId: bigint;
  config: MarketConfig;
  /** Index price as the lens takes it: this block's stored observation, else `oracle.peek`. */
  index: bigint;
  /** The oracle is Halted: a position's loss counts, its gain does not (Valuation.contribution). */
  halted: boolean;
  /** OracleStatus of that price (0 Normal, 1 ReduceOnly, 2 Halted): only Normal gets netting credit. */
  oracleStatus: number;
  /** The market's IM volatility multiplier (bps; 10,000 = none). */
  imMultiplierBps: bigint;
  cumLong: bigint;
  cumShort: bigint;
};

/** Funding indices of `state` accrued to `timestamp` plus the index: computed once per market per block. */
export function marketPricing(
  marketId: bigint,
  state: MarketState,
  config: MarketConfig,
  index: bigint,
  halted: boolean,
  timestamp: bigint,
  extra: { oracleStatus?: number | undefined; imMultiplierBps?: bigint | undefined } = {},
): MarketPricing {
  const { cumLong, cumShort } = cumNow(state, config, timestamp);
  return {
    marketId,
    config,
    index,
    halted,
    oracleStatus: extra.oracleStatus ?? (halted ? ORACLE_HALTED : ORACLE_NORMAL),
    imMultiplierBps: extra.imMultiplierBps ?? BPS,
    cumLong,
    cumShort,
  };
}

export type LocalHealth = NettedHealth & {
  /** Market with the largest maintenance requirement (the one a ladder step liquidates first); -1 if none. */
  largestMarket: bigint;
  /** Size of the position in `largestMarket` (its sign says which way the step trades). */
  largestSize: bigint;
};

/**
 * Health of one account: `account.marketMask` selects the positions (by market id) that count; `engine` is the
 * pool's risk engine grid (null: none, every market additive). Equals `PerpLens.accountHealth` at the block the
 * pricing was taken for.
 */
export function localHealth(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
  pricing: readonly (MarketPricing | undefined)[],
  engine: RiskGrid | null = null,
): LocalHealth {
  let pnl = 0n;
  let largestMarket = -1n;
  let largestMaint = 0n;
  let largestSize = 0n;
  const parts: RequirementPart[] = [];
  let mask = account.marketMask;
  for (let i = 0; mask !== 0; i++, mask >>>= 1) {
    if ((mask & 1) === 0) continue;
    const m = pricing[i];
    const p = positions.get(i);
    if (!m || !p) throw new Error(`localHealth: no ${m ? "position" : "market state"} for market ${i}`);
    const c = contributionAt(p, m);
    pnl = i256(pnl + c.pnl);
    parts.push({
      column: nettingColumn(BigInt(i), statusOf(m) === ORACLE_NORMAL, engine),
      long: p.size > 0n,
      initial: c.initial,
      maintenance: c.maintenance,
      baseInitial: c.baseInitial,
      baseMaint: c.baseMaint,
    });
    if (c.maintenance > largestMaint || largestMaint === 0n) {
      largestMaint = c.maintenance;
      largestMarket = BigInt(i);
      largestSize = p.size;
    }
  }
  return {
    ...healthFromTotals(account, { pnl, ...combineRequirements(parts, engine) }),
    largestMarket,
    largestSize,
  };
}
