// Account health evaluated locally, for the whole book every block, from one snapshot of market state: the SDK's
// mirror of PerpLens.accountHealth (ts/pool/math/accountMath: contributionAt, healthFromTotals; the same functions
// `accountHealthAt` is made of), with the funding indices (cumNow) computed once per market per block instead of
// once per position, which is what makes 10,000 accounts cost milliseconds. The keeper adds only which position
// carries the largest maintenance requirement (the one a ladder step takes first). The differential test holds it
// to the lens, to the wei.
import { contributionAt, healthFromTotals } from "../../pool/math/accountMath";
import { cumNow } from "../../pool/math/marketMath";
import { i256 } from "../../pool/math/solidity";
import type { Account, AccountHealth, MarketConfig, MarketState, Position } from "../../pool/types";

/** One market as the book needs it at one block: the index the pool would use and the accrued funding indices. */
export type MarketPricing = {
  marketId: bigint;
  config: MarketConfig;
  /** Index price as the lens takes it: this block's stored observation, else `oracle.peek`. */
  index: bigint;
  /** The oracle is Halted: a position's loss counts, its gain does not (Valuation.contribution). */
  halted: boolean;
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
): MarketPricing {
  const { cumLong, cumShort } = cumNow(state, config, timestamp);
  return { marketId, config, index, halted, cumLong, cumShort };
}

export type LocalHealth = AccountHealth & {
  /** Market with the largest maintenance requirement (the one a ladder step liquidates first); -1 if none. */
  largestMarket: bigint;
  /** Size of the position in `largestMarket` (its sign says which way the step trades). */
  largestSize: bigint;
};

/**
 * Health of one account: `account.marketMask` selects the positions (by market id) that count.
 * Equals `PerpLens.accountHealth` at the block the pricing was taken for.
 */
export function localHealth(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
  pricing: readonly (MarketPricing | undefined)[],
): LocalHealth {
  let pnl = 0n;
  let initialRequirement = 0n;
  let maintenanceRequirement = 0n;
  let largestMarket = -1n;
  let largestMaint = 0n;
  let largestSize = 0n;
  let mask = account.marketMask;
  for (let i = 0; mask !== 0; i++, mask >>>= 1) {
    if ((mask & 1) === 0) continue;
    const m = pricing[i];
    const p = positions.get(i);
    if (!m || !p) throw new Error(`localHealth: no ${m ? "position" : "market state"} for market ${i}`);
    const { pnl: contribution, initial, maintenance } = contributionAt(p, m);
    pnl = i256(pnl + contribution);
    initialRequirement += initial;
    maintenanceRequirement += maintenance;
    if (maintenance > largestMaint || largestMaint === 0n) {
      largestMaint = maintenance;
      largestMarket = BigInt(i);
      largestSize = p.size;
    }
  }
  return {
    ...healthFromTotals(account, { pnl, initialRequirement, maintenanceRequirement }),
    largestMarket,
    largestSize,
  };
}
