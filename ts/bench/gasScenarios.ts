// Every operation of the README's gas table, replayed on a live anvil in the state the forge gas test
// (test/gas/PoolGas.t.sol, test/gas/BackstopGas.t.sol) measures it in: same actors (makeAddr), same amounts,
// same preceding calls, and the same block structure — a call forge makes after `oracle.refresh` in the same
// `block.timestamp` shares a block with that refresh here; a "(first in block)" call gets a block of its own.
import { type Address, maxUint256 } from "viem";
import { oracleRouterAbi, perpPoolAbi, settableFeedAbi, testUsdcAbi, trancheVaultAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { LiveChain, Tx } from "./liveChain";

const ETH = 0n;
const E6 = 10n ** 6n;
const E18 = 10n ** 18n;
const ETH_PRICE = 2000n * E18;
const COOLDOWN = 7n * 86_400n;

export type Scenario = {
  /** Key in snapshots/*.json. */
  name: string;
  /** Which setUp it starts from. */
  fixture: "PoolGas" | "BackstopGas";
  /** Gas used by the measured (last) transaction. */
  run(ctx: ScenarioContext): Promise<bigint>;
};

export type Actors = Record<"alice" | "bob" | "carol" | "liquidator" | "juniorLp" | "newLp", Address>;

export type ScenarioContext = { chain: LiveChain; d: Deployment; a: Actors };

const pool = (d: Deployment, functionName: string, args: readonly unknown[] = []) => ({
  address: d.contracts.pool,
  abi: perpPoolAbi,
  functionName,
  args,
});
const usdc = (d: Deployment, functionName: string, args: readonly unknown[]) => ({
  address: d.contracts.usdc,
  abi: testUsdcAbi,
  functionName,
  args,
});

/** PoolFixture._deposit: mint (by the fixture), approve, depositMargin. */
function deposit(d: Deployment, who: Address, amount: bigint, minter: Address): Tx[] {
  return [
    { from: minter, call: usdc(d, "mint", [who, amount]) },
    { from: who, call: usdc(d, "approve", [d.contracts.pool, amount]) },
    { from: who, call: pool(d, "depositMargin", [0n, amount]) },
  ];
}

/** PoolFixture._trade at the block's timestamp (the deadline forge passes is block.timestamp). */
function trade(d: Deployment, who: Address, size: bigint, deadline: bigint): Tx {
  return { from: who, call: pool(d, "trade", [who, 0n, ETH, size, size > 0n ? maxUint256 : 0n, deadline]) };
}

function refresh(d: Deployment, from: Address): Tx {
  return { from, call: { address: d.contracts.oracle, abi: oracleRouterAbi, functionName: "refresh", args: [ETH] } };
}

/** PoolFixture._setPrice: every ETH feed answers `price` (8 decimals). */
function setPrice(d: Deployment, price: bigint, owner: Address): Tx[] {
  const feeds = d.markets[Number(ETH)]?.feeds ?? [];
  return feeds.map((feed) => ({
    from: owner,
    call: { address: feed, abi: settableFeedAbi, functionName: "setAnswer", args: [price / 10n ** 10n] },
  }));
}

/** The liquidation call as the current IPerpPool takes it (the one place to change when its signature does). */
function liquidate(d: Deployment, liquidator: Address, owner: Address, deadline: bigint): Tx {
  return { from: liquidator, call: pool(d, "liquidate", [owner, 0n, maxUint256, 0n, deadline]) };
}

function sqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = x;
  let y = (x + 1n) / 2n;
  while (y < r) {
    r = y;
    y = (x / y + y) / 2n;
  }
  return r;
}

/** setUp of PoolGas after PoolFixture.setUp (in the live chain's own blocks). */
export async function poolGasSetUp({ chain, d, a }: ScenarioContext, minter: Address): Promise<void> {
  await chain.block([...deposit(d, a.alice, 100_000n * E6, minter), ...deposit(d, a.bob, 100_000n * E6, minter)]);
  await chain.block([
    { from: minter, call: usdc(d, "mint", [a.carol, 10_000n * E6]) },
    { from: a.carol, call: usdc(d, "approve", [d.contracts.pool, maxUint256]) },
  ]);
  await chain.block([trade(d, a.bob, -5n * E18, chain.now + 1n)]);
  // vm.warp(+1); oracle.refresh(ETH): the next block (the measured one) starts from a refreshed oracle in
  // forge, where the timestamp stays; here a block is a new timestamp, so warm variants refresh in their block.
}

/** setUp of BackstopGas after PoolFixture.setUp. */
export async function backstopGasSetUp({ chain, d, a }: ScenarioContext, minter: Address): Promise<void> {
  await chain.block(deposit(d, a.bob, 100_000n * E6, minter));
  await chain.block([trade(d, a.bob, -5n * E18, chain.now + 1n)]);
  await chain.block(deposit(d, a.alice, 1000n * E6, minter));
  await chain.block([trade(d, a.alice, 4n * E18, chain.now + 1n)]);
  await chain.block([
    { from: minter, call: usdc(d, "mint", [a.newLp, 10_000n * E6]) },
    { from: a.newLp, call: usdc(d, "approve", [d.contracts.junior, maxUint256]) },
  ]);
}

