// The addresses the LP-economics actions read ([5/6]): the tranches, the backstop, the pool, and the tail-risk
// oracle and risk timelock when the deployment names them (a deployment from before [5/6] does not: the oracle is
// then read from `backstop.tailRiskOracle()` and the timelock is the pool's owner when that is a contract).
import { type Abi, type Address, zeroAddress } from "viem";
import { getCode, readContract } from "viem/actions";
import { z } from "zod";
import { backstopAbi, iRiskTimelockAbi, iTailRiskOracleAbi, perpPoolAbi } from "../abi/generated";
import { protocolErrorAbi } from "../chain/protocolErrors";
import { type PerpError, toPerpError } from "../errors";
import type { PerpClient } from "../pool/client";
import { addressSchema } from "../pool/schemas";

/** What the actions need of a `Deployment` (ts/deploy/deployment.ts): a whole `Deployment` fits. */
export type LpEconomicsDeployment = {
  contracts: {
    junior: Address;
    senior: Address;
    backstop: Address;
    pool: Address;
    /** TailRiskOracle; default `backstop.tailRiskOracle()`. */
    tailRiskOracle?: Address | undefined;
    /** RiskTimelock; default the pool's owner when it has code. */
    timelock?: Address | undefined;
  };
};

export const lpDeploymentSchema = z.object({
  contracts: z.object({
    junior: addressSchema,
    senior: addressSchema,
    backstop: addressSchema,
    pool: addressSchema,
    tailRiskOracle: addressSchema.optional(),
    timelock: addressSchema.optional(),
  }),
});

export type TrancheName = "junior" | "senior";
export const trancheNameSchema = z.enum(["junior", "senior"], { error: 'must be "junior" or "senior"' });

/** Every custom error the LP-economics contracts may revert with, for decoding (protocol errors included). */
export const lpErrorAbi: Abi = [
  ...protocolErrorAbi,
  ...iTailRiskOracleAbi.filter((i) => i.type === "error"),
  ...iRiskTimelockAbi.filter((i) => i.type === "error"),
];

/** A failure of `action` as a PerpError, reverts decoded against the LP-economics errors too. */
export function lpActionError(action: string, err: unknown): PerpError {
  return toPerpError(err, action, lpErrorAbi);
}

/** The tail-risk oracle the backstop splits by (`backstop.tailRiskOracle()`, the one that sets the split, whatever a
 * deployment file says); null when none is wired. */
export async function resolveTailRiskOracle(
  client: PerpClient,
  d: z.output<typeof lpDeploymentSchema>,
  blockNumber?: bigint,
): Promise<Address | null> {
  const oracle = await readContract(client, {
    address: d.contracts.backstop,
    abi: backstopAbi,
    functionName: "tailRiskOracle",
    blockNumber,
  });
  return oracle === zeroAddress ? null : oracle;
}

/** The risk timelock (the deployment's, else the pool's owner when it is a contract); null when the pool is owned
 * by an account (a deployment with `governance: "owner"`). */
export async function resolveTimelock(
  client: PerpClient,
  d: z.output<typeof lpDeploymentSchema>,
  blockNumber?: bigint,
): Promise<Address | null> {
  if (d.contracts.timelock && d.contracts.timelock !== zeroAddress) return d.contracts.timelock;
  const owner = await readContract(client, {
    address: d.contracts.pool,
    abi: perpPoolAbi,
    functionName: "owner",
    blockNumber,
  });
  const code = await getCode(client, { address: owner, blockNumber });
  return code && code !== "0x" ? owner : null;
}
