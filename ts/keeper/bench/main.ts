// `npm run bench:keeper`: the keeper against books of N = 100 / 1,000 / 10,000 accounts on a local anvil.
// For each N: a fresh chain, the protocol deployed, N accounts with a spread of leverage (real transactions, batched
// per block), the keeper's backfill; then local evaluation speed, the same book scanned naively (one eth_call per
// account), RPC requests of a steady block; then an index shock on both markets and the keeper liquidating block by
// block (automine off: one anvil_mine per keeper tick, the block gas limit as on mainnet). Writes bench/keeper.json.
//   BENCH_NS=100,1000 npm run bench:keeper    (default 100,1000,10000)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { type Address, parseEventLogs, toHex } from "viem";
import { perpLensAbi, perpPoolAbi, settableFeedAbi, testUsdcAbi, trancheVaultAbi } from "../../abi/generated";
import { parseDeploymentConfig } from "../../deploy/config";
import type { Deployment } from "../../deploy/deployment";
import { deployProtocol } from "../../deploy/deployProtocol";
import { startAnvil } from "../../devnet/anvil";
import { createDevClients, type DevClients, devAccount } from "../../devnet/clients";
import { installMulticall3 } from "../chain/multicall3";
import { keeperConfigSchema } from "../config";
import { Keeper } from "../keeper";
import { createLogger } from "../logger";
import { buildBook } from "../testing/bookBuilder";
import { allowedBlocks, type BenchEntry, benchEntrySchema, keeperBenchTable, updateReadmeTables } from "./table";