/**
 * BackstopGas._crashTo: the index falls to `price` and bob sells the curve down to about the same level,
 * then the liquidator liquidates alice, all in one block (forge: one timestamp).
 */
async function crashAndLiquidate(
  { chain, d, a }: ScenarioContext,
  price: bigint,
  owner: Address,
  minter: Address,
): Promise<bigint> {
  const state = await chain.read(pool(d, "marketState", [ETH]));
  const k = 10_000n * E18 * (10_000n * ETH_PRICE);
  const targetBase = sqrt((k / price) * E18);
  const at = chain.now + 1n;
  return chain.lastGas(
    [
      ...setPrice(d, price, owner),
      refresh(d, a.bob),
      ...deposit(d, a.bob, 1_000_000n * E6, minter),
      trade(d, a.bob, -(targetBase - (state as { baseReserve: bigint }).baseReserve), at),
      liquidate(d, a.liquidator, a.alice, at),
    ],
    at,
  );
}

/** In the order of the README's table. `owner` owns the feeds, `minter` mints USDC (TestUSDC's mint is open). */
export function scenarios(owner: Address, minter: Address): Scenario[] {
  return [
    {
      name: "openPosition new",
      fixture: "PoolGas",
      run: ({ chain, d, a }) => chain.lastGas([refresh(d, a.bob), trade(d, a.alice, 10n * E18, chain.now + 1n)]),
    },
    {
      name: "openPosition new (first in block)",
      fixture: "PoolGas",
      run: ({ chain, d, a }) => chain.lastGas([trade(d, a.alice, 10n * E18, chain.now + 1n)]),
    },
    {
      name: "openPosition increase",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([trade(d, a.alice, 10n * E18, chain.now + 1n), trade(d, a.alice, 5n * E18, chain.now + 1n)]),
    },
    {
      name: "closePosition",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([
          trade(d, a.alice, 10n * E18, chain.now + 1n),
          { from: a.alice, call: pool(d, "closePosition", [a.alice, 0n, ETH, 0n, chain.now + 1n]) },
        ]),
    },
    {
      name: "depositMargin",
      fixture: "PoolGas",
      run: ({ chain, d, a }) => chain.lastGas([{ from: a.carol, call: pool(d, "depositMargin", [0n, 1000n * E6]) }]),
    },
    {
      name: "withdrawMargin",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([{ from: a.alice, call: pool(d, "withdrawMargin", [a.alice, 0n, 1000n * E6, a.alice]) }]),
    },
    {
      name: "withdrawMargin with position",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([
          trade(d, a.alice, 10n * E18, chain.now + 1n),
          { from: a.alice, call: pool(d, "withdrawMargin", [a.alice, 0n, 1000n * E6, a.alice]) },
        ]),
    },
    {
      name: "updateFunding",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([refresh(d, a.bob), { from: a.bob, call: pool(d, "updateFunding", [ETH]) }], chain.now + 600n),
    },
    {
      name: "updateFunding (first in block)",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas(
          [...setPrice(d, ETH_PRICE, owner), { from: a.bob, call: pool(d, "updateFunding", [ETH]) }],
          chain.now + 600n,
        ),
    },
    {
      name: "liquidate partial",
      fixture: "BackstopGas",
      run: (ctx) => crashAndLiquidate(ctx, 1800n * E18, owner, minter),
    },
    {
      name: "liquidate bad debt",
      fixture: "BackstopGas",
      run: (ctx) => crashAndLiquidate(ctx, 1720n * E18, owner, minter),
    },
    {
      name: "tranche deposit",
      fixture: "BackstopGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([
          {
            from: a.newLp,
            call: {
              address: d.contracts.junior,
              abi: trancheVaultAbi,
              functionName: "deposit",
              args: [5000n * E6, a.newLp],
            },
          },
        ]),
    },
    {
      name: "tranche requestWithdraw",
      fixture: "BackstopGas",
      run: async ({ chain, d, a }) => chain.lastGas([await requestHalf(chain, d, a.juniorLp)]),
    },
    {
      name: "tranche claim",
      fixture: "BackstopGas",
      run: async ({ chain, d, a }) => {
        await chain.block([await requestHalf(chain, d, a.juniorLp)]);
        const claim = { address: d.contracts.junior, abi: trancheVaultAbi, functionName: "claim", args: [] };
        return chain.lastGas([{ from: a.juniorLp, call: claim }], chain.now + COOLDOWN);
      },
    },
    {
      name: "distributePremium",
      fixture: "BackstopGas",
      run: ({ chain, d, a }) => chain.lastGas([{ from: a.bob, call: pool(d, "distributePremium") }]),
    },
  ];
}

async function requestHalf(chain: LiveChain, d: Deployment, lp: Address): Promise<Tx> {
  const balance = (await chain.read({
    address: d.contracts.junior,
    abi: trancheVaultAbi,
    functionName: "balanceOf",
    args: [lp],
  })) as bigint;
  return {
    from: lp,
    call: { address: d.contracts.junior, abi: trancheVaultAbi, functionName: "requestWithdraw", args: [balance / 2n] },
  };
}
