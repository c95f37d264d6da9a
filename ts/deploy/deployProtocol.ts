// Deploys the whole protocol in the order of test/utils/PoolFixture.sol, in waves: every transaction of a
// wave is sent before any receipt is awaited (nonces assigned locally), and a wave only starts once the
// state it reads is mined. On a local anvil the 39 transactions of the default config take about a second.
import { type Address, encodeFunctionData, zeroAddress } from "viem";
import {
  backstopAbi,
  backstopBytecode,
  liquidationModuleAbi,
  liquidationModuleBytecode,
  oracleRouterAbi,
  oracleRouterBytecode,
  perpLensAbi,
  perpLensBytecode,
  perpPoolAbi,
  perpPoolBytecode,
  riskEngineAbi,
  riskEngineBytecode,
  riskTimelockAbi,
  riskTimelockBytecode,
  settableFeedAbi,
  settableFeedBytecode,
  tailRiskOracleAbi,
  tailRiskOracleBytecode,
  testUsdcAbi,
  testUsdcBytecode,
  trancheVaultAbi,
  trancheVaultBytecode,
} from "../abi/generated";
import { protocolErrorAbi } from "../chain/protocolErrors";
import { PerpError } from "../errors";
import { WAD } from "../money";
import type { DeploymentConfig, FundingParamsConfig, MarketDeployConfig } from "./config";
import type { Deployment } from "./deployment";
import {
  type MinedTx,
  type ProtocolPublicClient,
  type ProtocolWallet,
  type SentTx,
  TxQueue,
  waitForAll,
} from "./txQueue";

export type ProtocolClients = {
  publicClient: ProtocolPublicClient;
  /** Sends every deployment transaction; owns the feeds, is the timelock's admin and the tail-risk steward, and owns
   * the pool, the oracle router and the tail-risk oracle itself only with `governance: "owner"`. */
  deployer: ProtocolWallet;
};

/** One mined deployment step. */
export type DeployProgress = {
  /** 1-based; `total` steps in all. */
  step: number;
  total: number;
  /** "OracleRouter", "oracle.setFeeds(ETH)", ... */
  label: string;
  /** The new contract, for a deployment. */
  address?: Address;
  hash: `0x${string}`;
};

export type DeployProtocolOptions = {
  onProgress?: (progress: DeployProgress) => void;
};

/** Transactions `deployProtocol` sends for `config` (for progress bars). */
export function deployStepCount(config: DeploymentConfig): number {
  // Feeds and their answers, setFeeds, listMarket, setFundingParams
  const perMarket = config.markets.reduce((n, m) => n + 2 * m.feeds + 3, 0);
  // TestUSDC, OracleRouter, Backstop, RiskEngine, 2 vaults, LiquidationModule, PerpPool, initialize, PerpLens,
  // setRiskEngine, TailRiskOracle, setLpEconomics, RiskTimelock, and setFundingGroup per group
  const base = 14 + perMarket + config.fundingGroups.length;
  // transferOwnership and the timelock's acceptOwnership for the pool, the oracle router and the tail-risk oracle
  return config.governance === "timelock" ? base + 2 * GOVERNED.length : base;
}

/** The contracts the timelock governs (in the order their ownership is handed over). */
const GOVERNED = ["pool", "oracle", "tailRiskOracle"] as const;

/**
 * Deploys TestUSDC, the oracle router, the backstop, the risk engine (the config's grid), the junior and senior
 * vaults, the liquidation module, the pool and the lens, wires them (the pool nets with the engine), and lists every
 * market of `config` with its feeds, its funding policy (`pool.setFundingParams`) and the funding groups
 * (`pool.setFundingGroup`, ids 1, 2, ...). Then the LP economics: the tail-risk oracle (`config.tailRisk`, the deployer its
 * steward), `backstop.setLpEconomics(oracle, config.backstop.boostShareBps)`, and the RiskTimelock (admin: the
 * deployer). With `config.governance` "timelock" (the default) the pool, the oracle router and the tail-risk oracle
 * are handed to the timelock (two-step: transferOwnership, then the timelock's acceptOwnership); with "owner" the
 * deployer keeps them. The deployer owns the feeds either way.
 * Throws a PerpError (a ContractRevertError when a contract reverted) naming the failed step.
 * @example
 * const clients = createDevClients(anvil.rpcUrl);
 * const deployment = await deployProtocol(clients, parseDeploymentConfig(), {
 *   onProgress: (p) => console.log(`[deploy] ${p.label} ${p.address ?? p.hash} (${p.step}/${p.total})`),
 * });
 */
