import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { iTrancheBoostAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { parseParameters } from "../../pool/schemas";
import { minedEvent, sendContract } from "../../pool/write";
import {
  type LpEconomicsDeployment,
  lpActionError,
  lpDeploymentSchema,
  type TrancheName,
  trancheNameSchema,
} from "../lpDeployment";

export type ClaimBoostReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** What was paid (asset units) and the points spent, from the mined `BoostClaimed` event. */
  assets: bigint;
  points: bigint;
};

const schema = z.object({
  deployment: lpDeploymentSchema,
  tranche: trancheNameSchema,
  account: z.any().optional(),
});

/**
 * Claims the sender's share of a tranche's boost pot (`claimBoost`; `NothingToClaim` when it has no points or its
 * share rounds to 0, and the points are kept then). Returns what the mined transaction paid.
 * @example
 * const { assets } = await claimBoost(walletClient, deployment, "junior");
 */
export async function claimBoost(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  tranche: TrancheName,
  options: { account?: Account | Address | undefined } = {},
): Promise<ClaimBoostReturnType> {
  const p = parseParameters("claimBoost", schema, { deployment, tranche, account: options.account });
  const vault = p.deployment.contracts[p.tranche];
  try {
    const { hash, receipt } = await sendContract(client, "claimBoost", {
      address: vault,
      abi: iTrancheBoostAbi,
      functionName: "claimBoost",
      args: [],
      account: options.account,
    });
    const event = minedEvent("claimBoost", receipt, {
      abi: iTrancheBoostAbi,
      eventName: "BoostClaimed",
      address: vault,
    });
    return { hash, receipt, assets: event.assets, points: event.points };
  } catch (err) {
    throw lpActionError("claimBoost", err);
  }
}
