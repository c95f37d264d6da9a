import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters } from "../../pool/schemas";
import type { Coverage } from "../../pool/types";

export type GetCoverageParameters = {
  /** PerpLens address. */
  lens: Address;
};

/** Junior and senior capital (WAD), open-interest notional at index, and coverage in bps (max uint256 with no OI). */
export type GetCoverageReturnType = Coverage;

const schema = z.object({ lens: addressSchema });

/**
 * Reads tranche capital against open interest (`lens.coverage`).
 * @example
 * const { coverageBps } = await getCoverage(publicClient, { lens });
 */
export async function getCoverage(
  client: PerpClient,
  parameters: GetCoverageParameters,
): Promise<GetCoverageReturnType> {
  const { lens } = parseParameters("getCoverage", schema, parameters);
  try {
    return await readContract(client, { address: lens, abi: perpLensAbi, functionName: "coverage" });
  } catch (err) {
    throw actionError("getCoverage", err);
  }
}
