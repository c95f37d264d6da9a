import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, parseParameters, subIdSchema } from "../schemas";
import type { AccountHealth } from "../types";

export type GetAccountHealthParameters = {
  /** PerpLens address. */
  lens: Address;
  owner: Address;
  /** Sub-account; 0 (default) is the cross-margin account. */
  subId?: bigint | number | undefined;
};

/** Collateral, PnL at index after funding, value and requirements (all WAD), and whether it is liquidatable. */
export type GetAccountHealthReturnType = AccountHealth;

const schema = z.object({ lens: addressSchema, owner: addressSchema, subId: subIdSchema });

/**
 * Reads an account's health at the oracle price through `lens.accountHealth`.
 * @example
 * const h = await getAccountHealth(publicClient, { lens, owner: alice });
 * if (h.liquidatable) console.log("below maintenance", h.value, h.maintenanceRequirement);
 */
export async function getAccountHealth(
  client: PerpClient,
  parameters: GetAccountHealthParameters,
): Promise<GetAccountHealthReturnType> {
  const { lens, owner, subId } = parseParameters("getAccountHealth", schema, parameters);
  try {
    return await readContract(client, {
      address: lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [owner, subId],
    });
  } catch (err) {
    throw actionError("getAccountHealth", err);
  }
}
