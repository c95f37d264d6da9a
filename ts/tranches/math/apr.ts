// Annualized rates as the LP SDK reports them: simple (not compounded) APR over 365 days, as a WAD fraction
// (1e18 = 100 % a year), rounded toward -infinity so a yield is never overstated.
import { Percent } from "@uniswap/sdk-core";
import { mulDivFloor, WAD } from "../../money";

/** Seconds in the year the APRs annualize over (365 days). */
export const YEAR = 365n * 86_400n;

/**
 * `change / base` over `elapsed` seconds, annualized: floor(change * WAD * YEAR / (base * elapsed)).
 * null when `base` or `elapsed` is zero (no rate is defined).
 * @example annualize(5n, 1000n, 86_400n) // 0.5 % in a day -> 1.825 * WAD (182.5 % a year)
 */
export function annualize(change: bigint, base: bigint, elapsed: bigint): bigint | null {
  if (base <= 0n || elapsed <= 0n) return null;
  return mulDivFloor(change, WAD * YEAR, base * elapsed);
}

/** A WAD fraction (signed) as a Percent, for display. */
export function wadToPercent(fraction: bigint): Percent {
  return new Percent(fraction.toString(), WAD.toString());
}
