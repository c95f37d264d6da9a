// getTrancheHistory against a real anvil: premium streams in over days, this test reads each vault's share price at
// the head after every block it mines, and the history read back afterwards (historical eth_call at sampled blocks)
// equals what was observed, to the wei; the APRs are the annualized change between the samples they name; the
// premium events are the payouts the distributions made.
import { type Address, parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { iTrancheBoostAbi, perpPoolAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { mulDivFloor, WAD } from "../../../ts/money";
import { InvalidParametersError } from "../../../ts/pool";
import { YEAR } from "../../../ts/tranches";
import {
  createTrancheHistoryCache,
  getTrancheHistory,
  historySampleBlocks,
  type TrancheHistoryPoint,
} from "../../../ts/tranches/actions/getTrancheHistory";
import { useChain } from "../harness";
import { FAR_DEADLINE, MAX_UINT256 } from "../sdk/chainHelpers";
import { deployProtocolFixture, ETH, ETH_PRICE, fundTrader, type Protocol, send, setPrice } from "../sdk/fixture";
import { type Payout, paidTo } from "./premium";

const chain = useChain();
let p: Protocol;
const DAY = 86_400n;
const ONE_SHARE = 10n ** 12n; // 6-decimal USDC + the 6-decimal virtual-share offset

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await fundTrader(chain, p, chain.wallet(1), 100_000n * 10n ** 6n);
});

/** One distribution's payout to each vault: the part streamed (`PremiumAdded`) and the part into its boost pot. */
type Paid = {
  block: bigint;
  stream: Map<Address, Payout["paid"] extends Map<Address, infer V> ? V : never>;
  boost: Map<Address, bigint>;
};

/**
 * Opens and closes a 50 ETH long from dev wallet 1 (its fees become premium), then distributes the premium; every
 * call with a fixed, generous gas limit (an estimate cannot see the feed reads a later block's oracle refresh pays).
 */
