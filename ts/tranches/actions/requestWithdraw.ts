import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters, sharesSchema } from "../../pool/schemas";
import { sendContract } from "../../pool/write";

export type RequestWithdrawParameters = {
  /** TrancheVault address. */
  vault: Address;
  /** Shares to escrow (a bigint in share units, 12 decimals for a 6-decimal asset). */
  shares: bigint | number;
  account?: Account | Address | undefined;
};

export type RequestWithdrawReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** First timestamp at which `claim` succeeds. */
  unlockTime: bigint;
};

const schema = z.object({ vault: addressSchema, shares: sharesSchema, account: z.any().optional() });

/**
 * Starts an exit: escrows shares for the cooldown. Losses during the cooldown still apply.
 * @example
 * const { unlockTime } = await requestWithdraw(walletClient, { vault: junior, shares });
 */
export async function requestWithdraw(
  client: PerpClient,
  parameters: RequestWithdrawParameters,
): Promise<RequestWithdrawReturnType> {
  const p = parseParameters("requestWithdraw", schema, parameters);
  const { hash, receipt, result } = await sendContract<bigint>(client, "requestWithdraw", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "requestWithdraw",
    args: [p.shares],
    account: p.account,
  });
  return { hash, receipt, unlockTime: result };
}
