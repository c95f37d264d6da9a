// The report's files: report.json, the figures as SVG and PNG (plots/), and report.html with them inline. The JSON
// is read back through the plots' schema before anything is drawn, so what is drawn is what the file says.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderReportFigures } from "./plots/figures";
import { renderReportHtml } from "./plots/html";
import { riskReportSchema } from "./plots/reportSchema";
import { type RiskReport, stringifyReport } from "./report";

/** Writes the report into `dir` (created if missing); returns the paths written, report.json first. */
export async function writeRiskFiles(report: RiskReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const text = stringifyReport(report);
  const json = path.join(dir, "report.json");
  await writeFile(json, text);
  const parsed = riskReportSchema.parse(JSON.parse(text));
  const figures = await renderReportFigures(parsed, dir);
  const html = path.join(dir, "report.html");
  await writeFile(html, renderReportHtml(parsed, figures));
  return [json, html, ...figures.flatMap((f) => [f.pngPath, f.svgPath])];
}
