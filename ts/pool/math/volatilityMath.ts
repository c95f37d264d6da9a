// Mirror of contracts/libraries/VolatilityMath.sol: the oracle's realized variance of the index (annualized, in
// bps²: σ = 80 % is 8,000² = 64,000,000), updated once per stored observation, and the initial-margin multiplier it
// implies. Same integer steps as the library, so every value equals the chain's to the wei.
import { u256 } from "./solidity";

/** The variance's window: a move counts fully for this long and decays linearly over it (seconds). */
export const VOL_WINDOW = 3_600n;
/** Annualization (seconds). */
export const YEAR = 365n * 86_400n;
/** The largest variance the oracle stores (uint40). */
export const MAX_VARIANCE = (1n << 40n) - 1n;
/** A simple return above this (WAD) saturates the variance at MAX_VARIANCE. */
export const MAX_RETURN_WAD = 10n ** 24n;

const WAD = 10n ** 18n;
const BPS = 10_000n;
const BPS2 = 10n ** 8n;

/**
 * `VolatilityMath.nextVariance`: the variance after an observation moved the index from `lastPrice` to `price`
 * in `dt` seconds. r = |Δ|·1e18/last, r2 = r²/1e18 (floors); dt ≤ H: v − v·dt/H + r2·YEAR·1e8/(1e18·H);
 * dt > H: r2·YEAR·1e8/(1e18·dt); unchanged when lastPrice or dt is 0; clamped to MAX_VARIANCE.
 * @example nextVariance(0n, 2000n * 10n ** 18n, 2020n * 10n ** 18n, 12n) // 1 % in a block: 87_600_000n (σ ≈ 93.6 %)
 */
export function nextVariance(varianceBps2: bigint, lastPrice: bigint, price: bigint, dt: bigint): bigint {
  if (lastPrice === 0n || dt === 0n) return varianceBps2;
  const move = price > lastPrice ? price - lastPrice : lastPrice - price;
  const r = u256(move * WAD) / lastPrice;
  if (r > MAX_RETURN_WAD) return MAX_VARIANCE;
  const r2 = (r * r) / WAD;
  const v =
    dt <= VOL_WINDOW
      ? u256(varianceBps2 - u256(varianceBps2 * dt) / VOL_WINDOW + (r2 * YEAR * BPS2) / (WAD * VOL_WINDOW))
      : (r2 * YEAR * BPS2) / u256(WAD * dt);
  return v > MAX_VARIANCE ? MAX_VARIANCE : v;
}

/** floor(sqrt(x)) of a non-negative bigint (Newton's method from above). */
function sqrtFloor(x: bigint): bigint {
  if (x < 2n) return x;
  let r = x;
  let next = (x + 1n) >> 1n;
  while (next < r) {
    r = next;
    next = (r + x / r) >> 1n;
  }
  return r;
}

/** OpenZeppelin `Math.sqrt(x, Rounding.Ceil)`. */
export function sqrtCeil(x: bigint): bigint {
  const r = sqrtFloor(x);
  return r * r < x ? r + 1n : r;
}

/**
 * `VolatilityMath.initialMultiplierBps`: how much the initial margin is scaled at `varianceBps2` (10_000 = 1×).
 * referenceBps 0 → 10_000; else ceil(sqrtCeil(v)·10_000 / referenceBps), capped at `capBps`, never below 10_000.
 * @example initialMultiplierBps(16_000n ** 2n, 8_000n, 30_000n) // σ twice the reference: 20_000n
 */
export function initialMultiplierBps(varianceBps2: bigint, referenceBps: bigint, capBps: bigint): bigint {
  if (referenceBps === 0n) return BPS;
  let m = (sqrtCeil(varianceBps2) * BPS + referenceBps - 1n) / referenceBps;
  if (m > capBps) m = capBps;
  if (m < BPS) m = BPS;
  return m;
}