async function tradeAndDistribute(): Promise<Paid> {
  await setPrice(chain, p, ETH, ETH_PRICE);
  const trader = chain.wallet(1);
  for (const size of [50n * WAD, -50n * WAD]) {
    const limit = size > 0n ? MAX_UINT256 : 0n;
    const args = [trader.account.address, 0n, ETH, size, limit, FAR_DEADLINE];
    await send(chain, trader, { address: p.pool, abi: perpPoolAbi, functionName: "trade", args });
  }
  const hash = await chain.wallet(7).writeContract({
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "distributePremium",
    gas: 5_000_000n,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`distributePremium reverted (${hash})`);
  const stream: Paid["stream"] = new Map();
  for (const log of parseEventLogs({ abi: trancheVaultAbi, eventName: "PremiumAdded", logs: receipt.logs })) {
    stream.set(log.address.toLowerCase() as Address, {
      assets: log.args.assets,
      streamEnd: BigInt(log.args.streamEnd),
    });
  }
  const boost: Paid["boost"] = new Map();
  for (const log of parseEventLogs({ abi: iTrancheBoostAbi, eventName: "BoostPremiumAdded", logs: receipt.logs })) {
    boost.set(log.address.toLowerCase() as Address, log.args.assets);
  }
  return { block: receipt.blockNumber, stream, boost };
}

/** What `vault` received in `d`: its stream and its boost part (0 when the backstop pays no boost). */
const partOf = (d: Paid, vault: Address) => ({
  ...paidTo(d.stream, vault),
  boost: d.boost.get(vault.toLowerCase() as Address) ?? 0n,
});

type Seen = { timestamp: bigint; price: bigint; scaled: bigint; totalAssets: bigint };
/** blockNumber -> vault -> what the vault showed at the head right after that block was mined. */
const seen = new Map<bigint, Map<Address, Seen>>();

async function observe(): Promise<void> {
  const block = await chain.publicClient.getBlock({ blockTag: "latest" });
  const at = new Map<Address, Seen>();
  for (const vault of [p.junior, p.senior]) {
    const v = { address: vault, abi: trancheVaultAbi, blockTag: "latest" } as const;
    const [price, scaled, totalAssets] = await Promise.all([
      chain.publicClient.readContract({ ...v, functionName: "convertToAssets", args: [ONE_SHARE] }),
      chain.publicClient.readContract({ ...v, functionName: "convertToAssets", args: [ONE_SHARE * WAD] }),
      chain.publicClient.readContract({ ...v, functionName: "totalAssets" }),
    ]);
    at.set(vault, { timestamp: block.timestamp, price, scaled, totalAssets });
  }
  seen.set(block.number, at);
}

async function nextDay(): Promise<void> {
  await chain.testClient.increaseTime({ seconds: Number(DAY) });
  await chain.testClient.mine({ blocks: 1 });
  await observe();
}

/** The APR a point should carry: from the latest earlier point at least `window` older (else the first). */
function expectedApr(points: TrancheHistoryPoint[], i: number, window: bigint) {
  const point = points[i] as TrancheHistoryPoint;
  const earlier = points.slice(0, i).filter((q) => q.timestamp <= point.timestamp - window);
  const base = (earlier.at(-1) ?? points[0]) as TrancheHistoryPoint;
  const elapsed = point.timestamp - base.timestamp;
  const apr =
    i === 0 || elapsed === 0n
      ? null
      : mulDivFloor(point.sharePriceScaled - base.sharePriceScaled, WAD * YEAR, base.sharePriceScaled * elapsed);
  return { apr, aprFromBlock: base.blockNumber, aprElapsed: elapsed, aprComplete: earlier.length > 0 };
}

describe("historySampleBlocks", () => {
  it("keeps at most `samples` blocks, both ends included, on a power-of-two grid that later calls keep", () => {
    for (const [start, head, samples] of [
      [100n, 100n, 60],
      [100n, 101n, 2],
      [100n, 110n, 4],
      [0n, 59n, 60],
      [0n, 60n, 60],
      [7n, 100_007n, 60],
      [5n, 1_000_000n, 2],
    ] as const) {
      const { step, blocks } = historySampleBlocks(start, head, samples);
      expect(blocks.length).toBeLessThanOrEqual(samples);
      expect(blocks[0]).toBe(start);
      expect(blocks.at(-1)).toBe(head);
      expect(step & (step - 1n)).toBe(0n);
      for (const b of blocks.slice(0, -1)) expect((b - start) % step).toBe(0n);
      expect([...new Set(blocks)]).toEqual(blocks);
      // One step smaller would need more than `samples` blocks (the step is the smallest that fits).
      if (step > 1n) expect((head - start + step / 2n - 1n) / (step / 2n) + 1n).toBeGreaterThan(BigInt(samples));
    }
    // As the head moves, the grid blocks of the earlier call that remain on the (same or doubled) grid are kept.
    const before = historySampleBlocks(10n, 1_000n, 60);
    const after = historySampleBlocks(10n, 1_300n, 60);
    const grid = after.blocks.slice(0, -1);
    for (const b of before.blocks.slice(0, -1)) if ((b - 10n) % after.step === 0n) expect(grid).toContain(b);
    expect(historySampleBlocks(10n, 1_000n, 60).blocks).toEqual(before.blocks);
  });
});

describe("getTrancheHistory", () => {
  it("samples share prices equal to those observed at each block, with APRs from the samples they name", async () => {
    const start = await chain.publicClient.getBlockNumber();
    await observe();
    const first = await tradeAndDistribute();
    await observe();
    let second: Paid | undefined;
    for (let day = 1; day <= 20; day++) {
      if (day === 8) {
        second = await tradeAndDistribute();
        await observe();
      }
      await nextDay();
    }
    if (!second) throw new Error("unreachable");
    const head = await chain.publicClient.getBlockNumber();

    for (const samples of [200, 9]) {
      const h = await getTrancheHistory(chain.publicClient, {
        junior: p.junior,
        senior: p.senior,
        backstop: p.backstop,
        fromBlock: start,
        samples,
        aprWindow: 3n * DAY,
      });
      expect(h.toBlock).toBe(head);
      expect(h.blocks.map((b) => b.blockNumber)).toEqual(historySampleBlocks(start, head, samples).blocks);
      let compared = 0;
      for (const side of ["junior", "senior"] as const) {
        const vault = p[side];
        const points = h[side].points;
        expect(points.map((x) => x.blockNumber)).toEqual(h.blocks.map((b) => b.blockNumber));
        points.forEach((point, i) => {
          expect(point).toMatchObject(expectedApr(points, i, 3n * DAY));
          const o = seen.get(point.blockNumber)?.get(vault);
          if (!o) return; // a block mined inside tradeAndDistribute, not observed after it
          expect(point).toMatchObject({
            timestamp: o.timestamp,
            sharePrice: o.price,
            sharePriceScaled: o.scaled,
            totalAssets: o.totalAssets,
          });
          compared++;
        });
        // Premium streamed in: the price only rose, and the APR is positive while a stream vests.
        const prices = points.map((x) => x.sharePriceScaled);
        for (let i = 1; i < prices.length; i++) expect(prices[i]).toBeGreaterThanOrEqual(prices[i - 1] as bigint);
        expect(points.some((x) => (x.apr ?? 0n) > 0n)).toBe(true);
        // The payouts are the two distributions' PremiumAdded (and BoostPremiumAdded) events, at their blocks.
        expect(h[side].premiums.map((e) => [e.kind, e.blockNumber, e.assets, e.streamEnd])).toEqual(
          [first, second].flatMap((d) => [
            ["stream", d.block, partOf(d, vault).assets, partOf(d, vault).streamEnd],
            ...(partOf(d, vault).boost > 0n ? [["boost", d.block, partOf(d, vault).boost, 0n]] : []),
          ]),
        );
      }
      expect(compared).toBeGreaterThanOrEqual(samples === 9 ? 10 : 40);
      // The backstop's distributions: the parts each vault received, split by the capital rule (no posted figure).
      expect(h.distributions.map((d) => [d.blockNumber, d.toJunior, d.toSenior, d.source])).toEqual(
        [first, second].map((d) => [
          d.block,
          partOf(d, p.junior).assets + partOf(d, p.junior).boost,
          partOf(d, p.senior).assets + partOf(d, p.senior).boost,
          "capital",
        ]),
      );
      for (const d of h.distributions) {
        expect(d.toJunior + d.toSenior).toBe(d.amount);
        expect(d.juniorShareBps).toBeGreaterThan(0n);
        expect(d.juniorShareBps).toBeLessThan(10_000n);
      }
    }
  }, 120_000);

  it("starts each vault's points at its deployment, where an empty vault's share is worth one asset unit", async () => {
    const h = await getTrancheHistory(chain.publicClient, { junior: p.junior, senior: p.senior, fromBlock: 0n });
    for (const side of ["junior", "senior"] as const) {
      const code = await chain.publicClient.getCode({ address: p[side], blockNumber: h[side].deployedAt - 1n });
      expect(code ?? "0x").toBe("0x");
      expect(h[side].points[0]?.blockNumber).toBeGreaterThanOrEqual(h[side].deployedAt);
      expect(h[side].points.length).toBeLessThanOrEqual(60);
      expect(h[side].points.filter((x) => x.totalAssets === 0n).every((x) => x.sharePrice === 10n ** 6n)).toBe(true);
    }
    expect(h.distributions).toEqual([]); // no backstop given
  });

  it("gives the same history from a cache as from the chain, also after new payouts and blocks", async () => {
    await tradeAndDistribute();
    for (let i = 0; i < 80; i++) await chain.testClient.mine({ blocks: 1 });
    const args = { junior: p.junior, senior: p.senior, backstop: p.backstop, fromBlock: p.deployment.startBlock };
    const cache = createTrancheHistoryCache();
    const cold = await getTrancheHistory(chain.publicClient, { ...args, cache });
    expect(cache.points.size).toBeGreaterThan(0);
    expect(cache.timestamps.size).toBeGreaterThan(0);
    expect(cache.logs.size).toBe(6); // 2 events x 2 vaults, 2 of the backstop
    const warm = await getTrancheHistory(chain.publicClient, { ...args, cache });
    expect(warm).toEqual(cold);
    // A payout after the cached logs: the cache's scan of the new blocks finds it, as a cold read does.
    await tradeAndDistribute();
    for (let i = 0; i < 70; i++) await chain.testClient.mine({ blocks: 1 });
    const later = await getTrancheHistory(chain.publicClient, { ...args, cache });
    expect(later).toEqual(await getTrancheHistory(chain.publicClient, args));
    expect(later.distributions).toHaveLength(cold.distributions.length + 1);
    expect(later.junior.premiums.length).toBeGreaterThan(cold.junior.premiums.length);
  });

  it("rejects a bad sample count or window", async () => {
    const base = { junior: p.junior, senior: p.senior, fromBlock: 0n };
    await expect(getTrancheHistory(chain.publicClient, { ...base, samples: 1 })).rejects.toThrow(
      InvalidParametersError,
    );
    await expect(getTrancheHistory(chain.publicClient, { ...base, aprWindow: -1n })).rejects.toThrow(
      InvalidParametersError,
    );
  });
});
