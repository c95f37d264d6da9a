// One contract's event logs over a block range, fetched in chunks: public RPCs cap eth_getLogs at a block range
// (often 10,000 or fewer) or a result count. A chunk the node refuses as too large is split in half and retried,
// down to a single block; any other error is thrown as is.
import type { AbiEvent, Address, Client, GetLogsReturnType } from "viem";
import { getLogs } from "viem/actions";
import { PerpError } from "../errors";

export type LogsInChunksParameters<event extends AbiEvent> = {
  address: Address;
  event: event;
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks per eth_getLogs request (default 5,000). */
  chunkSize?: bigint | undefined;
};

const TOO_LARGE = /range|too many|limit|exceed|too large|query returned more than/i;

function isTooLarge(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { details?: unknown }).details ?? "")}` : "";
  return TOO_LARGE.test(text);
}

async function logsOf<event extends AbiEvent>(
  client: Client,
  p: LogsInChunksParameters<event>,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<GetLogsReturnType<event>> {
  try {
    return (await getLogs(client, {
      address: p.address,
      event: p.event,
      fromBlock,
      toBlock,
    })) as GetLogsReturnType<event>;
  } catch (err) {
    if (fromBlock === toBlock || !isTooLarge(err)) throw err;
    const mid = (fromBlock + toBlock) / 2n;
    const low = await logsOf(client, p, fromBlock, mid);
    const high = await logsOf(client, p, mid + 1n, toBlock);
    return [...low, ...high] as GetLogsReturnType<event>;
  }
}

function chunkSizeOf(p: { chunkSize?: bigint | undefined; fromBlock: bigint; toBlock: bigint }): bigint {
  const size = p.chunkSize ?? 5_000n;
  if (size <= 0n) throw new PerpError(`logsInChunks: chunkSize must be positive (got ${size})`);
  if (p.fromBlock > p.toBlock) throw new PerpError(`logsInChunks: fromBlock ${p.fromBlock} > toBlock ${p.toBlock}`);
  return size;
}

/**
 * Every `event` log of `address` in [fromBlock, toBlock], oldest first.
 * @example
 * const added = await getLogsInChunks(client, { address: vault, event: premiumAdded, fromBlock, toBlock: head });
 */
export async function getLogsInChunks<event extends AbiEvent>(
  client: Client,
  p: LogsInChunksParameters<event>,
): Promise<GetLogsReturnType<event>> {
  const size = chunkSizeOf(p);
  const out: GetLogsReturnType<event>[number][] = [];
  for (let from = p.fromBlock; from <= p.toBlock; from += size) {
    const to = from + size - 1n < p.toBlock ? from + size - 1n : p.toBlock;
    out.push(...(await logsOf(client, p, from, to)));
  }
  return out as GetLogsReturnType<event>;
}

/**
 * The newest `event` log of `address` in [fromBlock, toBlock], scanning chunks from `toBlock` down and stopping
 * at the first chunk that has one; undefined when there is none.
 */
export async function getLastLogInChunks<event extends AbiEvent>(
  client: Client,
  p: LogsInChunksParameters<event>,
): Promise<GetLogsReturnType<event>[number] | undefined> {
  const size = chunkSizeOf(p);
  for (let to = p.toBlock; to >= p.fromBlock; to -= size) {
    const from = to - size + 1n > p.fromBlock ? to - size + 1n : p.fromBlock;
    const logs = await logsOf(client, p, from, to);
    if (logs.length > 0) return logs[logs.length - 1];
    if (from === p.fromBlock) break;
  }
  return undefined;
}
