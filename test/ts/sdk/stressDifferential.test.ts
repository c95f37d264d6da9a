// Issue 19's stress differential: with a risk engine set on the pool, the SDK's joint stress from raw state
// (getAccountState + getRiskEngine → stressTestJoint) equals lens.stressTestJoint to the wei in every field (counts,
// bad debt, the junior / senior / socialized split, the tranches' capital, the inventory's loss, and per account the
// value, the netted maintenance requirement and whether it is liquidatable), on random books of 1–8 markets per
// account under random joint shocks, some beyond a market's breaker threshold (each market its own threshold: the
// shock trips it, the market turns ReduceOnly and loses its netting credit), with the backstop holding inventory
// after liquidations in some runs.
import fc from "fast-check";
import { type Address, zeroAddress } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi, testUsdcAbi } from "../../../ts/abi/generated";
import type { DevWalletClient } from "../../../ts/devnet/clients";
import { WAD } from "../../../ts/money";
import { getAccountState } from "../../../ts/pool/actions/getAccountState";
import { getRiskEngine } from "../../../ts/pool/actions/getRiskEngine";
import { accountHealthAt } from "../../../ts/pool/math/accountMath";
import { ALL_MARKETS, shockedPosition, stressTest, stressTestJoint } from "../../../ts/pool/math/stressMath";
import { useChain } from "../harness";
import { FAR_DEADLINE, MAX_UINT256 } from "./chainHelpers";
import { bookTraders, DEPOSITS, deployEightMarketBook, PRICES, randomTrade } from "./eightMarketBook";
import { type Protocol, setPrice } from "./fixture";

const chain = useChain();
let p: Protocol;
/** Each market's breaker threshold (bps): ETH and BTC keep the fixture's 15 %, the others spread across the range. */
const THRESHOLDS = [1_500, 1_500, 500, 800, 1_000, 2_500, 4_000, 9_000];
const traders = (): DevWalletClient[] => bookTraders(chain);
const owners = (): Address[] => traders().map((t) => t.account.address);

beforeAll(async () => {
  ({ p } = await deployEightMarketBook(chain, { jumpThresholdsBps: THRESHOLDS }));
});

const trade = randomTrade;
/** One market's shock: mostly within every threshold's reach either way, some far beyond, some none. */
const shockBps = fc.oneof(
  fc.integer({ min: -1_200, max: 1_200 }),
  fc.integer({ min: -9_999, max: -1_300 }),
  fc.integer({ min: 1_300, max: 100_000 }),
  fc.constant(0),
);

/** What each vault can pay at `blockNumber`: its USDC balance. */
async function capacity(blockNumber: bigint) {
  const balance = (who: Address) =>
    chain.publicClient.readContract({
      address: p.usdc,
      abi: testUsdcAbi,
      functionName: "balanceOf",
      args: [who],
      blockNumber,
    });
  const [juniorTokens, seniorTokens] = await Promise.all([balance(p.junior), balance(p.senior)]);
  return { juniorTokens, seniorTokens };
}

/** Random trades (a refused one just reverts), a small move on some markets, then a liquidation of anyone under. */
async function buildBook(trades: readonly TradeInput[], liquidate: boolean) {
  for (const t of trades) {
    const price = PRICES[t.market] as bigint;
    const quote = ((DEPOSITS[t.who] as bigint) * 10n ** 12n * BigInt(Math.round(t.leverage * 10))) / 10n;
    const size = (quote * WAD) / price;
    const trader = traders()[t.who] as DevWalletClient;
    const hash = await trader.writeContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "trade",
      args: [
        trader.account.address,
        0n,
        BigInt(t.market),
        t.long ? size : -size,
        t.long ? MAX_UINT256 : 0n,
        FAR_DEADLINE,
      ],
      gas: 5_000_000n,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash });
  }
  if (!liquidate) return;
  // A 12 % move against the first trader's side on its market (within the fixture's 15 % threshold), then the
  // keeper liquidates whoever fell: the backstop takes inventory the stress must value.
  const first = trades[0];
  if (!first) return;
  const price = PRICES[first.market] as bigint;
  await setPrice(chain, p, BigInt(first.market), (price * (first.long ? 8_800n : 11_200n)) / 10_000n);
  await chain.testClient.increaseTime({ seconds: 1 });
  await chain.testClient.mine({ blocks: 1 });
  for (const owner of owners()) {
    const hash = await chain.wallet(7).writeContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "liquidate",
      args: [owner, 0n, MAX_UINT256],
      gas: 8_000_000n,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash });
  }
}
type TradeInput = { who: number; market: number; leverage: number; long: boolean };

/** The SDK's inputs at one block: every trader's state, the backstop inventory, the engine and the vaults' capacity. */
async function sdkInputs(blockNumber: bigint) {
  const read = (owner: Address) =>
    getAccountState(chain.publicClient, { pool: p.pool, oracle: p.oracle, owner, blockNumber });
  const [states, inventory, engine, cap] = await Promise.all([
    Promise.all(owners().map(read)),
    read(zeroAddress),
    getRiskEngine(chain.publicClient, { pool: p.pool, blockNumber }),
    capacity(blockNumber),
  ]);
  return { states, inventory: inventory.positions, engine, cap, timestamp: inventory.timestamp };
}

