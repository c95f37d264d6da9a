import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters, sharesSchema } from "../../pool/schemas";
import { minedEvent, sendContract } from "../../pool/write";

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
  /**
   * First timestamp at which `claim` succeeds: the mined block's timestamp + the cooldown, from the mined
   * `WithdrawRequested` event (a simulation would use the pending block's time, which may differ).
   */
  unlockTime: bigint;
  /** Shares escrowed. */
  shares: bigint;
  /** Value of the escrowed shares at the request, token units: the most the claim can pay. */
  assetsAtRequest: bigint;
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
  const { hash, receipt } = await sendContract(client, "requestWithdraw", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "requestWithdraw",
    args: [p.shares],
    account: p.account,
  });
  const event = minedEvent("requestWithdraw", receipt, {
    abi: trancheVaultAbi,
    eventName: "WithdrawRequested",
    address: p.vault,
  });
  return {
    hash,
    receipt,
    unlockTime: BigInt(event.unlockTime),
    shares: event.shares,
    assetsAtRequest: event.assetsAtRequest,
  };
}
