// The vega-lite specs of the report's figures: per tranche a loss histogram and an exceedance curve (VaR95, VaR99,
// ES99 as rules), and bad debt against each market's worst move. Data inline, so a spec alone renders.
import type { TopLevelSpec } from "vega-lite";
import type { ExceedancePoint, Marker, MovePoint, TrancheName } from "./data";
import { CONFIG, MARKER_COLORS, MODEL_COLORS, TRANCHE_COLOR } from "./theme";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const WIDTH = 560;
const HEIGHT = 260;
/** USDC ticks: "250", "12.5k", "1.2M" (SI prefixes from a thousand up, never "m" for milli). */
const USDC_AXIS = {
  labelExpr: "abs(datum.value) >= 1000 ? format(datum.value, '.3~s') : format(datum.value, ',.2~f')",
} as const;

const title = (t: TrancheName) => (t === "junior" ? "Junior" : "Senior");
const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

/** The VaR/ES rules over an x scale in USDC, coloured and named in a legend. */
function markerLayer(markers: Marker[]) {
  return {
    data: { values: markers },
    mark: { type: "rule", strokeWidth: 2, strokeDash: [6, 3] },
    encoding: {
      x: { field: "value", type: "quantitative" },
      color: {
        field: "label",
        type: "nominal",
        title: null,
        sort: markers.map((m) => m.label),
        scale: { domain: markers.map((m) => m.label), range: MARKER_COLORS },
        legend: { orient: "top", direction: "horizontal" },
      },
    },
  } as const;
}

/** A centered note where a figure has nothing to draw. */
function emptyLayer(text: string) {
  return {
    data: { values: [{ text }] },
    mark: { type: "text", fontSize: 14, color: "#4b5563" },
    encoding: { text: { field: "text" }, x: { value: WIDTH / 2 }, y: { value: HEIGHT / 2 } },
  } as const;
}

/** The histogram of a tranche's loss over the paths where it lost something (the others counted in the subtitle). */
export function lossHistogramSpec(
  tranche: TrancheName,
  losses: number[],
  totalPaths: number,
  markers: Marker[],
): TopLevelSpec {
  const name = title(tranche);
  const none = totalPaths - losses.length;
  const subtitle = `${plural(losses.length, "path")} of ${totalPaths.toLocaleString("en-US")} had a loss (drawn); ${plural(none, "path")} had none`;
  const layer =
    losses.length === 0
      ? [emptyLayer(`No path made ${tranche} lose anything`)]
      : [
          {
            data: { values: losses.map((loss) => ({ loss })) },
            mark: { type: "bar", color: TRANCHE_COLOR[tranche], binSpacing: 1 },
            encoding: {
              x: {
                field: "loss",
                type: "quantitative",
                bin: { maxbins: 30 },
                title: `${name} loss on a path (USDC)`,
                axis: USDC_AXIS,
              },
              y: {
                aggregate: "count",
                type: "quantitative",
                title: "Paths",
                axis: { tickMinStep: 1, format: "d" },
              },
            },
          },
          markerLayer(markers),
        ];
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    title: { text: `${name} tranche: loss per path`, subtitle },
    layer,
  } as TopLevelSpec;
}

/** P(loss > x) of a tranche on a log scale, steps after each distinct loss, with the VaR/ES rules. */
export function exceedanceSpec(
  tranche: TrancheName,
  points: ExceedancePoint[],
  totalPaths: number,
  markers: Marker[],
): TopLevelSpec {
  const name = title(tranche);
  const layer =
    points.length === 0
      ? [emptyLayer(`P(${tranche} loss > 0) = 0 over ${plural(totalPaths, "path")}`)]
      : [
          {
            data: { values: points },
            mark: { type: "line", interpolate: "step-after", color: TRANCHE_COLOR[tranche], strokeWidth: 2 },
            encoding: {
              x: { field: "loss", type: "quantitative", title: `${name} loss x (USDC)`, axis: USDC_AXIS },
              y: {
                field: "p",
                type: "quantitative",
                title: "P(loss > x)",
                scale: { type: "log" },
                axis: { format: ".2~%" },
              },
            },
          },
          markerLayer(markers),
        ];
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    title: {
      text: `${name} tranche: probability the loss exceeds x`,
      subtitle: `Over ${plural(totalPaths, "path")}; log scale (the smallest step is one path, ${(100 / totalPaths).toPrecision(2)} %)`,
    },
    layer,
  } as TopLevelSpec;
}

/** One panel per market: each path's worst move in that market against the path's bad debt, coloured by model. */
export function badDebtVsMoveSpec(
  points: MovePoint[],
  markets: string[],
  models: string[],
  stride: number,
): TopLevelSpec {
  const thinned = stride > 1 ? ` (one path in ${stride}, and every path at or beyond VaR99 of bad debt)` : "";
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: {
      text: "Bad debt against the move of each market",
      subtitle: `Each point is a path: its worst move in the market (percent) and the bad debt it left${thinned}`,
    },
    data: { values: points },
    facet: { field: "market", type: "nominal", title: null, sort: markets },
    columns: Math.min(4, Math.max(1, markets.length)),
    spec: {
      width: 220,
      height: 170,
      mark: { type: "point", filled: true, size: 22, opacity: 0.65 },
      encoding: {
        x: { field: "move", type: "quantitative", title: "Worst move (%)" },
        y: { field: "badDebt", type: "quantitative", title: "Bad debt (USDC)", axis: USDC_AXIS },
        color: {
          field: "model",
          type: "nominal",
          title: "Model",
          scale: { domain: models, range: MODEL_COLORS },
        },
      },
    },
    resolve: { scale: { x: "independent" } },
  } as TopLevelSpec;
}
