import { type Address, getAbiItem } from "viem";
import { getBlockNumber } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import { getLogsInChunks } from "../../chain/logsInChunks";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, parseParameters } from "../schemas";

export type GetAccountsParameters = {
  /** PerpPool address. */
  pool: Address;
  /** First block to scan (the deployment's `startBlock`). */
  fromBlock: bigint;
  /** Last block to scan (default the head). */
  toBlock?: bigint | undefined;
};

/** Every account that ever received margin, in order of its first deposit. */
export type GetAccountsReturnType = { owner: Address; subId: bigint }[];

const schema = z.object({
  pool: addressSchema,
  fromBlock: z.bigint().nonnegative(),
  toBlock: z.bigint().nonnegative().optional(),
});

/**
 * Discovers the pool's accounts from its `MarginDeposited` events (an account can only trade after a deposit), for
 * views over every account such as the liquidation stack (`getStress`).
 * @example
 * const accounts = await getAccounts(publicClient, { pool, fromBlock: deployment.startBlock });
 * const crash = await getStressAllMarkets(publicClient, { lens, shockBps: -3000, accounts });
 */
export async function getAccounts(
  client: PerpClient,
  parameters: GetAccountsParameters,
): Promise<GetAccountsReturnType> {
  const p = parseParameters("getAccounts", schema, parameters);
  try {
    const toBlock = p.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const logs = await getLogsInChunks(client, {
      address: p.pool,
      event: getAbiItem({ abi: perpPoolAbi, name: "MarginDeposited" }),
      fromBlock: p.fromBlock,
      toBlock,
    });
    const seen = new Map<string, { owner: Address; subId: bigint }>();
    for (const log of logs) {
      const { owner, subId } = log.args;
      if (owner === undefined || subId === undefined) continue;
      const key = `${owner.toLowerCase()}:${subId}`;
      if (!seen.has(key)) seen.set(key, { owner, subId });
    }
    return [...seen.values()];
  } catch (err) {
    throw actionError("getAccounts", err);
  }
}
