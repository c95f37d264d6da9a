// Which accounts a path can skip, and until when: a bound, never a guess. Along a path every account's margin
// (value − maintenance requirement) is at least
//   c + Σ_i [ min(s_i·Pmin_i, s_i·Pmax_i) − on_i − owed_i(B) − |s_i|·|rate_i|·dt ] − Σ_i mm_i(|s_i|·Pmax_i)
// where [Pmin_i, Pmax_i] is the range market i's index has visited so far, dt the time since B (funding accrues at
// most |rate| per second on either side: a receiver's credit never exceeds the payer's charge) and mm_i the
// standalone maintenance requirement (increasing in notional; the netted requirement never exceeds their sum).
// PnL is linear in the index, so the worst corner of the box is exact for it. While that lower bound exceeds the
// float tolerance of the keeper's prefilter (prefilter.ts: |float − exact| ≤ S·2⁻⁴⁰ + 1,024 wei), the account is
// healthy at every step of the box, whatever happens to the others — until a socialized loss moves the funding
// indices, after which the simulation checks every account (simulate.ts).
import { floatMaintenance, floatTiers } from "../keeper/book/prefilter";
import { owed } from "../pool/math/fundingMath";
import { cumNow } from "../pool/math/marketMath";
import type { RiskAccount, RiskBook } from "./types";

const E18 = 1e-18;
const RELATIVE_TOLERANCE = 2 ** -40;
const ABSOLUTE_TOLERANCE_WEI = 1024;
/** Per position: market, size, open notional + funding owed at B, |rate| (per second, cum units). */
const STRIDE = 4;

/** One account's bound inputs as floats (wei). */
export type AccountBound = { c: number; mag: number; legs: Float64Array };

/** Per market: tiers as floats (`floatTiers`), and |funding rate|. */
export type BoundMarkets = { tiers: Float64Array; rate: Float64Array };

export function boundMarkets(book: RiskBook): BoundMarkets {
  const tiers = new Float64Array(5 * book.markets.length);
  const rate = new Float64Array(book.markets.length);
  book.markets.forEach((m, i) => {
    tiers.set(floatTiers(m.config.tiers), 5 * i);
    rate[i] = Math.abs(Number(m.state.fundingRate));
  });
  return { tiers, rate };
}

/** The account's bound inputs at B (funding owed to B computed exactly, then as a float). */
export function accountBound(book: RiskBook, a: RiskAccount): AccountBound {
  const legs = new Float64Array(STRIDE * a.positions.length);
  let mag = Math.abs(Number(a.account.collateral)) + Math.abs(Number(a.account.unsettledProfit));
  a.positions.forEach(({ marketId, position: p }, k) => {
    const m = book.markets[marketId];
    if (!m) throw new Error(`account holds market ${marketId}, which the book does not list`);
    const { cumLong, cumShort } = cumNow(m.state, m.config, book.timestamp);
    const due = owed(p.size, p.size > 0n ? cumLong : cumShort, p.fundingEntry);
    const fixed = Number(p.openNotional) + Number(due);
    legs[STRIDE * k] = marketId;
    legs[STRIDE * k + 1] = Number(p.size);
    legs[STRIDE * k + 2] = fixed;
    mag += Math.abs(Number(p.openNotional)) + Math.abs(Number(due));
  });
  return { c: Number(a.account.collateral + a.account.unsettledProfit), mag, legs };
}

/**
 * The lower bound of the account's margin over the box (`lo`, `hi`: each market's least and greatest index so far,
 * wei per base, at offset `at` of per-step arrays of `n` markets) after `dt` seconds, less its tolerance: > 0 means
 * healthy at every point of the box.
 */
export function marginLowerBound(
  b: AccountBound,
  mk: BoundMarkets,
  lo: Float64Array,
  hi: Float64Array,
  at: number,
  dt: number,
): number {
  let v = b.c;
  let mag = b.mag;
  const legs = b.legs;
  for (let j = 0; j < legs.length; j += STRIDE) {
    const i = legs[j] as number;
    const s = legs[j + 1] as number;
    const pLo = lo[at + i] as number;
    const pHi = hi[at + i] as number;
    const abs = s < 0 ? -s : s;
    const worst = s > 0 ? s * pLo * E18 : s * pHi * E18;
    const funding = abs * (mk.rate[i] as number) * dt * E18;
    const notional = abs * pHi * E18;
    v += worst - (legs[j + 2] as number) - funding - floatMaintenance(notional, mk.tiers, 5 * i);
    mag += 6 * notional + funding;
  }
  return v - (mag * RELATIVE_TOLERANCE + ABSOLUTE_TOLERANCE_WEI);
}

/**
 * The first step (1..steps) at which the account may be liquidatable, or `steps + 1` when it is healthy along the
 * whole path. `lo`/`hi`: running min/max of each market's index (per step, `n` markets), step s at offset (s−1)·n;
 * `slack`: seconds past a step's time the bound must hold for (the keeper's liquidation blocks).
 */
export function firstDangerStep(
  b: AccountBound,
  mk: BoundMarkets,
  lo: Float64Array,
  hi: Float64Array,
  n: number,
  steps: number,
  stepSeconds: number,
  slack: number,
): number {
  const ok = (s: number) => marginLowerBound(b, mk, lo, hi, (s - 1) * n, s * stepSeconds + slack) > 0;
  if (ok(steps)) return steps + 1;
  // The bound only falls as the box widens and time passes: the first failing step by bisection.
  let good = 0;
  let bad = steps;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (ok(mid)) good = mid;
    else bad = mid;
  }
  return bad;
}
