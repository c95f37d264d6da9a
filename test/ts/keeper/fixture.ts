// Keeper test fixture: the protocol as `npm start` deploys it (ts/deploy), both tranches funded, a book of
// sub-accounts built with real batched transactions, and a keeper config pointed at any RPC URL (anvil itself,
// or the fault proxy in front of it).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Address, type Hex, toHex } from "viem";
import { expect } from "vitest";
import { perpLensAbi, perpPoolAbi, settableFeedAbi, testUsdcAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { parseDeploymentConfig } from "../../../ts/deploy/config";
import type { Deployment } from "../../../ts/deploy/deployment";
import { deployProtocol } from "../../../ts/deploy/deployProtocol";
import { type DevClients, devAccount } from "../../../ts/devnet/clients";
import { installMulticall3 } from "../../../ts/keeper/chain/multicall3";
import { type KeeperConfig, type KeeperConfigInput, keeperConfigSchema } from "../../../ts/keeper/config";
import { Keeper } from "../../../ts/keeper/keeper";
import { createLogger } from "../../../ts/keeper/logger";
import { type BookAccount, buildBook } from "../../../ts/keeper/testing/bookBuilder";
import { WAD } from "../../../ts/money";
import { send } from "../sdk/fixture";

export const ETH = 0n;
export const BTC = 1n;
export const ETH_PRICE = 2000n * WAD;
export const BTC_PRICE = 60_000n * WAD;
/** The index shock the fault tests apply to ETH: -12 %. */
export const SHOCKED = (ETH_PRICE * 8_800n) / 10_000n;
/** Dev wallets that own the book's sub-accounts; wallet 7 and 6 are keepers, 8/9 the LPs. */
export const BOOK_OWNERS = [1, 2, 3, 4];
export const KEEPER_WALLET = 7;
export const SECOND_KEEPER_WALLET = 6;

export function privateKeyOf(index: number): Hex {
  const key = devAccount(index).getHdKey().privateKey;
  if (!key) throw new Error("no private key");
  return toHex(key);
}

/** Deploys and funds junior (wallet 8) and senior (wallet 9): by default 2M and 6M USDC (token units). With
 * `governance` "owner" the deployer keeps the pool and the oracle router (tests that call owner setters). */
export async function deployForKeeper(
  chain: DevClients,
  tranches: { junior: bigint; senior: bigint } = { junior: 2_000_000n * 10n ** 6n, senior: 6_000_000n * 10n ** 6n },
  governance: "timelock" | "owner" = "timelock",
): Promise<Deployment> {
  const d = await deployProtocol(chain, parseDeploymentConfig({ governance }));
  const { usdc, junior, senior, pool } = d.contracts;
  for (const [w, vault, amount] of [
    [8, junior, tranches.junior],
    [9, senior, tranches.senior],
  ] as const) {
    const lp = chain.wallet(w);
    await send(chain, lp, {
      address: usdc,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [lp.account.address, amount],
    });
    await send(chain, lp, { address: usdc, abi: testUsdcAbi, functionName: "approve", args: [vault, amount] });
    await send(chain, lp, {
      address: vault,
      abi: trancheVaultAbi,
      functionName: "deposit",
      args: [amount, lp.account.address],
    });
  }
  await send(chain, chain.deployer, { address: pool, abi: perpPoolAbi, functionName: "syncBackstopCapital" });
  await installMulticall3(chain.publicClient);
  return d;
}

export async function buildTestBook(
  chain: DevClients,
  rpcUrl: string,
  d: Deployment,
  n: number,
  leverageBps?: (i: number) => bigint,
): Promise<BookAccount[]> {
  return buildBook({
    rpcUrl,
    pool: d.contracts.pool,
    usdc: d.contracts.usdc,
    owners: BOOK_OWNERS.map((i) => chain.wallet(i).account.address),
    n,
    markets: [
      { marketId: ETH, price: ETH_PRICE },
      { marketId: BTC, price: BTC_PRICE },
    ],
    ...(leverageBps ? { leverageBps } : {}),
  });
}

export function keeperConfig(rpcUrl: string, overrides: Partial<KeeperConfigInput> = {}): KeeperConfig {
  return keeperConfigSchema.parse({
    deployment: "(in memory)",
    rpcUrl,
    privateKey: privateKeyOf(KEEPER_WALLET),
    metricsPort: 0,
    logLevel: process.env.KEEPER_TEST_LOG ?? "silent",
    pollIntervalMs: 100,
    confirmations: 1,
    staleHeadSeconds: 0,
    rpcTimeoutMs: 5_000,
    rpcRetries: 2,
    backoffBaseMs: 200,
    backoffMaxMs: 2_000,
    journalPath: path.join(mkdtempSync(path.join(tmpdir(), "keeper-test-")), "journal.json"),
    ...overrides,
  });
}

export function makeKeeper(config: KeeperConfig, deployment: Deployment): Keeper {
  return new Keeper(config, { deployment, logger: createLogger({ level: config.logLevel }) });
}

/** Sets every feed of `marketId` to `price` (WAD) in ONE block (automine paused meanwhile); returns that block. */
export async function shockIndex(chain: DevClients, d: Deployment, marketId: bigint, price: bigint): Promise<bigint> {
  const market = d.markets.find((m) => BigInt(m.marketId) === marketId);
  if (!market) throw new Error(`no market ${marketId}`);
  await chain.testClient.setAutomine(false);
  try {
    const hashes: Hex[] = [];
    for (const feed of market.feeds) {
      hashes.push(
        await chain.deployer.writeContract({
          address: feed,
          abi: settableFeedAbi,
          functionName: "setAnswer",
          args: [price / 10n ** BigInt(18 - market.feedDecimals)],
          gas: 300_000n,
        }),
      );
    }
    // A new timestamp: the oracle answers a second read in the same timestamp from its cache, so a shock mined
    // in the second of an earlier observation would not be seen until the next second.
    const latest = await chain.publicClient.getBlock({ blockTag: "latest" });
    await chain.testClient.setNextBlockTimestamp({ timestamp: latest.timestamp + 1n });
    await chain.testClient.mine({ blocks: 1 });
    const receipts = await Promise.all(hashes.map((hash) => chain.publicClient.waitForTransactionReceipt({ hash })));
    if (receipts.some((r) => r.status !== "success" || r.blockNumber !== receipts[0]?.blockNumber)) {
      throw new Error("shockIndex: a feed update reverted or missed the block");
    }
    return receipts[0]?.blockNumber as bigint;
  } finally {
    await chain.testClient.setAutomine(true);
  }
}

export async function healthsOf(chain: DevClients, d: Deployment, book: readonly { owner: Address; subId: bigint }[]) {
  // Pinned to the latest block: anvil runs a "latest" eth_call in a pending-block environment whose timestamp
  // can be older than the latest block after time warps, which the pool's accrual (now - lastAccrual) rejects.
  // While a keeper mines blocks back to back that can still happen at the head: such a read is asked again.
  for (let attempt = 0; ; attempt++) {
    try {
      const blockNumber = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      return await chain.publicClient.readContract({
        address: d.contracts.lens,
        abi: perpLensAbi,
        functionName: "accountHealths",
        args: [book.map((a) => a.owner), book.map((a) => a.subId)],
        blockNumber,
      });
    } catch (err) {
      if (attempt >= 20 || !/underflow or overflow/.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Runs ticks until `done()` or `maxTicks`; each tick is awaited (no wall-clock sleeps). */
export async function tickUntil(k: Keeper, done: () => Promise<boolean>, maxTicks = 50): Promise<number> {
  for (let i = 0; i < maxTicks; i++) {
    if (await done()) return i;
    await k.tick();
  }
  if (await done()) return maxTicks;
  throw new Error(`condition not reached within ${maxTicks} ticks`);
}

/**
 * Polls `cond` every 25 ms until true or `timeoutMs` (a wait on an observable condition, not a sleep). A poll that
 * throws (a read racing the keeper's blocks on a loaded machine) counts as "not yet"; the last error is reported
 * if the condition never holds.
 */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      if (await cond()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const detail = lastError
    ? ` (last poll failed: ${String((lastError as Error).message ?? lastError).split("\n")[0]})`
    : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

export type SentByKeeper = { hash: Hex; nonce: number; block: bigint; status: "success" | "reverted"; input: Hex };

/** Every mined transaction from `from` in blocks [fromBlock, latest]. */
export async function minedFrom(chain: DevClients, from: Address, fromBlock: bigint): Promise<SentByKeeper[]> {
  const latest = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
  const out: SentByKeeper[] = [];
  for (let n = fromBlock; n <= latest; n++) {
    const block = await chain.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      const r = await chain.publicClient.getTransactionReceipt({ hash: tx.hash });
      out.push({ hash: tx.hash, nonce: tx.nonce, block: n, status: r.status, input: tx.input });
    }
  }
  return out;
}

/** Ids of the book's accounts that the lens says are liquidatable now. */
export async function liquidatableNow(chain: DevClients, d: Deployment, book: readonly BookAccount[]) {
  const hs = await healthsOf(chain, d, book);
  return book.filter((_, i) => hs[i]?.liquidatable);
}

export async function liquidatedEvents(chain: DevClients, d: Deployment, fromBlock: bigint) {
  return chain.publicClient.getContractEvents({
    address: d.contracts.pool,
    abi: perpPoolAbi,
    eventName: "Liquidated",
    fromBlock,
  });
}

/** Runs ticks (a failed tick is what the loop would log and retry) until `done()`. */
export async function tickThroughFaults(k: Keeper, done: () => Promise<boolean>, maxTicks = 200): Promise<number> {
  let failures = 0;
  for (let i = 0; i < maxTicks; i++) {
    if (await done()) return failures;
    await k.tick().catch(() => {
      failures++;
    });
  }
  if (await done()) return failures;
  throw new Error(`condition not reached within ${maxTicks} ticks (${failures} failed)`);
}

export type CliProcess = {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  exitCode(): number | null | undefined;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the signal the process died of. */
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | null>;
};

/**
 * The real `perp` CLI (bin/perp.mjs) as a child process: its own pid, so a SIGKILL kills exactly the keeper
 * (no npm or tsx launcher in between).
 */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ["bin/perp.mjs", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  let code: number | null | undefined;
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (c, s) => {
      code = c;
      signal = s;
      resolve(c);
    }),
  );
  return {
    child,
    exited,
    exitCode: () => code,
    output: () => out,
    kill: async (sig) => {
      child.kill(sig);
      await exited;
      return signal;
    },
  };
}

/**
 * Nothing done twice by `signer` since `fromBlock`: none of its transactions reverted, their nonces are contiguous,
 * and each market's funding was updated at most once. Returns what it read.
 */
export async function expectNothingTwice(chain: DevClients, d: Deployment, signer: Address, fromBlock: bigint) {
  const mine = await minedFrom(chain, signer, fromBlock);
  expect(mine.filter((t) => t.status !== "success")).toEqual([]);
  const nonces = mine.map((t) => t.nonce).sort((a, b) => a - b);
  expect(nonces).toEqual(nonces.map((_, i) => (nonces[0] ?? 0) + i));
  const funding = await chain.publicClient.getContractEvents({
    address: d.contracts.pool,
    abi: perpPoolAbi,
    eventName: "FundingUpdated",
    fromBlock,
  });
  const perMarket = new Map<bigint, number>();
  for (const f of funding)
    perMarket.set(f.args.marketId as bigint, (perMarket.get(f.args.marketId as bigint) ?? 0) + 1);
  for (const n of perMarket.values()) expect(n).toBe(1);
  return { mine, funding };
}
