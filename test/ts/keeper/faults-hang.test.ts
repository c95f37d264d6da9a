// The keeper on a chain that mines every second, behind a proxy that fails 30 % of requests, a share of them by never
// answering: a hung request costs a hedge delay, not a timeout, so the last liquidation lands within the clean run's
// blocks + 3. And while its sends hang (a stuck tick), /healthz and the age gauge see the liquidatable account wait,
// from the node's head and the wall clock.
import type { Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { settableFeedAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import { keeperHealth } from "../../../ts/keeper/healthz";
import type { Keeper } from "../../../ts/keeper/keeper";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { FaultProxy } from "../../../ts/keeper/testing/faultProxy";
import { type ChainFixture, useChain } from "../harness";
import {
  buildTestBook,
  deployForKeeper,
  ETH,
  keeperConfig,
  liquidatableNow,
  liquidatedEvents,
  makeKeeper,
  SHOCKED,
  waitFor,
} from "./fixture";

/** Seconds between blocks. */
const BLOCK_SECONDS = 1;
/** Blocks the faulty run may take beyond the clean one. */
const EXTRA_BLOCKS = 3n;

describe("keeper with hanging requests on an interval-mined chain", () => {
  const chain = useChain();
  let d: Deployment;
  let book: BookAccount[];

  beforeAll(async () => {
    d = await deployForKeeper(chain);
    book = await buildTestBook(chain, chain.anvil.rpcUrl, d, 32);
  }, 120_000);

  /** Runs a keeper behind `proxy` through a shock; returns the blocks from the shock to the last liquidation. */
  async function liquidateThrough(proxy: FaultProxy, overrides: Parameters<typeof keeperConfig>[1] = {}) {
    const k = makeKeeper(keeperConfig(proxy.url, overrides), d);
    try {
      void k.start();
      await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
      await chain.testClient.setIntervalMining({ interval: BLOCK_SECONDS });
      const shock = await shockInOneBlock(chain, d, SHOCKED);
      const victims = await liquidatableNow(chain, d, book);
      expect(victims.length).toBeGreaterThan(0);
      await waitFor(
        async () => (await liquidatableNow(chain, d, book)).length === 0,
        120_000,
        "every account to be liquidated",
      );
      const events = await liquidatedEvents(chain, d, shock);
      let last = shock;
      for (const e of events) if (e.blockNumber > last) last = e.blockNumber;
      return { blocks: last - shock, keeper: k, victims: victims.length };
    } finally {
      await k.stop();
      await chain.testClient.setAutomine(true);
    }
  }

  it("with 30 % of requests failing, hangs included, the last liquidation is within the clean run + 3 blocks", async () => {
    const snapshot = await chain.snapshot();
    const clean = await new FaultProxy({ target: chain.anvil.rpcUrl }).start();
    let cleanBlocks: bigint;
    try {
      cleanBlocks = (await liquidateThrough(clean)).blocks;
    } finally {
      await clean.stop();
    }
    await chain.revert(snapshot);

    const faulty = await new FaultProxy({
      target: chain.anvil.rpcUrl,
      failRate: 0.3,
      kinds: ["hang", "hang", "429", "500", "non-json", "after-forward"],
      seed: Number(process.env.KEEPER_FAULT_SEED ?? 7),
    }).start();
    try {
      // The production timeout: without hedging, every hang would cost all of it.
      const run = await liquidateThrough(faulty, { rpcTimeoutMs: 10_000, rpcRetries: 4 });
      if (process.env.KEEPER_TEST_DEBUG) console.log({ cleanBlocks, faultyBlocks: run.blocks, stats: faulty.stats });
      expect(faulty.stats.faults).toBeGreaterThan(10);
      expect(run.blocks).toBeLessThanOrEqual(cleanBlocks + EXTRA_BLOCKS);
      expect((await run.keeper.metrics.rpcFaults.get()).values[0]?.value).toBeGreaterThan(0);
      const retries = (await run.keeper.metrics.rpcRetries.get()).values;
      expect(retries.find((v) => v.labels.reason === "hedge")?.value).toBeGreaterThan(0);
      expect(retries.find((v) => v.labels.reason === "retry")?.value).toBeGreaterThan(0);
    } finally {
      await faulty.stop();
    }
  }, 300_000);

  it("while its sends hang, /healthz fails and the age gauge grows for the account left liquidatable", async () => {
    const proxy = await new FaultProxy({ target: chain.anvil.rpcUrl }).start();
    const config = keeperConfig(proxy.url, { rpcTimeoutMs: 60_000, liquidatableMaxBlocks: 3 });
    const k: Keeper = makeKeeper(config, d);
    try {
      void k.start();
      await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
      expect(keeperHealth(k).ok).toBe(true);
      proxy.rules.push({ match: (r) => r.method === "eth_sendRawTransaction", action: { fault: "hang" } });
      await chain.testClient.setIntervalMining({ interval: BLOCK_SECONDS });
      const shock = await shockInOneBlock(chain, d, SHOCKED);
      await waitFor(() => k.book.oldestLiquidatable() !== undefined, 60_000, "the keeper to see the shock");
      // The tick is stuck in its send; the node's head moves on. Unhealthy once the wait passes the limit.
      const check = (name: string) => keeperHealth(k).checks.find((c) => c.name === name);
      await waitFor(() => check("liquidations")?.ok === false, 60_000, "/healthz to fail on the waiting account");
      expect(keeperHealth(k).ok).toBe(false);
      // The keeper is behind the node's head too (its tick is stuck).
      await waitFor(() => check("lag")?.ok === false, 60_000, "/healthz to fail on the lag");
      const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      expect(head - shock).toBeGreaterThan(3n);
      expect(k.tickStartedAt).toBeDefined(); // still the same stuck tick
      const metrics = await k.metrics.registry.metrics();
      const age = Number(/^keeper_liquidatable_age_seconds (\S+)$/m.exec(metrics)?.[1]);
      expect(age).toBeGreaterThan(2);
      expect(Number(/^keeper_head_lag_blocks (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(3);

      // The node answers again: everything is liquidated and the keeper is healthy again.
      proxy.rules.length = 0;
      proxy.release();
      await waitFor(async () => (await liquidatableNow(chain, d, book)).length === 0, 120_000, "liquidations");
      await waitFor(() => keeperHealth(k).ok, 60_000, "/healthz to recover");
    } finally {
      await k.stop();
      await proxy.stop();
      await chain.testClient.setAutomine(true);
    }
  }, 300_000);

  it("while its liquidations wait for a slow block, it sends no refresh of the markets they refresh", async () => {
    const k = makeKeeper(keeperConfig(chain.anvil.rpcUrl), d);
    try {
      void k.start();
      await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
      // The shock is mined; then no block comes for a while (slower than many polls).
      const shock = await shockInOneBlock(chain, d, SHOCKED);
      await chain.testClient.setIntervalMining({ interval: 0 });
      await chain.testClient.setAutomine(false);
      await waitFor(() => k.tx.pendingCount > 0, 60_000, "the liquidations to be sent");
      // The keeper keeps ticking (liquidatable accounts remain until its transactions mine): let it tick on.
      const reports = k.lastReport;
      await waitFor(() => k.lastReport !== reports, 60_000, "more ticks");
      const pool = (await chain.publicClient.request({ method: "txpool_content" as never })) as {
        pending: Record<string, Record<string, { to: string; input: string }>>;
      };
      const ours = Object.entries(pool.pending).find(([a]) => a.toLowerCase() === k.signer?.toLowerCase())?.[1];
      const sent = Object.values(ours ?? {});
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((t) => t.to.toLowerCase() === d.contracts.oracle.toLowerCase())).toEqual([]);
      await chain.testClient.mine({ blocks: 1 });
      await waitFor(async () => (await liquidatableNow(chain, d, book)).length === 0, 60_000, "liquidations");
      expect((await liquidatedEvents(chain, d, shock)).length).toBeGreaterThan(0);
    } finally {
      await k.stop();
      await chain.testClient.setAutomine(true);
    }
  }, 120_000);
});

/** Sets every feed of ETH to `price` in one block (interval mining paused meanwhile); returns that block. */
async function shockInOneBlock(chain: ChainFixture, d: Deployment, price: bigint): Promise<bigint> {
  const market = d.markets.find((m) => BigInt(m.marketId) === ETH);
  if (!market) throw new Error("no ETH market");
  await chain.testClient.setIntervalMining({ interval: 0 });
  await chain.testClient.setAutomine(false);
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
  const latest = await chain.publicClient.getBlock({ blockTag: "latest" });
  await chain.testClient.setNextBlockTimestamp({ timestamp: latest.timestamp + 1n });
  await chain.testClient.mine({ blocks: 1 });
  const receipts = await Promise.all(hashes.map((hash) => chain.publicClient.waitForTransactionReceipt({ hash })));
  await chain.testClient.setIntervalMining({ interval: BLOCK_SECONDS });
  return receipts[0]?.blockNumber as bigint;
}
