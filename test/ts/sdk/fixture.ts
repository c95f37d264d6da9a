// The SDK's chain fixture: the protocol as `npm start` deploys it (ts/deploy, whose defaults mirror
// test/utils/PoolFixture.sol: ETH market 0 at 2,000 with 10,000 base, BTC market 1 at 60,000 with 500 base,
// 3 SettableFeeds of 8 decimals each), junior 2M and senior 6M USDC, and helpers to list extra markets.
// The deployer (dev wallet 0) is the admin: it keeps the owner role (`governance: "owner"`) instead of handing it to
// the RiskTimelock.
import type { Abi, Address, ContractFunctionArgs } from "viem";
import {
  oracleRouterAbi,
  perpPoolAbi,
  settableFeedAbi,
  settableFeedBytecode,
  testUsdcAbi,
  trancheVaultAbi,
} from "../../../ts/abi/generated";
import { parseDeploymentConfig } from "../../../ts/deploy/config";
import type { Deployment } from "../../../ts/deploy/deployment";
import { deployProtocol } from "../../../ts/deploy/deployProtocol";
import type { DevClients, DevWalletClient } from "../../../ts/devnet/clients";
import { deployContract } from "../../../ts/devnet/deploy";
import { PerpError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import { packTiers } from "../../../ts/pool/math/marginMath";

export const ETH = 0n;
export const BTC = 1n;
export const ETH_PRICE = 2000n * WAD;
export const BTC_PRICE = 60_000n * WAD;

export type MarketConfigInput = ContractFunctionArgs<typeof perpPoolAbi, "nonpayable", "listMarket">[2];

export function defaultConfig(): MarketConfigInput {
  return {
    feeBps: 10,
    bandBps: 500,
    maxMoveBps: 200,
    liquidationPenaltyBps: 250,
    liquidatorShareBps: 4000,
    liquidationFractionBps: 2500,
    maxPremiumBps: 50,
    fundingPeriod: 3600,
    fundingInterval: 600,
    oiCapBps: 50_000,
    minPositionBase: 10n ** 15n,
    volReferenceBps: 8000,
    volCapBps: 30_000,
    tiers: packTiers([
      { notionalCap: 100_000n * WAD, initialBps: 1000n, maintenanceBps: 500n },
      { notionalCap: 1_000_000n * WAD, initialBps: 2000n, maintenanceBps: 1000n },
      { notionalCap: 100_000_000n * WAD, initialBps: 3300n, maintenanceBps: 1650n },
    ]),
    maxOpenInterestBase: 1_000_000n * WAD,
    fundingBudgetPerSecond: 10n ** 16n,
  };
}

export const defaultOracleConfig = {
  maxAge: 3600,
  minFeeds: 2,
  maxDeviationBps: 200,
  jumpThresholdBps: 1500,
  breakerCooldown: 300,
} as const;

export type Protocol = {
  usdc: Address;
  oracle: Address;
  backstop: Address;
  junior: Address;
  senior: Address;
  pool: Address;
  lens: Address;
  feeds: Map<bigint, Address[]>;
  admin: DevWalletClient;
  /** What `deployProtocol` returned (what `perp devnet` writes to its deployment file). */
  deployment: Deployment;
};

/**
 * Sends a contract call from `wallet` and waits for a successful receipt. The gas limit is fixed and generous: an
 * estimate made in the same second as an earlier oracle read misses the feed reads the mined transaction pays for
 * when it lands a second later (a loaded machine makes that likely; see ts/chain/oracleGas.ts).
 */
export async function send(
  chain: DevClients,
  wallet: DevWalletClient,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] },
): Promise<void> {
  const hash = await wallet.writeContract({ ...call, args: call.args ?? [], gas: 5_000_000n } as never);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new PerpError(`${call.functionName} reverted (${hash})`);
}

/** The protocol as `npm start` deploys it (ts/deploy, defaults = test/utils/PoolFixture.sol), plus the two LPs. */
export async function deployProtocolFixture(chain: DevClients): Promise<Protocol> {
  const admin = chain.deployer;
  // The deployer keeps the pool and the oracle router (listMarket, setFeeds, setRiskEngine below and in the tests).
  const d = await deployProtocol(chain, parseDeploymentConfig({ governance: "owner" }));
  const feeds = new Map(d.markets.map((m) => [BigInt(m.marketId), m.feeds]));
  const p: Protocol = { ...d.contracts, feeds, admin, deployment: d };
  await lpDeposit(chain, p, chain.wallet(8), p.junior, 2_000_000n * 10n ** 6n);
  await lpDeposit(chain, p, chain.wallet(9), p.senior, 6_000_000n * 10n ** 6n);
  await send(chain, admin, { address: p.pool, abi: perpPoolAbi, functionName: "syncBackstopCapital" });
  return p;
}

/** Lists a market at `price` (WAD) with 3 feeds; returns its id. */
export async function listMarket(
  chain: DevClients,
  p: Protocol,
  baseReserve: bigint,
  price: bigint,
  config: MarketConfigInput,
): Promise<bigint> {
  const marketId = await chain.publicClient.readContract({
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "marketCount",
  });
  const feeds: Address[] = [];
  for (let i = 0; i < 3; i++) {
    const feed = await deployContract(p.admin, chain.publicClient, {
      abi: settableFeedAbi,
      bytecode: settableFeedBytecode,
      args: [p.admin.account.address, 8],
      name: "SettableFeed",
    });
    await send(chain, p.admin, {
      address: feed,
      abi: settableFeedAbi,
      functionName: "setAnswer",
      args: [price / 10n ** 10n],
    });
    feeds.push(feed);
  }
  p.feeds.set(marketId, feeds);
  await send(chain, p.admin, {
    address: p.oracle,
    abi: oracleRouterAbi,
    functionName: "setFeeds",
    args: [marketId, feeds, defaultOracleConfig],
  });
  await send(chain, p.admin, {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "listMarket",
    args: [baseReserve, (baseReserve * price) / WAD, config],
  });
  return marketId;
}

/** Sets every feed of a market to `price` (WAD), refreshing their timestamps. */
export async function setPrice(chain: DevClients, p: Protocol, marketId: bigint, price: bigint): Promise<void> {
  for (const feed of p.feeds.get(marketId) ?? []) {
    await send(chain, p.admin, {
      address: feed,
      abi: settableFeedAbi,
      functionName: "setAnswer",
      args: [price / 10n ** 10n],
    });
  }
}

export async function mintUsdc(chain: DevClients, p: Protocol, to: Address, amount: bigint): Promise<void> {
  await send(chain, p.admin, { address: p.usdc, abi: testUsdcAbi, functionName: "mint", args: [to, amount] });
}

async function lpDeposit(chain: DevClients, p: Protocol, lp: DevWalletClient, vault: Address, amount: bigint) {
  await mintUsdc(chain, p, lp.account.address, amount);
  await send(chain, lp, { address: p.usdc, abi: testUsdcAbi, functionName: "approve", args: [vault, amount] });
  await send(chain, lp, {
    address: vault,
    abi: trancheVaultAbi,
    functionName: "deposit",
    args: [amount, lp.account.address],
  });
}

/** Mints and deposits margin for `trader` into its cross account, straight through the contracts. */
export async function fundTrader(chain: DevClients, p: Protocol, trader: DevWalletClient, amount: bigint, subId = 0n) {
  await mintUsdc(chain, p, trader.account.address, amount);
  await send(chain, trader, { address: p.usdc, abi: testUsdcAbi, functionName: "approve", args: [p.pool, amount] });
  await send(chain, trader, {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "depositMargin",
    args: [subId, amount],
  });
}
