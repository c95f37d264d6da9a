// `npm run bench`: performance measured, not guessed. Everything runs against a local anvil from node_modules.
// This machine is noisy, so every timing is the median of several repeats and comparisons are ratios measured
// within this one run; gas numbers are exact (receipts), and are compared with the committed forge snapshots.
//
//   1. keeper health scan: one batched lens.accountHealths call vs one lens.accountHealth call per account
//   2. the SDK's exact quote mirror: quotes per second
//   3. gas of every operation in the README's table on a live chain (receipts) vs the forge snapshots
//      (snapshots/*.json, forge --isolate), replayed in the gas tests' own state, plus two other states
//      whose difference the EVM's rules predict; a verdict, and exit 1 when a number disagrees (ts/bench/gas.ts)
import { performance } from "node:perf_hooks";
import { type Address, maxUint256, parseUnits } from "viem";
import { perpLensAbi, perpPoolAbi, testUsdcAbi } from "../abi/generated";
import { parseDeploymentConfig } from "../deploy/config";
import { deployProtocol } from "../deploy/deployProtocol";
import { seedProtocol } from "../deploy/seedProtocol";
import { startAnvil } from "../devnet/anvil";
import { createDevClients, type DevWalletClient } from "../devnet/clients";
import { quoteTrade } from "../pool/quoteTrade";
import { type GasRow, type GasVariant, measureGas } from "./gas";

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
    const { publicClient } = clients;
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

    // 2. Quote mirror throughput.
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
    log("\n2. SDK quote mirror (exact bigint, to the wei)");
    log(`   ${quotes} quotes in ${ms.toFixed(0)} ms: ${((ms * 1000) / quotes).toFixed(1)} us per quote`);
  } finally {
    await anvil.stop();
  }

  const { rows, variants } = await measureGas();
  const ok = printGas(rows, variants);
  if (!ok) process.exitCode = 1;
}

const fmt = (n: bigint) => n.toLocaleString("en-US");
const signed = (n: bigint) => (n > 0n ? `+${fmt(n)}` : fmt(n));

/** Prints section 2 and returns whether every number agrees. */
function printGas(rows: GasRow[], variants: GasVariant[]): boolean {
  log("\n3. gas per operation: live anvil receipt vs forge snapshot (both whole transactions, 21,000 base included)");
  log("   Each operation is replayed in its gas test's state (same actors via makeAddr, amounts, preceding calls),");
  log("   a call that forge makes after an oracle refresh at the same timestamp shares a block with that refresh.");
  log(`   ${"operation".padEnd(36)} ${"forge".padStart(9)} ${"live".padStart(9)} ${"diff".padStart(7)}`);
  let equal = 0;
  let inReadme = 0;
  for (const r of rows) {
    const diff = r.forge === undefined ? undefined : r.live - r.forge;
    if (diff === 0n) equal++;
    if (r.readme === r.live) inReadme++;
    const mark =
      (diff === 0n ? "equal" : r.forge === undefined ? "NO SNAPSHOT" : "DIFFERS") +
      (r.readme === r.live ? "" : r.readme === undefined ? ", not in the README" : `, README says ${fmt(r.readme)}`);
    log(
      `   ${r.name.padEnd(36)} ${(r.forge === undefined ? "-" : fmt(r.forge)).padStart(9)} ${fmt(r.live).padStart(9)} ${(diff === undefined ? "-" : signed(diff)).padStart(7)}  ${mark}`,
    );
  }
  log("\n   The same operations in other states differ by what the EVM's gas rules predict:");
  let predicted = 0;
  for (const v of variants) {
    const delta = v.live - v.forge;
    const hit = delta === v.expectedDelta;
    if (hit) predicted++;
    log(
      `   ${v.name.padEnd(36)} ${fmt(v.live).padStart(9)} vs ${v.from} ${fmt(v.forge)}: ${signed(delta)} (predicted ${signed(v.expectedDelta)}) ${hit ? "as predicted" : "NOT AS PREDICTED"}`,
    );
    log(`      ${v.why}`);
  }
  const ok = equal === rows.length && predicted === variants.length && inReadme === rows.length;
  log(
    `\n   verdict: ${ok ? "PASS" : "FAIL"}: ${equal} of ${rows.length} operations equal their forge snapshot to the gas unit, ` +
      `${inReadme} of ${rows.length} equal the README's table; ${predicted} of ${variants.length} other-state differences as predicted`,
  );
  return ok;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
