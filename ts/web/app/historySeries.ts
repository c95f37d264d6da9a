// The SDK's tranche history (bigints) as chart series (numbers): the only place the Earn charts leave exact integers,
// and only for drawing. Times are block timestamps in seconds, strictly increasing as the chart library requires
// (two samples in one second keep the later one).
import { formatUnits } from "viem";
import type {
  GetTrancheHistoryReturnType,
  TrancheHistoryPoint,
  TranchePremiumEvent,
} from "../../tranches/actions/getTrancheHistory";

export type ChartPoint = { time: number; value: number };
export type ChartMarker = { time: number; text: string; kind: TranchePremiumEvent["kind"] };
export type SideSeries = { price: ChartPoint[]; apr: ChartPoint[]; markers: ChartMarker[] };

/** Keeps the last point of each second, in time order. */
export function strictlyIncreasing(points: ChartPoint[]): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of points) {
    if (out.length > 0 && (out[out.length - 1] as ChartPoint).time >= p.time) out.pop();
    out.push(p);
  }
  return out;
}

/** A premium event placed on the first sample at or after it (the chart puts markers on its data's times). */
function snap(points: readonly TrancheHistoryPoint[], at: bigint): number | null {
  const p = points.find((x) => x.timestamp >= at) ?? null;
  return p === null ? null : Number(p.timestamp);
}

/**
 * One tranche's series: share price in asset units per whole share, trailing APR in percent (points without a rate
 * are left out), and a marker per premium payment with its amount.
 */
export function sideSeries(
  history: GetTrancheHistoryReturnType,
  side: "junior" | "senior",
  assetDecimals: number,
): SideSeries {
  const { points, premiums } = history[side];
  const price = strictlyIncreasing(
    points.map((p) => ({ time: Number(p.timestamp), value: Number(formatUnits(p.sharePrice, assetDecimals)) })),
  );
  const apr = strictlyIncreasing(
    points.flatMap((p) =>
      p.apr === null ? [] : [{ time: Number(p.timestamp), value: Number(formatUnits(p.apr, 16)) }],
    ),
  );
  const markers: ChartMarker[] = [];
  for (const e of premiums) {
    const time = snap(points, e.timestamp);
    if (time === null) continue;
    const amount = Number(formatUnits(e.assets, assetDecimals)).toLocaleString("en-US", { maximumFractionDigits: 0 });
    markers.push({ time, text: e.kind === "boost" ? `boost +${amount}` : `+${amount}`, kind: e.kind });
  }
  return { price, apr, markers };
}