export async function deployProtocol(
  clients: ProtocolClients,
  config: DeploymentConfig,
  options: DeployProtocolOptions = {},
): Promise<Deployment> {
  const { publicClient, deployer } = clients;
  const owner = deployer.account.address;
  const tx = new TxQueue(deployer, publicClient, protocolErrorAbi);
  const total = deployStepCount(config);
  let step = 0;
  const onMined = (m: MinedTx) =>
    options.onProgress?.({
      step: ++step,
      total,
      label: m.label,
      hash: m.hash,
      ...(m.address ? { address: m.address } : {}),
    });
  const wave = (sent: (SentTx | Promise<SentTx>)[]) => waitForAll(publicClient, sent, onMined, protocolErrorAbi);
  const addressOf = (sent: SentTx): Address => {
    if (!sent.address) throw new PerpError(`${sent.label} is not a deployment`);
    return sent.address;
  };

  const chainId = await publicClient.getChainId();

  // Wave 1: constructors that only store addresses (the backstop's asset is USDC's precomputed address).
  const usdcTx = await tx.deploy({ name: "TestUSDC", abi: testUsdcAbi, bytecode: testUsdcBytecode });
  const usdc = addressOf(usdcTx);
  const oracleTx = tx.deploy({
    name: "OracleRouter",
    abi: oracleRouterAbi,
    bytecode: oracleRouterBytecode,
    args: [owner],
  });
  const backstopTx = tx.deploy({
    name: "Backstop",
    abi: backstopAbi,
    bytecode: backstopBytecode,
    args: [usdc, BigInt(config.backstop.juniorWeight), BigInt(config.backstop.seniorWeight)],
  });
  const riskEngineTx = tx.deploy({
    name: "RiskEngine",
    abi: riskEngineAbi,
    bytecode: riskEngineBytecode,
    args: [config.riskEngine.scenarios, BigInt(config.riskEngine.floorBps)],
  });
  const [usdcMined] = await wave([usdcTx, oracleTx, backstopTx, riskEngineTx]);
  const oracle = addressOf(await oracleTx);
  const backstop = addressOf(await backstopTx);
  const riskEngine = addressOf(await riskEngineTx);

  // Wave 2: the module, then the pool (its constructor checks the module's immutables).
  const moduleTx = tx.deploy({
    name: "LiquidationModule",
    abi: liquidationModuleAbi,
    bytecode: liquidationModuleBytecode,
    args: [usdc, oracle, backstop],
  });
  const [liquidationModule] = (await wave([moduleTx])).map(addressOf) as [Address];
  const [pool] = (
    await wave([
      tx.deploy({
        name: "PerpPool",
        abi: perpPoolAbi,
        bytecode: perpPoolBytecode,
        args: [usdc, oracle, backstop, owner, liquidationModule],
      }),
    ])
  ).map(addressOf) as [Address];

  // Then the vaults: each reads USDC's decimals, probes the pool's inventory loss and the backstop's advances in
  // its constructor; the senior one takes the junior vault (junior first: it reads junior's gross assets).
  const vault = (t: DeploymentConfig["junior"], name: string, juniorVault: Address) =>
    tx.deploy({
      name,
      abi: trancheVaultAbi,
      bytecode: trancheVaultBytecode,
      args: [
        usdc,
        t.name,
        t.symbol,
        {
          backstop,
          lossSource: pool,
          junior: juniorVault,
          cooldown: BigInt(t.cooldown),
          claimWindow: BigInt(t.claimWindow),
          settlementDelay: BigInt(t.settlementDelay),
          premiumStreamDuration: BigInt(t.premiumStreamDuration),
        },
      ],
    });
  const [junior] = (await wave([vault(config.junior, "TrancheVault (junior)", zeroAddress)])).map(addressOf) as [
    Address,
  ];
  const [senior] = (await wave([vault(config.senior, "TrancheVault (senior)", junior)])).map(addressOf) as [Address];

  // Wave 3: wiring (reads the vaults), the lens, and every market's feeds.
  const wiring = [
    tx.send("backstop.initialize", {
      to: backstop,
      data: encodeFunctionData({ abi: backstopAbi, functionName: "initialize", args: [pool, junior, senior] }),
    }),
    tx.deploy({ name: "PerpLens", abi: perpLensAbi, bytecode: perpLensBytecode, args: [pool, oracle, backstop] }),
    tx.send("pool.setRiskEngine", {
      to: pool,
      data: encodeFunctionData({ abi: perpPoolAbi, functionName: "setRiskEngine", args: [riskEngine] }),
    }),
    tx.deploy({
      name: "TailRiskOracle",
      abi: tailRiskOracleAbi,
      bytecode: tailRiskOracleBytecode,
      args: [pool, owner, owner, config.tailRisk],
    }),
  ];
  const feedTxs = config.markets.map((m) =>
    Array.from({ length: m.feeds }, (_, i) =>
      tx.deploy({
        name: `SettableFeed ${m.symbol} #${i + 1}`,
        abi: settableFeedAbi,
        bytecode: settableFeedBytecode,
        args: [owner, m.feedDecimals],
      }),
    ),
  );
  const [, lensTx, , tailRiskTx] = await wave([...wiring, ...feedTxs.flat()]);
  const lens = addressOf(lensTx as MinedTx);
  const tailRiskOracle = addressOf(tailRiskTx as MinedTx);
  const feeds = await Promise.all(feedTxs.map(async (list) => (await Promise.all(list)).map(addressOf)));

  // Wave 4: prices, oracle configs and listings (market ids follow nonce order: 0, 1, ...).
  const marketTxs = config.markets.flatMap((m, marketId) => {
    const list = feeds[marketId] ?? [];
    const answer = feedAnswer(m);
    return [
      ...list.map((feed, i) =>
        tx.send(`feed.setAnswer(${m.symbol} #${i + 1})`, {
          to: feed,
          data: encodeFunctionData({ abi: settableFeedAbi, functionName: "setAnswer", args: [answer] }),
        }),
      ),
      tx.send(`oracle.setFeeds(${m.symbol})`, {
        to: oracle,
        data: encodeFunctionData({
          abi: oracleRouterAbi,
          functionName: "setFeeds",
          args: [BigInt(marketId), list, m.oracle],
        }),
      }),
      tx.send(`pool.listMarket(${m.symbol})`, {
        to: pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "listMarket",
          args: [m.baseReserve, (m.baseReserve * m.price) / WAD, m.params],
        }),
      }),
    ];
  });
  // The LP economics (the backstop is initialized), then, under the timelock, ownership offered to it: the deployer
  // stays the owner until the timelock accepts, so the listings above (earlier nonces) run as the owner.
  const timelockTx = tx.deploy({
    name: "RiskTimelock",
    abi: riskTimelockAbi,
    bytecode: riskTimelockBytecode,
    args: [owner, pool, oracle, tailRiskOracle, junior, senior],
  });
  const lpEconomics = [
    tx.send("backstop.setLpEconomics", {
      to: backstop,
      data: encodeFunctionData({
        abi: backstopAbi,
        functionName: "setLpEconomics",
        args: [tailRiskOracle, BigInt(config.backstop.boostShareBps)],
      }),
    }),
    timelockTx,
  ];
  await wave([...marketTxs, ...lpEconomics]);
  const timelock = addressOf(await timelockTx);

  // Wave 5: the funding policies and groups (the markets are listed), sent while the deployer still owns the pool:
  // under the timelock, its ownership is only offered in the same wave (accepted in the next), so these run first.
  const fundingTxs = [
    ...config.markets.map((m, marketId) =>
      tx.send(`pool.setFundingParams(${m.symbol})`, {
        to: pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "setFundingParams",
          args: [BigInt(marketId), fundingParamsArg(m.funding)],
        }),
      }),
    ),
    ...config.fundingGroups.map((g) =>
      tx.send(`pool.setFundingGroup(${g.id}: ${g.symbols.join("+")})`, {
        to: pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "setFundingGroup",
          args: [g.id, g.marketIds.map(BigInt)],
        }),
      }),
    ),
  ];
  const governed = { pool, oracle, tailRiskOracle } as const;
  const handOver =
    config.governance === "timelock"
      ? GOVERNED.map((name) =>
          tx.send(`${name}.transferOwnership(timelock)`, {
            to: governed[name],
            data: encodeFunctionData({ abi: ownableAbi, functionName: "transferOwnership", args: [timelock] }),
          }),
        )
      : [];
  await wave([...fundingTxs, ...handOver]);
  if (config.governance === "timelock") {
    await wave(
      GOVERNED.map((name) =>
        tx.send(`timelock.acceptOwnership(${name})`, {
          to: timelock,
          data: encodeFunctionData({ abi: riskTimelockAbi, functionName: "acceptOwnership", args: [governed[name]] }),
        }),
      ),
    );
  }

  return {
    chainId,
    deployer: owner,
    startBlock: (usdcMined as MinedTx).receipt.blockNumber,
    contracts: { usdc, oracle, backstop, junior, senior, pool, lens, riskEngine, tailRiskOracle, timelock },
    markets: config.markets.map((m, marketId) => ({
      marketId,
      symbol: m.symbol,
      feeds: feeds[marketId] ?? [],
      feedDecimals: m.feedDecimals,
      initialPrice: m.price,
    })),
  };
}

/** `FundingParams` as `setFundingParams` takes it: the pool derives `capE8` and keeps the group fields. */
export function fundingParamsArg(f: FundingParamsConfig) {
  return { ...f, capE8: 0, group: 0, siblingCount: 0, siblings: 0 };
}

/** Ownable2Step's transfer (the pool, the oracle router and the tail-risk oracle share it). */
const ownableAbi = oracleRouterAbi;

/** The feed answer for `market.price` (WAD) at the feed's decimals, as PoolFixture: price / 10^(18 - decimals). */
export function feedAnswer(market: Pick<MarketDeployConfig, "price" | "feedDecimals">): bigint {
  return market.price / 10n ** BigInt(18 - market.feedDecimals);
}
