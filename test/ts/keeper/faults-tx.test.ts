// RISK-TESTS 40, 41, 42, 43, 44: the keeper's transactions under block-level faults (automine off, raised base fee,
// dropped transactions, a 2-block reorg, a SIGKILL of the keeper process after broadcast and a restart, a competing
// keeper). Nothing lost, nothing twice.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeFunctionData, toFunctionSelector } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { perpPoolAbi } from "../../../ts/abi/generated";
import { type Deployment, stringifyDeployment } from "../../../ts/deploy/deployment";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { useChain } from "../harness";
import {
  BTC,
  buildTestBook,
  deployForKeeper,
  ETH,
  expectNothingTwice,
  KEEPER_WALLET,
  keeperConfig,
  liquidatableNow,
  liquidatedEvents,
  makeKeeper,
  minedFrom,
  privateKeyOf,
  SECOND_KEEPER_WALLET,
  SHOCKED,
  shockIndex,
  spawnCli,
  tickUntil,
  waitFor,
} from "./fixture";

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
      pending: Record<string, Record<string, { nonce: string; hash: string; maxFeePerGas: string; input: string }>>;
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
        tasks: { funding: false, premium: false, repeg: false, inventory: false, oracle: false },
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
        tasks: { funding: false, premium: false, repeg: false, inventory: false, oracle: false },
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

  it("43: SIGKILL right after broadcast, restart: the schedule is rebuilt from chain state, nothing is sent twice", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "keeper-kill-"));
    const deploymentFile = path.join(dir, "deployment.json");
    const journal = path.join(dir, "journal.json");
    const configFile = path.join(dir, "keeper.json");
    writeFileSync(deploymentFile, stringifyDeployment(d));
    writeFileSync(
      configFile,
      JSON.stringify({
        pollIntervalMs: 100,
        confirmations: 1,
        staleHeadSeconds: 0,
        metricsPort: 0,
        tasks: { premium: false, repeg: false, inventory: false },
      }),
    );
    const keeperAddress = privateKeyToAccount(privateKeyOf(KEEPER_WALLET)).address;
    const cli = (command: "run" | "once") =>
      spawnCli(
        ["keeper", command, "--deployment", deploymentFile, "--rpc-url", chain.anvil.rpcUrl, "--config", configFile],
        {
          KEEPER_PRIVATE_KEY: privateKeyOf(KEEPER_WALLET),
          KEEPER_JOURNAL: journal,
          KEEPER_LOG_LEVEL: "info",
        },
      );

    await chain.testClient.increaseTime({ seconds: 700 }); // funding due on both markets
    await chain.testClient.mine({ blocks: 1 });
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    const victims = await liquidatableNow(chain, d, book);
    expect(victims.length).toBeGreaterThan(0);
    await chain.testClient.setAutomine(false);
    let killed: { broadcast: { hash: string; fn: string }[]; signal: NodeJS.Signals | null } | undefined;
    try {
      // 1. The real CLI in its own process; nothing mines while it runs.
      const first = cli("run");
      const calls = async () =>
        (await pendingFrom(keeperAddress)).map((t) => ({
          hash: t.hash,
          fn: decodeFunctionData({ abi: perpPoolAbi, data: t.input as `0x${string}` }).functionName as string,
        }));
      // 2. Until the node holds its liquidation and a funding update (the broadcast happened), then kill -9.
      await waitFor(
        async () => {
          if (first.exitCode() !== undefined) throw new Error(`keeper exited early:\n${first.output()}`);
          const fns = (await calls()).map((c) => c.fn);
          return fns.includes("liquidateMany") && fns.includes("updateFunding");
        },
        90_000,
        "the keeper to broadcast a liquidation and a funding update",
      );
      // What it broadcast is read after its death (it may still be sending while the condition above is read).
      const signal = await first.kill("SIGKILL");
      killed = { broadcast: await calls(), signal };
      expect(await pendingFrom(keeperAddress)).toHaveLength(killed.broadcast.length); // none mined yet
      // 3. What it broadcast mines after its death.
      await chain.testClient.mine({ blocks: 1 });
    } finally {
      await chain.testClient.setAutomine(true);
    }
    expect(killed.signal).toBe("SIGKILL");

    // 4. Restarted (`once`, again its own process) on the same journal, until nothing due is left.
    const fundingEvents = () =>
      chain.publicClient.getContractEvents({
        address: d.contracts.pool,
        abi: perpPoolAbi,
        eventName: "FundingUpdated",
        fromBlock: from,
      });
    for (let run = 0; run < 5; run++) {
      const again = cli("once");
      const code = await again.exited;
      expect(code, again.output()).toBe(0);
      // The first restart picks up the dead process's journaled sends and follows them to their receipts.
      if (run === 0) expect(again.output()).toContain("journal: following earlier sends");
      if ((await liquidatableNow(chain, d, book)).length === 0 && (await fundingEvents()).length >= 2) break;
    }

    // 5. From the chain's events: every victim liquidated, each broadcast transaction mined once, no job sent twice,
    //    one funding update per market for the period.
    expect(await liquidatableNow(chain, d, book)).toEqual([]);
    const { mine: mined, funding } = await expectNothingTwice(chain, d, keeperAddress, from);
    // A boost refresh (`refreshBoost()`, the same calldata for either vault and at any time) is a new job whenever the
    // oracle's multiplier moved: every other job's calldata is unique.
    const refresh = toFunctionSelector("refreshBoost()");
    const jobs = mined.filter((t) => !t.input.startsWith(refresh));
    expect(new Set(jobs.map((t) => t.input)).size).toBe(jobs.length);
    for (const b of killed.broadcast) expect(mined.filter((t) => t.hash === b.hash)).toHaveLength(1);
    expect(funding.map((f) => f.args.marketId).sort()).toEqual([ETH, BTC].sort());
    const hit = new Set((await liquidatedEvents(chain, d, from)).map((e) => `${e.args.owner}:${e.args.subId}`));
    for (const v of victims) expect(hit.has(`${v.owner}:${v.subId}`)).toBe(true);
  }, 240_000);

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
