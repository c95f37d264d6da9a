// getPremiumApr against a real anvil: fees from trades become premium (pool.distributePremium), time advances a day
// per block, and the SDK's trailing APRs, read back from history, equal the share-price change this test observed
// at the blocks it mined, to the wei.
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { trancheVaultAbi } from "../../../ts/abi/generated";
import { createBlockTimestampCache } from "../../../ts/chain/blockAtTimestamp";
import { mulDivFloor, WAD } from "../../../ts/money";
import { InvalidParametersError } from "../../../ts/pool";
import { getPremiumApr, YEAR } from "../../../ts/tranches";
import { useChain } from "../harness";
import { deployProtocolFixture, fundTrader, type Protocol } from "../sdk/fixture";
import { type Payout, paidTo, tradeAndDistribute } from "./premium";

// Each test passes its own block-timestamp cache: anvil's evm_revert between tests replaces mined blocks.
const chain = useChain();
let p: Protocol;
const DAY = 86_400n;
const SHARE_DECIMALS = 12n; // 6-decimal USDC + the 6-decimal virtual-share offset
const SCALED_SHARES = 10n ** (SHARE_DECIMALS + 18n);
const JUNIOR_DEPOSIT = 2_000_000n * 10n ** 6n;

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await fundTrader(chain, p, chain.wallet(1), 100_000n * 10n ** 6n);
});

type Observed = { number: bigint; timestamp: bigint; price: Map<Address, bigint>; unvested: Map<Address, bigint> };

/** Reads each vault's scaled share price and unvested premium at the head, as they are now (no historical read). */
async function observe(): Promise<Observed> {
  const block = await chain.publicClient.getBlock({ blockTag: "latest" });
  const price = new Map<Address, bigint>();
  const unvested = new Map<Address, bigint>();
  for (const vault of [p.junior, p.senior]) {
    const v = { address: vault, abi: trancheVaultAbi, blockNumber: block.number } as const;
    price.set(
      vault,
      await chain.publicClient.readContract({ ...v, functionName: "convertToAssets", args: [SCALED_SHARES] }),
    );
    unvested.set(vault, await chain.publicClient.readContract({ ...v, functionName: "unvestedPremium" }));
  }
  return { number: block.number, timestamp: block.timestamp, price, unvested };
}

/** Advances the clock by a day and mines one block. */
async function nextDay(): Promise<void> {
  await chain.testClient.increaseTime({ seconds: Number(DAY) });
  await chain.testClient.mine({ blocks: 1 });
}

