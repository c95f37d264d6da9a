// The main job's own risk report: before the crash, a short Monte-Carlo report on the book as it stands (fewer paths
// than the CLI's default, the same code), written to .perp/risk/ for the web page; after the crash, where the
// realized loss sits in that distribution.
import path from "node:path";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { type RiskReport, stringifyReport } from "../risk/report";
import { runRiskReport } from "../risk/runReport";
import { percentileOf } from "../risk/stats";
import type { PathOutcome } from "../risk/types";
import type { Waterfall } from "./types";

/** Paths of npm start's report (the CLI default is 10,000). */
export const SCENARIO_REPORT_PATHS = 1_000;
export const SCENARIO_REPORT_SEED = "npm-start";
const DAY = 86_400;
const STEP = 300;

export type ScenarioRisk = {
  block: bigint;
  paths: number;
  horizonSeconds: number;
  elapsedMs: number;
  juniorPLoss: number;
  juniorVar99: bigint;
  juniorEs99: bigint;
  seniorPLoss: number;
  seniorEs99: bigint;
  badDebtPPositive: number;
  badDebtEs99: bigint;
  /** Share of the report's paths whose bad debt (junior loss) is at most the crash's: filled in after it. */
  realizedPercentile?: number;
  juniorPercentile?: number;
  file: string;
};

export type ScenarioRiskRun = { risk: ScenarioRisk; report: RiskReport; outcomes: PathOutcome[] };

/** Runs the short report on the book at `block` and writes it to `outDir`/report.json. */
export async function scenarioRiskReport(
  clients: DevClients,
  deployment: Deployment,
  block: bigint,
  outDir: string,
  progress: (line: string) => void,
): Promise<ScenarioRiskRun> {
  const run = await runRiskReport(clients.publicClient, deployment, {
    block,
    paths: SCENARIO_REPORT_PATHS,
    horizonSeconds: DAY,
    stepSeconds: STEP,
    models: ["gbm", "jump", "replay"],
    seed: SCENARIO_REPORT_SEED,
    onStage: (line) => progress(`[risk] ${line.replace(/^\[\w+\] /, "")}`),
  });
  const { writeRiskFiles } = await import("../risk/writeReport");
  const files = await writeRiskFiles(run.report, outDir);
  const t = run.report.tranches;
  return {
    report: run.report,
    outcomes: run.outcomes,
    risk: {
      block,
      paths: SCENARIO_REPORT_PATHS,
      horizonSeconds: DAY,
      elapsedMs: run.elapsedMs,
      juniorPLoss: t.junior.pLoss,
      juniorVar99: t.junior.var99,
      juniorEs99: t.junior.es99,
      seniorPLoss: t.senior.pLoss,
      seniorEs99: t.senior.es99,
      badDebtPPositive: run.report.badDebt.pPositive,
      badDebtEs99: run.report.badDebt.es99,
      file: path.relative(process.cwd(), files[0] ?? outDir),
    },
  };
}

/** Where the crash's realized waterfall sits among the report's paths; the report on disk gains `realized`. */
export async function placeRealized(run: ScenarioRiskRun, realized: Waterfall, outDir: string): Promise<ScenarioRisk> {
  const realizedPercentile = percentileOf(
    run.outcomes.map((o) => o.badDebt),
    realized.badDebt,
  );
  const juniorPercentile = percentileOf(
    run.outcomes.map((o) => o.junior),
    realized.junior,
  );
  const report: RiskReport = { ...run.report, realized: { ...realized, percentile: realizedPercentile } };
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path.join(outDir, "report.json"), stringifyReport(report));
  return { ...run.risk, realizedPercentile, juniorPercentile };
}
