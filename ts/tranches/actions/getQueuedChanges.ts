import { type Abi, type Address, decodeFunctionData, type Hex, isAddressEqual, slice } from "viem";
import { getBlock, readContract } from "viem/actions";
import { z } from "zod";
import { iRiskTimelockAbi, iTailRiskOracleAbi, oracleRouterAbi, perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { parseParameters } from "../../pool/schemas";
import {
  type LpEconomicsDeployment,
  lpActionError,
  lpDeploymentSchema,
  resolveTailRiskOracle,
  resolveTimelock,
} from "../lpDeployment";

/** The timelock's governed targets by the deployment's names. */
export type GovernedTarget = "pool" | "oracle" | "tailRiskOracle" | "unknown";

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
  /** eta has passed at the read block: the admin may execute it now. */
  ready: boolean;
};

/** Ownable2Step's entry points, which every governed target has. */
const ownableAbi = perpPoolAbi.filter(
  (i) => i.type === "function" && (i.name === "transferOwnership" || i.name === "acceptOwnership"),
);

const ABIS: Record<GovernedTarget, Abi> = {
  pool: perpPoolAbi,
  oracle: oracleRouterAbi,
  tailRiskOracle: [...iTailRiskOracleAbi, ...ownableAbi],
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
    const [timelock, tailRiskOracle] = await Promise.all([
      resolveTimelock(client, p.deployment, blockNumber),
      resolveTailRiskOracle(client, p.deployment, blockNumber),
    ]);
    if (!timelock) return [];
    const ids = await readContract(client, {
      address: timelock,
      abi: iRiskTimelockAbi,
      functionName: "pendingChanges",
      blockNumber,
    });
    const c = p.deployment.contracts;
    const nameOf = (target: Address): GovernedTarget =>
      isAddressEqual(target, c.pool)
        ? "pool"
        : isAddressEqual(target, c.oracle)
          ? "oracle"
          : tailRiskOracle && isAddressEqual(target, tailRiskOracle)
            ? "tailRiskOracle"
            : "unknown";
    return await Promise.all(
      ids.map(async (id): Promise<QueuedChange> => {
        const ch = await readContract(client, {
          address: timelock,
          abi: iRiskTimelockAbi,
          functionName: "change",
          args: [id],
          blockNumber,
        });
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
        };
      }),
    );
  } catch (err) {
    throw lpActionError("getQueuedChanges", err);
  }
}
