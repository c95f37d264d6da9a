import { type Address, zeroAddress } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { iRiskEngineAbi, perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import type { RiskGrid } from "../math/portfolioMath";
import { addressSchema, parseParameters, riskGridSchema } from "../schemas";

export type GetRiskEngineParameters = {
  /** PerpPool address. */
  pool: Address;
  /** Read at this block (default the latest). */
  blockNumber?: bigint | undefined;
};

/** The pool's risk engine and its grid, or null when the pool has none (every market is margined additively). */
export type GetRiskEngineReturnType = (RiskGrid & { address: Address }) | null;

const schema = z.object({ pool: addressSchema, blockNumber: z.bigint().nonnegative().optional() });

/**
 * Reads `pool.riskEngine()`, then that engine's `scenarios()` and `floorBps()` at the same block; the grid is checked
 * as the engine's constructor checks it (`riskGridSchema`). Pass the result to `math.accountHealthAt` (and
 * `liquidationOutcome`, `stressTest`) as `engine`.
 * @example
 * const engine = await getRiskEngine(publicClient, { pool });
 * const h = math.accountHealthAt(s.account, s.positions, s.timestamp, engine);
 */
export async function getRiskEngine(
  client: PerpClient,
  parameters: GetRiskEngineParameters,
): Promise<GetRiskEngineReturnType> {
  const { pool, blockNumber } = parseParameters("getRiskEngine", schema, parameters);
  let address: Address;
  try {
    address = await readContract(client, {
      address: pool,
      abi: perpPoolAbi,
      functionName: "riskEngine",
      ...(blockNumber === undefined ? {} : { blockNumber }),
    });
  } catch (err) {
    throw actionError("getRiskEngine", err);
  }
  if (address === zeroAddress) return null;
  return { address, ...(await readRiskGrid(client, address, blockNumber)) };
}

/** An engine's `scenarios()` and `floorBps()` (one block), checked by `riskGridSchema`. */
export async function readRiskGrid(client: PerpClient, engine: Address, blockNumber?: bigint): Promise<RiskGrid> {
  const at = blockNumber === undefined ? {} : { blockNumber };
  let raw: { scenarios: unknown; floorBps: bigint };
  try {
    const [scenarios, floorBps] = await Promise.all([
      readContract(client, { address: engine, abi: iRiskEngineAbi, functionName: "scenarios", ...at }),
      readContract(client, { address: engine, abi: iRiskEngineAbi, functionName: "floorBps", ...at }),
    ]);
    raw = { scenarios, floorBps };
  } catch (err) {
    throw actionError("getRiskEngine", err);
  }
  return parseParameters("getRiskEngine (the engine's grid)", riskGridSchema, raw);
}
