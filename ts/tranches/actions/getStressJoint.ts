import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters } from "../../pool/schemas";
import type { StressResult } from "../../pool/types";
import { shockBpsSchema, stressAccountsSchema } from "../schemas";

export type GetStressJointParameters = {
  /** PerpLens address. */
  lens: Address;
  /** One index shock in bps per market id (0: the market stays put; markets beyond the array are not shocked). */
  shockBps: readonly (bigint | number)[];
  /** The accounts to stress (e.g. from an event index). */
  accounts: readonly { owner: Address; subId?: bigint | number | undefined }[];
  /** Read at this block (default the head). */
  blockNumber?: bigint | undefined;
};

/** The liquidation stack for a joint shock (marketId = ALL_MARKETS, shockBps = 0, shockedIndex = 0). */
export type GetStressJointReturnType = StressResult;

const schema = z.object({
  lens: addressSchema,
  shockBps: z.array(shockBpsSchema),
  accounts: stressAccountsSchema,
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * The lens's joint stress (`stressTestJoint`): every market moved by its own shock at once, each account margined
 * with netting at those prices (a market the shock moves past its oracle's breaker threshold turns reduce-only and
 * nets nothing). `math.stressTestJoint` computes the same result from raw state, to the wei.
 * @example
 * const r = await getStressJoint(publicClient, { lens, shockBps: [-1200, -400], accounts });
 */
export async function getStressJoint(
  client: PerpClient,
  parameters: GetStressJointParameters,
): Promise<GetStressJointReturnType> {
  const p = parseParameters("getStressJoint", schema, parameters);
  try {
    return await readContract(client, {
      address: p.lens,
      abi: perpLensAbi,
      functionName: "stressTestJoint",
      blockNumber: p.blockNumber,
      args: [p.shockBps, p.accounts.map((a) => a.owner), p.accounts.map((a) => a.subId)],
    });
  } catch (err) {
    throw actionError("getStressJoint", err);
  }
}
