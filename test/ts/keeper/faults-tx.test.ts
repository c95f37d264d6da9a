// RISK-TESTS 40, 41, 42, 43, 44: the keeper's transactions under block-level faults (automine off, raised base fee,
// dropped transactions, a 2-block reorg, a restart after broadcast, a competing keeper). Nothing lost, nothing twice.
import { beforeAll, describe, expect, it } from "vitest";
import type { Deployment } from "../../../ts/deploy/deployment";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { useChain } from "../harness";
import {
  buildTestBook,
  deployForKeeper,
  ETH,
  ETH_PRICE,
  keeperConfig,
  liquidatableNow,
  liquidatedEvents,
  makeKeeper,
  minedFrom,
  privateKeyOf,
  SECOND_KEEPER_WALLET,
  shockIndex,
  tickUntil,
} from "./fixture";

const SHOCKED = (ETH_PRICE * 8_800n) / 10_000n;

describe("keeper transactions under block faults", () => {
  const chain = useChain();
  let d: Deployment;
  let book: BookAccount[];

  beforeAll(async () => {
    d = await deployForKeeper(chain);
    book = await buildTestBook(chain, chain.anvil.rpcUrl, d, 32);
  }, 120_000);

  async function pendingFrom(address: string) {
    const content = (await chain.publicClient.request({ method: "txpool_content" as never })) as {
      pending: Record<string, Record<string, { nonce: string; hash: string; maxFeePerGas: string }>>;
    };
    const mine = Object.entries(content.pending).find(([a]) => a.toLowerCase() === address.toLowerCase());
    return Object.values(mine?.[1] ?? {});
  }

  it("40: funding and several liquidations in one tick get distinct, contiguous nonces, and all mine", async () => {
    const k = makeKeeper(keeperConfig(chain.anvil.rpcUrl, { liquidationBatch: 1 }), d);
    await k.init();
    await chain.testClient.increaseTime({ seconds: 700 });
    await chain.testClient.mine({ blocks: 1 });
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await chain.testClient.setAutomine(false);
    try {
      await k.tick();
      const pending = await pendingFrom(k.signer as string);
      expect(pending.length).toBeGreaterThan(3);
      const nonces = pending.map((t) => Number(t.nonce)).sort((a, b) => a - b);
      expect(nonces).toEqual(nonces.map((_, i) => (nonces[0] ?? 0) + i));
      await chain.testClient.mine({ blocks: 1 });
    } finally {
      await chain.testClient.setAutomine(true);
    }
    const mined = await minedFrom(chain, k.signer as `0x${string}`, from);
    expect(mined.every((t) => t.status === "success")).toBe(true);
    expect(mined.length).toBeGreaterThan(3);
  }, 120_000);

  it("41: a stuck transaction is replaced with the same nonce at a higher fee (at most 2x); exactly one mines", async () => {
    const k = makeKeeper(
      keeperConfig(chain.anvil.rpcUrl, {
        stuckBlocks: 1,
        tasks: { funding: false, premium: false, repeg: false, unwind: false, oracle: false },
      }),
      d,
    );
    await k.init();
    await k.tick();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    let stuck: Awaited<ReturnType<typeof pendingFrom>> = [];
    await shockIndex(chain, d, ETH, SHOCKED);
    await chain.testClient.setAutomine(false);
    try {
      await k.tick();
      // A deep account is sent with every ladder step it needs: the tick may send more than one transaction.
      stuck = await pendingFrom(k.signer as string);
      const first = stuck.find((t) => Number(t.nonce) === 0);
      expect(first).toBeDefined();
      const firstFee = BigInt(first?.maxFeePerGas ?? 0);
      // The next blocks' base fee sits above what the first version offers: it cannot be included.
      await chain.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: firstFee + 1n });
      await chain.testClient.mine({ blocks: 1 });
      expect(await minedFrom(chain, k.signer as `0x${string}`, from)).toEqual([]);
      await k.tick(); // replaces
      const replacement = (await pendingFrom(k.signer as string)).find((t) => t.nonce === first?.nonce);
      expect(replacement?.hash).not.toBe(first?.hash);
      expect(BigInt(replacement?.maxFeePerGas ?? 0)).toBeGreaterThan(firstFee);
      expect(BigInt(replacement?.maxFeePerGas ?? 0)).toBeLessThanOrEqual(2n * firstFee);
      await chain.testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: firstFee + 1n });
      await chain.testClient.mine({ blocks: 1 });
      await k.tick();
    } finally {
      await chain.testClient.setAutomine(true);
    }
    const all = await minedFrom(chain, k.signer as `0x${string}`, from);
    const mined = all.filter((t) => t.nonce === 0);
    expect(mined.length).toBe(1);
    expect(mined[0]?.status).toBe("success");
    // Every stuck transaction was replaced once, and exactly one version of each nonce mined.
    expect(all.map((t) => t.nonce).sort((a, b) => a - b)).toEqual(stuck.map((_, i) => i));
    expect((await k.metrics.tx.get()).values.find((v) => v.labels.outcome === "replaced")?.value).toBe(stuck.length);
  }, 120_000);

  it("42: a dropped transaction is rebroadcast, and one orphaned by a 2-block reorg is followed until it sticks", async () => {
    const k = makeKeeper(
      keeperConfig(chain.anvil.rpcUrl, {
        stuckBlocks: 1,
        confirmations: 3,
        tasks: { funding: false, premium: false, repeg: false, unwind: false, oracle: false },
      }),
      d,
    );
    await k.init();
    await k.tick();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await chain.testClient.setAutomine(false);
    try {
      await k.tick();
      const before = (await pendingFrom(k.signer as string)).map((t) => t.hash).sort();
      const sent = (await pendingFrom(k.signer as string)).find((t) => Number(t.nonce) === 0);
      await chain.testClient.dropTransaction({ hash: sent?.hash as `0x${string}` });
      await chain.testClient.mine({ blocks: 1 });
      await k.tick(); // notices the drop, rebroadcasts the same transaction
      expect((await pendingFrom(k.signer as string)).map((t) => t.hash).sort()).toEqual(before);
      await chain.testClient.mine({ blocks: 1 });
      await k.tick(); // mined, not final yet (3 confirmations)
      expect(k.tx.pendingCount).toBe(before.length);
      // Orphan the block that mined it.
      await chain.publicClient.request({ method: "anvil_reorg" as never, params: [2, []] as never });
      await k.tick(); // receipt gone: rebroadcast
      await chain.testClient.mine({ blocks: 1 });
      for (let i = 0; i < 4; i++) {
        await k.tick();
        await chain.testClient.mine({ blocks: 1 });
      }
    } finally {
      await chain.testClient.setAutomine(true);
    }
    // Confirmations need blocks: mine one per tick until everything is final and nobody is liquidatable.
    await tickUntil(k, async () => {
      await chain.testClient.mine({ blocks: 1 });
      return (await liquidatableNow(chain, d, book)).length === 0 && k.tx.pendingCount === 0;
    });
    const mined = await minedFrom(chain, k.signer as `0x${string}`, from);
    expect(mined.filter((t) => t.status === "success").length).toBeGreaterThanOrEqual(1);
    expect(mined.every((t) => t.status === "success")).toBe(true);
    expect(new Set(mined.map((t) => t.nonce)).size).toBe(mined.length);
    expect(await liquidatableNow(chain, d, book)).toEqual([]);
  }, 120_000);

  it("43: after a kill right after broadcast, a restarted keeper follows the journaled send and sends nothing twice", async () => {
    const config = keeperConfig(chain.anvil.rpcUrl, {
      tasks: { funding: false, premium: false, repeg: false, unwind: false, oracle: false },
    });
    const first = makeKeeper(config, d);
    await first.init();
    await first.tick();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await chain.testClient.setAutomine(false);
    try {
      await first.tick(); // broadcast, then the process "dies": the instance is dropped without stop()
      const before = await pendingFrom(first.signer as string);
      expect(before.length).toBeGreaterThan(0);
      const second = makeKeeper(config, d); // same journal file
      await second.init();
      await second.tick(); // rebuilds the book from chain state; the journal holds the job
      expect(await pendingFrom(second.signer as string)).toEqual(before);
      await chain.testClient.mine({ blocks: 1 });
      await second.tick();
    } finally {
      await chain.testClient.setAutomine(true);
    }
    const mined = await minedFrom(chain, first.signer as `0x${string}`, from);
    const nonces = mined.map((t) => t.nonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    const inputs = mined.map((t) => t.input);
    expect(new Set(inputs).size).toBe(inputs.length);
  }, 120_000);

  it("44: two keepers on the same book race safely: the loser treats 'not liquidatable' as done and stops", async () => {
    const a = makeKeeper(keeperConfig(chain.anvil.rpcUrl), d);
    const b = makeKeeper(keeperConfig(chain.anvil.rpcUrl, { privateKey: privateKeyOf(SECOND_KEEPER_WALLET) }), d);
    await a.init();
    await b.init();
    await a.tick();
    await b.tick();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await a.tick(); // automine: A liquidates first
    for (let i = 0; i < 5 && (await liquidatableNow(chain, d, book)).length > 0; i++) await a.tick();
    const bBefore = await minedFrom(chain, b.signer as `0x${string}`, from);
    for (let i = 0; i < 3; i++) await b.tick();
    const bAfter = await minedFrom(chain, b.signer as `0x${string}`, from);
    expect(bAfter.length).toBe(bBefore.length);
    expect(await liquidatableNow(chain, d, book)).toEqual([]);
    const events = await liquidatedEvents(chain, d, from);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.args.liquidator === a.signer)).toBe(true);
  }, 120_000);
});
