import { type Abi, type Address, decodeFunctionData, type Hex, isAddressEqual, slice } from "viem";
import { getBlock, readContract } from "viem/actions";
import { z } from "zod";
import {
  iRiskTimelockAbi,
  iTailRiskOracleAbi,
  iTrancheExitGateAbi,
  oracleRouterAbi,
  perpPoolAbi,
} from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { parseParameters } from "../../pool/schemas";
import { type LpEconomicsDeployment, lpActionError, lpDeploymentSchema, resolveTimelock } from "../lpDeployment";

/** The timelock's governed targets by the deployment's names (the timelock governs its own `setAdmin`). */
export type GovernedTarget = "pool" | "oracle" | "tailRiskOracle" | "timelock" | "unknown";

export type QueuedChange = {
  id: bigint;
  target: Address;
  targetName: GovernedTarget;
  selector: Hex;
  /** The call decoded with the target's ABI (null when the selector is not in it). */
  functionName: string | null;
  args: readonly unknown[];
  data: Hex;
  /** Earliest execution time (unix seconds). */
  eta: bigint;
  /** The timelock classed it as raising risk (it waits the delay); a lowering change applies at once. */
  raisesRisk: boolean;
  /** eta has passed at the read block. */
  ready: boolean;
  /** A risk-raising change the timelock would refuse now (`JuniorExitsHeldBack`): the junior exit gate holds
   * requests back (queued > capacity), so it waits, past its eta if need be, until they can leave. */
  heldBack: boolean;
};

/** Ownable2Step's entry points, which every governed target has. */
const ownableAbi = perpPoolAbi.filter(
  (i) => i.type === "function" && (i.name === "transferOwnership" || i.name === "acceptOwnership"),
);

const ABIS: Record<GovernedTarget, Abi> = {
  pool: perpPoolAbi,
  oracle: oracleRouterAbi,
  tailRiskOracle: [...iTailRiskOracleAbi, ...ownableAbi],
  timelock: iRiskTimelockAbi,
  unknown: [...perpPoolAbi, ...oracleRouterAbi, ...iTailRiskOracleAbi],
};

const schema = z.object({ deployment: lpDeploymentSchema });

/** Decodes a governed call with its target's ABI: the function and its arguments, or null when unknown. */
export function decodeGovernedCall(
  targetName: GovernedTarget,
  data: Hex,
): { functionName: string | null; args: readonly unknown[] } {
  try {
    const { functionName, args } = decodeFunctionData({ abi: ABIS[targetName], data });
    return { functionName, args: args ?? [] };
  } catch {
    return { functionName: null, args: [] };
  }
}

/**
 * The risk timelock's queue: every change neither executed nor cancelled, decoded, with its effective time. Empty
 * when the pool is owned by an account (no timelock).
 * @example
 * for (const c of await getQueuedChanges(publicClient, deployment)) console.log(c.functionName, c.eta, c.raisesRisk);
 */
export async function getQueuedChanges(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  options: { blockNumber?: bigint | undefined } = {},
): Promise<QueuedChange[]> {
  const p = parseParameters("getQueuedChanges", schema, { deployment });
  try {
    const block = await getBlock(client, options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber });
    const blockNumber = block.number;
    const timelock = await resolveTimelock(client, p.deployment, blockNumber);
    if (!timelock) return [];
    const tl = { address: timelock, abi: iRiskTimelockAbi, blockNumber } as const;
    // The targets as the timelock itself names them.
    const [ids, pool, oracleRouter, tailRiskOracle, junior] = await Promise.all([
      readContract(client, { ...tl, functionName: "pendingChanges" }),
      readContract(client, { ...tl, functionName: "pool" }),
      readContract(client, { ...tl, functionName: "oracleRouter" }),
      readContract(client, { ...tl, functionName: "tailRiskOracle" }),
      readContract(client, { ...tl, functionName: "junior" }),
    ]);
    const [, capacity, queuedAssets] =
      ids.length === 0
        ? [0n, 0n, 0n]
        : await readContract(client, {
            address: junior,
            abi: iTrancheExitGateAbi,
            functionName: "exitGate",
            blockNumber,
          });
    const gateHolds = queuedAssets > capacity;
    const nameOf = (target: Address): GovernedTarget =>
      isAddressEqual(target, pool)
        ? "pool"
        : isAddressEqual(target, oracleRouter)
          ? "oracle"
          : isAddressEqual(target, tailRiskOracle)
            ? "tailRiskOracle"
            : isAddressEqual(target, timelock)
              ? "timelock"
              : "unknown";
    return await Promise.all(
      ids.map(async (id): Promise<QueuedChange> => {
        const ch = await readContract(client, { ...tl, functionName: "change", args: [id] });
        const targetName = nameOf(ch.target);
        const selector = ch.data.length >= 10 ? slice(ch.data, 0, 4) : ch.data;
        return {
          id,
          target: ch.target,
          targetName,
          selector,
          ...decodeGovernedCall(targetName, ch.data),
          data: ch.data,
          eta: ch.eta,
          raisesRisk: ch.raisesRisk,
          ready: ch.eta <= block.timestamp,
          heldBack: ch.raisesRisk && gateHolds,
        };
      }),
    );
  } catch (err) {
    throw lpActionError("getQueuedChanges", err);
  }
}
