// report.json (SPEC-20): the inputs that fix the paths, the book's block, the code, and the figures per tranche.
// Written with a fixed key order, bigints as decimal strings and probabilities to 6 decimals, so the same block,
// seed, paths and code give the same bytes.
import { execFileSync } from "node:child_process";
import { lossFigures, probability, spread } from "./stats";
import type { ModelName, PathInputs, PathOutcome, RiskBook } from "./types";

export const REPORT_SCHEMA = "tranche-perp/risk-report@1";
const TOKEN_TO_WAD = 10n ** 12n;
const WORST_PATHS = 10;

/** The code that produced a report: the git commit, and whether the tree had changes. */
export type CodeVersion = { commit: string; dirty: boolean };

export function codeVersion(cwd = process.cwd()): CodeVersion {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, encoding: "utf8" });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

/** Per market, where its σ came from ("oracle: 412 returns", "default (...)", "flag"). */
export type ReportInputs = PathInputs & { paths: number; sources: string[] };

/** What npm start adds: its crash's realized waterfall and where the bad debt sits in the report's distribution. */
export type RealizedLoss = { badDebt: bigint; junior: bigint; senior: bigint; socialized: bigint; percentile: number };

export function buildReport(inputs: ReportInputs, book: RiskBook, outcomes: readonly PathOutcome[], code: CodeVersion) {
  const juniorCapital = book.capacity.juniorTokens * TOKEN_TO_WAD;
  const seniorCapital = book.capacity.seniorTokens * TOKEN_TO_WAD;
  const col = (f: (o: PathOutcome) => bigint) => outcomes.map(f);
  const badDebt = col((o) => o.badDebt);
  const bad = lossFigures(badDebt, 0n);
  const accounts = spread(col((o) => BigInt(o.accountsLiquidated)));
  const models = [...new Set(inputs.models)];
  const worst = [...outcomes]
    .sort((a, b) =>
      a.badDebt !== b.badDebt
        ? a.badDebt > b.badDebt
          ? -1
          : 1
        : a.liquidationVolume !== b.liquidationVolume
          ? a.liquidationVolume > b.liquidationVolume
            ? -1
            : 1
          : a.path - b.path,
    )
    .slice(0, WORST_PATHS);
  const symbols = inputs.markets.map((m) => m.symbol);
  return {
    schema: REPORT_SCHEMA,
    inputs: {
      paths: inputs.paths,
      horizonSeconds: inputs.horizonSeconds,
      stepSeconds: inputs.stepSeconds,
      models: inputs.models,
      seed: inputs.seed,
      jump: inputs.jump,
      markets: inputs.markets.map((m, i) => ({
        symbol: m.symbol,
        index0: m.index0,
        sigmaAnnual: m.sigmaAnnual,
        jumpBeta: m.jumpBeta,
        source: inputs.sources[i] ?? "flag",
      })),
      correlation: inputs.correlation,
    },
    book: {
      chainId: book.chainId,
      block: book.block,
      timestamp: book.timestamp,
      pool: book.pool,
      accounts: book.accounts.length,
      juniorCapital,
      seniorCapital,
    },
    code,
    tranches: {
      junior: lossFigures(
        col((o) => o.junior),
        juniorCapital,
      ),
      senior: lossFigures(
        col((o) => o.senior),
        seniorCapital,
      ),
      socialized: lossFigures(
        col((o) => o.socialized),
        0n,
      ),
    },
    badDebt: {
      pPositive: bad.pLoss,
      mean: bad.meanLoss,
      var95: bad.var95,
      var99: bad.var99,
      es99: bad.es99,
      max: spread(badDebt).max,
    },
    liquidationVolume: spread(col((o) => o.liquidationVolume)),
    accountsLiquidated: { mean: accounts.mean, p99: accounts.p99, max: accounts.max },
    byModel: Object.fromEntries(
      models.map((model: ModelName) => {
        const of = outcomes.filter((o) => o.model === model);
        return [
          model,
          {
            paths: of.length,
            pBadDebt: probability(of.filter((o) => o.badDebt > 0n).length, of.length),
            pJuniorLoss: probability(of.filter((o) => o.junior > 0n).length, of.length),
            pSeniorLoss: probability(of.filter((o) => o.senior > 0n).length, of.length),
            es99BadDebt:
              of.length > 0
                ? lossFigures(
                    of.map((o) => o.badDebt),
                    0n,
                  ).es99
                : 0n,
          },
        ];
      }),
    ),
    worstPaths: worst.map((o) => ({
      path: o.path,
      model: o.model,
      scenario: o.scenario,
      badDebt: o.badDebt,
      junior: o.junior,
      senior: o.senior,
      socialized: o.socialized,
      endMoveBps: o.endMoveBps,
      worstMoveBps: o.worstMoveBps,
    })),
    pathTable: {
      columns: pathTableColumns(symbols),
      rows: outcomes.map((o) => [
        o.path,
        o.model,
        o.scenario,
        o.badDebt,
        o.junior,
        o.senior,
        o.socialized,
        o.liquidationVolume,
        o.accountsLiquidated,
        ...o.endMoveBps,
        ...o.worstMoveBps,
      ]),
    },
  };
}

/** The path table's columns: the money fields, then each market's end move and worst move (bps). */
export function pathTableColumns(symbols: readonly string[]): string[] {
  return [
    "path",
    "model",
    "scenario",
    "badDebt",
    "junior",
    "senior",
    "socialized",
    "liquidationVolume",
    "accountsLiquidated",
    ...symbols.map((s) => `endMoveBps:${s}`),
    ...symbols.map((s) => `worstMoveBps:${s}`),
  ];
}

export type RiskReport = ReturnType<typeof buildReport> & { realized?: RealizedLoss };

/** The report as JSON text: 2-space indented, one line per path row, bigints as strings; ends with a newline. */
export function stringifyReport(report: RiskReport): string {
  const plain = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  const { pathTable, ...head } = report;
  const body = JSON.parse(plain(head)) as Record<string, unknown>;
  const text = JSON.stringify(body, null, 2);
  const rows = pathTable.rows.map((r) => `      ${plain(r)}`).join(",\n");
  const table = `  "pathTable": {\n    "columns": ${plain(pathTable.columns)},\n    "rows": [\n${rows}\n    ]\n  }`;
  return `${text.slice(0, -2)},\n${table}\n}\n`;
}

/** The path table's row of path k as a PathOutcome's money fields (for `perp risk replay`). */
export function pathRow(report: { pathTable: { columns: string[]; rows: unknown[][] } }, k: number) {
  const row = report.pathTable.rows.find((r) => r[0] === k);
  if (!row) return undefined;
  const at = (name: string) => row[report.pathTable.columns.indexOf(name)];
  return {
    path: k,
    badDebt: BigInt(at("badDebt") as string),
    junior: BigInt(at("junior") as string),
    senior: BigInt(at("senior") as string),
    socialized: BigInt(at("socialized") as string),
    liquidationVolume: BigInt(at("liquidationVolume") as string),
    accountsLiquidated: Number(at("accountsLiquidated")),
  };
}
