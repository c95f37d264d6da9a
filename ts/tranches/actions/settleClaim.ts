import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { minedEvent, sendContract } from "../../pool/write";

export type SettleClaimParameters = {
  /** TrancheVault address. */
  vault: Address;
  /** Whose claim to settle (the payout goes to this owner); default: the sender. */
  owner?: Address | undefined;
  account?: Account | Address | undefined;
};

export type SettleClaimReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The owner paid. */
  owner: Address;
  /** Assets paid, min(cap, value now), from the mined `WithdrawClaimed` event. */
  assets: bigint;
  /** Shares burned (the escrowed claim), from the same event. */
  shares: bigint;
};

const schema = z.object({
  vault: addressSchema,
  owner: addressSchema.optional(),
  account: z.any().optional(),
});

/**
 * Step two of an exit: pays a claim whose settlement delay has passed (`SettlementPending`/`ClaimNotStarted` errors
 * otherwise). Anyone may send it; the owner is paid.
 * @example
 * const { assets } = await settleClaim(walletClient, { vault: junior });
 */
export async function settleClaim(
  client: PerpClient,
  parameters: SettleClaimParameters,
): Promise<SettleClaimReturnType> {
  const p = parseParameters("settleClaim", schema, parameters);
  const account = p.account ?? client.account;
  const sender = typeof account === "string" ? account : account?.address;
  const owner = p.owner ?? sender;
  if (!owner) throw new Error("settleClaim: no owner and no account to default to");
  const { hash, receipt } = await sendContract(client, "settleClaim", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "settleClaim",
    args: [owner],
    account: p.account,
  });
  const event = minedEvent("settleClaim", receipt, {
    abi: trancheVaultAbi,
    eventName: "WithdrawClaimed",
    address: p.vault,
  });
  return { hash, receipt, owner: event.owner, assets: event.assets, shares: event.shares };
}
