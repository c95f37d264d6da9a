// What the plots draw, taken from a report: each tranche's loss on every path (from the path table), its exceedance
// curve P(loss > x), the VaR/ES markers, and each market's worst move against the path's bad debt.
import { formatUsdc, wadToUsdc } from "./format";
import type { RiskReport, RiskReportTranche } from "./reportSchema";

export type TrancheName = "junior" | "senior";
export type Marker = { label: string; value: number };
export type ExceedancePoint = { loss: number; p: number };
export type MovePoint = { market: string; model: string; path: number; move: number; badDebt: number };

/** About the most points one market's scatter draws (each is ~300 bytes of SVG): beyond it, paths are thinned. */
export const MAX_POINTS_PER_MARKET = 800;

/** The cells of a path-table column, by name; throws when the report has no such column. */
export function column(report: RiskReport, name: string): (string | number | null)[] {
  const i = report.pathTable.columns.indexOf(name);
  if (i < 0) throw new Error(`report.json: the path table has no column "${name}"`);
  return report.pathTable.rows.map((r) => r[i] ?? null);
}

/** A tranche's loss on every path (WAD), in path-table order. */
export function trancheLossesWad(report: RiskReport, tranche: TrancheName): bigint[] {
  return column(report, tranche).map((c) => BigInt(c ?? 0));
}

/** VaR95, VaR99 and ES99 of a tranche (USDC), labelled with their values for the legend. */
export function trancheMarkers(t: RiskReportTranche): Marker[] {
  return [
    { label: `VaR95 ${formatUsdc(t.var95, 0)}`, value: wadToUsdc(t.var95) },
    { label: `VaR99 ${formatUsdc(t.var99, 0)}`, value: wadToUsdc(t.var99) },
    { label: `ES99 ${formatUsdc(t.es99, 0)}`, value: wadToUsdc(t.es99) },
  ];
}

/**
 * The exceedance curve P(loss > x) of `losses` (drawn as steps after each point): from x = 0 through every distinct
 * loss, the last point at the largest loss carrying the probability just before it (P(loss > max) = 0 has no place
 * on a log scale). Empty when no path lost anything.
 */
export function exceedancePoints(losses: readonly bigint[]): ExceedancePoint[] {
  const sorted = [...losses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  if (n === 0 || (sorted[n - 1] ?? 0n) === 0n) return [];
  const points: ExceedancePoint[] = [];
  let i = 0;
  let x = 0n;
  for (;;) {
    while (i < n && (sorted[i] ?? 0n) <= x) i++;
    if (i === n) break;
    points.push({ loss: wadToUsdc(x), p: (n - i) / n });
    x = sorted[i] ?? 0n;
  }
  points.push({ loss: wadToUsdc(x), p: points[points.length - 1]?.p ?? 0 });
  return points;
}

/**
 * Per market, paths' worst moves (percent) against their bad debt (USDC). Every path while a market has at most
 * MAX_POINTS_PER_MARKET; beyond, the tail (bad debt ≥ the report's VaR99 of bad debt, when positive) and every
 * `stride`-th other path, so a large report still draws the worst paths and the shape in an SVG of bounded size.
 */
export function movePoints(report: RiskReport): { points: MovePoint[]; stride: number } {
  const paths = column(report, "path");
  const models = column(report, "model");
  const badDebt = column(report, "badDebt").map((c) => BigInt(c ?? 0));
  const tailFrom = BigInt(report.badDebt.var99);
  const inTail = (d: bigint) => tailFrom > 0n && d >= tailFrom;
  const tail = badDebt.filter(inTail).length;
  const stride =
    badDebt.length <= MAX_POINTS_PER_MARKET
      ? 1
      : Math.ceil((badDebt.length - tail) / Math.max(1, MAX_POINTS_PER_MARKET - tail));
  const rows = badDebt.flatMap((d, r) => {
    if (inTail(d)) return [r];
    return r % stride === 0 ? [r] : [];
  });
  const points: MovePoint[] = [];
  for (const { symbol } of report.inputs.markets) {
    const moves = column(report, `worstMoveBps:${symbol}`);
    for (const r of rows) {
      points.push({
        market: symbol,
        model: String(models[r]),
        path: Number(paths[r]),
        move: Number(moves[r]) / 100,
        badDebt: wadToUsdc(badDebt[r] ?? 0n),
      });
    }
  }
  return { points, stride };
}
