import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters } from "../../pool/schemas";

export type GetTrancheParameters = {
  /** TrancheVault address. */
  vault: Address;
  /** Also read this LP's share balance and pending withdraw request. */
  owner?: Address | undefined;
};

export type GetTrancheReturnType = {
  vault: Address;
  totalAssets: bigint;
  totalSupply: bigint;
  unvestedPremium: bigint;
  /** Share decimals (asset decimals + the virtual-share offset). */
  decimals: number;
  /** Assets (token units) one whole share redeems for, rounded down: convertToAssets(10^decimals). */
  sharePrice: bigint;
  cooldown: bigint;
  claimWindow: bigint;
  isWiped: boolean;
  owner?: {
    address: Address;
    shares: bigint;
    /** The open request (all zero when none). */
    request: { shares: bigint; assetsAtRequest: bigint; unlockTime: bigint };
  };
};

const schema = z.object({ vault: addressSchema, owner: addressSchema.optional() });

/**
 * Reads a tranche: capital, supply, premium still vesting, share price, exit timing and (optionally) an LP's request.
 * @example
 * const j = await getTranche(publicClient, { vault: junior, owner: lp });
 * console.log(j.totalAssets, j.sharePrice, j.owner?.request.unlockTime);
 */
export async function getTranche(client: PerpClient, parameters: GetTrancheParameters): Promise<GetTrancheReturnType> {
  const { vault, owner } = parseParameters("getTranche", schema, parameters);
  const v = { address: vault, abi: trancheVaultAbi } as const;
  try {
    const [totalAssets, totalSupply, unvestedPremium, decimals, cooldown, claimWindow, isWiped] = await Promise.all([
      readContract(client, { ...v, functionName: "totalAssets" }),
      readContract(client, { ...v, functionName: "totalSupply" }),
      readContract(client, { ...v, functionName: "unvestedPremium" }),
      readContract(client, { ...v, functionName: "decimals" }),
      readContract(client, { ...v, functionName: "cooldown" }),
      readContract(client, { ...v, functionName: "claimWindow" }),
      readContract(client, { ...v, functionName: "isWiped" }),
    ]);
    const sharePrice = await readContract(client, {
      ...v,
      functionName: "convertToAssets",
      args: [10n ** BigInt(decimals)],
    });
    const result: GetTrancheReturnType = {
      vault,
      totalAssets,
      totalSupply,
      unvestedPremium,
      decimals,
      sharePrice,
      cooldown: BigInt(cooldown),
      claimWindow: BigInt(claimWindow),
      isWiped,
    };
    if (owner) {
      const [shares, [reqShares, assetsAtRequest, unlockTime]] = await Promise.all([
        readContract(client, { ...v, functionName: "balanceOf", args: [owner] }),
        readContract(client, { ...v, functionName: "withdrawRequest", args: [owner] }),
      ]);
      result.owner = {
        address: owner,
        shares,
        request: { shares: reqShares, assetsAtRequest, unlockTime: BigInt(unlockTime) },
      };
    }
    return result;
  } catch (err) {
    throw actionError("getTranche", err);
  }
}
