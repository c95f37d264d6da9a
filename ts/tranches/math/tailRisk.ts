// TailRiskOracle's math in TypeScript, to the unit (SPEC-21 "Junior share"): the share a figure asks for, how far
// the bounds let one post move the share, when a figure is fresh, the junior exit floor, and the backstop's capital
// rule (the split while no fresh figure applies). Shares are bps; amounts are asset units.

export const BPS = 10_000n;
/** A 24-hour bound window. */
export const SHARE_WINDOW_SECONDS = 86_400n;
/** `ITailRiskOracle.GATE_FIGURE_MAX_AGE`: the stress loss gates junior exits for at most 7 days. */
export const GATE_FIGURE_MAX_AGE = 7n * 86_400n;

/** `ITailRiskOracle.Params` with bigints. */
export type TailRiskParams = {
  multiplierBps: bigint;
  minShareBps: bigint;
  maxShareBps: bigint;
  maxStepBps: bigint;
  maxDailyBps: bigint;
  maxAge: bigint;
  coverageMultipleBps: bigint;
  referenceShockBps: bigint;
};

/** The defaults a deployment sets (SPEC-21): m 2×, share in [50 %, 90 %], ≤ 5 % a post, ≤ 15 % a day, 2 days, c 1.5×,
 * reference shock −20 %. */
export const DEFAULT_TAIL_RISK_PARAMS: TailRiskParams = {
  multiplierBps: 20_000n,
  minShareBps: 5_000n,
  maxShareBps: 9_000n,
  maxStepBps: 500n,
  maxDailyBps: 1_500n,
  maxAge: 2n * 86_400n,
  coverageMultipleBps: 15_000n,
  referenceShockBps: -2_000n,
};

const clamp = (x: bigint, lo: bigint, hi: bigint) => (x < lo ? lo : x > hi ? hi : x);
const ceilDiv = (x: bigint, d: bigint) => (x === 0n ? 0n : (x - 1n) / d + 1n);

/**
 * The share a figure asks for: clamp(⌈m · es99 / capital⌉, lo, hi) in bps (m is bps, so es99 · m / capital is bps);
 * `hi` with no capital. Mirrors `TailRiskOracle.targetShareBps`.
 */
export function targetShareBpsUp(es99: bigint, capital: bigint, p: TailRiskParams): bigint {
  if (capital === 0n) return p.maxShareBps;
  return clamp(ceilDiv(es99 * p.multiplierBps, capital), p.minShareBps, p.maxShareBps);
}

/** Where the bounds stand between posts: the share, the share at the start of the 24-hour window, and its start. */
export type ShareState = { shareBps: bigint; anchorBps: bigint; windowStart: bigint };

/**
 * The state after a post at `now` whose figure asks for `targetBps`. The first post (`prev` undefined) sets the
 * share to the target (already within [lo, hi]) and opens a window anchored there. A later post ≥ 24 h after the
 * window opened first opens a new one, anchored at the share before the post; then the target is clamped to
 * anchor ± maxDaily, and that to previous ± maxStep (the step last: new parameters that left the share outside the
 * day's band walk it back by at most maxStep a post). Mirrors `TailRiskOracle.post` / `TailRiskMath.boundedShareBps`.
 */
export function nextShareState(
  prev: ShareState | undefined,
  targetBps: bigint,
  now: bigint,
  p: TailRiskParams,
): ShareState {
  if (!prev) return { shareBps: targetBps, anchorBps: targetBps, windowStart: now };
  let { anchorBps, windowStart } = prev;
  if (now >= windowStart + SHARE_WINDOW_SECONDS) {
    anchorBps = prev.shareBps;
    windowStart = now;
  }
  const inDay = clamp(targetBps, saturatingSub(anchorBps, p.maxDailyBps), anchorBps + p.maxDailyBps);
  const shareBps = clamp(inDay, saturatingSub(prev.shareBps, p.maxStepBps), prev.shareBps + p.maxStepBps);
  return { shareBps, anchorBps, windowStart };
}

const saturatingSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);

/** A figure sets the split while `now − postedAt ≤ maxAge` (and one was posted: postedAt > 0). */
export function isFigureFresh(postedAt: bigint, now: bigint, maxAge: bigint): boolean {
  return postedAt > 0n && now - postedAt <= maxAge;
}

/**
 * The junior exit floor (asset units), rounded up: c × max(ES99, stress loss) while the figure is fresh (`fromEs99`:
 * ES99 is the larger), c × the stress loss while it is at most `GATE_FIGURE_MAX_AGE` old, else 0. Mirrors
 * `TailRiskOracle.juniorExitFloor`.
 */
export function juniorExitFloorUp(
  figure: { juniorEs99: bigint; stressLoss: bigint; postedAt: bigint } | null,
  now: bigint,
  p: TailRiskParams,
): { floor: bigint; fromEs99: boolean } {
  if (!figure || figure.postedAt === 0n) return { floor: 0n, fromEs99: false };
  if (isFigureFresh(figure.postedAt, now, p.maxAge)) {
    const fromEs99 = figure.juniorEs99 >= figure.stressLoss;
    const loss = fromEs99 ? figure.juniorEs99 : figure.stressLoss;
    return { floor: ceilDiv(loss * p.coverageMultipleBps, BPS), fromEs99 };
  }
  if (now - figure.postedAt <= GATE_FIGURE_MAX_AGE) {
    return { floor: ceilDiv(figure.stressLoss * p.coverageMultipleBps, BPS), fromEs99: false };
  }
  return { floor: 0n, fromEs99: false };
}

/**
 * The backstop's capital rule as the `PremiumSplit` event reports it: juniorWeight·j / (juniorWeight·j +
 * seniorWeight·s) in bps, rounded down; 0 with no capital in either tranche (nothing is split then).
 */
export function capitalRuleShareBpsDown(
  juniorAssets: bigint,
  seniorAssets: bigint,
  juniorWeight: bigint,
  seniorWeight: bigint,
): bigint {
  const wJ = juniorAssets * juniorWeight;
  const den = wJ + seniorAssets * seniorWeight;
  return den === 0n ? 0n : (wJ * BPS) / den;
}
