import type { Account, Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { type ClaimReturnType, claim } from "./claim";
import { type SettleClaimReturnType, settleClaim } from "./settleClaim";

export type ClaimOrSettleReturnType =
  | ({ step: "started" } & ClaimReturnType)
  | ({ step: "settled" } & SettleClaimReturnType)
  | { step: "settling"; shares: bigint; assetsCap: bigint; settleAt: bigint };

/**
 * The LP's one "claim" button: settles the owner's claim when its settlement delay has passed, reports it while it is
 * still settling (nothing sent), and otherwise starts the claim of the matured request.
 * @example
 * const r = await claimOrSettle(walletClient, { vault: junior, owner });
 */
export async function claimOrSettle(
  client: PerpClient,
  parameters: { vault: Address; owner: Address; account?: Account | Address | undefined },
): Promise<ClaimOrSettleReturnType> {
  const { vault, owner, account } = parameters;
  const [shares, assetsCap, settleAt] = await readContract(client, {
    address: vault,
    abi: trancheVaultAbi,
    functionName: "pendingClaim",
    args: [owner],
  });
  if (shares === 0n) return { step: "started", ...(await claim(client, { vault, account })) };
  const now = (await getBlock(client)).timestamp;
  if (now < BigInt(settleAt)) return { step: "settling", shares, assetsCap, settleAt: BigInt(settleAt) };
  return { step: "settled", ...(await settleClaim(client, { vault, owner, account })) };
}
