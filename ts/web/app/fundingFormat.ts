// Funding numbers as people read them: a premium per funding period (1e-12 of the index) or a rate (quote per base
// per second, WAD) over an hour or a day, as a signed percentage of the index. Exact integers in, text out.
import type { FundingForecastView } from "../../pool/actions/getFundingForecast";
import { duration, pct } from "./fmt";

/** The premium's unit: 1e12 = 100 % of the index per funding period. */
export const PREMIUM_ONE = 10n ** 12n;
export const HOUR = 3_600n;
export const DAY = 86_400n;

/** part / whole as a signed percentage: "-0.0125%" (pct's rounding, on the magnitude). */
export function signedPct(part: bigint, whole: bigint, decimals = 4): string {
  return `${part < 0n ? "-" : ""}${pct(part < 0n ? -part : part, whole, decimals)}`;
}

/** A premium per period (1e-12 of the index per `period` seconds) charged over `seconds`, as % of the index. */
export const premiumPct = (premium: bigint, period: bigint, seconds: bigint, decimals = 4) =>
  signedPct(premium * seconds, PREMIUM_ONE * period, decimals);

/** A rate in quote per base per second (WAD) over `seconds`, as % of `index` (WAD). */
export const ratePct = (rate: bigint, index: bigint, seconds: bigint, decimals = 4) =>
  signedPct(rate * seconds, index, decimals);

/** "0.1250% / h · 3.0000% / d" for a premium per period. */
export const premiumPerHourDay = (premium: bigint, period: bigint) =>
  `${premiumPct(premium, period, HOUR)} / h · ${premiumPct(premium, period, DAY)} / d`;

/** "0.1250% / h · 3.0000% / d" for a rate per second at `index`. */
export const ratePerHourDay = (rate: bigint, index: bigint) =>
  `${ratePct(rate, index, HOUR)} / h · ${ratePct(rate, index, DAY)} / d`;

/** Who pays a signed rate or kicker: > 0 longs, < 0 shorts. */
export const payer = (signed: bigint) => (signed > 0n ? "longs pay" : signed < 0n ? "shorts pay" : "nobody pays");

const MAX_UINT256 = (1n << 256n) - 1n;

/** "0.2500% / h (rate 0.2000% + kicker 0.0500%)": the most the next period can charge, per hour. */
export function mostNextText(f: FundingForecastView): string {
  const { premium, kickerPremium } = f.max;
  const p = f.fundingPeriod;
  return (
    `${premiumPct(premium + kickerPremium, p, HOUR)} / h ` +
    `(rate ${premiumPct(premium, p, HOUR)} + kicker ${premiumPct(kickerPremium, p, HOUR)})`
  );
}

/** The group blend's weight now against its ceiling: "12.00% of 30.00%" (or "off"). */
export function blendText(f: FundingForecastView): string {
  const w = BigInt(f.params.blendWeightBps);
  if (w === 0n) return "off";
  return `${pct(f.blendWeight, PREMIUM_ONE)} of ${pct(w, 10_000n)}`;
}

/** Crowding (the group's |net| / tranche capital) against the kicker's threshold: "1.80% vs 0.50%" ("no kicker" when
 * the params set none: the lens then measures no crowding). */
export function crowdingText(f: FundingForecastView): string {
  const t = f.kickerThresholdBps;
  if (t === 0n || f.params.kickerMaxE8 === 0) return "no kicker";
  const share = f.crowdingBps === MAX_UINT256 ? "∞" : pct(f.crowdingBps, 10_000n);
  return `${share} vs ${pct(t, 10_000n)}`;
}

/** The next update's countdown at chain time `now`: "in 4m 12s" or "due now". */
export function nextUpdateText(next: bigint, now: bigint): string {
  return next > now ? `in ${duration(next - now)}` : "due now";
}
