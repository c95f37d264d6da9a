// Correlated geometric Brownian motion, written as cumulative log moves x[(s-1)·n + m] = ln(P_m(T_s) / P_m(T_0)).
// Zero drift with the Itô correction: each step adds −σ²/2·dt + σ·√dt·z with z = L·ε (L the Cholesky factor of the
// correlation), so E[P(t)] = P(0): the price is a martingale (risk-neutral with a zero rate, no view on direction).
import type { PathInputs } from "../types";
import { choleskyOf } from "./cholesky";
import type { PathRandom } from "./random";

/** Seconds in the year that σ is annualized over: 365 days (crypto trades every day). */
export const YEAR_SECONDS = 365 * 86_400;

/** What every model needs of the inputs, computed once: sizes, the step in years, σ per market and L. */
export type Diffusion = {
  /** Markets. */
  n: number;
  /** Steps N = horizonSeconds / stepSeconds. */
  steps: number;
  /** Step length in years (stepSeconds / YEAR_SECONDS). */
  dtYears: number;
  sigma: Float64Array;
  /** Cholesky factor of the correlation, row-major, lower triangular. */
  L: Float64Array;
};

/**
 * The diffusion of `inputs`; throws a CorrelationError for a bad correlation and a RangeError for a horizon that is
 * not a whole number of steps (the zod schema reports both with messages; this guards direct callers).
 */
export function diffusionOf(inputs: PathInputs): Diffusion {
  const n = inputs.markets.length;
  const { horizonSeconds, stepSeconds } = inputs;
  if (!(Number.isInteger(stepSeconds) && stepSeconds > 0 && Number.isInteger(horizonSeconds) && horizonSeconds > 0)) {
    throw new RangeError(`horizon ${horizonSeconds} s and step ${stepSeconds} s must be positive integers`);
  }
  if (horizonSeconds % stepSeconds !== 0) {
    throw new RangeError(`horizon ${horizonSeconds} s is not a whole number of ${stepSeconds} s steps`);
  }
  return {
    n,
    steps: horizonSeconds / stepSeconds,
    dtYears: stepSeconds / YEAR_SECONDS,
    sigma: Float64Array.from(inputs.markets, (m) => m.sigmaAnnual),
    L: choleskyOf(inputs.correlation, n),
  };
}

/**
 * Writes correlated GBM log moves into `out` (length steps·n), each market's σ multiplied by `sigmaScale` (1 for the
 * gbm model; the crash replays use a fraction as noise). Draws n normals per step from `rng`, step by step.
 * @example
 * const out = new Float64Array(d.steps * d.n);
 * gbmLogMoves(d, pathRandom(seed, k), out);
 */
export function gbmLogMoves(d: Diffusion, rng: PathRandom, out: Float64Array, sigmaScale = 1): void {
  const { n, steps, L } = d;
  const sqrtDt = Math.sqrt(d.dtYears);
  const drift = new Float64Array(n);
  const vol = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    const s = (d.sigma[m] as number) * sigmaScale;
    drift[m] = -0.5 * s * s * d.dtYears;
    vol[m] = s * sqrtDt;
  }
  const eps = new Float64Array(n);
  for (let step = 0; step < steps; step++) {
    for (let m = 0; m < n; m++) eps[m] = rng.normal();
    const base = step * n;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j <= i; j++) z += (L[i * n + j] as number) * (eps[j] as number);
      const prev = step === 0 ? 0 : (out[base - n + i] as number);
      out[base + i] = prev + (drift[i] as number) + (vol[i] as number) * z;
    }
  }
}
