import { type Account, type Address, type Hash, isAddressEqual, parseEventLogs, type TransactionReceipt } from "viem";
import { z } from "zod";
import { iTrancheExitGateAbi, trancheVaultAbi } from "../../abi/generated";
import { PerpError } from "../../errors";
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
 * A junior claim found nothing claimable under the exit gate (`ClaimGated`): the transaction mined, the request keeps
 * its place in the queue and its claim window restarted; claim again once coverage is back (`getExitGate`).
 */
export class ClaimGatedError extends PerpError {
  override name = "ClaimGatedError";
  constructor(
    readonly hash: Hash,
    readonly requestedAssets: bigint,
    readonly aheadAssets: bigint,
    readonly capacity: bigint,
  ) {
    super(
      `claim: the junior exit gate holds the whole request back (capacity ${capacity}, ${aheadAssets} queued ahead, ${requestedAssets} requested; asset units)`,
      { details: `tx ${hash}: the request keeps its place and its claim window restarted; claim again later` },
    );
  }
}

/**
 * Step one of the sender's exit after the cooldown (`CooldownActive`/`ClaimWindowExpired`/`ClaimSettling` errors
 * otherwise): fixes the cap and starts the settlement delay; `settleClaim` pays from `settleAt`. A junior claim under
 * the exit gate may start only part of the request (the event's shares and cap; the rest keeps its place), or none:
 * then it throws `ClaimGatedError` after the transaction mined.
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
  const gated = parseEventLogs({ abi: iTrancheExitGateAbi, eventName: "ClaimGated", logs: receipt.logs }).find((l) =>
    isAddressEqual(l.address, p.vault),
  );
  if (gated) {
    throw new ClaimGatedError(hash, gated.args.requestedAssets, gated.args.aheadAssets, gated.args.capacity);
  }
  const event = minedEvent("claim", receipt, { abi: trancheVaultAbi, eventName: "ClaimStarted", address: p.vault });
  return { hash, receipt, shares: event.shares, assetsCap: event.assetsCap, settleAt: BigInt(event.settleAt) };
}
