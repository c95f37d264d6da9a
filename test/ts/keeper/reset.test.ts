// A devnet reset: the chain restarts with the same id and, deployed the same way, the same addresses and the same
// block numbers, so a journal's done keys and nonces of the old chain look valid on the new one. The keeper tells
// the chains apart by the genesis and deployment block hashes: whether it was left running through the reset or
// restarted on its journal, every liquidatable account of the new chain is liquidated and nothing signed for the
// old chain reaches the new one (no old hash, nonces from 0 with no gap, nothing queued).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { settableFeedAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import { type AnvilInstance, startAnvil } from "../../../ts/devnet/anvil";
import { createDevClients, type DevClients } from "../../../ts/devnet/clients";
import type { Keeper } from "../../../ts/keeper/keeper";
import { Keeper as KeeperClass } from "../../../ts/keeper/keeper";
import { createLogger } from "../../../ts/keeper/logger";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { FaultProxy } from "../../../ts/keeper/testing/faultProxy";
import {
  buildTestBook,
  deployForKeeper,
  ETH,
  ETH_PRICE,
  keeperConfig,
  liquidatableNow,
  minedFrom,
  SHOCKED,
  shockIndex,
  waitFor,
} from "./fixture";

type Devnet = { anvil: AnvilInstance; chain: DevClients; d: Deployment; book: BookAccount[] };

/** A deeper second shock (-20 %): new accounts become liquidatable after the first round was liquidated. */
const DEEPER = (ETH_PRICE * 8_000n) / 10_000n;

