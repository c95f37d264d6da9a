import type { CurrencyAmount, Token } from "@uniswap/sdk-core";
import type { Address } from "viem";
import { getBlock, getBlockNumber, readContract } from "viem/actions";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { usdcAmount } from "../../pool/format";
import { min } from "../../pool/math/solidity";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { type CancelCost, cancelCost } from "../math/cancelCost";
import { readVaultToken } from "../vaultToken";

export type GetLpPositionParameters = {
  /** TrancheVault address. */
  vault: Address;
  /** The LP. */
  owner: Address;
  /** Read at this block (default the head); "now" is its timestamp. */
  blockNumber?: bigint | undefined;
};

/** Where a request stands at "now": before unlock, inside the claim window, or past it (cancel and request again). */
export type RequestStatus = "cooldown" | "claimable" | "expired";

export type LpRequest = {
  /** Escrowed shares. */
  shares: bigint;
  /** What the escrowed shares were worth when requested (`previewRedeem` then): the most a claim pays. */
  assetsAtRequest: bigint;
  /** What they are worth now: `previewRedeem(shares)`. */
  valueNow: bigint;
  /** What a claim would pay now: `min(assetsAtRequest, valueNow)` (losses in the cooldown apply, gains do not). */
  claimableNow: bigint;
  /** `unlockTime - cooldown`. */
  requestedAt: bigint;
  /** First second a claim succeeds. */
  unlockTime: bigint;
  /** Last second a claim succeeds: `unlockTime + claimWindow`. */
  claimDeadline: bigint;
  status: RequestStatus;
  /** `max(0, unlockTime - now)`. */
  secondsToUnlock: bigint;
  /** `max(0, claimDeadline - now)`: what is left of the claim window (or of cooldown + window). */
  secondsToDeadline: bigint;
  /** What `cancelWithdraw` would cost now (ts/tranches/math/cancelCost). */
  cancel: CancelCost;
  display: {
    assetsAtRequest: CurrencyAmount<Token>;
    valueNow: CurrencyAmount<Token>;
    claimableNow: CurrencyAmount<Token>;
    cancelCost: CurrencyAmount<Token>;
  };
};

export type GetLpPositionReturnType = {
  vault: Address;
  owner: Address;
  asset: Token;
  blockNumber: bigint;
  /** The block timestamp every time below is measured from. */
  now: bigint;
  /** Shares the LP holds (not counting escrowed ones). */
  shares: bigint;
  /** What they are worth now: `previewRedeem(shares)` (what a request now would record). */
  value: bigint;
  cooldown: bigint;
  claimWindow: bigint;
  /** The open request, or null. */
  request: LpRequest | null;
  display: { value: CurrencyAmount<Token> };
};

const schema = z.object({
  vault: addressSchema,
  owner: addressSchema,
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * An LP's position in one tranche: shares and their value now, and an open request's value at request vs now,
 * the time to unlock, the claim window and what a cancel would cost.
 * @example
 * const me = await getLpPosition(publicClient, { vault: junior, owner: lp });
 * if (me.request?.status === "claimable") console.log(me.request.display.claimableNow.toExact());
 */
export async function getLpPosition(
  client: PerpClient,
  parameters: GetLpPositionParameters,
): Promise<GetLpPositionReturnType> {
  const { vault, owner, ...rest } = parseParameters("getLpPosition", schema, parameters);
  try {
    const blockNumber = rest.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const v = { address: vault, abi: trancheVaultAbi, blockNumber } as const;
    const previewRedeem = (shares: bigint) =>
      readContract(client, { ...v, functionName: "previewRedeem", args: [shares] });
    const [{ asset }, block, shares, [reqShares, assetsAtRequest, unlock], cooldown, claimWindow] = await Promise.all([
      readVaultToken(client, vault),
      getBlock(client, { blockNumber }),
      readContract(client, { ...v, functionName: "balanceOf", args: [owner] }),
      readContract(client, { ...v, functionName: "withdrawRequest", args: [owner] }),
      readContract(client, { ...v, functionName: "cooldown" }).then(BigInt),
      readContract(client, { ...v, functionName: "claimWindow" }).then(BigInt),
    ]);
    const now = block.timestamp;
    const value = await previewRedeem(shares);

    let request: LpRequest | null = null;
    if (reqShares > 0n) {
      const unlockTime = BigInt(unlock);
      const claimDeadline = unlockTime + claimWindow;
      const requestedAt = unlockTime - cooldown;
      const valueNow = await previewRedeem(reqShares);
      const claimableNow = min(assetsAtRequest, valueNow);
      const cancel = await cancelCost({
        shares: reqShares,
        assetsAtRequest,
        requestedAt,
        now,
        cooldown,
        preview: () => readContract(client, { ...v, functionName: "previewCancel", args: [owner] }),
        convertToAssets: (s) => readContract(client, { ...v, functionName: "convertToAssets", args: [s] }),
      });
      request = {
        shares: reqShares,
        assetsAtRequest,
        valueNow,
        claimableNow,
        requestedAt,
        unlockTime,
        claimDeadline,
        status: now < unlockTime ? "cooldown" : now <= claimDeadline ? "claimable" : "expired",
        secondsToUnlock: unlockTime > now ? unlockTime - now : 0n,
        secondsToDeadline: claimDeadline > now ? claimDeadline - now : 0n,
        cancel,
        display: {
          assetsAtRequest: usdcAmount(asset, assetsAtRequest),
          valueNow: usdcAmount(asset, valueNow),
          claimableNow: usdcAmount(asset, claimableNow),
          cancelCost: usdcAmount(asset, cancel.assets),
        },
      };
    }
    return {
      vault,
      owner,
      asset,
      blockNumber,
      now,
      shares,
      value,
      cooldown,
      claimWindow,
      request,
      display: { value: usdcAmount(asset, value) },
    };
  } catch (err) {
    throw actionError("getLpPosition", err);
  }
}
