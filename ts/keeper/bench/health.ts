// `npm run bench:health`: how fast the keeper evaluates its book with the portfolio requirement (SPEC-19 §3), on
// synthetic books (syntheticBook.ts: hedged and naked books, healthy, liquidatable and within a few wei of the
// boundary) of 1, 2, 4 and 8 markets per account, against an 8-market grid. Per row: the float prefilter alone, the
// exact bigint path alone (localHealth on every account), and the keeper's evaluation (Book.evaluate: the prefilter,
// then the exact path for every account it cannot clear as healthy), with the share of accounts that reached the
// exact path. Single thread, medians of a few passes after a warm-up. Targets (issue 19): ≥ 100,000 accounts/s at 2
// markets and ≥ 30,000 at 8.
//   BENCH_ACCOUNTS=20000 npm run bench:health
import { performance } from "node:perf_hooks";
import type { Address } from "viem";
import { accountId } from "../book/accountId";
import { Book } from "../book/book";
import { localHealth } from "../book/localHealth";
import { accountFeatures, classify, prepareFloatMarkets } from "../book/prefilter";
import { syntheticBook, syntheticGrid, syntheticPricing } from "./syntheticBook";

const TARGETS: Record<number, number> = { 2: 100_000, 8: 30_000 };
const PASSES = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Accounts per second of `run` over `n` accounts: median of PASSES passes after a warm-up of at least 50,000. */
function rate(n: number, run: () => void): number {
  for (let i = 0; i < Math.max(2, Math.ceil(50_000 / n)); i++) run();
  const secs: number[] = [];
  for (let i = 0; i < PASSES; i++) {
    const t0 = performance.now();
    run();
    secs.push((performance.now() - t0) / 1000);
  }
  return n / median(secs);
}

type Row = { k: number; prefilter: number; exact: number; keeper: number; exactShare: number; liquidatable: number };

function benchRow(n: number, k: number): Row {
  const pricing = syntheticPricing();
  const engine = syntheticGrid();
  const accounts = syntheticBook(n, k, pricing, engine);
  const book = new Book({ index: 0, count: 1 });
  book.riskEngine = engine;
  for (const a of accounts) {
    const owner = `0x${(a.id + 1).toString(16).padStart(40, "0")}` as Address;
    book.touch(owner, 0n, 1n);
    book.apply(accountId(owner, 0n), a.account, a.positions);
  }
  const features = accounts.map((a) => accountFeatures(a.account, a.positions));
  const head = { number: 1n, timestamp: 0n };

  let sink = 0;
  const prefilter = rate(n, () => {
    const fm = prepareFloatMarkets(pricing, engine);
    for (const f of features) sink += classify(f, fm);
  });
  const exact = rate(n, () => {
    for (const a of accounts) if (localHealth(a.account, a.positions, pricing, engine).liquidatable) sink++;
  });
  let last = book.evaluate(pricing, head);
  const keeper = rate(n, () => {
    last = book.evaluate(pricing, head);
  });
  if (sink < 0) throw new Error("unreachable");
  return {
    k,
    prefilter,
    exact,
    keeper,
    exactShare: last.exact / last.evaluated,
    liquidatable: last.candidates.length / last.evaluated,
  };
}

function table(rows: readonly Row[]): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const header = [
    "markets/account",
    "prefilter accounts/s",
    "exact accounts/s",
    "keeper accounts/s (prefilter + exact)",
    "keeper / exact",
    "reached exact",
    "liquidatable",
    "target",
  ];
  const body = rows.map((r) => [
    String(r.k),
    n(r.prefilter),
    n(r.exact),
    n(r.keeper),
    `${(r.keeper / r.exact).toFixed(1)}x`,
    `${(100 * r.exactShare).toFixed(1)} %`,
    `${(100 * r.liquidatable).toFixed(1)} %`,
    TARGETS[r.k] === undefined ? "" : `≥ ${n(TARGETS[r.k] as number)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `| ${widths.map((w) => `${"-".repeat(w - 1)}:`).join(" | ")} |`, ...body.map(line)].join("\n");
}

function main(): void {
  const n = Number(process.env.BENCH_ACCOUNTS ?? 20_000);
  const rows: Row[] = [];
  for (const k of [1, 2, 4, 8]) {
    const row = benchRow(n, k);
    rows.push(row);
    process.stdout.write(
      `[bench:health] ${k} market(s)/account: ${Math.round(row.keeper).toLocaleString("en-US")} accounts/s\n`,
    );
  }
  process.stdout.write(
    `\n${n.toLocaleString("en-US")} accounts per book, ${syntheticGrid().scenarios.length}-row grid, single thread\n\n`,
  );
  process.stdout.write(`${table(rows)}\n\n`);
  const misses = rows.filter((r) => TARGETS[r.k] !== undefined && r.keeper < (TARGETS[r.k] as number));
  const verdict = misses.length === 0 ? "PASS" : "FAIL";
  const detail = Object.entries(TARGETS)
    .map(([k, t]) => {
      const r = rows.find((x) => x.k === Number(k));
      return `${k} markets ${Math.round(r?.keeper ?? 0).toLocaleString("en-US")} ≥ ${t.toLocaleString("en-US")}`;
    })
    .join(", ");
  process.stdout.write(`verdict: ${verdict} (keeper accounts/s: ${detail})\n`);
  if (verdict === "FAIL") process.exitCode = 1;
}

main();
