// fast-check differential: the keeper's local health (one batched read per block + SDK math) equals
// PerpLens.accountHealth, field by field, on random states: trades on two markets, index moves (including
// breaker trips), time passing (funding accrues), funding updates, and halted oracles (stale feeds); without and
// with a risk engine on the pool (portfolio netting); and the book's evaluation (float prefilter, then exact)
// lists exactly the accounts the lens calls liquidatable.
import fc from "fast-check";
import { type Address, maxUint256 } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  perpLensAbi,
  perpPoolAbi,
  riskEngineAbi,
  riskEngineBytecode,
  settableFeedAbi,
  testUsdcAbi,
} from "../../../ts/abi/generated";
import type { Deployment } from "../../../ts/deploy/deployment";
import type { DevWalletClient } from "../../../ts/devnet/clients";
import { deployContract } from "../../../ts/devnet/deploy";
import { syntheticGrid } from "../../../ts/keeper/bench/syntheticBook";
import { WAD } from "../../../ts/money";
import { useChain } from "../harness";
import { send } from "../sdk/fixture";
import { BTC_PRICE, deployForKeeper, ETH_PRICE, keeperConfig, makeKeeper } from "./fixture";

const OWNERS = [1, 2, 3];
const SUB_IDS = [1n, 2n];
const PRICES = [ETH_PRICE, BTC_PRICE];

type Action =
  | { kind: "trade"; who: number; sub: number; market: number; sizeBps: number }
  | { kind: "price"; market: number; moveBps: number }
  | { kind: "warp"; seconds: number }
  | { kind: "funding"; market: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("trade" as const),
      who: fc.nat(2),
      sub: fc.nat(1),
      market: fc.nat(1),
      sizeBps: fc.integer({ min: -90_000, max: 90_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("price" as const),
      market: fc.nat(1),
      moveBps: fc.integer({ min: -2_500, max: 2_500 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("warp" as const),
      seconds: fc.oneof(fc.integer({ min: 1, max: 900 }), fc.constant(4_000)),
    }),
  },
  // A funding period passes and the rate is set from the period's time-weighted gap, then it accrues a while.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("funding" as const), market: fc.nat(1) }) },
);

/** Trades and index moves below the oracle's jump threshold, no time passing: every oracle stays Normal. */
const calmAction: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("trade" as const),
      who: fc.nat(2),
      sub: fc.nat(1),
      market: fc.nat(1),
      sizeBps: fc.integer({ min: -90_000, max: 90_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("price" as const),
      market: fc.nat(1),
      moveBps: fc.integer({ min: -1_200, max: 1_200 }),
    }),
  },
);

