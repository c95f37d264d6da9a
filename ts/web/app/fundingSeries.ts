// The funding updates (bigints) as chart series (numbers, percent of the index per hour): the only place the funding
// chart leaves exact integers, and only for drawing. Each update's values hold until the next one (the chart draws
// steps); times are block timestamps in seconds, strictly increasing as the chart library requires.
import type { FundingHistoryEntry } from "../../pool/actions/getFundingHistory";
import { HOUR, PREMIUM_ONE } from "./fundingFormat";
import { type ChartPoint, strictlyIncreasing } from "./historySeries";

export type FundingSeries = {
  /** The charged premium (what the rate charges), % of the index per hour. */
  rate: ChartPoint[];
  /** The crowding kicker, % of the index per hour (> 0: longs pay). */
  kicker: ChartPoint[];
  /** The cap that applied at each update (+ and -), % of the index per hour. */
  capHigh: ChartPoint[];
  capLow: ChartPoint[];
};

/** A premium per funding period (1e-12 of the index) as % of the index per hour. */
export function premiumPerHour(premium: bigint, period: bigint): number {
  return (Number(premium) * Number(HOUR) * 100) / (Number(PREMIUM_ONE) * Number(period));
}

/**
 * One market's series from its updates, oldest first; `now` (when later than the last update) repeats the last
 * values there, so the step that still applies is drawn up to the head.
 */
export function fundingSeries(updates: readonly FundingHistoryEntry[], period: bigint, now?: bigint): FundingSeries {
  const rows = [...updates];
  const last = rows.at(-1);
  if (last && now !== undefined && now > last.timestamp) rows.push({ ...last, timestamp: now });
  const series = (value: (u: FundingHistoryEntry) => bigint, sign = 1) =>
    strictlyIncreasing(
      rows.map((u) => ({ time: Number(u.timestamp), value: sign * premiumPerHour(value(u), period) })),
    );
  return {
    rate: series((u) => u.charged),
    kicker: series((u) => u.kicker),
    capHigh: series((u) => u.capEffective),
    capLow: series((u) => u.capEffective, -1),
  };
}
