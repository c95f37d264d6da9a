// The pool's accounts, discovered from its events (every account that ever received margin or traded),
// fetched in chunks from the deployment's start block (ts/chain/logsInChunks.ts).
import { type Address, getAbiItem } from "viem";
import { perpPoolAbi } from "../abi/generated";
import { getLogsInChunks } from "../chain/logsInChunks";
import type { Deployment } from "../deploy/deployment";
import type { PerpClient } from "../pool/client";

export type PoolAccount = { owner: Address; subId: bigint };

const marginDeposited = getAbiItem({ abi: perpPoolAbi, name: "MarginDeposited" });
const positionChanged = getAbiItem({ abi: perpPoolAbi, name: "PositionChanged" });

/** Every (owner, subId) that deposited margin or traded up to `toBlock` (default the head), in order of first
 * appearance. */
export async function discoverAccounts(
  client: PerpClient,
  deployment: Deployment,
  upTo?: bigint,
): Promise<PoolAccount[]> {
  const toBlock: bigint =
    upTo === undefined ? await client.request({ method: "eth_blockNumber" }).then(BigInt) : upTo;
  const range = { address: deployment.contracts.pool, fromBlock: deployment.startBlock, toBlock };
  const [deposits, trades] = await Promise.all([
    getLogsInChunks(client, { ...range, event: marginDeposited }),
    getLogsInChunks(client, { ...range, event: positionChanged }),
  ]);
  const seen = new Map<string, PoolAccount>();
  const logs = [...deposits, ...trades].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  for (const log of logs) {
    const { owner, subId } = log.args;
    if (owner === undefined || subId === undefined) continue;
    const key = `${owner.toLowerCase()}:${subId}`;
    if (!seen.has(key)) seen.set(key, { owner, subId: BigInt(subId) });
  }
  return [...seen.values()];
}
