// `perp risk report` as a library call: the book at block B, σ and correlation from the oracle's history (or
// flags), the paths over worker threads, the figures. The CLI, `npm start` and the bench all come through here.
import type { Chain, PublicClient, Transport } from "viem";
import type { Deployment } from "../deploy/deployment";
import { readRiskBook } from "./book";
import { DEFAULT_JUMP_PARAMS, pathInputsSchema } from "./paths";
import { estimateMarketParams } from "./paths/calibrate";
import { applyOverrides, type ParamOverrides } from "./paths/overrides";
import { buildReport, codeVersion, type RiskReport } from "./report";
import type { JumpParams, ModelName, PathOutcome, RiskBook } from "./types";
import { runPaths } from "./workers/pool";

export type RiskReportOptions = {
  /** The book's block (default the head). */
  block?: bigint | undefined;
  paths: number;
  horizonSeconds: number;
  stepSeconds: number;
  models: ModelName[];
  seed: string;
  jump?: JumpParams | undefined;
  overrides?: ParamOverrides | undefined;
  /** Worker threads (0: this thread); default the machine's parallelism. */
  workers?: number | undefined;
  onStage?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
};

export type RiskReportRun = {
  report: RiskReport;
  book: RiskBook;
  outcomes: PathOutcome[];
  /** Wall time of the paths alone (ms), and the account-steps they covered. */
  elapsedMs: number;
  accountSteps: number;
};

/**
 * Reads the book, calibrates, runs every path and builds the report.
 * @example
 * const { report } = await runRiskReport(client, deployment, { paths: 1000, horizonSeconds: 86_400,
 *   stepSeconds: 300, models: ["gbm", "jump", "replay"], seed: "1" });
 * report.tranches.junior.es99; // WAD
 */
export async function runRiskReport(
  client: PublicClient<Transport, Chain>,
  deployment: Deployment,
  o: RiskReportOptions,
): Promise<RiskReportRun> {
  const stage = o.onStage ?? (() => {});
  const book = await readRiskBook(client, deployment, o.block);
  stage(`[book] block ${book.block}: ${book.accounts.length} accounts, ${book.markets.length} markets`);
  const estimated = await estimateMarketParams(client, deployment, book.block);
  const params = o.overrides ? applyOverrides(estimated, o.overrides) : estimated;
  const sigmas = params.markets.map((m) => m.sigmaAnnual);
  const median = [...sigmas].sort((a, b) => a - b)[Math.floor((sigmas.length - 1) / 2)] ?? 1;
  const inputs = pathInputsSchema.parse({
    markets: book.markets.map((m, i) => ({
      symbol: m.symbol,
      index0: m.index,
      feedDecimals: m.feedDecimals,
      sigmaAnnual: sigmas[i],
      // A market's share of a common jump: its volatility against the markets' median.
      jumpBeta: Number(((sigmas[i] ?? median) / median).toFixed(6)),
    })),
    correlation: params.correlation.map((r) => [...r]),
    horizonSeconds: o.horizonSeconds,
    stepSeconds: o.stepSeconds,
    models: o.models,
    seed: o.seed,
    jump: o.jump ?? DEFAULT_JUMP_PARAMS,
  });
  stage(
    `[inputs] ${book.markets.map((m, i) => `${m.symbol} σ ${((sigmas[i] ?? 0) * 100).toFixed(1)} % (${params.markets[i]?.source})`).join(", ")}; ${params.correlationSource}`,
  );
  const started = performance.now();
  const outcomes = await runPaths({
    book,
    inputs,
    paths: o.paths,
    workers: o.workers,
    onProgress: (done) => o.onProgress?.(done, o.paths),
  });
  const elapsedMs = performance.now() - started;
  const steps = o.horizonSeconds / o.stepSeconds;
  const report = buildReport(
    { ...inputs, paths: o.paths, sources: params.markets.map((m) => m.source) },
    book,
    outcomes,
    codeVersion(),
  );
  return { report, book, outcomes, elapsedMs, accountSteps: o.paths * steps * book.accounts.length };
}
