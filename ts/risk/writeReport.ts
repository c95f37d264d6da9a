// The report's files: report.json, and (plots.ts) report.html with the figures as SVG and PNG.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type RiskReport, stringifyReport } from "./report";

/** Writes the report into `dir` (created if missing); returns the paths written, report.json first. */
export async function writeRiskFiles(report: RiskReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, "report.json");
  await writeFile(json, stringifyReport(report));
  return [json];
}
