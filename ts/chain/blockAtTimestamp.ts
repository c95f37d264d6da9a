// The block a chain was at, at a past time: binary search over block headers, with the headers it reads cached.
//
// "The block at time t" is the LAST block whose timestamp is <= t: the state a reader at time t could see.
// Block timestamps never decrease, so the search is exact (no estimate from an average block time). Each step is
// one eth_getBlockByNumber; a search over N blocks costs about log2(N) headers (~25 on a mainnet-sized chain),
// fewer once the cache holds neighbours.
//
// Reorgs: a header is cached only when it is at least `confirmations` blocks below the head it was read against
// (default 64), deep enough to be treated as final. Pass your own cache (createBlockTimestampCache) to scope it,
// e.g. one per test on an anvil that reverts snapshots (a revert replaces blocks at numbers already cached).
import type { Client } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import { PerpError } from "../errors";

/** Block number -> timestamp (seconds) of headers treated as final. */
export type BlockTimestampCache = Map<bigint, bigint>;

export function createBlockTimestampCache(): BlockTimestampCache {
  return new Map();
}

const shared = new WeakMap<Client, BlockTimestampCache>();

export type GetBlockAtTimestampOptions = {
  /** Reuse (and fill) this cache; default one cache per client. */
  cache?: BlockTimestampCache | undefined;
  /** Headers at least this many blocks below the head are cached (default 64). */
  confirmations?: bigint | undefined;
  /** Search no lower than this block (e.g. a contract's deployment block). Default 0. */
  fromBlock?: bigint | undefined;
  /** Search no higher than this block. Default the head. */
  toBlock?: bigint | undefined;
};

export type BlockAtTimestamp = {
  number: bigint;
  timestamp: bigint;
  /** True when even `fromBlock` is later than the asked time: `number` is then `fromBlock`, the earliest known. */
  beforeRange: boolean;
};

/**
 * The last block in [fromBlock, toBlock] whose timestamp is <= `timestamp`.
 * @example
 * const dayAgo = await getBlockAtTimestamp(client, head.timestamp - 86_400n);
 * const price = await readContract(client, { ...vault, functionName: "convertToAssets", args: [one], blockNumber: dayAgo.number });
 */
export async function getBlockAtTimestamp(
  client: Client,
  timestamp: bigint,
  options: GetBlockAtTimestampOptions = {},
): Promise<BlockAtTimestamp> {
  const head = options.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
  const confirmations = options.confirmations ?? 64n;
  let cache = options.cache;
  if (!cache) {
    cache = shared.get(client) ?? createBlockTimestampCache();
    shared.set(client, cache);
  }
  const known = cache;
  const timestampOf = async (n: bigint): Promise<bigint> => {
    const hit = known.get(n);
    if (hit !== undefined) return hit;
    const block = await getBlock(client, { blockNumber: n });
    if (head - n >= confirmations) known.set(n, block.timestamp);
    return block.timestamp;
  };

  let lo = options.fromBlock ?? 0n;
  if (lo > head) throw new PerpError(`getBlockAtTimestamp: fromBlock ${lo} is above block ${head}`);
  const loTime = await timestampOf(lo);
  if (loTime > timestamp) return { number: lo, timestamp: loTime, beforeRange: true };
  const headTime = await timestampOf(head);
  if (headTime <= timestamp) return { number: head, timestamp: headTime, beforeRange: false };

  // Invariant: timestamp(lo) <= t < timestamp(hi).
  let hi = head;
  let found = loTime;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const t = await timestampOf(mid);
    if (t <= timestamp) {
      lo = mid;
      found = t;
    } else {
      hi = mid;
    }
  }
  return { number: lo, timestamp: found, beforeRange: false };
}
