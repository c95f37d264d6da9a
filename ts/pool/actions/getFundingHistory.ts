import { type Address, getAbiItem, type Hash } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import { getDeploymentBlock } from "../../chain/deploymentBlock";
import { getLogsInChunks } from "../../chain/logsInChunks";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, marketIdSchema, parseParameters } from "../schemas";

export type GetFundingHistoryParameters = {
  /** PerpPool address. */
  pool: Address;
  /** One market; default every market. */
  marketId?: bigint | number | undefined;
  /** First block scanned (default the pool's deployment block, found by binary search: pass it when known). */
  fromBlock?: bigint | undefined;
  /** Last block scanned (default the latest). */
  toBlock?: bigint | undefined;
  /** Blocks per eth_getLogs request (default 5,000; a range the node refuses is split). */
  chunkSize?: bigint | undefined;
};

/**
 * One `FundingUpdated`: the rate and kicker the update set (quote WAD per base per second; > 0 longs pay) and why
 * (premiums in 1e-12 of the index per period: own, after the group blend, charged after the change limit and the cap
 * that applied).
 */
export type FundingHistoryEntry = {
  marketId: bigint;
  blockNumber: bigint;
  /** The block's time (unix seconds): when the rate started. */
  timestamp: bigint;
  transactionHash: Hash;
  logIndex: number;
  ratePerSecond: bigint;
  kickerPerSecond: bigint;
  twapMark: bigint;
  twapIndex: bigint;
  premium: bigint;
  blended: bigint;
  charged: bigint;
  kicker: bigint;
  capEffective: bigint;
};

/** Oldest first. */
export type GetFundingHistoryReturnType = FundingHistoryEntry[];

const schema = z.object({
  pool: addressSchema,
  marketId: marketIdSchema.optional(),
  fromBlock: z.bigint().nonnegative().optional(),
  toBlock: z.bigint().nonnegative().optional(),
  chunkSize: z.bigint().positive().optional(),
});

const HEADERS_AT_ONCE = 16;
const fundingUpdated = getAbiItem({ abi: perpPoolAbi, name: "FundingUpdated" });

/**
 * Every funding update of one market (or all) in a block range, with its block's time, oldest first.
 * @example
 * const history = await getFundingHistory(publicClient, { pool, marketId: 0, fromBlock: deployment.startBlock });
 * for (const h of history) console.log(h.timestamp, h.ratePerSecond, h.kickerPerSecond, h.charged);
 */
export async function getFundingHistory(
  client: PerpClient,
  parameters: GetFundingHistoryParameters,
): Promise<GetFundingHistoryReturnType> {
  const p = parseParameters("getFundingHistory", schema, parameters);
  try {
    const toBlock = p.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const fromBlock = p.fromBlock ?? (await getDeploymentBlock(client, p.pool));
    if (fromBlock > toBlock) return [];
    const logs = await getLogsInChunks(client, {
      address: p.pool,
      event: fundingUpdated,
      fromBlock,
      toBlock,
      chunkSize: p.chunkSize,
    });
    const mine = logs.filter((l) => p.marketId === undefined || l.args.marketId === p.marketId);
    const blocks = [...new Set(mine.map((l) => l.blockNumber))];
    const times = new Map<bigint, bigint>();
    // The block headers, a few requests at a time (a long history on a public RPC).
    for (let i = 0; i < blocks.length; i += HEADERS_AT_ONCE) {
      await Promise.all(
        blocks.slice(i, i + HEADERS_AT_ONCE).map(async (blockNumber) => {
          times.set(blockNumber, (await getBlock(client, { blockNumber })).timestamp);
        }),
      );
    }
    return mine.map((l) => ({
      marketId: l.args.marketId ?? 0n,
      blockNumber: l.blockNumber,
      timestamp: times.get(l.blockNumber) ?? 0n,
      transactionHash: l.transactionHash,
      logIndex: l.logIndex,
      ratePerSecond: l.args.ratePerSecond ?? 0n,
      kickerPerSecond: l.args.kickerPerSecond ?? 0n,
      twapMark: l.args.twapMark ?? 0n,
      twapIndex: l.args.twapIndex ?? 0n,
      premium: l.args.premium ?? 0n,
      blended: l.args.blended ?? 0n,
      charged: l.args.charged ?? 0n,
      kicker: l.args.kicker ?? 0n,
      capEffective: l.args.capEffective ?? 0n,
    }));
  } catch (err) {
    throw actionError("getFundingHistory", err);
  }
}
