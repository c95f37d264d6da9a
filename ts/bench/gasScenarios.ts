// Every operation of the README's gas table, replayed on a live anvil in the state the forge gas test
// (test/gas/PoolGas.t.sol, test/gas/BackstopGas.t.sol) measures it in: same actors (makeAddr), same amounts,
// same preceding calls, and the same block structure — a call forge makes after `oracle.refresh` in the same
// `block.timestamp` shares a block with that refresh here; a "(first in block)" call gets a block of its own.
import { type Address, maxUint256 } from "viem";
import {
  oracleRouterAbi,
  oracleRouterBytecode,
  perpPoolAbi,
  settableFeedAbi,
  settableFeedBytecode,
  testUsdcAbi,
  trancheVaultAbi,
} from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { LiveChain, Tx } from "./liveChain";

const ETH = 0n;
const BTC = 1n;
const E6 = 10n ** 6n;
const E18 = 10n ** 18n;
const ETH_PRICE = 2000n * E18;

const COOLDOWN = 7n * 86_400n;

export type Fixture = "PoolGas" | "BackstopGas" | "LiquidationGas" | "OracleGas";

export type Scenario = {
  /** Key in snapshots/*.json. */
  name: string;
  /** Which setUp it starts from (and which snapshots/<fixture>.json holds its number). */
  fixture: Fixture;
  /** Gas used by the measured (last) transaction. */
  run(ctx: ScenarioContext): Promise<bigint>;
};

export type Actors = Record<"alice" | "bob" | "carol" | "liquidator" | "juniorLp" | "newLp", Address>;

export type ScenarioContext = {
  chain: LiveChain;
  d: Deployment;
  a: Actors;
  /** OracleGas's own router (markets 1: three feeds, 2: five feeds) and its five feeds. */
  oracle?: { router: Address; feeds: Address[] };
};

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

/** The liquidation call as IPerpPool takes it (the one place to change when its signature does). */
function liquidate(d: Deployment, liquidator: Address, owner: Address): Tx {
  return { from: liquidator, call: pool(d, "liquidate", [owner, 0n, maxUint256]) };
}

/** setUp of PoolGas after PoolFixture.setUp (in the live chain's own blocks). */
export async function poolGasSetUp({ chain, d, a }: ScenarioContext, minter: Address): Promise<void> {
  await chain.block([...deposit(d, a.alice, 100_000n * E6, minter), ...deposit(d, a.bob, 100_000n * E6, minter)]);
  await chain.block([
    { from: minter, call: usdc(d, "mint", [a.carol, 10_000n * E6]) },
    { from: a.carol, call: usdc(d, "approve", [d.contracts.pool, maxUint256]) },
  ]);
  await chain.block([trade(d, a.bob, -5n * E18, chain.now)]);
  // vm.warp(+1); oracle.refresh(ETH), in a block of its own at that timestamp (anvil mines several at one).
  chain.warp(1n);
  await chain.block([refresh(d, a.bob)]);
}

/** setUp of BackstopGas after PoolFixture.setUp. */
export async function backstopGasSetUp({ chain, d, a }: ScenarioContext, minter: Address): Promise<void> {
  await chain.block(deposit(d, a.bob, 100_000n * E6, minter));
  await chain.block([trade(d, a.bob, -5n * E18, chain.now)]);
  await chain.block(deposit(d, a.alice, 1000n * E6, minter));
  await chain.block([trade(d, a.alice, 4n * E18, chain.now)]);
  await chain.block([
    { from: minter, call: usdc(d, "mint", [a.newLp, 10_000n * E6]) },
    { from: a.newLp, call: usdc(d, "approve", [d.contracts.junior, maxUint256]) },
  ]);
  // A vault in use: its boost points have accrued before (the first accrual ever writes a zero slot).
  chain.warp(1n);
  await chain.block([
    {
      from: a.bob,
      call: { address: d.contracts.junior, abi: trancheVaultAbi, functionName: "refreshBoost", args: [] },
    },
    {
      from: a.bob,
      call: { address: d.contracts.senior, abi: trancheVaultAbi, functionName: "refreshBoost", args: [] },
    },
  ]);
  chain.warp(1n);
}