describe("getPremiumApr", () => {
  it("reports trailing APRs equal to the annualized share-price change observed at the mined blocks", async () => {
    const history: Observed[] = [];
    const first = await tradeAndDistribute(chain, p);
    history.push(await observe());
    let second: Payout | undefined;
    for (let day = 1; day <= 35; day++) {
      if (day === 10) {
        second = await tradeAndDistribute(chain, p); // a second payout while the first still streams
        history.push(await observe());
      }
      await nextDay();
      history.push(await observe());
    }
    if (!second) throw new Error("unreachable");

    const cache = createBlockTimestampCache();
    // "now" at three points: mid first stream, mid second stream, and after both have vested.
    for (const nowIndex of [5, 14, history.length - 1]) {
      const now = history[nowIndex];
      if (!now) throw new Error("bad index");
      for (const vault of [p.junior, p.senior]) {
        const r = await getPremiumApr(chain.publicClient, { vault, blockNumber: now.number, cache });
        expect(r.now.sharePriceScaled).toBe(now.price.get(vault));
        expect(r.windows.map((w) => w.window)).toEqual([DAY, 7n * DAY, 30n * DAY]);
        for (const w of r.windows) {
          const start = history.filter((h) => h.timestamp <= now.timestamp - w.window).at(-1);
          if (!start) {
            // The window reaches back before the vault was deployed: it starts at the deployment block, where
            // the vault was empty (share price 10^30 x (0 + 1) / (0 + 10^6) for 10^30 share wei).
            expect(w.complete).toBe(false);
            expect(w.from.blockNumber).toBeLessThan(first.block);
            expect(w.from.totalAssets).toBe(0n);
            expect(w.from.sharePriceScaled).toBe(SCALED_SHARES / 10n ** 6n);
            expect(w.elapsed).toBe(now.timestamp - w.from.timestamp);
            continue;
          }
          const p0 = start.price.get(vault) ?? 0n;
          const p1 = now.price.get(vault) ?? 0n;
          const elapsed = now.timestamp - start.timestamp;
          expect(w.from.blockNumber).toBe(start.number);
          expect(w.elapsed).toBe(elapsed);
          expect(w.complete).toBe(true);
          expect(w.from.sharePriceScaled).toBe(p0);
          expect(w.apr).toBe(mulDivFloor(p1 - p0, WAD * YEAR, p0 * elapsed));
          expect(w.premiumAdded).toBe(w.to.totalPremiumReceived - w.from.totalPremiumReceived);
          expect(w.lossCovered).toBe(0n);
        }
      }
    }

    // After both streams vested, the junior share price is exactly the vault math on deposit + premium paid.
    const end = history.at(-1);
    const payouts = paidTo(first.paid, p.junior).assets + paidTo(second.paid, p.junior).assets;
    expect(end?.price.get(p.junior)).toBe(
      (SCALED_SHARES * (JUNIOR_DEPOSIT + payouts + 1n)) / (JUNIOR_DEPOSIT * 10n ** 6n + 10n ** 6n),
    );
    const last = await getPremiumApr(chain.publicClient, { vault: p.junior, cache });
    const month = last.windows[2];
    // 35 days after the first payout, the 30-day window holds the second payout and the last days of the first.
    expect(month?.payouts.map((x) => x.assets)).toEqual([paidTo(second.paid, p.junior).assets]);
    expect(month?.premiumVested).toBeGreaterThan(paidTo(second.paid, p.junior).assets);
    expect(month?.premiumVested).toBeLessThan(payouts);
    expect(last.windows[0]?.apr).toBe(0n); // nothing vested in the last day: both streams are over
    expect(last.streaming).toMatchObject({ unvested: 0n, secondsLeft: 0n, ratePerSecondWad: 0n, apr: 0n });
  }, 120_000);

  it("gives junior three times senior's premium per unit of capital (weights 3 : 1)", async () => {
    await tradeAndDistribute(chain, p);
    for (let day = 1; day <= 8; day++) await nextDay();
    const [j, s] = await Promise.all(
      [p.junior, p.senior].map((vault) =>
        getPremiumApr(chain.publicClient, { vault, windows: [8n * DAY], cache: createBlockTimestampCache() }),
      ),
    );
    const jw = j?.windows[0];
    const sw = s?.windows[0];
    if (!jw?.premiumApr || !sw?.premiumApr) throw new Error("no premium APR");
    expect(jw.premiumVested).toBeGreaterThan(0n);
    // junior / senior premium per capital = 3, up to the backstop's and the APR's rounding (1 part in 10^6).
    const ratio = (jw.premiumApr * 1_000_000n) / sw.premiumApr;
    expect(ratio).toBeGreaterThanOrEqual(2_999_990n);
    expect(ratio).toBeLessThanOrEqual(3_000_010n);
    // No loss, no deposit: the share price moved by the premium alone (up to the virtual share and asset).
    if (jw.apr === null) throw new Error("no APR");
    expect(jw.apr - jw.premiumApr).toBeLessThanOrEqual(jw.premiumApr / 1_000_000n);
    expect(jw.premiumApr - jw.apr).toBeLessThanOrEqual(jw.premiumApr / 1_000_000n);
  }, 60_000);

  it("reports the rate streaming now as what vests next, and the average as unvested over time left", async () => {
    const { paid } = await tradeAndDistribute(chain, p);
    const { streamEnd, assets } = paidTo(paid, p.senior);
    await nextDay();
    const before = await observe();
    const r = await getPremiumApr(chain.publicClient, {
      vault: p.senior,
      windows: [DAY],
      cache: createBlockTimestampCache(),
    });
    const s = r.streaming;
    expect(s.streamEnd).toBe(streamEnd);
    expect(s.secondsLeft).toBe(streamEnd - before.timestamp);
    expect(s.unvested).toBe(before.unvested.get(p.senior));
    expect(s.unvested).toBeLessThan(assets);
    expect(s.display.unvested.quotient.toString()).toBe(s.unvested.toString());
    expect(s.display.unvested.currency.decimals).toBe(6);
    expect(s.horizon).toBe(3_600n);
    expect(s.averageRatePerSecondWad).toBe((s.unvested * WAD) / s.secondsLeft);
    // One linear stream: the rate now and the average until the end agree up to the vault's rounding up.
    const gap = s.ratePerSecondWad - s.averageRatePerSecondWad;
    expect(gap < 0n ? -gap : gap).toBeLessThanOrEqual(WAD / 3_600n + WAD / s.secondsLeft);
    expect(s.apr).toBe((s.ratePerSecondWad * YEAR) / r.now.totalAssets);

    // Exactly one horizon later the vault's assets have grown by rate x horizon (the rate is rounded down).
    await chain.testClient.setNextBlockTimestamp({ timestamp: before.timestamp + s.horizon });
    await chain.testClient.mine({ blocks: 1 });
    const read = (blockTag: "latest") =>
      chain.publicClient.readContract({
        address: p.senior,
        abi: trancheVaultAbi,
        functionName: "totalAssets",
        blockTag,
      });
    const grew = (await read("latest")) - r.now.totalAssets;
    const predicted = (s.ratePerSecondWad * s.horizon) / WAD;
    expect(grew - predicted).toBeGreaterThanOrEqual(0n);
    expect(grew - predicted).toBeLessThanOrEqual(1n);

    // Over the next day they grow by the average rate x seconds (one linear stream; within 1 unit of rounding).
    await nextDay();
    const after = await observe();
    const grewDay = (await read("latest")) - r.now.totalAssets;
    const predictedDay = (s.averageRatePerSecondWad * (after.timestamp - before.timestamp)) / WAD;
    expect(grewDay - predictedDay).toBeGreaterThanOrEqual(-1n);
    expect(grewDay - predictedDay).toBeLessThanOrEqual(1n);
  }, 60_000);

  it("clamps a window longer than the vault's life to its deployment and says it is incomplete", async () => {
    const r = await getPremiumApr(chain.publicClient, {
      vault: p.junior,
      windows: [30n * DAY],
      cache: createBlockTimestampCache(),
    });
    const w = r.windows[0];
    expect(w?.complete).toBe(false);
    expect(w?.from.totalAssets).toBe(0n);
    // An empty vault's share price: 10^30 shares x (0 + 1) / (0 + 10^6) virtual shares.
    expect(w?.from.sharePriceScaled).toBe(SCALED_SHARES / 10n ** 6n);
    const code = await chain.publicClient.getCode({ address: p.junior, blockNumber: (w?.from.blockNumber ?? 1n) - 1n });
    expect(code ?? "0x").toBe("0x");
    expect(w?.premiumApr).toBeNull(); // no capital at the start: no yield on it is defined
  });

  it("refuses a zero window and a bad address before any RPC call", async () => {
    await expect(getPremiumApr(chain.publicClient, { vault: p.junior, windows: [0] })).rejects.toBeInstanceOf(
      InvalidParametersError,
    );
    await expect(getPremiumApr(chain.publicClient, { vault: "0x12" as Address })).rejects.toThrow(
      /vault: must be a 0x-prefixed 20-byte hex address/,
    );
  });
});
