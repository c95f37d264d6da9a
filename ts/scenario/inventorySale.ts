// The backstop inventory's descending-discount sale in the scenario: when the arbitrageur takes it, and what the
// run measured of it (what was sold, at what price against the index, the PnL booked to the backstop), with the
// repeg steps the keeper made and the mark-index gap left at the end.
import { type Address, getAbiItem, parseEventLogs } from "viem";
import { perpLensAbi, perpPoolAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { WAD } from "../money";
import type { InventorySold, MarkIndexGap } from "./types";

const BPS = 10_000n;
const NORMAL = 0;

type Range = { fromBlock: bigint; toBlock: bigint };

/** One market's sale as `lens.inventorySales()` reports it (the fields the decision reads). */
export type SaleView = {
  marketId: bigint;
  size: bigint;
  indexPrice: bigint;
  oracleStatus: number;
  discountPerBase: bigint;
  budget: bigint;
};

/**
 * Whether the arbitrageur takes the whole inventory now: the oracle vouches for the index and the discount has
 * reached its cap (the budget left per base held, or the penalty's share of the index), so waiting earns nothing
 * more. An inventory that paid no penalty (insolvent accounts only) has a cap of zero: it is taken at the index.
 * The limit is the index the block sets: never pay more for a long, never receive less for a short.
 */
export function saleToTake(
  v: SaleView,
  penaltyBps: number,
  index: bigint,
): { maxBase: bigint; priceLimit: bigint } | undefined {
  if (v.size === 0n || v.oracleStatus !== NORMAL) return undefined;
  const held = v.size < 0n ? -v.size : v.size;
  const budgetCap = (v.budget * WAD) / held;
  const penaltyCap = (v.indexPrice * BigInt(penaltyBps)) / BPS;
  const cap = budgetCap < penaltyCap ? budgetCap : penaltyCap;
  if (v.discountPerBase < cap) return undefined;
  return { maxBase: held, priceLimit: index };
}

export async function inventorySales(clients: DevClients, deployment: Deployment): Promise<SaleView[]> {
  const sales = await clients.publicClient.readContract({
    address: deployment.contracts.lens,
    abi: perpLensAbi,
    functionName: "inventorySales",
  });
  return sales.map((s) => ({ ...s, oracleStatus: Number(s.oracleStatus) }));
}

/**
 * Every sale in `range`, per market: base taken, what the takers paid or received against the index value, and the
 * PnL each sale realized for the backstop (`InventoryChanged` in the same transaction), booked to its net flow.
 */
export async function inventorySold(clients: DevClients, deployment: Deployment, range: Range) {
  const taken = await clients.publicClient.getLogs({
    address: deployment.contracts.pool,
    event: getAbiItem({ abi: perpPoolAbi, name: "InventoryTaken" }),
    ...range,
  });
  const byMarket = new Map<bigint, InventorySold>();
  const takers = new Set<Address>();
  for (const l of taken) {
    const id = l.args.marketId ?? 0n;
    const size = l.args.sizeDelta ?? 0n;
    const base = size < 0n ? -size : size;
    const quote = l.args.quoteDelta ?? 0n;
    const receipt = await clients.publicClient.getTransactionReceipt({ hash: l.transactionHash });
    const changed = parseEventLogs({ abi: perpPoolAbi, eventName: "InventoryChanged", logs: receipt.logs }).find(
      (c) => c.args.marketId === id,
    );
    const s = byMarket.get(id) ?? {
      marketId: id,
      symbol: deployment.markets[Number(id)]?.symbol ?? `#${id}`,
      takes: 0,
      size: 0n,
      proceeds: 0n,
      atIndex: 0n,
      realizedPnl: 0n,
    };
    s.takes++;
    s.size += base;
    s.proceeds += quote < 0n ? -quote : quote;
    s.atIndex += (base * (l.args.indexPrice ?? 0n)) / WAD;
    s.realizedPnl += changed?.args.realizedPnl ?? 0n;
    byMarket.set(id, s);
    if (l.args.taker) takers.add(l.args.taker);
  }
  return { markets: [...byMarket.values()], takers: [...takers] };
}

/** `Repegged` events in `range` (the keeper's repeg steps). */
export async function repegSteps(clients: DevClients, deployment: Deployment, range: Range): Promise<number> {
  const logs = await clients.publicClient.getLogs({
    address: deployment.contracts.pool,
    event: getAbiItem({ abi: perpPoolAbi, name: "Repegged" }),
    ...range,
  });
  return logs.length;
}

/** Mark against index of every market now, the funding cap, and whether a repeg is due. */
export async function markIndexGaps(clients: DevClients, deployment: Deployment): Promise<MarkIndexGap[]> {
  return Promise.all(
    deployment.markets.map(async (m) => {
      const [v, c] = await Promise.all([
        clients.publicClient.readContract({
          address: deployment.contracts.lens,
          abi: perpLensAbi,
          functionName: "marketView",
          args: [BigInt(m.marketId)],
        }),
        clients.publicClient.readContract({
          address: deployment.contracts.pool,
          abi: perpPoolAbi,
          functionName: "marketConfig",
          args: [BigInt(m.marketId)],
        }),
      ]);
      const gap = v.markPrice - v.indexPrice;
      return {
        symbol: m.symbol,
        mark: v.markPrice,
        index: v.indexPrice,
        gapBps: v.indexPrice === 0n ? 0n : (gap * BPS) / v.indexPrice,
        fundingCapBps: BigInt(c.maxPremiumBps),
        repegDue: v.repegDue,
      };
    }),
  );
}
