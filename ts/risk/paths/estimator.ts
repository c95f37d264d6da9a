// σ and correlation from a price history, pure (no chain): what `estimateMarketParams` runs on the oracle's
// OracleRefreshed events. Zero drift throughout, as the paths assume.
//
// σ: with returns r_i = ln(p_i / p_{i−1}) over gaps dt_i (years), z_i = r_i / √dt_i is N(0, σ²) under GBM, and the
// maximum-likelihood σ² is the mean of z_i². Correlation of a pair: the two series restricted to their common
// timestamps (both refreshed in the same block), returns over the same intervals, ρ = Σ z_a·z_b / √(Σ z_a² · Σ z_b²).
// Fallbacks: fewer than `minReturns` returns (or a flat price) → σ = volReferenceBps / 10,000 (or DEFAULT_SIGMA_ANNUAL
// when that is 0); a pair with fewer common returns → DEFAULT_CORRELATION. A matrix that is not positive definite is
// shrunk toward the identity, C' = (1 − λ)·C + λ·I, with the smallest λ in 0.05 steps that makes it so.
import { choleskyOf } from "./cholesky";
import { YEAR_SECONDS } from "./gbm";

/** Fewest returns (per market, or per pair for a correlation) an estimate is made from. */
export const MIN_RETURNS = 30;
/** Correlation of a pair with too few common returns (an assumption: crypto majors tend to move together). */
export const DEFAULT_CORRELATION = 0.8;
/** σ when there are too few returns and the market has no volReferenceBps (0 = off): 80 %, the ETH default. */
export const DEFAULT_SIGMA_ANNUAL = 0.8;
/** Shrinkage step toward the identity for a correlation that is not positive definite. */
export const SHRINK_STEP = 0.05;

/** One observation: block timestamp (seconds) and price (any positive unit; only ratios matter). */
export type PricePoint = { timestamp: number; price: number };

export type MarketHistory = {
  symbol: string;
  /** Observations, any order; one per timestamp (a later duplicate replaces an earlier one). */
  points: readonly PricePoint[];
  /** The market's `volReferenceBps` (fallback σ = this / 10,000; 0 = none). */
  volReferenceBps: number;
};

export type MarketEstimate = {
  symbol: string;
  sigmaAnnual: number;
  /** Returns the σ came from (0 for a default). */
  returns: number;
  /** "oracle: 412 returns" or "default (...)" saying why. */
  source: string;
};

export type ParamsEstimate = {
  markets: MarketEstimate[];
  /** Positive definite, unit diagonal, in the markets' order. */
  correlation: number[][];
  /** How the correlation was made: per-pair counts, defaults, shrinkage. */
  correlationSource: string;
};

/** Sorted by time, one point per timestamp, only positive finite prices. */
function clean(points: readonly PricePoint[]): PricePoint[] {
  const byTime = new Map<number, number>();
  for (const p of points) if (p.price > 0 && Number.isFinite(p.price)) byTime.set(p.timestamp, p.price);
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([timestamp, price]) => ({ timestamp, price }));
}

/** z_i = ln(p_i / p_{i−1}) / √(dt_i in years) over a cleaned series. */
function normalizedReturns(points: readonly PricePoint[]): number[] {
  const z: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as PricePoint;
    const b = points[i] as PricePoint;
    z.push(Math.log(b.price / a.price) / Math.sqrt((b.timestamp - a.timestamp) / YEAR_SECONDS));
  }
  return z;
}

function sigmaOf(h: MarketHistory, minReturns: number): MarketEstimate {
  const z = normalizedReturns(clean(h.points));
  const variance = z.reduce((s, v) => s + v * v, 0) / Math.max(z.length, 1);
  if (z.length >= minReturns && variance > 0) {
    return {
      symbol: h.symbol,
      sigmaAnnual: Math.sqrt(variance),
      returns: z.length,
      source: `oracle: ${z.length} returns`,
    };
  }
  const why = z.length < minReturns ? `${z.length} returns < ${minReturns}` : `price flat over ${z.length} returns`;
  if (h.volReferenceBps > 0) {
    const sigmaAnnual = h.volReferenceBps / 10_000;
    return {
      symbol: h.symbol,
      sigmaAnnual,
      returns: 0,
      source: `default (${why}): volReferenceBps ${h.volReferenceBps}`,
    };
  }
  return { symbol: h.symbol, sigmaAnnual: DEFAULT_SIGMA_ANNUAL, returns: 0, source: `default (${why}): 0.8` };
}

/** ρ of two series over their common timestamps, or null with fewer than `minReturns` common returns. */
export function pairCorrelation(
  a: readonly PricePoint[],
  b: readonly PricePoint[],
  minReturns = MIN_RETURNS,
): { rho: number; returns: number } | null {
  const ca = clean(a);
  const inB = new Map(clean(b).map((p) => [p.timestamp, p.price]));
  const commonA = ca.filter((p) => inB.has(p.timestamp));
  const commonB = commonA.map((p) => ({ timestamp: p.timestamp, price: inB.get(p.timestamp) as number }));
  const za = normalizedReturns(commonA);
  const zb = normalizedReturns(commonB);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < za.length; i++) {
    ab += (za[i] as number) * (zb[i] as number);
    aa += (za[i] as number) ** 2;
    bb += (zb[i] as number) ** 2;
  }
  if (za.length < minReturns || aa === 0 || bb === 0) return null;
  return { rho: Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))), returns: za.length };
}

/** `c` itself when positive definite, else (1 − λ)·c + λ·I for the smallest λ = 0.05, 0.10, ... that is. */
export function nearestPositiveDefinite(c: number[][]): { matrix: number[][]; shrink: number } {
  const n = c.length;
  for (let step = 0; step <= 1 / SHRINK_STEP; step++) {
    const lambda = step * SHRINK_STEP;
    const m = c.map((row, i) => row.map((v, j) => (i === j ? 1 : (1 - lambda) * v)));
    try {
      choleskyOf(m, n);
      return { matrix: m, shrink: lambda };
    } catch {}
  }
  throw new Error("unreachable: the identity is positive definite");
}

/**
 * σ per market and the correlation matrix from price histories (see the file comment for the estimators and
 * fallbacks).
 * @example
 * const est = estimateFromHistory([{ symbol: "ETH", points, volReferenceBps: 8000 }, ...]);
 */
export function estimateFromHistory(histories: readonly MarketHistory[], minReturns = MIN_RETURNS): ParamsEstimate {
  const markets = histories.map((h) => sigmaOf(h, minReturns));
  const n = histories.length;
  const raw = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const notes: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = histories[i] as MarketHistory;
      const b = histories[j] as MarketHistory;
      const pair = pairCorrelation(a.points, b.points, minReturns);
      const rho = pair ? pair.rho : DEFAULT_CORRELATION;
      (raw[i] as number[])[j] = rho;
      (raw[j] as number[])[i] = rho;
      notes.push(
        `${a.symbol}/${b.symbol} ${pair ? `oracle: ${pair.returns} returns` : `default ${DEFAULT_CORRELATION}`}`,
      );
    }
  }
  const { matrix, shrink } = nearestPositiveDefinite(raw);
  if (shrink > 0) notes.push(`shrunk ${shrink.toFixed(2)} toward identity to be positive definite`);
  return { markets, correlation: matrix, correlationSource: notes.join("; ") || "single market" };
}
