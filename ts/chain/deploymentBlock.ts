// The block a contract was deployed in, found by binary search over eth_getCode at past blocks (needs a node
// that serves historical state: an archive node, or anvil). Cached per client and address.
import type { Address, Client } from "viem";
import { getBlockNumber, getCode } from "viem/actions";
import { PerpError } from "../errors";

const cache = new WeakMap<Client, Map<Address, bigint>>();

/**
 * The first block at which `address` has code.
 * @example
 * const from = await getDeploymentBlock(client, vault); // where an event scan or a price history starts
 */
export async function getDeploymentBlock(client: Client, address: Address): Promise<bigint> {
  const known = cache.get(client) ?? new Map<Address, bigint>();
  cache.set(client, known);
  const key = address.toLowerCase() as Address;
  const hit = known.get(key);
  if (hit !== undefined) return hit;

  const hasCode = async (blockNumber: bigint) => ((await getCode(client, { address, blockNumber })) ?? "0x") !== "0x";
  let hi = await getBlockNumber(client, { cacheTime: 0 });
  if (!(await hasCode(hi))) throw new PerpError(`getDeploymentBlock: no contract at ${address} (block ${hi})`);
  let lo = 0n;
  if (await hasCode(lo)) hi = lo;
  // Invariant: no code at lo, code at hi.
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (await hasCode(mid)) hi = mid;
    else lo = mid;
  }
  known.set(key, hi);
  return hi;
}
