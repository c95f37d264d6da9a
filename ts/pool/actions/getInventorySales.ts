import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, marketIdSchema, parseParameters } from "../schemas";
import type { InventorySaleView } from "../types";

export type GetInventorySalesParameters = {
  /** PerpLens address. */
  lens: Address;
  /** One market's sale (listed even when the backstop holds nothing there); default every market with inventory. */
  marketId?: bigint | number | undefined;
  /** Read at this block (default the latest). */
  blockNumber?: bigint | undefined;
};

/**
 * The backstop inventory's descending-discount sales as `pool.takeInventory` would price them in this block: size
 * held (the side a taker gets), index, discount and price per base now, discount budget left, clock start, rate.
 */
export type GetInventorySalesReturnType = readonly InventorySaleView[];

const schema = z.object({
  lens: addressSchema,
  marketId: marketIdSchema.optional(),
  blockNumber: z.bigint().nonnegative().optional(),
});

/**
 * Reads `lens.inventorySales()` (every market where the backstop holds a position), or `lens.inventorySale(marketId)`.
 * @example
 * for (const s of await getInventorySales(publicClient, { lens })) console.log(s.marketId, s.size, s.pricePerBase);
 */
export async function getInventorySales(
  client: PerpClient,
  parameters: GetInventorySalesParameters,
): Promise<GetInventorySalesReturnType> {
  const { lens, marketId } = parseParameters("getInventorySales", schema, parameters);
  try {
    if (marketId === undefined) {
      return await readContract(client, { address: lens, abi: perpLensAbi, functionName: "inventorySales" });
    }
    return [
      await readContract(client, { address: lens, abi: perpLensAbi, functionName: "inventorySale", args: [marketId] }),
    ];
  } catch (err) {
    throw actionError("getInventorySales", err);
  }
}
