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
  /** The escrowed shares, still bearing losses until `settleAt`, from the mined `ClaimStarted` event. */
  shares: bigint;
  /** The most the settlement pays: min(value at request, value at the claim), from the same event. */
  assetsCap: bigint;
  /** Unix seconds from which `settleClaim` pays (anyone may call it; it pays the owner). */
  settleAt: bigint;
};

const schema = z.object({ vault: addressSchema, account: z.any().optional() });

/**
 * Step one of the sender's exit after the cooldown (`CooldownActive`/`ClaimWindowExpired`/`ClaimSettling` errors
 * otherwise): fixes the cap and starts the settlement delay; `settleClaim` pays from `settleAt`.
 * @example
 * const { settleAt } = await claim(walletClient, { vault: junior });
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
  const event = minedEvent("claim", receipt, { abi: trancheVaultAbi, eventName: "ClaimStarted", address: p.vault });
  return { hash, receipt, shares: event.shares, assetsCap: event.assetsCap, settleAt: BigInt(event.settleAt) };
}
