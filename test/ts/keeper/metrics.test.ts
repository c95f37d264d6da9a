// What /metrics says about the node and the keeper's load: an expected revert (the repeg check's RepegNotDue) is an
// answer, not an error; transport faults and the retries / hedges that absorbed them are counted in their own series;
// labelled series exist at 0 from the start. On an idle automine devnet a sent transaction becomes final and the loop
// goes quiet (no tick per poll, healthy); on a mining chain a steady block costs 4 requests plus the head polls.

import { toFunctionSelector } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { settableFeedAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import { keeperHealth } from "../../../ts/keeper/healthz";
import { repegData } from "../../../ts/keeper/poolAdapter";
import { FaultProxy } from "../../../ts/keeper/testing/faultProxy";
import { useChain } from "../harness";
import { deployForKeeper, ETH, ETH_PRICE, keeperConfig, makeKeeper, minedFrom, waitFor } from "./fixture";

const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("keeper metrics and load", () => {
  const chain = useChain();
  let d: Deployment;

  beforeAll(async () => {
    d = await deployForKeeper(chain);
  }, 120_000);

  it("labels every series at 0 before any event, with the process metrics", async () => {
    const k = makeKeeper(keeperConfig(chain.anvil.rpcUrl), d);
    const text = await k.metrics.registry.metrics();
    for (const task of ["liquidation", "oracle", "funding", "premium"]) {
      for (const outcome of ["mined", "reverted", "failed", "skipped_done"]) {
        expect(value(text, `keeper_tx_total{task="${task}",outcome="${outcome}"}`), `${task}/${outcome}`).toBe(0);
      }
    }
    expect(value(text, 'keeper_rpc_retries_total{reason="retry"}')).toBe(0);
    expect(value(text, 'keeper_rpc_retries_total{reason="hedge"}')).toBe(0);
    expect(value(text, "keeper_rpc_errors_total")).toBe(0);
    expect(value(text, "keeper_rpc_faults_total")).toBe(0);
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("counts no expected revert as an RPC error; counts transport faults and the retries that absorbed them", async () => {
    const proxy = await new FaultProxy({ target: chain.anvil.rpcUrl }).start();
    try {
      const k = makeKeeper(keeperConfig(proxy.url, { rpcRetries: 4 }), d);
      await k.init();
      // A healthy chain: a repeg simulated through the keeper's own transport reverts RepegNotDue (an answer, not a
      // fault), between ticks that do their usual reads.
      for (let i = 0; i < 3; i++) {
        await k.tick();
        await k.clients.publicClient.call({ to: d.contracts.pool, data: repegData(0n) }).catch(() => undefined);
        await chain.testClient.increaseTime({ seconds: 2 });
        await chain.testClient.mine({ blocks: 1 });
      }
      expect(proxy.stats.errorReplies).toBeGreaterThan(0);
      expect((await k.metrics.rpcErrors.get()).values[0]?.value).toBe(0);
      expect((await k.metrics.rpcFaults.get()).values[0]?.value).toBe(0);

      // Three log reads fail at the transport and are retried; one block read hangs and is hedged.
      proxy.rules.push(
        { match: (r) => r.method === "eth_getLogs", action: { fault: "500" }, times: 3 },
        { match: (r) => r.method === "eth_getBlockByNumber", action: { fault: "hang" }, times: 1 },
      );
      await chain.testClient.mine({ blocks: 1 });
      await k.tick();
      const retries = (await k.metrics.rpcRetries.get()).values;
      expect((await k.metrics.rpcFaults.get()).values[0]?.value).toBe(3);
      expect(retries.find((v) => v.labels.reason === "retry")?.value).toBe(3);
      expect(retries.find((v) => v.labels.reason === "hedge")?.value).toBeGreaterThanOrEqual(1);
      expect((await k.metrics.rpcErrors.get()).values[0]?.value).toBe(0);
      await k.stop();
    } finally {
      await proxy.stop();
    }
  }, 120_000);

  it("on an idle automine devnet a sent transaction becomes final and the loop goes quiet, healthy", async () => {
    const proxy = await new FaultProxy({ target: chain.anvil.rpcUrl }).start();
    // The defaults an operator gets (`perp devnet` + `perp keeper run`): no confirmations or staleness given.
    const config = keeperConfig(proxy.url, { pollIntervalMs: 100 });
    config.confirmations = undefined;
    config.staleHeadSeconds = undefined;
    const k = makeKeeper(config, d);
    try {
      void k.start();
      await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
      expect(k.automine).toBe(true);
      expect(k.staleHeadSeconds()).toBe(0);
      const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
      // A small index move: the oracle task sends one refresh; automine mines it, and then nothing mines.
      const market = d.markets.find((m) => BigInt(m.marketId) === ETH);
      for (const feed of market?.feeds ?? []) {
        await chain.deployer.writeContract({
          address: feed,
          abi: settableFeedAbi,
          functionName: "setAnswer",
          args: [(ETH_PRICE * 1_001n) / 1_000n / 10n ** BigInt(18 - (market?.feedDecimals ?? 18))],
        });
      }
      await waitFor(
        async () => (await k.metrics.tx.get()).values.some((v) => v.labels.outcome === "mined" && v.value > 0),
        60_000,
        "a transaction of the keeper to be final",
      );
      await waitFor(() => k.tickStartedAt === undefined && k.tx.pendingCount === 0, 60_000, "the tick to end");
      // The refresh's gas limit: its estimate and buffer, not the oracle headroom of every feed of every market.
      const [refresh] = await minedFrom(chain, k.signer as `0x${string}`, from);
      expect(refresh?.input.slice(0, 10)).toBe(toFunctionSelector("refresh(uint256)"));
      const tx = await chain.publicClient.getTransaction({ hash: refresh?.hash as `0x${string}` });
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: refresh?.hash as `0x${string}` });
      if (process.env.KEEPER_TEST_DEBUG) console.log({ limit: tx.gas, used: receipt.gasUsed });
      // At most this market's feeds x MIN_GAS_PER_FEED + the intrinsic gas (the floor used when the block already
      // stored an observation; otherwise the estimate + 20 %), never the headroom of every feed of every market.
      const feeds = (m: { feeds: readonly unknown[] }) => BigInt(m.feeds.length);
      const allFeeds = d.markets.reduce((n, m) => n + feeds(m), 0n);
      expect(tx.gas).toBeLessThanOrEqual(21_000n + 56_000n * feeds(market as { feeds: readonly unknown[] }));
      expect(tx.gas).toBeLessThan(56_000n * allFeeds);
      expect(receipt.status).toBe("success");
      // Idle: over ten polls, only head polls go out (no tick, no block, receipt or log reads).
      const quiet = await waitForQuiet(proxy, k, 10);
      expect(quiet).toEqual(["eth_blockNumber"]);
      expect(keeperHealth(k).ok).toBe(true);
      expect(keeperHealth(k).checks.find((c) => c.name === "head")?.detail).toContain("automine");
    } finally {
      await k.stop();
      await proxy.stop();
    }
  }, 120_000);

  it("a steady block costs 4 requests (block, logs, the multicall, the unwind task's inventory read) plus one eth_blockNumber per poll", async () => {
    const proxy = await new FaultProxy({ target: chain.anvil.rpcUrl }).start();
    const k = makeKeeper(keeperConfig(proxy.url, { pollIntervalMs: 100 }), d);
    try {
      void k.start();
      await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
      await chain.testClient.setIntervalMining({ interval: 1 });
      const first = await nextProcessed(k);
      const before = new Map(proxy.stats.byMethod);
      const BLOCKS = 6n;
      let last = first;
      while (last < first + BLOCKS) last = await nextProcessed(k, last);
      const used = new Map<string, number>();
      for (const [m, n] of proxy.stats.byMethod) used.set(m, n - (before.get(m) ?? 0));
      const blocks = Number(last - first);
      const perBlock = (m: string) => (used.get(m) ?? 0) / blocks;
      const notPolls = [...used].filter(([m]) => m !== "eth_blockNumber").reduce((s, [, n]) => s + n, 0) / blocks;
      if (process.env.KEEPER_TEST_DEBUG) console.log({ blocks, used, notPolls });
      expect(perBlock("eth_getBlockByNumber")).toBeLessThanOrEqual(1);
      expect(perBlock("eth_getLogs")).toBeLessThanOrEqual(1);
      // The snapshot's multicall and the unwind task's lens.inventory read.
      expect(perBlock("eth_call")).toBeLessThanOrEqual(2);
      // A balance read now and then (every 50 blocks) at most.
      expect(notPolls).toBeLessThanOrEqual(4.2);
    } finally {
      await k.stop();
      await proxy.stop();
      await chain.testClient.setAutomine(true);
    }
  }, 120_000);
});

/** The methods requested over `polls` poll intervals once nothing changes. */
async function waitForQuiet(proxy: FaultProxy, k: { config: { pollIntervalMs: number } }, polls: number) {
  const before = new Map(proxy.stats.byMethod);
  const start = proxy.stats.requests;
  await waitFor(() => proxy.stats.requests - start >= polls, 60_000, `${polls} polls`);
  void k;
  const methods: string[] = [];
  for (const [m, n] of proxy.stats.byMethod) if (n !== (before.get(m) ?? 0)) methods.push(m);
  return methods;
}

/** Waits for the keeper to process a block above `after` (default: its current one); returns it. */
async function nextProcessed(
  k: { lastReport: { head: bigint } | undefined },
  after: bigint | undefined = k.lastReport?.head,
) {
  await waitFor(() => (k.lastReport?.head ?? -1n) > (after ?? -1n), 60_000, "the next block to be processed");
  return k.lastReport?.head as bigint;
}
