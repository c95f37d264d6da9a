// The work of `perp risk report` (loaded only when it runs): flags checked with zod, the report run with a
// progress bar on stderr, the files written, the summary (or --json: the figures without the path table).
import path from "node:path";
import { SingleBar } from "cli-progress";
import { z } from "zod";
import { MIN_STEP_SECONDS, parseDuration } from "../risk/paths";
import { runRiskReport } from "../risk/runReport";
import { reportLines } from "../risk/summary";
import type { ModelName } from "../risk/types";
import { writeRiskFiles } from "../risk/writeReport";
import type { RiskReportFlags } from "./commands/riskReport";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession } from "./session";

const flagsSchema = z.object({
  paths: z
    .string()
    .regex(/^\d+$/, "--paths: a whole number of paths")
    .transform(Number)
    .pipe(z.number().min(1, "--paths: at least 1").max(1_000_000, "--paths: at most 1,000,000")),
  horizon: z.string(),
  step: z.string(),
  models: z
    .string()
    .transform((s) => s.split(",").map((m) => m.trim()))
    .pipe(z.array(z.enum(["gbm", "jump", "replay"], { error: "--models: each of gbm, jump, replay" })).min(1)),
  seed: z.string().min(1, "--seed: must not be empty"),
  block: z.string().regex(/^\d+$/, "--block: a block number").transform(BigInt).optional(),
  calibration: z.enum(["oracle", "reference"], { error: "--calibration: oracle or reference" }).default("oracle"),
  workers: z
    .string()
    .regex(/^\d{1,3}$/, "--workers: a number of threads (0: none)")
    .transform(Number)
    .optional(),
});

export async function riskReportCommand(ctx: CommandContext, flags: RiskReportFlags) {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  const f = parsed.data;
  const horizonSeconds = durationFlag("--horizon", f.horizon);
  const stepSeconds = durationFlag("--step", f.step);
  if (stepSeconds < MIN_STEP_SECONDS) {
    throw new UsageError(
      `--step: at least ${MIN_STEP_SECONDS} s (the keeper's blocks follow each step), got ${f.step}`,
    );
  }
  if (horizonSeconds % stepSeconds !== 0) {
    throw new UsageError(`--horizon ${f.horizon} is not a whole number of --step ${f.step} steps`);
  }
  const s = await openSession(flags, ctx.env);
  const bar = progressBar(ctx);
  const run = await runRiskReport(s.publicClient, s.deployment, {
    block: f.block,
    paths: f.paths,
    horizonSeconds,
    stepSeconds,
    models: f.models as ModelName[],
    seed: f.seed,
    overrides: { vol: flags.vol, corr: flags.corr },
    workers: f.workers,
    calibration: f.calibration,
    onStage: (line) => ctx.io.progress(line),
    onProgress: bar.update,
  }).finally(bar.stop);
  const out = flags.out ?? ".perp/risk";
  const files = await writeRiskFiles(run.report, out);
  const { pathTable: _rows, ...figures } = run.report;
  answer(ctx.io, flags.json, { ...figures, files }, () => [
    ...reportLines(run.report, run),
    `  written to ${shown(path.dirname(files[0] ?? out))}: ${files.map((p) => path.basename(p)).join(", ")}`,
  ]);
}

function durationFlag(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

/** A path as people read it: relative to here when inside it, else absolute. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === "" ? "." : rel.startsWith("..") ? path.resolve(p) : rel;
}

/** Progress of the paths: a bar on a terminal (cli-progress), else a line every 10 % through the CLI's progress
 * output (a log or a test reads lines, not redraws). */
function progressBar(ctx: CommandContext): { update: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    let shown = -1;
    return {
      update: (done, total) => {
        const tenth = Math.floor((done * 10) / total);
        if (tenth === shown) return;
        shown = tenth;
        ctx.io.progress(
          `[paths] ${tenth * 10} % (${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")})`,
        );
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    format: "  paths [{bar}] {percentage}% {value}/{total} · {eta_formatted} left",
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