describe("local health vs PerpLens.accountHealth", () => {
  const chain = useChain();
  let d: Deployment;
  const accounts: { owner: Address; subId: bigint; wallet: DevWalletClient }[] = [];

  beforeAll(async () => {
    // The deployer keeps the pool: one property sets a new risk engine directly (through the timelock it would wait
    // for the tranches' exit time, which outlives every oracle).
    d = await deployForKeeper(chain, undefined, "owner");
    const { pool, usdc } = d.contracts;
    for (const i of OWNERS) {
      const w = chain.wallet(i);
      const me = w.account.address;
      await send(chain, w, { address: usdc, abi: testUsdcAbi, functionName: "mint", args: [me, 10n ** 12n] });
      await send(chain, w, { address: usdc, abi: testUsdcAbi, functionName: "approve", args: [pool, maxUint256] });
      for (const subId of SUB_IDS) {
        await send(chain, w, {
          address: pool,
          abi: perpPoolAbi,
          functionName: "depositMargin",
          args: [subId, 5_000n * 10n ** 6n],
        });
        accounts.push({ owner: me, subId, wallet: w });
      }
    }
  }, 120_000);

  async function apply(a: Action, prices: bigint[]): Promise<void> {
    const { pool } = d.contracts;
    if (a.kind === "trade") {
      const acc = accounts[a.who * SUB_IDS.length + a.sub] as (typeof accounts)[number];
      // sizeBps of the account's 5,000 collateral as notional: up to 9x either way.
      const size = (5_000n * WAD * BigInt(a.sizeBps) * WAD) / 10_000n / (prices[a.market] as bigint);
      if (size === 0n) return;
      const args = [acc.owner, acc.subId, BigInt(a.market), size, size > 0n ? maxUint256 : 0n, maxUint256] as const;
      try {
        await chain.publicClient.simulateContract({
          address: pool,
          abi: perpPoolAbi,
          functionName: "trade",
          args,
          account: acc.wallet.account,
        });
      } catch {
        return; // margin, band, caps, reduce-only: the chain refuses it, so the state does not change
      }
      // A trade simulated at one timestamp may still revert when mined at the next (the oracle's jump breaker, the
      // volatility-scaled IM): a reverted trade changes nothing, the history goes on without it.
      await send(chain, acc.wallet, { address: pool, abi: perpPoolAbi, functionName: "trade", args }).catch(() => {});
    } else if (a.kind === "price") {
      const m = d.markets[a.market];
      prices[a.market] = ((prices[a.market] as bigint) * BigInt(10_000 + a.moveBps)) / 10_000n;
      for (const feed of m?.feeds ?? []) {
        await send(chain, chain.deployer, {
          address: feed,
          abi: settableFeedAbi,
          functionName: "setAnswer",
          args: [(prices[a.market] as bigint) / 10n ** 10n],
        });
      }
    } else if (a.kind === "warp") {
      // 4,000 s > the feeds' max age (3,600): the oracle halts until the next price update.
      await chain.testClient.increaseTime({ seconds: a.seconds });
      await chain.testClient.mine({ blocks: 1 });
    } else {
      await chain.testClient.increaseTime({ seconds: 700 });
      await chain.testClient.mine({ blocks: 1 });
      try {
        await chain.publicClient.simulateContract({
          address: pool,
          abi: perpPoolAbi,
          functionName: "updateFunding",
          args: [BigInt(a.market)],
          account: chain.deployer.account,
        });
      } catch {
        return; // not due
      }
      await send(chain, chain.deployer, {
        address: pool,
        abi: perpPoolAbi,
        functionName: "updateFunding",
        args: [BigInt(a.market)],
      });
    }
  }

  /** The property: after random actions, every account's local health equals the lens's, field by field, and the
   * book's evaluation (float prefilter, then exact) lists exactly the accounts the lens calls liquidatable. */
  async function agreesWithLens(
    numRuns: number,
    seed: number,
    history: fc.Arbitrary<Action[]> = fc.array(action, { minLength: 3, maxLength: 10 }),
  ) {
    const seen = { withPositions: 0, halted: 0, liquidatable: 0, funding: 0, netted: 0 };
    await fc.assert(
      fc.asyncProperty(history, async (actions) => {
        const snap = await chain.snapshot();
        try {
          const prices = [...PRICES];
          for (const a of actions) await apply(a, prices);
          const keeper = makeKeeper(
            keeperConfig(chain.anvil.rpcUrl, {
              dryRun: true,
              tasks: {
                liquidation: false,
                oracle: false,
                funding: false,
                premium: false,
                repeg: false,
                inventory: false,
              },
            }),
            d,
          );
          await keeper.init();
          const report = await keeper.tick();
          const chainHealths = await chain.publicClient.readContract({
            address: d.contracts.lens,
            abi: perpLensAbi,
            functionName: "accountHealths",
            args: [accounts.map((a) => a.owner), accounts.map((a) => a.subId)],
            blockNumber: report.head,
          });
          const pricing = keeper.lastPricing;
          if (pricing.some((m) => m.halted)) seen.halted++;
          if (pricing.some((m) => m.cumLong !== 0n || m.cumShort !== 0n)) seen.funding++;
          const liquidatable = new Set<string>();
          for (const [i, acc] of accounts.entries()) {
            const entry = [...keeper.book.all()].find((e) => e.owner === acc.owner && e.subId === acc.subId);
            expect(entry?.account, "account indexed from its deposit").toBeDefined();
            if (!entry?.account) continue;
            const local = keeper.book.healthOf(entry, pricing);
            const onChain = chainHealths[i];
            if (entry.account.marketMask !== 0) seen.withPositions++;
            if (onChain?.liquidatable) {
              seen.liquidatable++;
              liquidatable.add(entry.id);
            }
            if (local.maintenanceRequirement < local.additiveMaintenance) seen.netted++;
            expect({
              collateral: local.collateral,
              unrealizedPnl: local.unrealizedPnl,
              unsettledProfit: local.unsettledProfit,
              value: local.value,
              initialRequirement: local.initialRequirement,
              maintenanceRequirement: local.maintenanceRequirement,
              liquidatable: local.liquidatable,
              additiveMaintenance: local.additiveMaintenance,
              additiveInitial: local.additiveInitial,
              bindingScenario: local.bindingScenario,
            }).toEqual({ ...onChain });
          }
          const listed = keeper.book.evaluate(pricing, { number: report.head, timestamp: 0n }).candidates;
          expect(new Set(listed.map((c) => c.entry.id as string))).toEqual(liquidatable);
        } finally {
          await chain.revert(snap);
        }
      }),
      { numRuns, seed, endOnFailure: true },
    );
    if (process.env.KEEPER_TEST_DEBUG) console.log(seen);
    return seen;
  }

  it("agrees to the wei on random books, prices, funding and halts", async () => {
    const seen = await agreesWithLens(25, 20_261_201);
    // The random states did reach what the comparison is about.
    expect(seen.withPositions).toBeGreaterThan(10);
    expect(seen.halted).toBeGreaterThan(0);
    expect(seen.funding).toBeGreaterThan(0);
  }, 240_000);

  it("agrees to the wei with a risk engine set on the pool (netted requirements, binding row)", async () => {
    const grid = syntheticGrid();
    const engine = await deployContract(chain.deployer, chain.publicClient, {
      abi: riskEngineAbi,
      bytecode: riskEngineBytecode,
      args: [
        grid.scenarios.map((r) => ({
          weightPct: r.weightPct,
          moves: r.moves as unknown as readonly [0, 0, 0, 0, 0, 0, 0, 0],
        })),
        grid.floorBps,
      ],
      name: "RiskEngine",
    });
    await send(chain, chain.deployer, {
      address: d.contracts.pool,
      abi: perpPoolAbi,
      functionName: "setRiskEngine",
      args: [engine],
    });
    // Longer, calmer histories: a hedge (a long in one market, a short in the other) while both oracles are Normal is
    // what nets (a halted or reduce-only market gets no credit, which the first property covers).
    const seen = await agreesWithLens(20, 19_2026, fc.array(calmAction, { minLength: 8, maxLength: 20 }));
    expect(seen.netted).toBeGreaterThan(0);
    expect(seen.withPositions).toBeGreaterThan(10);
  }, 240_000);
});