/** setUp of LiquidationGas after PoolFixture.setUp. */
export async function liquidationGasSetUp({ chain, d, a }: ScenarioContext, minter: Address): Promise<void> {
  await chain.block(deposit(d, a.bob, 1_000_000n * E6, minter));
  await chain.block([trade(d, a.bob, -5n * E18, chain.now)]);
  await chain.block(deposit(d, a.alice, 1000n * E6, minter));
  await chain.block([trade(d, a.alice, 4n * E18, chain.now)]);
  chain.warp(1n);
}

/** LiquidationGas._crashTo as the first transactions of a block: the feeds move, the oracle refreshes. */
function crashTo(d: Deployment, price: bigint, owner: Address, keeper: Address): Tx[] {
  return [...setPrice(d, price, owner), refresh(d, keeper)];
}

/** LiquidationGas._seedInventory: the backstop already holds an ETH long (taken over from "early"). */
async function seedInventory({ chain, d, a }: ScenarioContext, owner: Address, minter: Address): Promise<void> {
  const early = await chain.actor("early");
  await chain.block([...deposit(d, early, 250n * E6, minter), trade(d, early, E18, chain.now)]);
  chain.warp(1n);
  await chain.block([...crashTo(d, 1800n * E18, owner, a.bob), liquidate(d, a.liquidator, early)]);
  chain.warp(1n);
}

/** OracleGas.setUp: a router owned by `owner` with five 8-decimal feeds at 2,000 (market 1: three, 2: five). */
export async function oracleGasSetUp(ctx: ScenarioContext, owner: Address): Promise<void> {
  const { chain } = ctx;
  const router = await chain.deploy(owner, { abi: oracleRouterAbi, bytecode: oracleRouterBytecode, args: [owner] });
  const feeds: Address[] = [];
  for (let i = 0; i < 5; i++) {
    feeds.push(await chain.deploy(owner, { abi: settableFeedAbi, bytecode: settableFeedBytecode, args: [owner, 8] }));
  }
  const cfg = (minFeeds: number) => ({
    maxAge: 3600,
    minFeeds,
    maxDeviationBps: 200,
    jumpThresholdBps: 1000,
    breakerCooldown: 1800,
  });
  const r = (functionName: string, args: readonly unknown[]) => ({
    from: owner,
    call: { address: router, abi: oracleRouterAbi, functionName, args },
  });
  await chain.block([
    ...feeds.map((feed) => ({ from: owner, call: feedCall(feed, 2000n * 10n ** 8n) })),
    r("setFeeds", [1n, feeds.slice(0, 3), cfg(2)]),
    r("setFeeds", [2n, feeds, cfg(3)]),
    r("refresh", [1n]),
    r("refresh", [2n]),
  ]);
  // A live market: a second observation 12 s later, so the index integral is non-zero before the measured refresh.
  chain.warp(12n);
  await chain.block([
    ...feeds.map((feed) => ({ from: owner, call: feedCall(feed, 2000n * 10n ** 8n) })),
    r("refresh", [1n]),
    r("refresh", [2n]),
  ]);
  ctx.oracle = { router, feeds };
}

function feedCall(feed: Address, answer: bigint) {
  return { address: feed, abi: settableFeedAbi, functionName: "setAnswer", args: [answer] };
}

/** OracleGas: set some feeds, then refresh market `marketId` (12 s after setUp, as forge's warp). */
function oracleRefresh(owner: Address, marketId: bigint, answers: [number, bigint][]): Scenario["run"] {
  return ({ chain, oracle }) => {
    if (!oracle) throw new Error("bench: OracleGas setUp did not run");
    return chain.lastGas(
      [
        ...answers.map(([i, answer]) => ({
          from: owner,
          call: feedCall(oracle.feeds[i] as Address, answer * 10n ** 8n),
        })),
        {
          from: owner,
          call: { address: oracle.router, abi: oracleRouterAbi, functionName: "refresh", args: [marketId] },
        },
      ],
      chain.now + 12n,
    );
  };
}

