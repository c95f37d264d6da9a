// The keeper benchmark's README table, generated from bench/keeper.json: `npm run bench:keeper` rewrites it in
// README.md and ts/keeper/README.md after each run; `npm run bench:keeper:table` does only that (no benchmark).
// Each README holds the table between the markers below.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";

export const TABLE_BEGIN = "<!-- keeper-bench:begin (generated from bench/keeper.json by ts/keeper/bench/table.ts) -->";
export const TABLE_END = "<!-- keeper-bench:end -->";
export const README_FILES = ["README.md", "ts/keeper/README.md"];

export const benchEntrySchema = z.object({
  n: z.number().int().positive(),
  evalPerSecond: z.number(),
  naiveEvalPerSecond: z.number(),
  rpcRequestsPerBlock: z.number(),
  liquidations: z.number(),
  liquidationGas: z.number(),
  blockGasLimit: z.number().positive(),
  blocksToFirstLiquidation: z.number(),
  blocksToLastLiquidation: z.number(),
  secondsToLastLiquidation: z.number(),
});
export type BenchEntry = z.infer<typeof benchEntrySchema>;

/** ⌈total liquidation gas / block gas limit⌉ + 1: the issue's bound on blocks from the shock to the last one. */
export function allowedBlocks(e: BenchEntry): number {
  return Math.ceil(e.liquidationGas / e.blockGasLimit) + 1;
}

const HEADER = [
  "N",
  "evaluated/s",
  "naive eth_call/s",
  "ratio",
  "RPC requests/block",
  "liquidation steps",
  "liquidation gas",
  "block gas limit",
  "blocks to first",
  "blocks to last (allowed)",
  "s to last",
];

/** The markdown table (columns padded and right-aligned, as biome/prettier format it). */
export function keeperBenchTable(entries: readonly BenchEntry[]): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const rows = [...entries]
    .sort((a, b) => a.n - b.n)
    .map((e) => [
      n(e.n),
      n(e.evalPerSecond),
      n(e.naiveEvalPerSecond),
      `${(e.evalPerSecond / e.naiveEvalPerSecond).toFixed(0)}x`,
      String(e.rpcRequestsPerBlock),
      n(e.liquidations),
      n(e.liquidationGas),
      n(e.blockGasLimit),
      String(e.blocksToFirstLiquidation),
      `${e.blocksToLastLiquidation} (${allowedBlocks(e)})`,
      e.secondsToLastLiquidation.toFixed(3),
    ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(" | ")} |`;
  const rule = `| ${widths.map((w) => `${"-".repeat(w - 1)}:`).join(" | ")} |`;
  return [line(HEADER), rule, ...rows.map(line)].join("\n");
}

/** Replaces the table between the markers in `file`; false when the file has no markers. */
export function writeTableInto(file: string, table: string): boolean {
  const text = readFileSync(file, "utf8");
  const begin = text.indexOf(TABLE_BEGIN);
  const end = text.indexOf(TABLE_END);
  if (begin < 0 || end < begin) return false;
  const next = `${text.slice(0, begin + TABLE_BEGIN.length)}\n\n${table}\n\n${text.slice(end)}`;
  if (next !== text) writeFileSync(file, next);
  return true;
}

export function readBenchFile(file = "bench/keeper.json"): BenchEntry[] {
  return z.array(benchEntrySchema).parse(JSON.parse(readFileSync(file, "utf8")));
}

/** Rewrites every README's table from bench/keeper.json; returns the files updated. */
export function updateReadmeTables(entries: readonly BenchEntry[] = readBenchFile()): string[] {
  const table = keeperBenchTable(entries);
  return README_FILES.filter((f) => writeTableInto(f, table));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = updateReadmeTables();
  process.stdout.write(`keeper table written into ${files.join(", ") || "(no README has the markers)"}\n`);
}
