// `npm run bench:risk`: how fast `perp risk report` runs its paths. A real deployment's markets, oracle breaker and
// risk engine (anvil from node_modules, deployed with the default config, read at its head), a synthetic book of N
// accounts (syntheticBook.ts), σ 80 % / 60 %, ρ 0.8, the three models, 24 h in 5-minute steps. Target (issue 20):
// 10,000 paths × 1,000 accounts in ≤ 60 s on this 2-core machine with workers. Prints paths/s, account-steps/s, a
// scaling table (paths × accounts, and 1 worker against 2) and a verdict. Throughput, not a timed test: run it on a
// quiet machine, and read the ratios within one run.
//   BENCH_PATHS=10000 BENCH_ACCOUNTS=1000 npm run bench:risk
import { parseDeploymentConfig } from "../../deploy/config";
import { deployProtocol } from "../../deploy/deployProtocol";
import { startAnvil } from "../../devnet/anvil";
import { createDevClients } from "../../devnet/clients";
import { table } from "../../display/table";
import { readRiskBook } from "../book";
import { DEFAULT_JUMP_PARAMS, pathInputsSchema } from "../paths";
import type { PathInputs, RiskBook } from "../types";
import { defaultWorkers, runPaths } from "../workers/pool";
import { syntheticBook } from "./syntheticBook";

const TARGET_SECONDS = 60;
const PATHS = Number(process.env.BENCH_PATHS ?? 10_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000);
const DAY = 86_400;
const STEP = 300;

function inputsFor(book: RiskBook): PathInputs {
  return pathInputsSchema.parse({
    markets: book.markets.map((m) => ({
      symbol: m.symbol,
      index0: m.index,
      feedDecimals: m.feedDecimals,
      sigmaAnnual: m.symbol === "BTC" ? 0.6 : 0.8,
      jumpBeta: m.symbol === "BTC" ? 0.86 : 1.14,
    })),
    correlation: book.markets.map((_, i) => book.markets.map((__, j) => (i === j ? 1 : 0.8))),
    horizonSeconds: DAY,
    stepSeconds: STEP,
    models: ["gbm", "jump", "replay"],
    seed: "bench",
    jump: DEFAULT_JUMP_PARAMS,
  });
}

type Run = { paths: number; accounts: number; workers: number; seconds: number; liquidated: number };

async function measure(base: RiskBook, paths: number, accounts: number, workers: number): Promise<Run> {
  const book = syntheticBook(base, accounts);
  const started = performance.now();
  const out = await runPaths({ book, inputs: inputsFor(book), paths, workers });
  const seconds = (performance.now() - started) / 1000;
  const liquidated = out.reduce((n, o) => n + o.accountsLiquidated, 0) / paths;
  return { paths, accounts, workers, seconds, liquidated };
}

const rowOf = (r: Run) => [
  r.paths.toLocaleString("en-US"),
  r.accounts.toLocaleString("en-US"),
  String(r.workers),
  r.seconds.toFixed(1),
  Math.round(r.paths / r.seconds).toLocaleString("en-US"),
  Math.round((r.paths * r.accounts * (DAY / STEP)) / r.seconds).toLocaleString("en-US"),
  r.liquidated.toFixed(1),
];

async function main() {
  const anvil = await startAnvil({});
  let base: RiskBook;
  try {
    const clients = createDevClients(anvil.rpcUrl);
    const deployment = await deployProtocol(clients, parseDeploymentConfig({}));
    base = await readRiskBook(clients.publicClient, deployment);
  } finally {
    await anvil.stop();
  }
  const workers = Math.min(2, defaultWorkers());
  process.stderr.write(`[bench] ${PATHS} paths × ${ACCOUNTS} accounts, ${workers} workers ...\n`);
  const main = await measure(base, PATHS, ACCOUNTS, workers);
  const scaling: Run[] = [];
  for (const [p, a, w] of [
    [PATHS / 10, ACCOUNTS / 10, workers],
    [PATHS / 10, ACCOUNTS, workers],
    [PATHS / 10, ACCOUNTS, 1],
    [PATHS, ACCOUNTS / 10, workers],
  ] as const) {
    process.stderr.write(`[bench] ${p} paths × ${a} accounts, ${w} worker(s) ...\n`);
    scaling.push(await measure(base, p, a, w));
  }
  const header = ["paths", "accounts", "workers", "seconds", "paths/s", "account-steps/s", "liquidated/path"];
  console.log(table(header, [main, ...scaling].map(rowOf)));
  const one = scaling[2];
  const two = scaling[1];
  if (one && two) console.log(`  ${workers} workers against 1: ${(one.seconds / two.seconds).toFixed(2)}× faster`);
  const ok = main.seconds <= TARGET_SECONDS;
  console.log(
    `${ok ? "PASS" : "MISS"}: ${PATHS.toLocaleString("en-US")} paths × ${ACCOUNTS.toLocaleString("en-US")} accounts in ${main.seconds.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s)`,
  );
  process.exitCode = ok ? 0 : 1;
}

await main();
