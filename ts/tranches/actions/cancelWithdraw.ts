import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { sendContract } from "../../pool/write";

export type CancelWithdrawParameters = {
  /** TrancheVault address. */
  vault: Address;
  account?: Account | Address | undefined;
};

export type CancelWithdrawReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Shares given back (the rest, if the share price rose since the request, is burned; see cancelCost). */
  returned: bigint;
};

const schema = z.object({ vault: addressSchema, account: z.any().optional() });

/**
 * Cancels the sender's open withdrawal request (`NoWithdrawRequest` without one). What it costs is
 * `getLpPosition(...).request.cancel`.
 * @example
 * const { returned } = await cancelWithdraw(walletClient, { vault: junior });
 */
export async function cancelWithdraw(
  client: PerpClient,
  parameters: CancelWithdrawParameters,
): Promise<CancelWithdrawReturnType> {
  const p = parseParameters("cancelWithdraw", schema, parameters);
  const { hash, receipt, result } = await sendContract<bigint>(client, "cancelWithdraw", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "cancelWithdraw",
    args: [],
    account: p.account,
  });
  return { hash, receipt, returned: result };
}
