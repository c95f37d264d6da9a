// The main job's own risk report: before the crash, a short Monte-Carlo report on the book as it stands (fewer paths
// than the CLI's default, the same code and the options a posted tail-risk figure uses, so the steward posts it and
// `perp risk verify` reproduces it), written to .perp/risk/ for the web page; after the crash, where the realized loss
// sits in that distribution.
import path from "node:path";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { type RiskReport, stringifyReport } from "../risk/report";
import { type RiskReportRun, runRiskReport } from "../risk/runReport";
import { percentileOf } from "../risk/stats";
import type { PathOutcome } from "../risk/types";
import { POSTED_REPORT_OPTIONS, seedForBlockHash } from "../risk/verifyCanonical";
import type { Waterfall } from "./types";

/** Paths of npm start's report (the CLI default is 10,000). */
export const SCENARIO_REPORT_PATHS = 1_000;
const DAY = POSTED_REPORT_OPTIONS.horizonSeconds;

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

export type ScenarioRiskRun = { risk: ScenarioRisk; report: RiskReport; outcomes: PathOutcome[]; run: RiskReportRun };

/** The report a posted figure is made of (`perp risk verify` reruns exactly this): the book at `block`, the posted
 * options (24 h, 5-minute steps, every model, σ and ρ from the oracle's own history, falling back to each market's
 * reference where that history is too short or out of range) and the seed taken from the block's hash. */
export async function postedReport(
  clients: DevClients,
  deployment: Deployment,
  block: bigint,
  onStage?: (line: string) => void,
): Promise<RiskReportRun> {
  const { hash } = await clients.publicClient.getBlock({ blockNumber: block });
  return runRiskReport(clients.publicClient, deployment, {
    ...POSTED_REPORT_OPTIONS,
    block,
    paths: SCENARIO_REPORT_PATHS,
    seed: seedForBlockHash(hash).toString(),
    onStage,
  });
}

/** Runs the short report on the book at `block` and writes it to `outDir`/report.json. */
export async function scenarioRiskReport(
  clients: DevClients,
  deployment: Deployment,
  block: bigint,
  outDir: string,
  progress: (line: string) => void,
): Promise<ScenarioRiskRun> {
  const run = await postedReport(clients, deployment, block, (line) =>
    progress(`[risk] ${line.replace(/^\[\w+\] /, "")}`),
  );
  const { writeRiskFiles } = await import("../risk/writeReport");
  const files = await writeRiskFiles(run.report, outDir);
  const t = run.report.tranches;
  return {
    report: run.report,
    outcomes: run.outcomes,
    run,
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
