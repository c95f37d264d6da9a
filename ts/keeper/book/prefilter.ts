// The float prefilter: classifies every account of the book as clearly healthy, clearly liquidatable or near the
// boundary from float copies of its state, so that only the near ones (and every account the keeper may act on) pay
// for the exact bigint evaluation (localHealth). An account's floats are made once when it is read (`accountFeatures`);
// a block's markets and the risk engine's grid once per block (`prepareFloatMarkets`).
//
// Error bound (why a "clear" verdict is always the exact one). Let D = V − R be the exact margin the chain computes
// (value − maintenance requirement, integers with the chain's roundings), D* the same formula in real arithmetic,
// and D~ what `classify` computes in float64. Then:
// - |D − D*| ≤ 1,024 wei: per position the chain rounds the PnL (1 wei), the funding owed (1), the notional (1 wei,
//   which moves each requirement by ≤ 1 wei since every rate is ≤ 100 %), each of ≤ 3 tiers (1 each), the tier-0
//   exposure (1); the grid's L and F are 1-Lipschitz in the ℓ1 norm of the exposures (|weight·move/5000| ≤ 1) and
//   round up once each. That is ≤ 10 wei per position, ≤ 80 for 8 positions, + 2: far below 1,024.
// - |D~ − D*| ≤ γ·S with S the magnitude sum `classify` accumulates (|collateral| + |deferred profit| + per position
//   |size·index| + |open notional| + |size|·(|cum| + |entry|) + 4·notional, all in wei) and γ = m·2⁻⁵³ where m bounds
//   the roundings on any path from an input to D~: each input is rounded once when converted (Number(bigint)), each
//   product of ≤ 4 factors and each sum of ≤ 8 positions' or ≤ 8 columns' terms adds ≤ 1 relative rounding per
//   operation (Higham's γ_n for sums and products), the grid coefficients weight·move/5000 are rounded once, and
//   max, min, |·|, the halted clamp and the piecewise-linear tiers (slopes ≤ 1) are 1-Lipschitz, so they add
//   nothing. m ≤ 64 on every path, so γ ≤ 2⁻⁴⁷.
// So with tol = S·2⁻⁴⁰ + 1,024 (2⁻⁴⁰ = 128·2⁻⁴⁷): D~ > tol ⇒ D > 0 (healthy), D~ < −tol ⇒ D < 0 (liquidatable, when
// the account holds a position or owes collateral, as the chain's `liquidatable`). Everything else is near.
import type { RiskGrid } from "../../pool/math/portfolioMath";
import { COLUMNS, ORACLE_NORMAL } from "../../pool/math/portfolioMath";
import type { Account, Position } from "../../pool/types";
import type { MarketPricing } from "./localHealth";

export const HEALTHY = 0;
export const NEAR = 1;
export const LIQUIDATABLE = 2;
export type Verdict = typeof HEALTHY | typeof NEAR | typeof LIQUIDATABLE;

/** Relative float error allowance (see the bound above) and the absolute one for the chain's integer roundings. */
export const RELATIVE_TOLERANCE = 2 ** -40;
export const ABSOLUTE_TOLERANCE_WEI = 1024;

const E18 = 1e-18;
const HEADER = 4;
const PER_POSITION = 4;

/**
 * An account's state as floats (wei): [collateral + deferred profit, |collateral| + |deferred profit|, holds risk
 * (a position, or collateral < 0), position count, then per position (market id, size, open notional, funding
 * entry)]. Undefined when a position of the mask was not read (the exact path then decides, and reports it).
 */
export function accountFeatures(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
): Float64Array | undefined {
  let n = 0;
  for (let mask = account.marketMask; mask !== 0; mask &= mask - 1) n++;
  const f = new Float64Array(HEADER + PER_POSITION * n);
  const c = account.collateral;
  const u = account.unsettledProfit;
  f[0] = Number(c + u);
  f[1] = Number(c < 0n ? -c : c) + Number(u < 0n ? -u : u);
  f[2] = account.marketMask !== 0 || c < 0n ? 1 : 0;
  f[3] = n;
  let j = HEADER;
  for (let i = 0, mask = account.marketMask; mask !== 0; i++, mask >>>= 1) {
    if ((mask & 1) === 0) continue;
    const p = positions.get(i);
    if (!p) return undefined;
    f[j] = i;
    f[j + 1] = Number(p.size);
    f[j + 2] = Number(p.openNotional);
    f[j + 3] = Number(p.fundingEntry);
    j += PER_POSITION;
  }
  return f;
}

const M_STRIDE = 12;
// Market slots: present, index, cumLong, cumShort, halted, column (−1: no netting), cap0, cap1, mm0, mm1, mm2.
const U48 = (1n << 48n) - 1n;
const U16 = (1n << 16n) - 1n;

/** One block's markets and grid as floats. */
export type FloatMarkets = {
  markets: Float64Array;
  count: number;
  /** weight·move/5000 per row and column (row-major, 8 columns), empty without an engine. */
  grid: Float64Array;
  rows: number;
  floor: number;
};

/** Per block: each market's index, funding indices, netting column and maintenance tiers; the grid as floats. */
export function prepareFloatMarkets(
  pricing: readonly (MarketPricing | undefined)[],
  engine: RiskGrid | null,
): FloatMarkets {
  const markets = new Float64Array(M_STRIDE * pricing.length);
  const rows = engine ? engine.scenarios.length : 0;
  const grid = new Float64Array(rows * COLUMNS);
  for (let k = 0; k < rows; k++) {
    const s = engine?.scenarios[k];
    if (!s) continue;
    for (let c = 0; c < COLUMNS; c++) grid[k * COLUMNS + c] = (s.weightPct * (s.moves[c] ?? 0)) / 5000;
  }
  const fm = { markets, count: pricing.length, grid, rows, floor: engine ? Number(engine.floorBps) / 10_000 : 0 };
  pricing.forEach((m, i) => {
    if (m) setFloatMarket(fm, i, m, engine !== null);
  });
  return fm;
}

