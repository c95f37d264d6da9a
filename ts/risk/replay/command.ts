// `perp risk replay --path K`: path K of the report in --report DIR regenerated from its inputs, replayed on a
// fork of the deployment's node at the report's block with the real keeper, and printed beside the report's
// numbers for that path. Exit code 1 when they differ.

import { UsageError } from "../../cli/errors";
import type { CommandContext } from "../../cli/io";
import { answer } from "../../cli/output";
import { openSession, type SessionFlags } from "../../cli/session";
import { formatWad } from "../../display/amounts";
import { pathPrices } from "../paths";
import { compareOutcome, formatComparison } from "./compare";
import { type ReplayProgress, replayPath } from "./driver";
import { ReportFileError, readReplayReport, replayInputs, reportedPath } from "./reportFile";

export type RiskReplayFlags = SessionFlags & { path?: string | undefined; report?: string | undefined };

/** Where `perp risk report` writes unless told otherwise. */
export const DEFAULT_REPORT_DIR = ".perp/risk";

export async function riskReplayCommand(ctx: CommandContext, flags: RiskReplayFlags): Promise<void> {
  if (flags.path === undefined || !/^\d{1,9}$/.test(flags.path)) {
    throw new UsageError("--path: expected a path number of the report (0, 1, 2, ...)");
  }
  const k = Number(flags.path);
  const session = await openSession(flags, ctx.env);
  const { deployment } = session;
  let replay: Awaited<ReturnType<typeof loadReplay>>;
  try {
    replay = await loadReplay(flags.report ?? DEFAULT_REPORT_DIR, deployment, k);
  } catch (err) {
    if (err instanceof ReportFileError) throw new UsageError(err.shortMessage);
    throw err;
  }
  const { report, inputs, reported } = replay;
  const prices = pathPrices(inputs, k);
  const steps = prices.answers.length / inputs.markets.length;
  ctx.io.progress(
    `[replay] path ${k} (${prices.model}${prices.scenario ? ` ${prices.scenario}` : ""}): ${steps} steps of ${inputs.stepSeconds} s on a fork of ${session.rpcUrl} at block ${report.book.block}`,
  );
  const every = Math.max(1, Math.ceil(steps / 10));
  const outcome = await replayPath({
    forkUrl: session.rpcUrl,
    blockNumber: report.book.block,
    deployment,
    prices,
    stepSeconds: inputs.stepSeconds,
    onProgress: (p: ReplayProgress) => {
      if (p.step % every === 0 || p.step === p.steps || p.keeperBlocks > 0) ctx.io.progress(progressLine(p));
    },
  });
  const comparison = compareOutcome(reported, outcome);
  answer(
    ctx.io,
    flags.json,
    { path: k, model: prices.model, scenario: prices.scenario, comparison, replay: outcome },
    () => formatComparison(comparison, outcome),
  );
  if (!comparison.matches) ctx.setExitCode(1);
}

async function loadReplay(dir: string, deployment: Parameters<typeof replayInputs>[1], k: number) {
  const report = await readReplayReport(dir);
  const inputs = replayInputs(report, deployment);
  const reported = reportedPath(report, k);
  return { report, inputs, reported };
}

function progressLine(p: ReplayProgress): string {
  const keeper = p.keeperBlocks > 0 ? `, keeper blocks ${p.keeperBlocks} (to ${p.lastBlock})` : "";
  return `[replay] step ${p.step}/${p.steps}: block ${p.block}${keeper}; so far ${p.accountsLiquidated} accounts liquidated, bad debt ${formatWad(p.badDebt)}`;
}
