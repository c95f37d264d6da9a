import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { accountAddress, minedEvent, sendContract } from "../../pool/write";

export type CancelWithdrawParameters = {
  /** TrancheVault address. */
  vault: Address;
  account?: Account | Address | undefined;
};

export type CancelWithdrawReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Shares given back, from the mined `WithdrawCancelled` event. */
  returned: bigint;
  /** Shares burned (their value stays with the other LPs; see ts/tranches/math/cancelCost), same event. */
  burned: bigint;
};

const schema = z.object({ vault: addressSchema, account: z.any().optional() });

/**
 * Cancels the sender's open withdraw request: the escrowed shares come back, at most worth the request's value
 * when it was made (the rest is burned), and the cooldown served is lost.
 * @example
 * await cancelWithdraw(walletClient, { vault: junior });
 */
export async function cancelWithdraw(
  client: PerpClient,
  parameters: CancelWithdrawParameters,
): Promise<CancelWithdrawReturnType> {
  const p = parseParameters("cancelWithdraw", schema, parameters);
  accountAddress(client, p.account, "cancelWithdraw");
  const { hash, receipt } = await sendContract(client, "cancelWithdraw", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "cancelWithdraw",
    args: [],
    account: p.account,
  });
  const event = minedEvent("cancelWithdraw", receipt, {
    abi: trancheVaultAbi,
    eventName: "WithdrawCancelled",
    address: p.vault,
  });
  return { hash, receipt, returned: event.returned, burned: event.burned };
}
