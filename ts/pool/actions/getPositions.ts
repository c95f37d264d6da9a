import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, parseParameters, subIdSchema } from "../schemas";
import type { PositionView } from "../types";

export type GetPositionsParameters = {
  /** PerpLens address. */
  lens: Address;
  owner: Address;
  /** Sub-account; 0 (default) is the cross-margin account. */
  subId?: bigint | number | undefined;
};

/** Every open position: size, open notional, funding owed, PnL, notional and requirements at index. */
export type GetPositionsReturnType = readonly PositionView[];

const schema = z.object({ lens: addressSchema, owner: addressSchema, subId: subIdSchema });

/**
 * Reads an account's open positions through `lens.positions`.
 * @example
 * for (const p of await getPositions(publicClient, { lens, owner: alice })) console.log(p.marketId, p.size);
 */
export async function getPositions(
  client: PerpClient,
  parameters: GetPositionsParameters,
): Promise<GetPositionsReturnType> {
  const { lens, owner, subId } = parseParameters("getPositions", schema, parameters);
  try {
    return await readContract(client, {
      address: lens,
      abi: perpLensAbi,
      functionName: "positions",
      args: [owner, subId],
    });
  } catch (err) {
    throw actionError("getPositions", err);
  }
}
