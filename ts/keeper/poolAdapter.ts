// The pool's keeper entry points, behind small adapters: which ones exist is read from the generated ABI, so the
// keeper follows the contracts when they change (liquidateMany, unwindInventory, repeg arrive with issue 8).
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
  unwindInventory: fn(poolAbi, "unwindInventory") !== undefined,
  repeg: fn(poolAbi, "repeg") !== undefined,
  inventory: fn(lensAbi, "inventory") !== undefined,
};

export type LiquidationTarget = { id: Hex; owner: Address; subId: bigint; largestSize: bigint };

export type LiquidationCall = { data: Hex; targets: LiquidationTarget[]; noop: (ret: Hex) => boolean };

/** The calls that liquidate `targets` (worst first): batches of `batch` ids, or one call per account. */
export function liquidationCalls(
  targets: readonly LiquidationTarget[],
  batch: number,
  deadline: bigint,
): LiquidationCall[] {
  if (capabilities.liquidateMany) {
    const out: LiquidationCall[] = [];
    for (let i = 0; i < targets.length; i += batch) {
      const slice = targets.slice(i, i + batch);
      out.push({
        data: encodeFunctionData({ abi: poolAbi, functionName: "liquidateMany", args: [slice.map((t) => t.id)] }),
        targets: slice,
        noop: (ret) => decodeFunctionResult({ abi: poolAbi, functionName: "liquidateMany", data: ret }) === 0n,
      });
    }
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

export function unwindData(marketId: bigint, maxBase: bigint): Hex {
  return encodeFunctionData({ abi: poolAbi, functionName: "unwindInventory", args: [marketId, maxBase] });
}

/** Backstop inventory as (market, size) pairs from `lens.inventory()` (whatever its struct names the fields). */
export function parseInventory(value: unknown): { marketId: bigint; size: bigint }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const x = v as Record<string, unknown>;
    return typeof x.marketId === "bigint" && typeof x.size === "bigint" ? [{ marketId: x.marketId, size: x.size }] : [];
  });
}

export { lensAbi as lensAbiLoose, poolAbi as poolAbiLoose };
