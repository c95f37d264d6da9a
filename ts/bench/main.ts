// `npm run bench`: performance measured, not guessed. Everything runs against a local anvil from node_modules.
// This machine is noisy, so every timing is the median of several repeats and comparisons are ratios measured
// within this one run; gas numbers are exact (receipts), and are compared with the committed forge snapshots.
//
//   1. keeper health scan: one batched lens.accountHealths call vs one lens.accountHealth call per account
//   2. gas per operation on a live chain (receipts) vs snapshots/PoolGas.json (forge --isolate)
//   3. the SDK's exact quote mirror: quotes per second
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { type Address, maxUint256, parseUnits } from "viem";
import { perpLensAbi, perpPoolAbi, testUsdcAbi } from "../abi/generated";
import { parseDeploymentConfig } from "../deploy/config";
import { deployProtocol } from "../deploy/deployProtocol";
import { seedProtocol } from "../deploy/seedProtocol";
import { startAnvil } from "../devnet/anvil";
import { createDevClients, type DevWalletClient } from "../devnet/clients";
import { quoteTrade } from "../pool/quoteTrade";

const EXTRA_TRADERS = 40;
const REPEATS = 15;
const GAS = 2_000_000n;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function timeMedian(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const anvil = await startAnvil({ accounts: EXTRA_TRADERS + 12 });
  try {
    const clients = createDevClients(anvil.rpcUrl, { accounts: EXTRA_TRADERS + 12 });
    const { publicClient, testClient } = clients;
    const config = parseDeploymentConfig();
    const deployment = await deployProtocol(clients, config);
    const seeded = await seedProtocol({ ...clients, actors: clients.wallets.slice(1) }, deployment, config.seed);
    const { pool, lens, usdc } = deployment.contracts;
    log(`[bench] anvil ${anvil.rpcUrl}: protocol deployed and seeded`);

    // A crowd of traders, one small position each, so the scan has real accounts to value.
    const traders: Address[] = seeded.traders.map((t) => t.address);
    const crowd = clients.wallets.slice(12, 12 + EXTRA_TRADERS);
    const send = async (w: DevWalletClient, functionName: string, args: readonly unknown[], to: Address = pool) => {
      const abi = to === usdc ? testUsdcAbi : perpPoolAbi;
      const hash = await w.writeContract({ address: to, abi, functionName, args, gas: GAS } as never);
      return publicClient.waitForTransactionReceipt({ hash });
    };
    for (const [i, w] of crowd.entries()) {
      const me = w.account.address;
      await send(w, "mint", [me, parseUnits("10000", 6)], usdc);
      await send(w, "approve", [pool, maxUint256], usdc);
      await send(w, "depositMargin", [0n, parseUnits("10000", 6)]);
      const size = (i % 2 === 0 ? 1n : -1n) * parseUnits("0.5", 18);
      await send(w, "trade", [me, 0n, BigInt(i % 2), size, size > 0n ? maxUint256 : 0n, maxUint256]);
      traders.push(me);
    }
    log(`[bench] ${traders.length} trader accounts with open positions`);

    // 1. Health scan.
    const subIds = traders.map(() => 0n);
    const batched = await timeMedian(() =>
      publicClient.readContract({
        address: lens,
        abi: perpLensAbi,
        functionName: "accountHealths",
        args: [traders, subIds],
      }),
    );
    const oneByOne = await timeMedian(() =>
      Promise.all(
        traders.map((t) =>
          publicClient.readContract({ address: lens, abi: perpLensAbi, functionName: "accountHealth", args: [t, 0n] }),
        ),
      ),
    );
    const scanGas = await publicClient.estimateContractGas({
      address: lens,
      abi: perpLensAbi,
      functionName: "accountHealths",
      args: [traders, subIds],
    });
    log("\n1. keeper health scan (median of 15)");
    log(`   batched accountHealths(${traders.length}): ${batched.toFixed(1)} ms`);
    log(`   ${traders.length} x accountHealth in parallel: ${oneByOne.toFixed(1)} ms`);
    log(`   ratio one-by-one / batched: ${(oneByOne / batched).toFixed(1)}x`);
    log(`   eth_call gas per account in the batch: ${(scanGas / BigInt(traders.length)).toLocaleString()}`);

    // 2. Gas per operation from receipts, against the committed forge snapshots.
    const snapshot = JSON.parse(readFileSync("snapshots/PoolGas.json", "utf8")) as Record<string, string>;
    // A fresh account (as in the forge gas tests): first deposit, new position, increase, close.
    const w = clients.wallets[11];
    if (!w) throw new Error("no spare dev wallet");
    const me = w.account.address;
    await send(w, "mint", [me, parseUnits("100000", 6)], usdc);
    await send(w, "approve", [pool, maxUint256], usdc);
    const measured: [string, bigint][] = [];
    measured.push(["depositMargin", (await send(w, "depositMargin", [0n, parseUnits("100000", 6)])).gasUsed]);
    await testClient.increaseTime({ seconds: 1 });
    await testClient.mine({ blocks: 1 });
    const open = (size: bigint) => send(w, "trade", [me, 0n, 0n, size, maxUint256, maxUint256]);
    measured.push(["openPosition new (first in block)", (await open(parseUnits("10", 18))).gasUsed]);
    measured.push(["openPosition increase", (await open(parseUnits("5", 18))).gasUsed]);
    measured.push(["closePosition", (await send(w, "closePosition", [me, 0n, 0n, 0n, maxUint256])).gasUsed]);
    await testClient.increaseTime({ seconds: 600 });
    await testClient.mine({ blocks: 1 });
    measured.push(["updateFunding (first in block)", (await send(w, "updateFunding", [0n])).gasUsed]);
    log("\n2. gas per operation: live anvil receipt vs forge snapshot (both include the 21,000 base; anvil mines");
    log("   each transaction in its own block at the same timestamp, so later calls hit the oracle's block cache)");
    for (const [name, gas] of measured) {
      const forge = snapshot[name];
      log(`   ${name.padEnd(40)} ${gas.toLocaleString().padStart(9)}   forge: ${forge ?? "-"}`);
    }

    // 3. Quote mirror throughput.
    const [state, marketConfig] = await Promise.all([
      publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketState", args: [0n] }),
      publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketConfig", args: [0n] }),
    ]);
    const quotes = 20_000;
    const t0 = performance.now();
    for (let i = 1; i <= quotes; i++) {
      quoteTrade({ state, config: marketConfig, sizeDelta: BigInt(i) * 10n ** 15n * (i % 2 === 0 ? 1n : -1n) });
    }
    const ms = performance.now() - t0;
    log("\n3. SDK quote mirror (exact bigint, to the wei)");
    log(`   ${quotes} quotes in ${ms.toFixed(0)} ms: ${((ms * 1000) / quotes).toFixed(1)} us per quote`);
  } finally {
    await anvil.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
