import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { minedEvent, sendContract } from "../../pool/write";

export type ClaimParameters = {
  /** TrancheVault address. */
  vault: Address;
  account?: Account | Address | undefined;
};

export type ClaimReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Assets paid, min(value at request, value now), from the mined `WithdrawClaimed` event. */
  assets: bigint;
  /** Shares burned (the escrowed request), from the same event. */
  shares: bigint;
};

const schema = z.object({ vault: addressSchema, account: z.any().optional() });

/**
 * Completes the sender's exit after the cooldown (`CooldownActive`/`ClaimWindowExpired` errors otherwise).
 * @example
 * const { assets } = await claim(walletClient, { vault: junior });
 */
export async function claim(client: PerpClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  const p = parseParameters("claim", schema, parameters);
  const { hash, receipt } = await sendContract(client, "claim", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "claim",
    args: [],
    account: p.account,
  });
  const event = minedEvent("claim", receipt, { abi: trancheVaultAbi, eventName: "WithdrawClaimed", address: p.vault });
  return { hash, receipt, assets: event.assets, shares: event.shares };
}
