// The report's figures, written into its out dir as SVG and PNG: per tranche the loss histogram and the exceedance
// curve, and bad debt against each market's move. Same report → same bytes.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { exceedancePoints, movePoints, type TrancheName, trancheLossesWad, trancheMarkers } from "./data";
import { FIGURE_CAPTIONS, FIGURE_NAMES, type FigureName } from "./figureNames";
import { wadToUsdc } from "./format";
import { specToSvg, svgToPng } from "./render";
import type { RiskReport } from "./reportSchema";
import { badDebtVsMoveSpec, exceedanceSpec, lossHistogramSpec } from "./specs";

export type ReportFigure = {
  name: FigureName;
  /** What the figure shows (FIGURE_CAPTIONS). */
  caption: string;
  spec: TopLevelSpec;
  svg: string;
  /** Where the files went (absolute or as `outDir` was given). */
  svgPath: string;
  pngPath: string;
};

/** Every figure's vega-lite spec, in FIGURE_NAMES order, with its caption. */
export function reportSpecs(report: RiskReport): { name: FigureName; caption: string; spec: TopLevelSpec }[] {
  const total = report.pathTable.rows.length;
  const tranche = (t: TrancheName) => {
    const wad = trancheLossesWad(report, t);
    const markers = trancheMarkers(report.tranches[t]);
    const losses = wad.filter((l) => l > 0n).map(wadToUsdc);
    return {
      histogram: lossHistogramSpec(t, losses, total, markers),
      exceedance: exceedanceSpec(t, exceedancePoints(wad), total, markers),
    };
  };
  const junior = tranche("junior");
  const senior = tranche("senior");
  const moves = movePoints(report);
  const markets = report.inputs.markets.map((m) => m.symbol);
  const specs: Record<FigureName, TopLevelSpec> = {
    "junior-loss": junior.histogram,
    "senior-loss": senior.histogram,
    "junior-exceedance": junior.exceedance,
    "senior-exceedance": senior.exceedance,
    "bad-debt-vs-move": badDebtVsMoveSpec(moves.points, markets, report.inputs.models, moves.stride),
  };
  return FIGURE_NAMES.map((name) => ({ name, caption: FIGURE_CAPTIONS[name], spec: specs[name] }));
}

/**
 * Renders every figure of `report` into `outDir` (created if missing) as `<name>.svg` and `<name>.png`.
 * @example
 * const figures = await renderReportFigures(report, ".perp/risk");
 * await writeFile(".perp/risk/report.html", renderReportHtml(report, figures));
 */
export async function renderReportFigures(report: RiskReport, outDir: string): Promise<ReportFigure[]> {
  await mkdir(outDir, { recursive: true });
  const figures: ReportFigure[] = [];
  for (const { name, caption, spec } of reportSpecs(report)) {
    const svg = await specToSvg(spec, name);
    const svgPath = join(outDir, `${name}.svg`);
    const pngPath = join(outDir, `${name}.png`);
    await writeFile(svgPath, svg);
    await writeFile(pngPath, svgToPng(svg));
    figures.push({ name, caption, spec, svg, svgPath, pngPath });
  }
  return figures;
}
