// The replay beside the report: path K's row of report.json against what the chain realized, field by field, to
// the wei, with one verdict line.
import { formatWad } from "../../display/amounts";
import { table } from "../../display/table";
import type { ReplayOutcome } from "./outcome";

/** Path K's numbers as report.json's path table holds them (`pathRow` in ts/risk/report.ts). */
export type ReportedPath = {
  path: number;
  badDebt: bigint;
  junior: bigint;
  senior: bigint;
  socialized: bigint;
  liquidationVolume: bigint;
  accountsLiquidated: number;
};

export type FieldComparison = {
  field: "badDebt" | "junior" | "senior" | "socialized" | "liquidationVolume" | "accountsLiquidated";
  /** WAD amounts print with all 18 decimals; counts as integers. */
  unit: "wad" | "count";
  report: bigint;
  replay: bigint;
  /** replay − report. */
  difference: bigint;
};

export type Comparison = { path: number; fields: FieldComparison[]; matches: boolean };

const WAD_FIELDS = ["badDebt", "junior", "senior", "socialized", "liquidationVolume"] as const;

/**
 * Compares every field the report's path table and the replay share.
 * @example
 * const c = compareOutcome(pathRow(report, 17), await replayPath({ ... }));
 * c.matches // true when every field agrees to the wei
 */
export function compareOutcome(report: ReportedPath, replay: ReplayOutcome): Comparison {
  const fields: FieldComparison[] = WAD_FIELDS.map((field) => ({
    field,
    unit: "wad",
    report: report[field],
    replay: replay[field],
    difference: replay[field] - report[field],
  }));
  const accounts = { report: BigInt(report.accountsLiquidated), replay: BigInt(replay.accountsLiquidated) };
  fields.push({
    field: "accountsLiquidated",
    unit: "count",
    ...accounts,
    difference: accounts.replay - accounts.report,
  });
  return { path: report.path, fields, matches: fields.every((f) => f.difference === 0n) };
}

const LABELS: Record<FieldComparison["field"], string> = {
  badDebt: "bad debt",
  junior: "junior paid",
  senior: "senior paid",
  socialized: "socialized",
  liquidationVolume: "liquidation volume",
  accountsLiquidated: "accounts liquidated",
};

function formatValue(unit: FieldComparison["unit"], v: bigint, signed = false): string {
  const text = unit === "wad" ? formatWad(v, 18) : v.toString();
  return signed && v > 0n ? `+${text}` : text;
}

/** The comparison table (report | replay | difference), the replay's own figures, and the verdict line. */
export function formatComparison(c: Comparison, replay: ReplayOutcome): string[] {
  const rows = c.fields.map((f) => [
    LABELS[f.field],
    formatValue(f.unit, f.report),
    formatValue(f.unit, f.replay),
    f.difference === 0n ? "0" : formatValue(f.unit, f.difference, true),
  ]);
  const differing = c.fields.filter((f) => f.difference !== 0n);
  return [
    `Path ${c.path}: the report beside its replay on a fork (blocks ${replay.fromBlock}-${replay.toBlock}, ${replay.blocksMined} mined, ${replay.keeperTransactions} keeper transactions)`,
    table(["", "report", "replay", "difference"], rows),
    `  liquidation calls ${replay.liquidationCalls}, first bad debt at step ${replay.firstBadDebtStep || "(none)"} (replay only: the path table does not hold them)`,
    c.matches
      ? `Verdict: MATCH: the replay realized the report's numbers for path ${c.path} to the wei (${c.fields.length} of ${c.fields.length} fields).`
      : `Verdict: DIFFERS: ${differing.length} of ${c.fields.length} fields disagree for path ${c.path}: ${differing.map((f) => LABELS[f.field]).join(", ")}.`,
  ];
}
