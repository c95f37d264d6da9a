// RISK-TESTS 37, 38, 39, 45, 46: the keeper behind a fault-injecting proxy (ts/keeper/testing/faultProxy.ts).
// Each ends with nothing lost (every liquidatable account liquidated, due funding updated) and nothing done twice
// (no keeper transaction reverted, one funding update per market and period, contiguous nonces).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { perpPoolAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import { keeperHealth } from "../../../ts/keeper/healthz";
import type { Keeper } from "../../../ts/keeper/keeper";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { FaultProxy } from "../../../ts/keeper/testing/faultProxy";
import { useChain } from "../harness";
import {
  buildTestBook,
  deployForKeeper,
  ETH,
  expectNothingTwice as expectNothingTwiceBy,
  keeperConfig,
  liquidatableNow,
  liquidatedEvents,
  makeKeeper,
  minedFrom,
  SHOCKED,
  shockIndex,
  tickThroughFaults,
  waitFor,
} from "./fixture";

describe("keeper under RPC faults", () => {
  const chain = useChain();
  let d: Deployment;
  let book: BookAccount[];
  let proxy: FaultProxy | undefined;
  let running: Keeper | undefined;

  beforeAll(async () => {
    d = await deployForKeeper(chain);
    book = await buildTestBook(chain, chain.anvil.rpcUrl, d, 32);
  }, 120_000);

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await proxy?.stop();
    proxy = undefined;
  });

  async function startProxy(o: Partial<ConstructorParameters<typeof FaultProxy>[0]> = {}): Promise<FaultProxy> {
    proxy = await new FaultProxy({ target: chain.anvil.rpcUrl, seed: 37, slowMs: 400, ...o }).start();
    return proxy;
  }

  const expectNothingTwice = (k: Keeper, fromBlock: bigint) =>
    expectNothingTwiceBy(chain, d, k.signer as `0x${string}`, fromBlock);

  it("37: with 30% of requests failing (429, 500, timeouts, non-JSON, lost replies) all due work lands once", async () => {
    const p = await startProxy({ failRate: 0.3 });
    const k = makeKeeper(keeperConfig(p.url, { rpcTimeoutMs: 250, rpcRetries: 3 }), d);
    await k.init().catch(async () => k.init());
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await chain.testClient.increaseTime({ seconds: 700 }); // funding due on both markets
    await chain.testClient.mine({ blocks: 1 });
    await shockIndex(chain, d, ETH, SHOCKED);
    const victims = await liquidatableNow(chain, d, book);
    expect(victims.length).toBeGreaterThan(0);

    const failures = await tickThroughFaults(k, async () => {
      const left = await liquidatableNow(chain, d, book);
      const funded = await chain.publicClient.getContractEvents({
        address: d.contracts.pool,
        abi: perpPoolAbi,
        eventName: "FundingUpdated",
        fromBlock: from,
      });
      return left.length === 0 && funded.length === 2 && k.tx.pendingCount === 0;
    });
    expect(p.stats.faults).toBeGreaterThan(10);
    expect(failures).toBeGreaterThanOrEqual(0);
    const hit = new Set((await liquidatedEvents(chain, d, from)).map((e) => `${e.args.owner}:${e.args.subId}`));
    for (const v of victims) expect(hit.has(`${v.owner}:${v.subId}`)).toBe(true);
    const { funding } = await expectNothingTwice(k, from);
    expect(funding.length).toBe(2);
    // Every fault is counted (most were absorbed by a retry or a hedge; those are not errors).
    expect((await k.metrics.rpcFaults.get()).values[0]?.value).toBeGreaterThan(10);
  }, 180_000);

  it("38: on a stale head the keeper does not act and /healthz reports it; it acts once the head moves", async () => {
    const p = await startProxy();
    const k = makeKeeper(keeperConfig(p.url, { staleHeadSeconds: 1 }), d);
    await k.init();
    await k.tick();
    await p.freezeHead();
    await k.tick(); // the frozen head (it may be new to the keeper once)
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    expect((await liquidatableNow(chain, d, book)).length).toBeGreaterThan(0);
    await waitFor(() => k.isHeadStale(), 10_000, "the head to go stale");
    const report = await k.tick();
    expect(report.stale).toBe(true);
    expect(keeperHealth(k).checks.find((c) => c.name === "head")?.ok).toBe(false);
    expect(await minedFrom(chain, k.signer as `0x${string}`, from)).toEqual([]);

    p.unfreezeHead();
    await tickThroughFaults(k, async () => (await liquidatableNow(chain, d, book)).length === 0, 50);
    expect(keeperHealth(k).checks.find((c) => c.name === "head")?.ok).toBe(true);
    await expectNothingTwice(k, from);
  }, 120_000);

  it("39: a send that fails after the nonce was taken, and a failed gas estimate, leave no nonce gap", async () => {
    const p = await startProxy();
    p.rules.push(
      { match: (r) => r.method === "eth_sendRawTransaction", action: { fault: "500" }, times: 1 },
      { match: (r) => r.method === "eth_estimateGas", action: { fault: "500" }, times: 4 },
    );
    const k = makeKeeper(keeperConfig(p.url, { liquidationBatch: 1, rpcRetries: 0 }), d);
    await k.init();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await tickThroughFaults(
      k,
      async () => (await liquidatableNow(chain, d, book)).length === 0 && k.tx.pendingCount === 0,
    );
    const { mine } = await expectNothingTwice(k, from);
    expect(mine.length).toBeGreaterThan(1);
    const next = await chain.publicClient.getTransactionCount({
      address: k.signer as `0x${string}`,
      blockTag: "pending",
    });
    expect(next).toBe((mine.at(-1)?.nonce ?? -1) + 1);
    expect((await k.metrics.tx.get()).values.some((v) => v.labels.outcome === "failed")).toBe(true);
  }, 120_000);

  it("45: a hanging call times out, the loop goes on, /healthz turns unhealthy while it stalls", async () => {
    const p = await startProxy();
    const config = keeperConfig(p.url, { rpcTimeoutMs: 300, rpcRetries: 0, pollIntervalMs: 100, stallIntervals: 3 });
    const k = makeKeeper(config, d);
    running = k;
    await k.init();
    void k.start();
    await waitFor(() => k.lastReport !== undefined, 20_000, "a first tick");
    p.hang();
    await waitFor(
      () => keeperHealth(k).checks.find((c) => c.name === "loop")?.ok === false,
      20_000,
      "/healthz to fail on the stalled loop",
    );
    expect(keeperHealth(k).ok).toBe(false);
    // The node check fails too: no answer at all.
    expect(keeperHealth(k).checks.find((c) => c.name === "node")?.ok).toBe(false);
    p.release();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    await waitFor(async () => (await liquidatableNow(chain, d, book)).length === 0, 30_000, "liquidations");
    await waitFor(() => keeperHealth(k).ok, 20_000, "/healthz to recover");
    await k.stop();
    running = undefined;
    await expectNothingTwice(k, from);
  }, 120_000);

  it("46: a target that breaks gas estimation is skipped; the others are liquidated in the same tick", async () => {
    const p = await startProxy();
    const k = makeKeeper(keeperConfig(p.url), d);
    await k.init();
    const from = (await chain.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    await shockIndex(chain, d, ETH, SHOCKED);
    const victims = await liquidatableNow(chain, d, book);
    expect(victims.length).toBeGreaterThan(1);
    const bad = victims[0] as BookAccount;
    const badWord = `${bad.owner.slice(2).toLowerCase()}${bad.subId.toString(16).padStart(24, "0")}`;
    p.rules.push({
      match: (r) =>
        r.method === "eth_estimateGas" &&
        JSON.stringify(r.params ?? [])
          .toLowerCase()
          .includes(badWord),
      action: { error: { code: 3, message: "execution reverted: gas burner", data: "0x" } },
    });
    await k.tick();
    await k.tick();
    const hit = new Set((await liquidatedEvents(chain, d, from)).map((e) => `${e.args.owner}:${e.args.subId}`));
    for (const v of victims.slice(1)) expect(hit.has(`${v.owner}:${v.subId}`)).toBe(true);
    expect(hit.has(`${bad.owner}:${bad.subId}`)).toBe(false);
    await expectNothingTwice(k, from);
  }, 120_000);
});
