import type { Percent } from "@uniswap/sdk-core";
import type { Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { z } from "zod";
import { iTailRiskOracleAbi, iTrancheExitGateAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { bpsToPercent } from "../../pool/format";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { type LpEconomicsDeployment, lpActionError, lpDeploymentSchema, resolveTailRiskOracle } from "../lpDeployment";
import { claimableShareBpsDown } from "../math/exitGate";

export type ExitGateRequest = {
  /** What a claim would take now (asset units): min(requested, max(0, capacity − ahead)). */
  claimable: bigint;
  /** What the request still asks for (asset units; 0: no request). */
  requested: bigint;
  /** Assets of live junior requests queued before it. */
  ahead: bigint;
  /** claimable / requested, rounded down ("62 % claimable now"); null with no request. */
  claimableBps: bigint | null;
  claimablePercent: Percent | null;
};

export type GetExitGateReturnType = {
  vault: Address;
  blockNumber: bigint;
  /** c × the junior's stressed loss (asset units), below which no junior exit may take junior. */
  floor: bigint;
  /** The floor comes from the posted ES99 (fresh figure) rather than the stress view's loss. */
  fromEs99: boolean;
  /** max(0, net assets − claims settling − floor): what junior exits may take now, in queue order. */
  capacity: bigint;
  /** Assets of every live junior request. */
  queued: bigint;
  /** The owner's request, when an owner was given. */
  mine?: ExitGateRequest;
};

const schema = z.object({ deployment: lpDeploymentSchema, owner: addressSchema.optional() });

/**
 * The junior exit gate: the floor, the capacity above it, what is queued, and (with `owner`) how much of their
 * request a claim would take now. Senior exits are never gated.
 * @example
 * const g = await getExitGate(publicClient, deployment, lp);
 * if (g.mine?.claimablePercent) console.log(`${g.mine.claimablePercent.toFixed(0)} % claimable now`);
 */
export async function getExitGate(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  owner?: Address,
  options: { blockNumber?: bigint | undefined } = {},
): Promise<GetExitGateReturnType> {
  const p = parseParameters("getExitGate", schema, { deployment, owner });
  const vault = p.deployment.contracts.junior;
  try {
    const { number: blockNumber } = await getBlock(
      client,
      options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber },
    );
    const gate = { address: vault, abi: iTrancheExitGateAbi, blockNumber } as const;
    const [[floor, capacity, queued], oracle] = await Promise.all([
      readContract(client, { ...gate, functionName: "exitGate" }),
      resolveTailRiskOracle(client, p.deployment, blockNumber),
    ]);
    const fromEs99 = oracle
      ? (
          await readContract(client, {
            address: oracle,
            abi: iTailRiskOracleAbi,
            functionName: "juniorExitFloor",
            blockNumber,
          })
        )[1]
      : false;
    const result: GetExitGateReturnType = { vault, blockNumber, floor, fromEs99, capacity, queued };
    if (p.owner) {
      const [claimable, requested, ahead] = await readContract(client, {
        ...gate,
        functionName: "claimableNow",
        args: [p.owner],
      });
      const claimableBps = claimableShareBpsDown(claimable, requested);
      result.mine = {
        claimable,
        requested,
        ahead,
        claimableBps,
        claimablePercent: claimableBps === null ? null : bpsToPercent(claimableBps),
      };
    }
    return result;
  } catch (err) {
    throw lpActionError("getExitGate", err);
  }
}
