import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, marketIdSchema, parseParameters } from "../schemas";
import type { MarketView } from "../types";

export type GetMarketParameters = {
  /** PerpLens address. */
  lens: Address;
  marketId: bigint | number;
  /** Read at this block (default the latest). */
  blockNumber?: bigint | undefined;
};

/** Reserves, mark and index, oracle status, open interest and caps, funding indices accrued to now. */
export type GetMarketReturnType = MarketView;

const schema = z.object({
  lens: addressSchema,
  marketId: marketIdSchema,
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * Reads one market through `lens.marketView`.
 * @example
 * const eth = await getMarket(publicClient, { lens, marketId: 0 });
 * console.log(eth.markPrice, eth.indexPrice, eth.oracleStatus);
 */
export async function getMarket(client: PerpClient, parameters: GetMarketParameters): Promise<GetMarketReturnType> {
  const { lens, marketId, blockNumber } = parseParameters("getMarket", schema, parameters);
  try {
    return await readContract(client, {
      address: lens,
      abi: perpLensAbi,
      functionName: "marketView",
      args: [marketId],
      ...(blockNumber === undefined ? {} : { blockNumber }),
    });
  } catch (err) {
    throw actionError("getMarket", err);
  }
}
