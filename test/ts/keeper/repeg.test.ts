// The repeg through the keeper, on a real chain: the index falls 6 % and nobody trades; the keeper updates funding
// at every interval (before its other tasks, as it always does) and sends a repeg step in every block whose
// snapshot says `repegDue`. The steps run although funding is updated first (the repeg's window is its own), and
// the mark comes back to within the funding cap of the index. (Before, `npm start`'s keeper sent no repeg at all.)
import { parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi, settableFeedAbi } from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import { useChain } from "../harness";
import { deployForKeeper, ETH, ETH_PRICE, keeperConfig, makeKeeper } from "./fixture";

const INDEX = (ETH_PRICE * 9_400n) / 10_000n;
const BLOCK_SECONDS = 30n;

describe("keeper repeg", () => {
  const chain = useChain();
  let d: Deployment;

  beforeAll(async () => {
    d = await deployForKeeper(chain);
  }, 120_000);

  /** Every ETH feed answers `price` in a fresh round (one transaction each, mined at once). */
  async function setIndex(price: bigint) {
    const market = d.markets.find((m) => BigInt(m.marketId) === ETH);
    if (!market) throw new Error("no ETH market");
    for (const feed of market.feeds) {
      const hash = await chain.deployer.writeContract({
        address: feed,
        abi: settableFeedAbi,
        functionName: "setAnswer",
        args: [price / 10n ** BigInt(18 - market.feedDecimals)],
      });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
  }

  async function marketView() {
    return chain.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "marketView",
      args: [ETH],
      blockNumber: await chain.publicClient.getBlockNumber({ cacheTime: 0 }),
    });
  }

  it("steps every block while due, after its own funding updates, until the mark is within the funding cap", async () => {
    const from = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    await setIndex(INDEX);
    const keeper = makeKeeper(keeperConfig(chain.anvil.rpcUrl, { tasks: { liquidation: false } }), d);
    await keeper.init();
    try {
      for (let i = 0; i < 200; i++) {
        const v = await marketView();
        if (v.markPrice * 10_000n <= INDEX * (10_000n + 50n) && i > 0) break;
        await chain.testClient.increaseTime({ seconds: Number(BLOCK_SECONDS) });
        await setIndex(INDEX); // fresh rounds (the feeds would go stale over the hour) in a new block
        await keeper.tick();
      }
    } finally {
      await keeper.stop();
    }
    const to = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const logs = await chain.publicClient.getLogs({ address: d.contracts.pool, fromBlock: from, toBlock: to });
    const events = parseEventLogs({ abi: perpPoolAbi, logs });
    const steps = events.filter((e) => e.eventName === "Repegged");
    const fundings = events.filter((e) => e.eventName === "FundingUpdated");
    expect(fundings.length).toBeGreaterThanOrEqual(3);
    expect(steps.length).toBeGreaterThan(30);
    // Each step moves the mark toward the index by 1.5 x feeBps (15 bps) at most, never past it.
    for (const s of steps) {
      const { markBefore, markAfter } = s.args as { markBefore: bigint; markAfter: bigint };
      expect(markAfter).toBeLessThan(markBefore);
      expect((markBefore - markAfter) * 20_000n).toBeLessThanOrEqual(markBefore * 30n);
      expect(markAfter).toBeGreaterThanOrEqual(INDEX);
    }
    const v = await marketView();
    expect(v.markPrice * 10_000n).toBeLessThanOrEqual(INDEX * (10_000n + 50n));
    expect(v.repegDue).toBe(false);
  }, 240_000);
});
