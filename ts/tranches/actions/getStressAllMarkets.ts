import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import { MAX_UINT256 } from "../../money";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters } from "../../pool/schemas";
import type { StressResult } from "../../pool/types";
import { shockBpsSchema, stressAccountsSchema } from "../schemas";

/** `PerpLens.ALL_MARKETS`: the `marketId` that makes `stressTest` shock every market together. */
export const ALL_MARKETS = MAX_UINT256;

export type GetStressAllMarketsParameters = {
  /** PerpLens address. */
  lens: Address;
  /** Index shock in bps applied to every market at once, e.g. -3000 for a 30 % drop. */
  shockBps: bigint | number;
  /** The accounts to stress (e.g. from an event index). */
  accounts: readonly { owner: Address; subId?: bigint | number | undefined }[];
  /** Read at this block (default the head). */
  blockNumber?: bigint | undefined;
};

/** The liquidation stack with every index shocked by `shockBps` (marketId = ALL_MARKETS, shockedIndex = 0). */
export type GetStressAllMarketsReturnType = StressResult;

const schema = z.object({
  lens: addressSchema,
  shockBps: shockBpsSchema,
  accounts: stressAccountsSchema,
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * The lens stress test with every market shocked together (`stressTest(ALL_MARKETS, ...)`): an account long
 * one market and short another nets its legs, which the per-market stress cannot show.
 * @example
 * const crash = await getStressAllMarkets(publicClient, { lens, shockBps: -3000, accounts });
 */
export async function getStressAllMarkets(
  client: PerpClient,
  parameters: GetStressAllMarketsParameters,
): Promise<GetStressAllMarketsReturnType> {
  const p = parseParameters("getStressAllMarkets", schema, parameters);
  try {
    return await readContract(client, {
      address: p.lens,
      abi: perpLensAbi,
      functionName: "stressTest",
      blockNumber: p.blockNumber,
      args: [ALL_MARKETS, p.shockBps, p.accounts.map((a) => a.owner), p.accounts.map((a) => a.subId)],
    });
  } catch (err) {
    throw actionError("getStressAllMarkets", err);
  }
}
