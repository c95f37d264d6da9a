// A path's price as the feed answer a replay can set: an integer in the feed's units (10^-feedDecimals of a quote
// unit), exact in a double, never below 1. The oracle's index of answer a is BigInt(a) · 10^(18 − feedDecimals).
const POW10 = [
  1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
  1e22,
] as const;
const MAX_EXACT = 2 ** 53;

/** Round half to even (banker's rounding) of a non-negative double. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The feed answer nearest `units` (a price in feed units): round half to even, at least 1. Above 2^53 (where not every
 * integer is a double) it is rounded to q·10^c with c the smallest power of ten that brings q to at most 2^53; the
 * result is the double nearest q·10^c, an integer (every double above 2^53 is one), so `BigInt(answer)` reads it
 * exactly and the replay and the simulation see the same integer. Throws a RangeError for a non-finite or negative
 * input.
 * @example
 * quantizeAnswer(301_234.5); // 301_234
 * quantizeAnswer(0.2); // 1
 */
export function quantizeAnswer(units: number): number {
  if (!(Number.isFinite(units) && units >= 0))
    throw new RangeError(`price ${units} is not a finite non-negative number`);
  const unit = roundHalfEven(units);
  if (unit <= MAX_EXACT) return Math.max(1, unit);
  for (let c = 1; c < POW10.length; c++) {
    const q = roundHalfEven(units / (POW10[c] as number));
    if (q <= MAX_EXACT) return q * (POW10[c] as number);
  }
  throw new RangeError(`price ${units} in feed units is too large to quantize`);
}

/** The index at B (WAD) in feed units, as a double: index0 / 10^(18 − feedDecimals). */
export function feedUnitsOf(index0: bigint, feedDecimals: number): number {
  const scale = 10n ** BigInt(18 - feedDecimals);
  return Number(index0 / scale) + Number(index0 % scale) / Number(scale);
}