/** Writes market `i`'s slots of `fm` from its pricing (`netting`: the pool has a risk engine). A caller that prices
 * the same markets block after block keeps one FloatMarkets and rewrites the slots. */
export function setFloatMarket(fm: FloatMarkets, i: number, m: MarketPricing, netting: boolean): void {
  const markets = fm.markets;
  const b = i * M_STRIDE;
  markets[b] = 1;
  markets[b + 1] = Number(m.index);
  markets[b + 2] = Number(m.cumLong);
  markets[b + 3] = Number(m.cumShort);
  markets[b + 4] = m.halted ? 1 : 0;
  markets[b + 5] = netting && m.oracleStatus === ORACLE_NORMAL && i < COLUMNS ? i : -1;
  markets.set(floatTiers(m.config.tiers), b + 6);
}

/** Packed maintenance tiers as floats: [cap0, cap1 (wei of notional), mm0, mm1, mm2 (rates)]. */
export function floatTiers(tiers: bigint): [number, number, number, number, number] {
  const out: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const word = tiers >> (80n * BigInt(k));
    if (k < 2) out[k] = Number(word & U48) * 1e18;
    out[2 + k] = Number((word >> 64n) & U16) / 10_000;
  }
  return out;
}

/** The standalone maintenance requirement of `notional` (wei) under float tiers (`floatTiers`), real arithmetic. */
export function floatMaintenance(notional: number, t: Float64Array | readonly number[], at = 0): number {
  const cap0 = t[at] as number;
  const cap1 = t[at + 1] as number;
  const mm0 = t[at + 2] as number;
  if (notional <= cap0) return notional * mm0;
  if (notional <= cap1) return cap0 * mm0 + (notional - cap0) * (t[at + 3] as number);
  return cap0 * mm0 + (cap1 - cap0) * (t[at + 3] as number) + (notional - cap1) * (t[at + 4] as number);
}

const x = new Float64Array(COLUMNS);
const held = new Int32Array(COLUMNS);

/** Reused result of `floatMargin` (no allocation per account). */
const out = { margin: 0, tolerance: 0 };

/**
 * The float margin (value − maintenance requirement, wei) and its tolerance (the bound above); margin NaN when a
 * position's market is not priced. The returned object is reused by the next call.
 */
export function floatMargin(
  f: Float64Array,
  fm: FloatMarkets,
): { readonly margin: number; readonly tolerance: number } {
  const m = fm.markets;
  let value = f[0] as number;
  let mag = f[1] as number;
  let outside = 0;
  let absX = 0;
  let eligible = 0;
  const n = f[3] as number;
  for (let j = HEADER, end = HEADER + PER_POSITION * n; j < end; j += PER_POSITION) {
    const i = f[j] as number;
    const b = i * M_STRIDE;
    if (i >= fm.count || m[b] !== 1) {
      out.margin = Number.NaN;
      return out;
    }
    const size = f[j + 1] as number;
    const on = f[j + 2] as number;
    const entry = f[j + 3] as number;
    const index = m[b + 1] as number;
    const cum = (size > 0 ? m[b + 2] : m[b + 3]) as number;
    const signedNotional = size * index * E18;
    let pnl = signedNotional - on - size * (cum - entry) * E18;
    if (m[b + 4] === 1 && pnl > 0) pnl = 0;
    value += pnl;
    const notional = signedNotional < 0 ? -signedNotional : signedNotional;
    const mm0 = m[b + 8] as number;
    const maint = floatMaintenance(notional, m, b + 6);
    const col = m[b + 5] as number;
    if (col >= 0) {
      const bm = notional * mm0;
      x[col] = size > 0 ? bm : -bm;
      held[eligible++] = col;
      absX += bm;
      outside += maint - bm;
    } else {
      outside += maint;
    }
    mag +=
      notional * 5 +
      (on < 0 ? -on : on) +
      (size < 0 ? -size : size) * ((cum < 0 ? -cum : cum) + (entry < 0 ? -entry : entry)) * E18;
  }
  let net = absX;
  if (eligible >= 2 && fm.rows > 0) {
    net = fm.floor * absX;
    const g = fm.grid;
    for (let k = 0, base = 0; k < fm.rows; k++, base += COLUMNS) {
      let loss = 0;
      for (let h = 0; h < eligible; h++) {
        const c = held[h] as number;
        loss -= (g[base + c] as number) * (x[c] as number);
      }
      if (loss > net) net = loss;
    }
  }
  out.margin = value - net - outside;
  out.tolerance = mag * RELATIVE_TOLERANCE + ABSOLUTE_TOLERANCE_WEI;
  return out;
}

/** Clearly healthy, clearly liquidatable, or near the boundary (then only the exact path can tell). */
export function classify(f: Float64Array | undefined, fm: FloatMarkets): Verdict {
  if (f === undefined) return NEAR;
  if (f[2] === 0) return HEALTHY; // no position and collateral ≥ 0: never liquidatable
  const { margin, tolerance } = floatMargin(f, fm);
  if (margin > tolerance) return HEALTHY;
  if (margin < -tolerance) return LIQUIDATABLE;
  return NEAR; // also NaN (a market not priced): the exact path reports it
}
