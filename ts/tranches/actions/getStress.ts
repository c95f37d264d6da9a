import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, marketIdSchema, parseParameters, subIdSchema } from "../../pool/schemas";
import type { StressResult } from "../../pool/types";

export type GetStressParameters = {
  /** PerpLens address. */
  lens: Address;
  marketId: bigint | number;
  /** Index shock in bps, e.g. -3000 for a 30 % drop; in (-10000, 100000]. */
  shockBps: bigint | number;
  /** The accounts to stress (e.g. from an event index). */
  accounts: readonly { owner: Address; subId?: bigint | number | undefined }[];
  /** Read at this block (default the head). */
  blockNumber?: bigint | undefined;
};

/** Who becomes liquidatable, the bad debt, and how junior, senior and socialization would absorb it. */
export type GetStressReturnType = StressResult;

const schema = z.object({
  lens: addressSchema,
  marketId: marketIdSchema,
  shockBps: z
    .union([z.bigint(), z.number().int()])
    .transform((v) => BigInt(v))
    .refine((v) => v > -10_000n && v <= 100_000n, { message: "shockBps must be in (-10000, 100000]" }),
  accounts: z.array(z.object({ owner: addressSchema, subId: subIdSchema })),
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * Runs the lens stress test: the liquidation stack and the waterfall split for an index shock on one market.
 * @example
 * const r = await getStress(publicClient, { lens, marketId: 0, shockBps: -3000, accounts: [{ owner: alice }] });
 * console.log(r.totalBadDebt, r.juniorLoss, r.seniorLoss, r.socialized);
 */
export async function getStress(client: PerpClient, parameters: GetStressParameters): Promise<GetStressReturnType> {
  const p = parseParameters("getStress", schema, parameters);
  try {
    return await readContract(client, {
      address: p.lens,
      abi: perpLensAbi,
      functionName: "stressTest",
      blockNumber: p.blockNumber,
      args: [p.marketId, p.shockBps, p.accounts.map((a) => a.owner), p.accounts.map((a) => a.subId)],
    });
  } catch (err) {
    throw actionError("getStress", err);
  }
}
