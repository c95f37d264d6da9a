// What the run did, read back from the chain: realized bad debt and its split, liquidation steps, the keeper's mined
// transactions by kind, the LP's withdrawal, the backstop inventory (funding: funding.ts).
import { type Address, decodeFunctionData, getAbiItem, type Hex } from "viem";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi, trancheVaultAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import type { InventoryEntry, LiquidationRecord, ScenarioResult, Waterfall } from "./types";

type Range = { fromBlock: bigint; toBlock: bigint };

export async function realizedBadDebt(clients: DevClients, deployment: Deployment, range: Range): Promise<Waterfall> {
  const logs = await clients.publicClient.getLogs({
    address: deployment.contracts.pool,
    event: getAbiItem({ abi: perpPoolAbi, name: "BadDebtResolved" }),
    ...range,
  });
  const out = { badDebt: 0n, junior: 0n, senior: 0n, socialized: 0n };
  for (const l of logs) {
    out.badDebt += l.args.badDebt ?? 0n;
    out.junior += l.args.juniorPaid ?? 0n;
    out.senior += l.args.seniorPaid ?? 0n;
    out.socialized += l.args.socialized ?? 0n;
  }
  return out;
}

export async function liquidationSteps(
  clients: DevClients,
  deployment: Deployment,
  range: Range,
  nameOf: (owner: Address, subId: bigint) => string,
): Promise<LiquidationRecord[]> {
  const logs = await clients.publicClient.getLogs({
    address: deployment.contracts.pool,
    event: getAbiItem({ abi: perpPoolAbi, name: "Liquidated" }),
    ...range,
  });
  return logs.map((l) => ({
    name: nameOf(l.args.owner as Address, l.args.subId ?? 0n),
    owner: l.args.owner as Address,
    subId: l.args.subId ?? 0n,
    marketId: l.args.marketId ?? 0n,
    block: l.blockNumber,
    transferred: l.args.transferred ?? 0n,
    indexPrice: l.args.indexPrice ?? 0n,
    penalty: l.args.penalty ?? 0n,
    quoteDelta: l.args.quoteDelta ?? 0n,
  }));
}

const KEEPER_CALLS: Record<string, keyof ScenarioResult["keeper"]> = {
  liquidateMany: "liquidationTxs",
  liquidate: "liquidationTxs",
  liquidateIfUnhealthy: "liquidationTxs",
  updateFunding: "fundingTxs",
  distributePremium: "premiumTxs",
  repeg: "repegTxs",
  takeInventory: "inventoryTxs",
  refresh: "oracleTxs",
};

/** The keeper's successful transactions in `range`, by what they called. */
export async function keeperTxs(clients: DevClients, keeper: Address, range: Range): Promise<ScenarioResult["keeper"]> {
  const out = { liquidationTxs: 0, fundingTxs: 0, premiumTxs: 0, repegTxs: 0, oracleTxs: 0, inventoryTxs: 0 };
  const numbers: bigint[] = [];
  for (let n = range.fromBlock; n <= range.toBlock; n++) numbers.push(n);
  const blocks = await Promise.all(
    numbers.map((blockNumber) => clients.publicClient.getBlock({ blockNumber, includeTransactions: true })),
  );
  const mine = blocks.flatMap((b) => b.transactions.filter((t) => t.from.toLowerCase() === keeper.toLowerCase()));
  const receipts = await Promise.all(mine.map((t) => clients.publicClient.getTransactionReceipt({ hash: t.hash })));
  mine.forEach((t, i) => {
    if (receipts[i]?.status !== "success") return;
    const name = functionName(t.input);
    const key = name ? KEEPER_CALLS[name] : undefined;
    if (key) out[key]++;
  });
  return out;
}

function functionName(input: Hex): string | undefined {
  for (const abi of [perpPoolAbi, oracleRouterAbi]) {
    try {
      return decodeFunctionData({ abi, data: input }).functionName;
    } catch {
      // not this contract
    }
  }
  return undefined;
}

export async function withdrawalOf(clients: DevClients, vault: Address, owner: Address, range: Range) {
  const [requested, claimed] = await Promise.all([
    clients.publicClient.getLogs({
      address: vault,
      event: getAbiItem({ abi: trancheVaultAbi, name: "WithdrawRequested" }),
      args: { owner },
      ...range,
    }),
    clients.publicClient.getLogs({
      address: vault,
      event: getAbiItem({ abi: trancheVaultAbi, name: "WithdrawClaimed" }),
      args: { owner },
      ...range,
    }),
  ]);
  const r = requested.at(-1);
  // A claim the exit gate prorated settles in parts: the sum of every part.
  const claimedTotal = claimed.reduce((sum, c) => sum + (c.args.assets ?? 0n), 0n);
  const requestBlock = r ? await clients.publicClient.getBlock({ blockNumber: r.blockNumber }) : undefined;
  return {
    owner,
    shares: r?.args.shares ?? 0n,
    assetsAtRequest: r?.args.assetsAtRequest ?? 0n,
    claimed: claimedTotal,
    requestedAt: requestBlock?.timestamp ?? 0n,
    unlockTime: BigInt(r?.args.unlockTime ?? 0),
  };
}

export async function inventoryOf(clients: DevClients, deployment: Deployment): Promise<InventoryEntry[]> {
  const positions = await clients.publicClient.readContract({
    address: deployment.contracts.lens,
    abi: perpLensAbi,
    functionName: "inventory",
  });
  return positions.map((p) => ({
    marketId: p.marketId,
    symbol: deployment.markets[Number(p.marketId)]?.symbol ?? `#${p.marketId}`,
    size: p.size,
    notional: p.notional,
    pnl: p.unrealizedPnl - p.fundingOwed,
  }));
}