describe("joint stress: SDK vs lens with a risk engine set", () => {
  it("stressTestJoint equals lens.stressTestJoint in every field on random books and random joint shocks", async () => {
    const seen = { runs: 0, tripped: 0, lostCredit: 0, liquidatable: 0, badDebt: 0, senior: 0, inventory: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(trade, { minLength: 4, maxLength: 20 }),
        fc.array(fc.array(shockBps, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (trades, shockSets, liquidate) => {
          const snap = await chain.snapshot();
          try {
            await buildBook(trades, liquidate);
            await chain.testClient.mine({ blocks: 1 });
            const blockNumber = await chain.publicClient.getBlockNumber();
            const { states, inventory, engine, cap, timestamp } = await sdkInputs(blockNumber);
            expect(engine).not.toBeNull();
            for (const raw of shockSets) {
              const shocks = raw.map(BigInt);
              const sdk = stressTestJoint(states, shocks, cap, timestamp, engine, inventory);
              const lens = await chain.publicClient.readContract({
                address: p.lens,
                abi: perpLensAbi,
                functionName: "stressTestJoint",
                args: [shocks, owners(), owners().map(() => 0n)],
                blockNumber,
              });
              expect(sdk).toEqual(lens);
              seen.runs++;
              // What the comparison reached: a predicted breaker trip that cost an account its netting credit.
              for (const s of states) {
                const shocked = s.positions.map((q) => shockedPosition(q, shocks[Number(q.marketId)] ?? 0n));
                const trips = shocked.filter((q, i) => q.oracleStatus !== s.positions[i]?.oracleStatus).length;
                if (trips > 0) seen.tripped++;
                const untripped = s.positions.map((q) => ({
                  ...q,
                  index: shockedPosition(q, shocks[Number(q.marketId)] ?? 0n).index,
                }));
                if (
                  trips > 0 &&
                  accountHealthAt(s.account, shocked, timestamp, engine).maintenanceRequirement >
                    accountHealthAt(s.account, untripped, timestamp, engine).maintenanceRequirement
                ) {
                  seen.lostCredit++;
                }
              }
              if (sdk.liquidatableCount > 0n) seen.liquidatable++;
              if (sdk.totalBadDebt > 0n) seen.badDebt++;
              if (sdk.seniorLoss > 0n) seen.senior++;
              if (sdk.inventoryLoss > 0n) seen.inventory++;
            }
          } finally {
            await chain.revert(snap);
          }
        },
      ),
      { numRuns: 40, seed: 19_2027, endOnFailure: true },
    );
    if (process.env.SDK_TEST_DEBUG) console.log(seen);
    expect(seen.tripped).toBeGreaterThan(0);
    expect(seen.lostCredit).toBeGreaterThan(0);
    expect(seen.liquidatable).toBeGreaterThan(0);
    expect(seen.badDebt).toBeGreaterThan(0);
    expect(seen.inventory).toBeGreaterThan(0);
  });

  it("the single-market and ALL_MARKETS forms equal lens.stressTest with the engine", async () => {
    const snap = await chain.snapshot();
    try {
      await buildBook(
        [
          { who: 0, market: 0, leverage: 4, long: true },
          { who: 0, market: 1, leverage: 3, long: false },
          { who: 1, market: 2, leverage: 5, long: true },
          { who: 1, market: 0, leverage: 2, long: true },
          { who: 2, market: 3, leverage: 4, long: false },
          { who: 3, market: 1, leverage: 1, long: true },
        ],
        true,
      );
      await chain.testClient.mine({ blocks: 1 });
      const blockNumber = await chain.publicClient.getBlockNumber();
      const { states, inventory, engine, cap, timestamp } = await sdkInputs(blockNumber);
      for (const [marketId, bps] of [
        [0n, -2_000n],
        [1n, 1_000n],
        [2n, -600n],
        [ALL_MARKETS, -3_000n],
        [ALL_MARKETS, 4_000n],
      ] as const) {
        // The shocked market's index as the lens prices it (for `shockedIndex` even when nobody holds the market).
        const index =
          marketId === ALL_MARKETS
            ? undefined
            : (
                await chain.publicClient.readContract({
                  address: p.lens,
                  abi: perpLensAbi,
                  functionName: "marketView",
                  args: [marketId],
                  blockNumber,
                })
              ).indexPrice;
        const sdk = stressTest(states, { marketId, shockBps: bps, index }, cap, timestamp, engine, inventory);
        const lens = await chain.publicClient.readContract({
          address: p.lens,
          abi: perpLensAbi,
          functionName: "stressTest",
          args: [marketId, bps, owners(), owners().map(() => 0n)],
          blockNumber,
        });
        expect(sdk).toEqual(lens);
      }
    } finally {
      await chain.revert(snap);
    }
  });
});
