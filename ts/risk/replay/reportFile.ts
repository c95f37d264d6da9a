// What a replay needs of report.json: the inputs that fix the paths, the book's chain, pool and block, and path K's
// row. Checked with zod (a clear message for a file of another schema or a truncated one), nothing else read.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Deployment } from "../../deploy/deployment";
import { PerpError } from "../../errors";
import { pathInputsSchema } from "../paths";
import { pathRow, REPORT_SCHEMA } from "../report";
import type { PathInputs } from "../types";
import type { ReportedPath } from "./compare";

const bigintString = z
  .string()
  .regex(/^\d+$/, "a decimal integer")
  .transform((s) => BigInt(s));

const reportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA, { error: `expected schema "${REPORT_SCHEMA}"` }),
  inputs: z.object({
    paths: z.number().int().positive(),
    horizonSeconds: z.number().int().positive(),
    stepSeconds: z.number().int().positive(),
    models: z.array(z.enum(["gbm", "jump", "replay"])),
    seed: z.string(),
    jump: z.object({ intensityPerYear: z.number(), meanLog: z.number(), stdLog: z.number() }),
    markets: z.array(
      z.object({ symbol: z.string(), index0: bigintString, sigmaAnnual: z.number(), jumpBeta: z.number() }),
    ),
    correlation: z.array(z.array(z.number())),
  }),
  book: z.object({ chainId: z.number().int(), block: bigintString, pool: z.string() }),
  pathTable: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) }),
});

/** report.json is missing, malformed, of another pool, or has no such path: bad input to the command. */
export class ReportFileError extends PerpError {
  override name = "ReportFileError";
}

export type ReplayReport = z.output<typeof reportSchema> & { file: string };

/** Reads and checks `DIR/report.json`. Throws ReportFileError naming the file and the first bad field. */
export async function readReplayReport(dir: string): Promise<ReplayReport> {
  const file = path.join(dir, "report.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportFileError(
      code === "ENOENT"
        ? `no report at ${file}: run \`perp risk report\` first, or pass --report DIR`
        : `cannot read ${file}: ${code}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ReportFileError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportFileError(`${file} is not a risk report: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return { ...parsed.data, file };
}

/**
 * The report's path inputs for `deployment`: its markets in id order must be the report's (same symbols), whose
 * feed decimals the deployment gives. Throws ReportFileError when the report belongs to another pool or chain.
 */
export function replayInputs(report: ReplayReport, deployment: Deployment): PathInputs {
  if (
    report.book.chainId !== deployment.chainId ||
    report.book.pool.toLowerCase() !== deployment.contracts.pool.toLowerCase()
  ) {
    throw new ReportFileError(
      `${report.file} is a report of pool ${report.book.pool} on chain ${report.book.chainId}, not of this deployment's pool ${deployment.contracts.pool} on chain ${deployment.chainId}`,
    );
  }
  const markets = [...deployment.markets].sort((a, b) => a.marketId - b.marketId);
  const symbols = markets.map((m) => m.symbol);
  const reported = report.inputs.markets.map((m) => m.symbol);
  if (symbols.join(",") !== reported.join(",")) {
    throw new ReportFileError(
      `${report.file} has markets ${reported.join(", ")}; the deployment has ${symbols.join(", ")}`,
    );
  }
  const inputs = pathInputsSchema.safeParse({
    markets: report.inputs.markets.map((m, i) => ({
      symbol: m.symbol,
      index0: m.index0,
      feedDecimals: markets[i]?.feedDecimals,
      sigmaAnnual: m.sigmaAnnual,
      jumpBeta: m.jumpBeta,
    })),
    correlation: report.inputs.correlation,
    horizonSeconds: report.inputs.horizonSeconds,
    stepSeconds: report.inputs.stepSeconds,
    models: report.inputs.models,
    seed: report.inputs.seed,
    jump: report.inputs.jump,
  });
  if (!inputs.success) {
    const issue = inputs.error.issues[0];
    throw new ReportFileError(
      `${report.file}: its inputs do not fix paths: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return inputs.data;
}

/** Path k's row as the report holds it; throws ReportFileError when the report has no such path. */
export function reportedPath(report: ReplayReport, k: number): ReportedPath {
  const row = pathRow(report, k);
  if (!row) throw new ReportFileError(`${report.file} has no path ${k} (paths 0..${report.inputs.paths - 1})`);
  return row;
}
