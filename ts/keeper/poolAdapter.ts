// The pool's keeper entry points, behind small adapters: which ones exist is read from the generated ABI, so the
// keeper follows the contracts when they change (liquidateMany, takeInventory, repeg arrive with issue 8).
import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type Hex, maxUint256 } from "viem";
import { perpLensAbi, perpPoolAbi } from "../abi/generated";

const poolAbi = perpPoolAbi as Abi;
const lensAbi = perpLensAbi as Abi;

function fn(abi: Abi, name: string) {
  return abi.find((x): x is Extract<Abi[number], { type: "function" }> => x.type === "function" && x.name === name);
}

export const capabilities = {
  /** liquidateMany(bytes32[] ids): one step for each id, healthy ones skipped. */
  liquidateMany: fn(poolAbi, "liquidateMany") !== undefined,
  /** liquidateIfUnhealthy(owner, subId, maxBase) (index transfer) vs the old (…, quoteLimit, deadline). */
  liquidateIfUnhealthyArgs: fn(poolAbi, "liquidateIfUnhealthy")?.inputs.length ?? 0,
  /** takeInventory(marketId, subId, maxBase, priceLimit, deadline): the inventory's descending-discount sale. */
  takeInventory: fn(poolAbi, "takeInventory") !== undefined,
  repeg: fn(poolAbi, "repeg") !== undefined,
  inventory: fn(lensAbi, "inventory") !== undefined,
  inventorySales: fn(lensAbi, "inventorySales") !== undefined,
};

export type LiquidationTarget = {
  id: Hex;
  owner: Address;
  subId: bigint;
  largestSize: bigint;
  /** Ladder steps to take in this block (the id is listed this many times in liquidateMany). */
  steps: number;
};

export type LiquidationCall = { data: Hex; targets: LiquidationTarget[]; noop: (ret: Hex) => boolean };

/** The calls that liquidate `targets` (worst first): batches of `batch` ids, or one call per account. */
export function liquidationCalls(
  targets: readonly LiquidationTarget[],
  batch: number,
  deadline: bigint,
): LiquidationCall[] {
  if (capabilities.liquidateMany) {
    const out: LiquidationCall[] = [];
    let slice: LiquidationTarget[] = [];
    let ids = 0;
    const flush = () => {
      if (slice.length === 0) return;
      const list = slice.flatMap((t) => Array.from({ length: Math.max(1, t.steps) }, () => t.id));
      const targetsOfCall = slice;
      out.push({
        data: encodeFunctionData({ abi: poolAbi, functionName: "liquidateMany", args: [list] }),
        targets: targetsOfCall,
        noop: (ret) => decodeFunctionResult({ abi: poolAbi, functionName: "liquidateMany", data: ret }) === 0n,
      });
      slice = [];
      ids = 0;
    };
    for (const t of targets) {
      if (ids > 0 && ids + Math.max(1, t.steps) > batch) flush();
      slice.push(t);
      ids += Math.max(1, t.steps);
    }
    flush();
    return out;
  }
  return targets.map((t) => {
    const args =
      capabilities.liquidateIfUnhealthyArgs === 3
        ? [t.owner, t.subId, maxUint256]
        : // Old curve liquidation: the step sells a long (accept any quote) or buys back a short (pay any quote);
          // the pool's price band bounds the price, the keeper has no capital at stake.
          [t.owner, t.subId, maxUint256, t.largestSize > 0n ? 0n : maxUint256, deadline];
    return {
      data: encodeFunctionData({ abi: poolAbi, functionName: "liquidateIfUnhealthy", args }),
      targets: [t],
      noop: (ret) => decodeFunctionResult({ abi: poolAbi, functionName: "liquidateIfUnhealthy", data: ret }) === 0n,
    };
  });
}

export function updateFundingData(marketId: bigint): Hex {
  return encodeFunctionData({ abi: perpPoolAbi, functionName: "updateFunding", args: [marketId] });
}

export function distributePremiumData(): Hex {
  return encodeFunctionData({ abi: perpPoolAbi, functionName: "distributePremium" });
}

export function premiumNoop(ret: Hex): boolean {
  return decodeFunctionResult({ abi: perpPoolAbi, functionName: "distributePremium", data: ret }) === 0n;
}

export function repegData(marketId: bigint): Hex {
  return encodeFunctionData({ abi: poolAbi, functionName: "repeg", args: [marketId] });
}

/**
 * `takeInventory` into `(signer, subId)`: up to `maxBase`, paying at most (taking a long) or receiving at least
 * (taking a short) `priceLimit` per base.
 */
export function takeInventoryData(
  marketId: bigint,
  subId: bigint,
  maxBase: bigint,
  priceLimit: bigint,
  opts: { deadline: bigint },
): Hex {
  return encodeFunctionData({
    abi: poolAbi,
    functionName: "takeInventory",
    args: [marketId, subId, maxBase, priceLimit, opts.deadline],
  });
}

/** One market's sale as `lens.inventorySales()` reports it. */
export type SaleState = {
  marketId: bigint;
  size: bigint;
  indexPrice: bigint;
  oracleStatus: number;
  discountPerBase: bigint;
  pricePerBase: bigint;
  budget: bigint;
  clockStart: bigint;
  discountRateBps: bigint;
};

/** The sales from `lens.inventorySales()` (entries missing a field are dropped). */
export function parseInventorySales(value: unknown): SaleState[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const x = v as Record<string, unknown>;
    const big = ["marketId", "size", "indexPrice", "discountPerBase", "pricePerBase", "budget", "clockStart"] as const;
    if (!big.every((k) => typeof x[k] === "bigint")) return [];
    return [
      {
        marketId: x.marketId as bigint,
        size: x.size as bigint,
        indexPrice: x.indexPrice as bigint,
        oracleStatus: Number(x.oracleStatus),
        discountPerBase: x.discountPerBase as bigint,
        pricePerBase: x.pricePerBase as bigint,
        budget: x.budget as bigint,
        clockStart: x.clockStart as bigint,
        discountRateBps: BigInt(x.discountRateBps as bigint | number),
      },
    ];
  });
}

export { lensAbi as lensAbiLoose, poolAbi as poolAbiLoose };
