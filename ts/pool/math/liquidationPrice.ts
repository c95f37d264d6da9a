// Where and when an account becomes liquidatable, found with the account valuation itself (accountHealthAt) rather
// than a closed form: margin tiers are marginal and funding accrues per second, and a search over the one function
// the lens mirrors can never drift from it. Both searches are exact to the wei / the second.
import type { Account } from "../types";
import { accountHealthAt, type PositionInput } from "./accountMath";
import { owed } from "./fundingMath";
import { cumNow } from "./marketMath";
import type { RiskGrid } from "./portfolioMath";

type MarketPosition = PositionInput & { marketId: bigint };

/** OracleRouter prices fit in 128 bits (`_readFeed` refuses larger answers as AnswerTooLarge): no index exceeds this. */
const MAX_INDEX = (1n << 128n) - 1n;
/** How far ahead `timeToLiquidation` looks: 10 years. */
export const MAX_LIQUIDATION_HORIZON = 10n * 365n * 86_400n;

/**
 * The index of `marketId` at which the account becomes liquidatable, every other market at its own index and
 * funding accrued to `timestamp`: for a long the highest index at which it is liquidatable, for a short the lowest.
 * Returns the current index when it already is, and null when no index can make it liquidatable (a long backed
 * by more than its notional) or the account holds no position on the market. `engine`: the pool's risk engine grid
 * (`getRiskEngine`; null/omitted: none), the requirement netted over it as the lens nets it.
 * @example
 * const s = await getAccountState(publicClient, { pool, oracle, owner });
 * const engine = await getRiskEngine(publicClient, { pool });
 * const liq = liquidationPrice(s.account, s.positions, 0n, s.timestamp, engine); // WAD quote per base, or null
 */
export function liquidationPrice(
  account: Account,
  positions: readonly MarketPosition[],
  marketId: bigint,
  timestamp: bigint,
  engine?: RiskGrid | null,
): bigint | null {
  const target = positions.find((p) => p.marketId === marketId);
  if (!target || target.position.size === 0n) return null;
  const liquidatableAt = (index: bigint) =>
    accountHealthAt(
      account,
      positions.map((p) => (p.marketId === marketId ? { ...p, index, halted: false } : p)),
      timestamp,
      engine,
    ).liquidatable;
  const now = target.index;
  if (liquidatableAt(now)) return now;
  if (target.position.size > 0n) {
    // Liquidatable below some price: the highest index in [0, now) that is.
    if (!liquidatableAt(0n)) return null;
    let lo = 0n; // liquidatable
    let hi = now; // not
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (liquidatableAt(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  // A short is liquidatable above some price: the lowest index in (now, MAX_INDEX] that is.
  if (!liquidatableAt(MAX_INDEX)) return null;
  let lo = now; // not
  let hi = MAX_INDEX; // liquidatable
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (liquidatableAt(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Seconds from `timestamp` until the account becomes liquidatable if every index stays where it is and funding
 * keeps accruing at today's rates (each market's `fundingRate`, open interest and budget unchanged): 0 when it
 * already is, null when it does not within MAX_LIQUIDATION_HORIZON (funding in its favour, or too slow to matter).
 * `engine`: the pool's risk engine grid (null/omitted: none).
 */
export function timeToLiquidation(
  account: Account,
  positions: readonly PositionInput[],
  timestamp: bigint,
  engine?: RiskGrid | null,
): bigint | null {
  const liquidatableAfter = (dt: bigint) => accountHealthAt(account, positions, timestamp + dt, engine).liquidatable;
  if (liquidatableAfter(0n)) return 0n;
  if (!liquidatableAfter(MAX_LIQUIDATION_HORIZON)) return null;
  let lo = 0n; // not
  let hi = MAX_LIQUIDATION_HORIZON; // liquidatable
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (liquidatableAfter(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Funding the position owes over the next `seconds` at today's rate (> 0 it pays, < 0 it receives), WAD:
 * `owed(size, cum(t + seconds), cum(t))` on its side's index, as the pool would settle it.
 */
export function fundingOver(p: PositionInput, timestamp: bigint, seconds: bigint): bigint {
  const side = (t: bigint) => {
    const c = cumNow(p.state, p.config, t);
    return p.position.size > 0n ? c.cumLong : c.cumShort;
  };
  return owed(p.position.size, side(timestamp + seconds), side(timestamp));
}