/** In the order of the README's table. `owner` owns the feeds, `minter` mints USDC (TestUSDC's mint is open). */
export function scenarios(owner: Address, minter: Address): Scenario[] {
  return [
    {
      name: "openPosition new",
      fixture: "PoolGas",
      run: ({ chain, d, a }) => chain.lastGas([refresh(d, a.bob), trade(d, a.alice, 10n * E18, chain.now)]),
    },
    {
      name: "openPosition new (first in block)",
      fixture: "PoolGas",
      run: ({ chain, d, a }) => chain.lastGas([trade(d, a.alice, 10n * E18, chain.now + 1n)], chain.now + 1n),
    },
    {
      name: "openPosition increase",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([trade(d, a.alice, 10n * E18, chain.now), trade(d, a.alice, 5n * E18, chain.now)]),
    },
    {
      name: "closePosition",
      fixture: "PoolGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([
          trade(d, a.alice, 10n * E18, chain.now),
          { from: a.alice, call: pool(d, "closePosition", [a.alice, 0n, ETH, 0n, chain.now]) },
        ]),
    },
    {
      name: "tradeLegs 2 legs (new ETH + new BTC)",
      fixture: "PoolGas",
      // BTC live too: bob holds some and its oracle is refreshed in this block (PoolGas.test_gas_tradeLegs_twoNew).
      run: ({ chain, d, a }) =>
        chain.lastGas([
          refresh(d, a.bob),
          { from: a.bob, call: pool(d, "trade", [a.bob, 0n, BTC, 2n * 10n ** 17n, maxUint256, chain.now]) },
          {
            from: a.alice,
            call: pool(d, "tradeLegs", [
              a.alice,
              0n,
              [
                { marketId: ETH, sizeDelta: 10n * E18, quoteLimit: maxUint256 },
                { marketId: BTC, sizeDelta: -33n * 10n ** 16n, quoteLimit: 0n },
              ],
              chain.now,
            ]),
          },
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
          trade(d, a.alice, 10n * E18, chain.now),
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
      fixture: "LiquidationGas",
      run: async (ctx) => {
        await seedInventory(ctx, owner, minter);
        const { chain, d, a } = ctx;
        return chain.lastGas([refresh(d, a.bob), liquidate(d, a.liquidator, a.alice)]);
      },
    },
    {
      name: "liquidate partial (backstop's first position in the market)",
      fixture: "LiquidationGas",
      run: ({ chain, d, a }) =>
        chain.lastGas([...crashTo(d, 1800n * E18, owner, a.bob), liquidate(d, a.liquidator, a.alice)], chain.now + 1n),
    },
    {
      name: "liquidate bad debt",
      fixture: "LiquidationGas",
      run: async (ctx) => {
        await seedInventory(ctx, owner, minter);
        const { chain, d, a } = ctx;
        await chain.block([refresh(d, a.bob)]);
        return chain.lastGas(
          [...crashTo(d, 1720n * E18, owner, a.bob), liquidate(d, a.liquidator, a.alice)],
          chain.now + 1n,
        );
      },
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
    { name: "refresh 3 feeds", fixture: "OracleGas", run: oracleRefresh(owner, 1n, [[0, 2001n]]) },
    { name: "refresh 3 feeds, one far off", fixture: "OracleGas", run: oracleRefresh(owner, 1n, [[0, 2500n]]) },
    { name: "refresh 5 feeds", fixture: "OracleGas", run: oracleRefresh(owner, 2n, [[0, 2001n]]) },
    {
      name: "refresh 5 feeds, two far off",
      fixture: "OracleGas",
      run: oracleRefresh(owner, 2n, [
        [0, 2500n],
        [4, 1500n],
      ]),
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
