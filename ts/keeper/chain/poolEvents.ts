// The pool events the keeper indexes: any event naming an account (owner + subId) marks it for a re-read;
// PremiumDistributed and Liquidated feed the schedule and the metrics.
import { type Address, type Chain, type Log, type PublicClient, parseEventLogs, type Transport } from "viem";
import { perpPoolAbi } from "../../abi/generated";

export type AccountTouch = { owner: Address; subId: bigint; blockNumber: bigint };

export type IndexedLogs = {
  touches: AccountTouch[];
  premiumDistributions: bigint[];
  liquidations: { owner: Address; subId: bigint; liquidator: Address; blockNumber: bigint; txHash: `0x${string}` }[];
};

/** Logs of `pool` in [from, to], fetched in chunks of `chunk` blocks. */
export async function fetchPoolLogs(
  client: PublicClient<Transport, Chain>,
  pool: Address,
  from: bigint,
  to: bigint,
  chunk: number,
): Promise<Log[]> {
  const out: Log[] = [];
  const step = BigInt(chunk);
  for (let start = from; start <= to; start += step) {
    const end = start + step - 1n < to ? start + step - 1n : to;
    out.push(...(await client.getLogs({ address: pool, fromBlock: start, toBlock: end })));
  }
  return out;
}

export function indexLogs(logs: readonly Log[]): IndexedLogs {
  const out: IndexedLogs = { touches: [], premiumDistributions: [], liquidations: [] };
  for (const log of parseEventLogs({ abi: perpPoolAbi, logs: logs as Log[], strict: false })) {
    const blockNumber = log.blockNumber ?? 0n;
    const args = (log.args ?? {}) as Record<string, unknown>;
    if (typeof args.owner === "string" && typeof args.subId === "bigint") {
      out.touches.push({ owner: args.owner as Address, subId: args.subId, blockNumber });
    }
    if (log.eventName === "PremiumDistributed") out.premiumDistributions.push(blockNumber);
    if (log.eventName === "Liquidated" && typeof args.owner === "string" && typeof args.subId === "bigint") {
      out.liquidations.push({
        owner: args.owner as Address,
        subId: args.subId,
        liquidator: args.liquidator as Address,
        blockNumber,
        txHash: log.transactionHash ?? "0x",
      });
    }
  }
  return out;
}
