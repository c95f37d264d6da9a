// Gas the oracle may need that eth_estimateGas cannot see.
//
// OracleRouter.refresh reads the feeds only on the first call in a block timestamp and answers later calls from
// its cache. An estimate run in the same second as an earlier trade takes the cheap path; the transaction, mined
// a second later, takes the full one and runs out of gas (the router then reverts InsufficientGasForFeed rather
// than price with starved feeds). Every write that may refresh the oracle adds this headroom to its estimate.
import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { oracleRouterAbi, perpPoolAbi } from "../abi/generated";

const cache = new Map<string, bigint>();

/** MIN_GAS_PER_FEED x every feed of every market of `pool`; read once per pool and cached. */
export async function oracleGasHeadroom(client: Client, pool: Address): Promise<bigint> {
  const key = pool.toLowerCase();
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const oracle = await readContract(client, { address: pool, abi: perpPoolAbi, functionName: "oracle" });
  const [markets, perFeed] = await Promise.all([
    readContract(client, { address: pool, abi: perpPoolAbi, functionName: "marketCount" }),
    readContract(client, { address: oracle, abi: oracleRouterAbi, functionName: "MIN_GAS_PER_FEED" }),
  ]);
  let feeds = 0n;
  for (let m = 0n; m < markets; m++) {
    const list = await readContract(client, {
      address: oracle,
      abi: oracleRouterAbi,
      functionName: "feeds",
      args: [m],
    });
    feeds += BigInt(list.length);
  }
  const headroom = perFeed * feeds;
  cache.set(key, headroom);
  return headroom;
}
