// Merton jump diffusion: the correlated GBM plus one common compound-Poisson jump process. Jumps arrive at
// `intensityPerYear`; each log jump J ~ N(meanLog, stdLog²); market m moves by jumpBeta_m · J (a market-wide shock,
// larger for high-beta markets). A compensator −λ·κ_m·dt with κ_m = E[e^{β_m J}] − 1 = exp(β_m·μ + β_m²·s²/2) − 1
// keeps each price a martingale, as in Merton (1976): the jumps add tails, not a trend.
import type { JumpParams } from "../types";
import { type Diffusion, gbmLogMoves } from "./gbm";
import type { PathRandom } from "./random";

/**
 * Default jump parameters, a judgement for crypto majors (not a fit): about 8 market-wide jumps a year (one every
 * ~6.5 weeks), mean log jump −0.08 (≈ −7.7 %), standard deviation 0.06 (95 % of jumps land between about −19 % and
 * +4 %). The CLI's jump flags override them. See docs/risk-models.md.
 */
export const DEFAULT_JUMP_INTENSITY_PER_YEAR = 8;
export const DEFAULT_JUMP_MEAN_LOG = -0.08;
export const DEFAULT_JUMP_STD_LOG = 0.06;
export const DEFAULT_JUMP_PARAMS: Readonly<JumpParams> = Object.freeze({
  intensityPerYear: DEFAULT_JUMP_INTENSITY_PER_YEAR,
  meanLog: DEFAULT_JUMP_MEAN_LOG,
  stdLog: DEFAULT_JUMP_STD_LOG,
});

/** Most jumps counted in one step (the Poisson inversion stops there; at λ·dt ≪ 1 it is never reached). */
const MAX_JUMPS_PER_STEP = 64;

/** Jumps in one step: Poisson(λ·dt) by inversion of one uniform (so every step draws exactly one uniform);
 * `none` = e^{−λ·dt}, the probability of no jump. */
function poissonCount(lambdaDt: number, none: number, u: number): number {
  let p = none;
  let cumulative = p;
  let count = 0;
  while (u > cumulative && count < MAX_JUMPS_PER_STEP) {
    count++;
    p *= lambdaDt / count;
    cumulative += p;
  }
  return count;
}

/**
 * Writes Merton log moves into `out` (length steps·n): first the GBM of `d` (n normals per step), then per step one
 * uniform (the jump count) and one normal per jump. Returns the number of jumps on the path.
 * @example
 * const jumps = jumpLogMoves(d, betas, DEFAULT_JUMP_PARAMS, pathRandom(seed, k), out);
 */
export function jumpLogMoves(
  d: Diffusion,
  jumpBeta: Float64Array,
  jump: JumpParams,
  rng: PathRandom,
  out: Float64Array,
): number {
  gbmLogMoves(d, rng, out);
  const { n, steps, dtYears } = d;
  const { intensityPerYear: lambda, meanLog: mu, stdLog: s } = jump;
  const lambdaDt = lambda * dtYears;
  const none = Math.exp(-lambdaDt);
  const compensator = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    const b = jumpBeta[m] as number;
    compensator[m] = -lambda * Math.expm1(b * mu + 0.5 * b * b * s * s) * dtYears;
  }
  let total = 0;
  let jumps = 0;
  for (let step = 0; step < steps; step++) {
    const count = poissonCount(lambdaDt, none, rng.uniform());
    for (let j = 0; j < count; j++) total += mu + s * rng.normal();
    jumps += count;
    const base = step * n;
    for (let m = 0; m < n; m++) {
      out[base + m] =
        (out[base + m] as number) + (jumpBeta[m] as number) * total + (compensator[m] as number) * (step + 1);
    }
  }
  return jumps;
}
