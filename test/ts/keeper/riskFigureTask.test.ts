// The keeper's riskFigure task against anvil: with the steward's key it runs the risk report at the head's parent
// block in a worker thread, posts the figure, and `perp risk verify` reproduces every posted number byte for byte;
// it posts again only once the interval has passed on chain; with another key it never runs the report and says why;
// and it refreshes each vault's boost multiplier when the oracle's differs.
import { beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, tailRiskOracleAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import type { Keeper } from "../../../ts/keeper/keeper";
import { verifyPostedFigure } from "../../../ts/risk/verifyPosted";
import { useChain } from "../harness";
import { send } from "../sdk/fixture";
import {
  BTC,
  BTC_PRICE,
  buildTestBook,
  deployForKeeper,
  ETH,
  ETH_PRICE,
  KEEPER_WALLET,
  keeperConfig,
  makeKeeper,
  shockIndex,
  waitFor,
} from "./fixture";

const chain = useChain();
let d: Deployment;
const ONLY_RISK_FIGURE = {
  oracle: false,
  liquidation: false,
  funding: false,
  premium: false,
  repeg: false,
  inventory: false,
  riskFigure: true,
};

beforeAll(async () => {
  // The deployer keeps the tail-risk oracle (governance "owner") and makes the keeper its steward.
  d = await deployForKeeper(chain, undefined, "owner");
  await buildTestBook(chain, chain.anvil.rpcUrl, d, 8);
}, 180_000);

const oracle = () => ({ address: d.contracts.tailRiskOracle, abi: tailRiskOracleAbi }) as const;
const figure = () => chain.publicClient.readContract({ ...oracle(), functionName: "figure" });
const posts = async () =>
  (
    await chain.publicClient.getContractEvents({
      ...oracle(),
      eventName: "FigurePosted",
      fromBlock: d.startBlock,
    })
  ).length;

async function keeper(interval: number): Promise<Keeper> {
  const k = makeKeeper(
    keeperConfig(chain.anvil.rpcUrl, {
      riskFigureIntervalSeconds: interval,
      riskFigurePaths: 24,
      riskFigureWorkers: 1,
      riskFigureCheckSeconds: 0,
      tasks: ONLY_RISK_FIGURE,
    }),
    d,
  );
  await k.init();
  return k;
}

/** Mines a block and ticks, until `done` (the report runs off the tick: wall time passes between ticks). */
async function tickWhile(k: Keeper, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      if (await done()) return true;
      await chain.testClient.mine({ blocks: 1 });
      await k.tick();
      await new Promise((r) => setTimeout(r, 100));
      return done();
    },
    timeoutMs,
    "the keeper's figure",
  );
}

async function makeSteward(address: `0x${string}`) {
  await send(chain, chain.deployer, { ...oracle(), functionName: "setSteward", args: [address] });
}

describe("riskFigure task", () => {
  it("posts the report's figure through the steward, and perp risk verify reproduces every posted number", async () => {
    await makeSteward(chain.wallet(KEEPER_WALLET).account.address);
    const k = await keeper(3_600);
    try {
      const head = await chain.publicClient.getBlockNumber();
      await tickWhile(k, async () => (await figure()).postedAt !== 0n);
      // The keeper counts its post from the chain at its next tick.
      await chain.testClient.mine({ blocks: 1 });
      await k.tick();
      const f = await figure();
      expect(f.blockNumber).toBeGreaterThanOrEqual(head);
      expect(f.paths).toBe(24);
      const { hash } = await chain.publicClient.getBlock({ blockNumber: f.blockNumber });
      expect(f.seed).toBe(BigInt(hash) & ((1n << 64n) - 1n));
      expect(f.juniorCapital).toBeGreaterThan(0n);
      expect(Number((await k.metrics.riskFigurePosts.get()).values[0]?.value)).toBe(1);
      expect((await k.metrics.riskFigureShareBps.get()).values[0]?.value).toBe(f.shareBps);
      expect(Number((await k.metrics.riskFigureRunSeconds.get()).values[0]?.value)).toBeGreaterThan(0);

      const v = await verifyPostedFigure(chain.publicClient, d, { workers: 0 });
      expect(
        v.rows.filter((r) => r.ok === false),
        JSON.stringify(v.rows),
      ).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.figure.blockNumber).toBe(f.blockNumber);

      // Not due again before the interval: more blocks, no second post.
      for (let i = 0; i < 5; i++) {
        await chain.testClient.mine({ blocks: 1 });
        await k.tick();
      }
      expect(await posts()).toBe(1);
      // Due once the figure is an interval old on chain.
      await chain.testClient.increaseTime({ seconds: 3_600 });
      await tickWhile(k, async () => (await posts()) === 2);
      expect((await figure()).blockNumber).toBeGreaterThan(f.blockNumber);
    } finally {
      await k.stop();
    }
  }, 240_000);

  it("with a key that is not the steward's it never runs the report, and its health says why", async () => {
    const k = await keeper(3_600);
    try {
      for (let i = 0; i < 4; i++) {
        await chain.testClient.mine({ blocks: 1 });
        await k.tick();
      }
      expect(await posts()).toBe(0);
      const task = k.tasks.find((t) => t.name === "riskFigure");
      expect(task?.health().detail).toMatch(/not the oracle's steward/);
      expect(Number((await k.metrics.riskFigureRunSeconds.get()).values[0]?.value ?? 0)).toBe(0);
    } finally {
      await k.stop();
    }
  }, 60_000);

  it("refreshes both vaults' boost multiplier once the oracle's differs, and only then", async () => {
    const k = await keeper(0);
    const stored = (vault: `0x${string}`) =>
      chain.publicClient.readContract({ address: vault, abi: trancheVaultAbi, functionName: "boostMultiplierBps" });
    try {
      await chain.testClient.mine({ blocks: 1 });
      await k.tick();
      const calm = await stored(d.contracts.junior);
      // A volatile block: both markets jump and the oracle stores them.
      await shockIndex(chain, d, ETH, (ETH_PRICE * 107n) / 100n);
      await shockIndex(chain, d, BTC, (BTC_PRICE * 107n) / 100n);
      for (const m of [ETH, BTC]) {
        // A new second: the router answers a refresh in the second of its last observation from its cache.
        const { timestamp } = await chain.publicClient.getBlock();
        await chain.testClient.setNextBlockTimestamp({ timestamp: timestamp + 1n });
        await send(chain, chain.deployer, {
          address: d.contracts.oracle,
          abi: oracleRouterAbi,
          functionName: "refresh",
          args: [m],
        });
      }
      const wanted = await chain.publicClient.readContract({ ...oracle(), functionName: "boostMultiplierBps" });
      expect(wanted).toBeGreaterThan(calm);
      await tickWhile(
        k,
        async () => (await stored(d.contracts.junior)) === wanted && (await stored(d.contracts.senior)) === wanted,
        30_000,
      );
      expect(Number((await k.metrics.boostRefreshes.get()).values[0]?.value)).toBeGreaterThanOrEqual(2);
    } finally {
      await k.stop();
    }
  }, 90_000);
});