const SHOCK_BPS = 1_200n; // -12 % on both markets
const OWNERS = 10;
const NAIVE_CONCURRENCY = 32;
const NAIVE_SAMPLE = 2_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function deploy(chain: DevClients): Promise<Deployment> {
  const d = await deployProtocol(chain, parseDeploymentConfig());
  const { usdc, junior, senior, pool } = d.contracts;
  for (const [w, vault, amount] of [
    [OWNERS + 1, junior, 2_000_000n * 10n ** 6n],
    [OWNERS + 2, senior, 6_000_000n * 10n ** 6n],
  ] as const) {
    const lp = chain.wallet(w);
    for (const call of [
      { address: usdc, abi: testUsdcAbi, functionName: "mint", args: [lp.account.address, amount] },
      { address: usdc, abi: testUsdcAbi, functionName: "approve", args: [vault, amount] },
      { address: vault, abi: trancheVaultAbi, functionName: "deposit", args: [amount, lp.account.address] },
    ] as const) {
      const hash = await lp.writeContract(call as never);
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
  }
  const hash = await chain.deployer.writeContract({
    address: pool,
    abi: perpPoolAbi,
    functionName: "syncBackstopCapital",
  });
  await chain.publicClient.waitForTransactionReceipt({ hash });
  await installMulticall3(chain.publicClient);
  return d;
}

async function benchOne(n: number): Promise<BenchEntry> {
  const anvil = await startAnvil({ accounts: OWNERS + 4 });
  try {
    const chain = createDevClients(anvil.rpcUrl, { accounts: OWNERS + 4 });
    const d = await deploy(chain);
    const t0 = performance.now();
    const markets = d.markets.map((m) => ({ marketId: BigInt(m.marketId), price: m.initialPrice }));
    const book = await buildBook({
      rpcUrl: anvil.rpcUrl,
      pool: d.contracts.pool,
      usdc: d.contracts.usdc,
      owners: Array.from({ length: OWNERS }, (_, i) => chain.wallet(i + 1).account.address),
      n,
      markets,
    });
    log(`[bench] N=${n}: book built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const keeperKey = devAccount(OWNERS + 3).getHdKey().privateKey as Uint8Array;
    const config = keeperConfigSchema.parse({
      deployment: "(bench)",
      rpcUrl: anvil.rpcUrl,
      privateKey: toHex(keeperKey),
      metricsPort: 0,
      logLevel: process.env.KEEPER_BENCH_LOG ?? "silent",
      confirmations: 1,
      staleHeadSeconds: 0,
      journalPath: `/tmp/keeper-bench-${process.pid}-${n}.json`,
      tasks: { funding: false, premium: false, repeg: false, inventory: false },
    });
    const keeper = new Keeper(config, { deployment: d, logger: createLogger({ level: config.logLevel }) });
    await keeper.init();
    const backfill = performance.now();
    await keeper.tick();
    log(`[bench] N=${n}: keeper backfill + first read ${((performance.now() - backfill) / 1000).toFixed(2)} s`);

    // Local evaluation of the whole book: a running keeper evaluates every block, so the code is warm; median of 15
    // after a warm-up of at least 20,000 account evaluations (a 100-account book takes ~1 ms, below timer noise).
    const head = keeper.lastHead;
    if (!head) throw new Error("no head");
    for (let i = 0; i < Math.ceil(20_000 / Math.max(1, keeper.book.size)); i++)
      keeper.book.evaluate(keeper.lastPricing, head);
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) samples.push(keeper.book.evaluate(keeper.lastPricing, head).seconds);
    const evalPerSecond = keeper.book.size / median(samples);

    // Naive: one lens.accountHealth eth_call per account (32 in flight), over up to NAIVE_SAMPLE accounts.
    const sample = book.slice(0, NAIVE_SAMPLE);
    const tn = performance.now();
    for (let i = 0; i < sample.length; i += NAIVE_CONCURRENCY) {
      await Promise.all(
        sample.slice(i, i + NAIVE_CONCURRENCY).map((a) =>
          chain.publicClient.readContract({
            address: d.contracts.lens,
            abi: perpLensAbi,
            functionName: "accountHealth",
            args: [a.owner, a.subId],
            blockNumber: head.number,
          }),
        ),
      );
    }
    const naiveEvalPerSecond = sample.length / ((performance.now() - tn) / 1000);

    // RPC requests of a steady block (nothing changed, nothing to do).
    await rpc(anvil.rpcUrl, "evm_setAutomine", [false]);
    await rpc(anvil.rpcUrl, "anvil_mine", ["0x1"]);
    const before = keeper.clients.stats.total;
    await keeper.tick();
    const rpcRequestsPerBlock = keeper.clients.stats.total - before;

    // The shock: every feed of both markets in one block.
    for (const m of d.markets) {
      for (const feed of m.feeds) {
        await chain.deployer.writeContract({
          address: feed,
          abi: settableFeedAbi,
          functionName: "setAnswer",
          args: [(m.initialPrice * (10_000n - SHOCK_BPS)) / 10_000n / 10n ** BigInt(18 - m.feedDecimals)],
          gas: 300_000n,
        });
      }
    }
    const latest = await chain.publicClient.getBlock({ blockTag: "latest" });
    await rpc(anvil.rpcUrl, "evm_setNextBlockTimestamp", [Number(latest.timestamp + 1n)]);
    await rpc(anvil.rpcUrl, "anvil_mine", ["0x1"]);
    const shockBlock = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const shockAt = performance.now();
    const gasLimit = (await chain.publicClient.getBlock({ blockNumber: shockBlock })).gasLimit;

    let liquidations = 0;
    let liquidationGas = 0n;
    let firstBlock: bigint | undefined;
    let lastBlock: bigint | undefined;
    let lastAt = shockAt;
    for (let round = 0; round < 200; round++) {
      const tt = performance.now();
      await keeper.tick();
      const tickSeconds = (performance.now() - tt) / 1000;
      const idle = keeper.lastReport?.confirmed === 0 && keeper.tx.pendingCount === 0;
      if (idle) break;
      await rpc(anvil.rpcUrl, "anvil_mine", ["0x1"]);
      const bn = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      const block = await chain.publicClient.getBlock({ blockNumber: bn, includeTransactions: true });
      let liquidatedHere = 0;
      let ours = 0;
      let limits = 0n;
      let reverted = 0;
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== keeper.signer?.toLowerCase()) continue;
        ours++;
        limits += tx.gas;
        const r = await chain.publicClient.getTransactionReceipt({ hash: tx.hash });
        if (r.status !== "success") reverted++;
        const events = parseEventLogs({ abi: perpPoolAbi, eventName: "Liquidated", logs: r.logs });
        if (events.length === 0) continue;
        liquidatedHere += events.length;
        if (process.env.BENCH_TRACE)
          log(
            `  trace +${bn - shockBlock}: ${events.map((e) => `${e.args.owner.slice(-4)}${toHex(e.args.subId, { size: 12 }).slice(-4)}`).join(" ")}`,
          );
        liquidationGas += r.gasUsed;
      }
      log(
        `[bench] N=${n}: block +${bn - shockBlock}: ${ours} txs (${reverted} reverted), gas used ${block.gasUsed.toLocaleString()} (limits ${limits.toLocaleString()}), ${liquidatedHere} liquidations, tick ${tickSeconds.toFixed(2)} s, pending ${keeper.tx.pendingCount}, hedges ${keeper.clients.stats.hedges}, retries ${keeper.clients.stats.retries}`,
      );
      if (liquidatedHere > 0) {
        liquidations += liquidatedHere;
        firstBlock ??= bn;
        lastBlock = bn;
        lastAt = performance.now();
      }
    }
    let still = 0;
    for (let i = 0; i < book.length; i += 250) {
      const part = book.slice(i, i + 250);
      const left = await chain.publicClient.readContract({
        address: d.contracts.lens,
        abi: perpLensAbi,
        functionName: "accountHealths",
        args: [part.map((a) => a.owner as Address), part.map((a) => a.subId)],
      });
      still += left.filter((h) => h.liquidatable).length;
    }
    if (still > 0) log(`[bench] N=${n}: WARNING ${still} accounts still liquidatable`);
    return {
      n,
      evalPerSecond: Math.round(evalPerSecond),
      naiveEvalPerSecond: Math.round(naiveEvalPerSecond),
      rpcRequestsPerBlock,
      liquidations,
      liquidationGas: Number(liquidationGas),
      blockGasLimit: Number(gasLimit),
      blocksToFirstLiquidation: firstBlock === undefined ? -1 : Number(firstBlock - shockBlock),
      blocksToLastLiquidation: lastBlock === undefined ? -1 : Number(lastBlock - shockBlock),
      secondsToLastLiquidation: Number(((lastAt - shockAt) / 1000).toFixed(3)),
    };
  } finally {
    await anvil.stop();
  }
}

function verdict(e: BenchEntry): string[] {
  const allowed = allowedBlocks(e);
  const lines = [
    `evaluated/s ${e.evalPerSecond.toLocaleString()} (target >= 100,000; ${e.n.toLocaleString()} in ${((e.n / e.evalPerSecond) * 1000).toFixed(1)} ms) ${e.evalPerSecond >= 100_000 ? "OK" : "MISS"}`,
    `vs naive ${e.naiveEvalPerSecond.toLocaleString()}/s: ${(e.evalPerSecond / e.naiveEvalPerSecond).toFixed(0)}x (target >= 10x) ${e.evalPerSecond >= 10 * e.naiveEvalPerSecond ? "OK" : "MISS"}`,
    `first liquidation ${e.blocksToFirstLiquidation} block(s) after the shock (target 1) ${e.blocksToFirstLiquidation === 1 ? "OK" : "MISS"}`,
    `last liquidation ${e.blocksToLastLiquidation} blocks after (target <= ceil(gas/limit)+1 = ${allowed}) ${e.blocksToLastLiquidation <= allowed ? "OK" : "MISS"}`,
  ];
  return lines;
}

async function main(): Promise<void> {
  const ns = (process.env.BENCH_NS ?? "100,1000,10000").split(",").map(Number);
  const entries: BenchEntry[] = [];
  for (const n of ns) {
    const e = await benchOne(n);
    entries.push(e);
    log(`[bench] N=${n}: ${JSON.stringify(e)}`);
    for (const line of verdict(e)) log(`        ${line}`);
  }
  mkdirSync("bench", { recursive: true });
  // A run over a subset of N (BENCH_NS) replaces those entries and keeps the others.
  let previous: BenchEntry[] = [];
  try {
    previous = benchEntrySchema.array().parse(JSON.parse(readFileSync("bench/keeper.json", "utf8")));
  } catch {
    previous = [];
  }
  const merged = [...previous.filter((p) => !entries.some((e) => e.n === p.n)), ...entries].sort((a, b) => a.n - b.n);
  writeFileSync("bench/keeper.json", `${JSON.stringify(merged, null, 2)}\n`);
  log(`\n${keeperBenchTable(entries)}\n`);
  log("wrote bench/keeper.json");
  const files = updateReadmeTables(merged);
  log(`keeper table rewritten in ${files.join(", ") || "(no README has the markers)"}`);
}

main().catch((err: unknown) => {
  const text = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bench:keeper failed: ${text.slice(0, 2_000)}\n`);
  process.exit(1);
});
