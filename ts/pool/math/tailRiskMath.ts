// Mirror of contracts/libraries/TailRiskMath.sol: the junior share a posted tail-risk figure asks for, how far one
// post moves the share (per-post and per-day bounds), and the junior exit floor. Same integer steps as the library,
// so every value equals the chain's (`TailRiskOracle.targetShareBps`, `figure().shareBps`, `juniorExitFloor`).

/** `ITailRiskOracle.Params` as viem reads it. */
export type TailRiskParams = {
  multiplierBps: number;
  minShareBps: number;
  maxShareBps: number;
  maxStepBps: number;
  maxDailyBps: number;
  maxAge: number;
  coverageMultipleBps: number;
  referenceShockBps: number;
};

const BPS = 10_000n;
/** `TailRiskOracle.WINDOW`: the window `maxDailyBps` bounds (seconds). */
export const TAIL_RISK_WINDOW = 86_400n;
/** `TailRiskOracle.GATE_FIGURE_MAX_AGE`: how long a stale figure's stressed loss still gates junior exits. */
export const GATE_FIGURE_MAX_AGE = 7n * 86_400n;

function clamp(x: bigint, lo: bigint, hi: bigint): bigint {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * `TailRiskMath.targetShareBpsUp`: capital 0 → hi, else clamp(ceil(es99 · m / capital), lo, hi), bps.
 * @example targetShareBpsUp(3_900_000n * 10n ** 6n, 10_000_000n * 10n ** 6n, params) // 7_800n with m = 2x
 */
export function targetShareBpsUp(es99: bigint, capital: bigint, p: TailRiskParams): bigint {
  if (capital === 0n) return BigInt(p.maxShareBps);
  const num = es99 * BigInt(p.multiplierBps);
  return clamp((num + capital - 1n) / capital, BigInt(p.minShareBps), BigInt(p.maxShareBps));
}

/** `TailRiskMath.boundedShareBps`: the target clamped to anchor ± maxDaily, then to previous ± maxStep. */
export function boundedShareBps(
  previous: bigint,
  target: bigint,
  anchor: bigint,
  maxStep: bigint,
  maxDaily: bigint,
): bigint {
  const dayLo = anchor > maxDaily ? anchor - maxDaily : 0n;
  const stepLo = previous > maxStep ? previous - maxStep : 0n;
  return clamp(clamp(target, dayLo, anchor + maxDaily), stepLo, previous + maxStep);
}

/** `TailRiskMath.exitFloorUp`: ceil(loss · c / 10,000), asset units. */
export function exitFloorUp(coverageMultipleBps: bigint, loss: bigint): bigint {
  return (loss * coverageMultipleBps + BPS - 1n) / BPS;
}

/** The oracle's share state between posts: the last share and the current 24-hour window. */
export type ShareState = { shareBps: bigint; windowStart: bigint; anchorShareBps: bigint; posted: boolean };

/**
 * What `TailRiskOracle.post` makes of a figure posted at `now`: the first post sets the target and starts the window;
 * a later one opens a new window when `now >= windowStart + 1 day` (anchor := the share before it), then bounds.
 * @example nextShareState({ shareBps: 0n, windowStart: 0n, anchorShareBps: 0n, posted: false }, 7_800n, now, params)
 */
export function nextShareState(state: ShareState, target: bigint, now: bigint, p: TailRiskParams): ShareState {
  if (!state.posted) return { shareBps: target, windowStart: now, anchorShareBps: target, posted: true };
  const newWindow = now >= state.windowStart + TAIL_RISK_WINDOW;
  const windowStart = newWindow ? now : state.windowStart;
  const anchorShareBps = newWindow ? state.shareBps : state.anchorShareBps;
  const shareBps = boundedShareBps(state.shareBps, target, anchorShareBps, BigInt(p.maxStepBps), BigInt(p.maxDailyBps));
  return { shareBps, windowStart, anchorShareBps, posted: true };
}
