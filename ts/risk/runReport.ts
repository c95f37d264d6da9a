// `perp risk report` as a library call: the book at block B, σ and correlation from the oracle's history (or
// flags), the paths over worker threads, the figures. The CLI, `npm start` and the bench all come through here.
import type { Chain, PublicClient, Transport } from "viem";
import type { Deployment } from "../deploy/deployment";
import { PerpError } from "../errors";
import { readRiskBook } from "./book";
import { DEFAULT_CORRELATION, DEFAULT_JUMP_PARAMS, DEFAULT_SIGMA_ANNUAL, pathInputsSchema } from "./paths";
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
  /** Where σ and ρ come from before overrides: the oracle's history (default), or each market's reference
   * volatility (`volReferenceBps`, the one its initial margin scales from) with ρ = DEFAULT_CORRELATION. */
  calibration?: "oracle" | "reference" | undefined;
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
  const estimated =
    o.calibration === "reference" ? referenceParams(book) : await estimateMarketParams(client, deployment, book.block);
  const sane = withinRange(estimated, book);
  const params = o.overrides ? applyOverrides(sane, o.overrides) : sane;
  const sigmas = params.markets.map((m) => m.sigmaAnnual);
  const median = [...sigmas].sort((a, b) => a - b)[Math.floor((sigmas.length - 1) / 2)] ?? 1;
  const parsed = pathInputsSchema.safeParse({
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
  if (!parsed.success) {
    throw new PerpError("the report's inputs are not valid", {
      details: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    });
  }
  const inputs = parsed.data;
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

/** Each market's reference volatility and the default correlation, in the shape the calibration returns. */
function referenceParams(book: RiskBook) {
  return {
    markets: book.markets.map((m) => ({
      symbol: m.symbol,
      sigmaAnnual: Number(m.config.volReferenceBps) / 10_000 || DEFAULT_SIGMA_ANNUAL,
      source: `reference (volReferenceBps ${m.config.volReferenceBps})`,
    })),
    correlation: book.markets.map((_, i) => book.markets.map((__, j) => (i === j ? 1 : DEFAULT_CORRELATION))),
    correlationSource: `reference ρ ${DEFAULT_CORRELATION}`,
  };
}

/** Most σ the paths take (the schema's bound): an estimate beyond it (a devnet whose clock runs in jumps) falls back to
 * the market's reference volatility, and says so. */
const MAX_SIGMA = 20;

function withinRange<P extends Awaited<ReturnType<typeof estimateMarketParams>> | ReturnType<typeof referenceParams>>(
  params: P,
  book: RiskBook,
): P {
  const reference = referenceParams(book);
  return {
    ...params,
    markets: params.markets.map((m, i) =>
      Number.isFinite(m.sigmaAnnual) && m.sigmaAnnual > 0 && m.sigmaAnnual <= MAX_SIGMA
        ? m
        : {
            ...m,
            sigmaAnnual: reference.markets[i]?.sigmaAnnual ?? DEFAULT_SIGMA_ANNUAL,
            source: `${reference.markets[i]?.source} (the oracle's estimate, ${(m.sigmaAnnual * 100).toFixed(0)} %, is out of range)`,
          },
    ),
  };
}