describe("keeper across a devnet reset", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f().catch(() => undefined);
  });

  async function devnet(): Promise<Devnet> {
    const anvil = await startAnvil();
    cleanup.push(() => anvil.stop());
    const chain = createDevClients(anvil.rpcUrl);
    return { anvil, chain, ...(await deployed(chain, anvil.rpcUrl)) };
  }

  async function deployed(chain: DevClients, rpcUrl: string) {
    const d = await deployForKeeper(chain);
    const book = await buildTestBook(chain, rpcUrl, d, 24);
    return { d, book };
  }

  function keeperOn(url: string, d: Deployment, journalPath: string, lines: string[]): Keeper {
    const config = keeperConfig(url, { journalPath, logLevel: "info" });
    const logger = createLogger({
      level: "info",
      destination: {
        write: (line: string) => {
          lines.push(line);
          if (process.env.KEEPER_TEST_LOG) process.stdout.write(line);
        },
      },
    });
    const k = new KeeperClass(config, { deployment: d, logger });
    cleanup.push(() => k.stop());
    return k;
  }

  /**
   * The old chain's life: a shock liquidated (mined), then a deeper shock whose liquidations stay pending (the chain
   * stops mining): the keeper's nonce is ahead of what the chain mined and its journal holds sent transactions.
   * Returns the hashes of those in-flight transactions.
   */
  async function oldChainLife(net: Devnet, k: Keeper, journal: string): Promise<Set<Hex>> {
    const signer = k.signer as Address;
    await shockIndex(net.chain, net.d, ETH, SHOCKED);
    await waitFor(async () => (await liquidatableNow(net.chain, net.d, net.book)).length === 0, 60_000, "round 1");
    await waitFor(() => k.tx.pendingCount === 0, 60_000, "round 1 to be final");
    await net.chain.testClient.setAutomine(false);
    await setIndex(net.chain, net.d, DEEPER);
    await waitFor(() => k.tx.pendingCount > 0, 60_000, "round 2 to be sent (and left pending)");
    // A replayed devnet makes the keeper sign the very same first transactions again (same nonce, data and fees:
    // same hash), legitimately. What must never reach the new chain is what was in flight on the old one.
    const file = JSON.parse(readFileSync(journal, "utf8")) as { entries: { hashes: Hex[]; nonce: number }[] };
    const inFlight = new Set<Hex>(file.entries.flatMap((e) => e.hashes));
    expect(inFlight.size).toBeGreaterThan(0);
    const mined = await minedFrom(net.chain, signer, 0n);
    expect(Math.min(...file.entries.map((e) => e.nonce))).toBe(mined.length);
    return inFlight;
  }

  /** On the new chain: every liquidatable account liquidated, nothing of the old chain sent, no nonce gap. */
  async function expectNewChainClean(net: Devnet, k: Keeper, oldHashes: Set<Hex>) {
    const signer = k.signer as Address;
    const from = (await net.chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(net.chain, net.d, ETH, SHOCKED);
    const victims = await liquidatableNow(net.chain, net.d, net.book);
    expect(victims.length).toBeGreaterThan(0);
    await waitFor(
      async () => (await liquidatableNow(net.chain, net.d, net.book)).length === 0,
      90_000,
      "every liquidatable account of the new chain to be liquidated",
    );
    await waitFor(() => k.tx.pendingCount === 0, 60_000, "the keeper's transactions to be final");
    const mine = await minedFrom(net.chain, signer, 0n);
    expect(mine.filter((t) => t.block >= from).length).toBeGreaterThan(0);
    expect(mine.filter((t) => oldHashes.has(t.hash))).toEqual([]);
    expect(mine.filter((t) => t.status !== "success")).toEqual([]);
    expect(mine.map((t) => t.nonce)).toEqual(mine.map((_, i) => i));
    const [latest, pending] = await Promise.all(
      (["latest", "pending"] as const).map((blockTag) =>
        net.chain.publicClient.getTransactionCount({ address: signer, blockTag }),
      ),
    );
    expect(pending).toBe(latest);
    const pool = (await net.chain.publicClient.request({ method: "txpool_status" as never })) as {
      pending: Hex;
      queued: Hex;
    };
    expect(BigInt(pool.queued)).toBe(0n);
    expect(BigInt(pool.pending)).toBe(0n);
  }

  it("a keeper left running through the reset drops the old chain's state and liquidates the new chain", async () => {
    const net1 = await devnet();
    // One URL for both chains (a devnet restarted on its port): the proxy is repointed.
    const proxy = await new FaultProxy({ target: net1.anvil.rpcUrl }).start();
    cleanup.push(() => proxy.stop());
    const journal = keeperConfig("http://x").journalPath as string;
    const lines: string[] = [];
    const k = keeperOn(proxy.url, net1.d, journal, lines);
    void k.start();
    await waitFor(() => k.lastReport !== undefined, 60_000, "a first tick");
    const oldHashes = await oldChainLife(net1, k, journal);

    // The reset: the old node goes away, a fresh one (same id, same mnemonic) takes its URL and is deployed again.
    await net1.anvil.stop();
    const anvil2 = await startAnvil();
    cleanup.push(() => anvil2.stop());
    proxy.retarget(anvil2.rpcUrl);
    const chain2 = createDevClients(anvil2.rpcUrl);
    const net2 = { anvil: anvil2, chain: chain2, ...(await deployed(chain2, anvil2.rpcUrl)) };
    expect(net2.d.contracts.pool).toBe(net1.d.contracts.pool);
    expect(net2.d.startBlock).toBe(net1.d.startBlock);

    await expectNewChainClean(net2, k, oldHashes);
    const resets = lines.filter((l) => l.includes("chain reset"));
    expect(resets.length).toBeGreaterThan(0);
    expect(lines.filter((l) => /"msg":"reorg"/.test(l))).toEqual([]);
    expect((await k.metrics.chainResets.get()).values[0]?.value).toBe(1);
  }, 420_000);

  it("a keeper restarted on its journal after the reset archives it and liquidates the new chain", async () => {
    const net1 = await devnet();
    const journal = keeperConfig("http://x").journalPath as string;
    const lines1: string[] = [];
    const k1 = keeperOn(net1.anvil.rpcUrl, net1.d, journal, lines1);
    void k1.start();
    await waitFor(() => k1.lastReport !== undefined, 60_000, "a first tick");
    const oldHashes = await oldChainLife(net1, k1, journal);
    await k1.stop();
    await net1.anvil.stop();

    const net2 = await devnet();
    expect(net2.d.contracts.pool).toBe(net1.d.contracts.pool);
    const lines: string[] = [];
    const k2 = keeperOn(net2.anvil.rpcUrl, net2.d, journal, lines);
    void k2.start();
    await waitFor(() => k2.lastReport !== undefined, 60_000, "a first tick on the new chain");
    const archived = lines.filter((l) => l.includes("chain reset"));
    expect(archived).toHaveLength(1);
    const archivedFile = (JSON.parse(archived[0] as string) as { archived: string }).archived;
    expect(path.dirname(archivedFile)).toBe(path.dirname(journal));
    await expectNewChainClean(net2, k2, oldHashes);
  }, 420_000);
});

/** Sets every ETH feed to `price` and mines one block with it (automine is off: nothing else mines after it). */
async function setIndex(chain: DevClients, d: Deployment, price: bigint): Promise<void> {
  const market = d.markets.find((m) => BigInt(m.marketId) === ETH);
  if (!market) throw new Error("no ETH market");
  for (const feed of market.feeds) {
    await chain.deployer.writeContract({
      address: feed,
      abi: settableFeedAbi,
      functionName: "setAnswer",
      args: [price / 10n ** BigInt(18 - market.feedDecimals)],
      gas: 300_000n,
    });
  }
  const latest = await chain.publicClient.getBlock({ blockTag: "latest" });
  await chain.testClient.setNextBlockTimestamp({ timestamp: latest.timestamp + 1n });
  await chain.testClient.mine({ blocks: 1 });
}
