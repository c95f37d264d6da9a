// Many view calls in as few eth_calls as possible: Multicall3 aggregate3 (deployless unless an address is
// configured), in chunks of at most `maxCalls` calls / `maxBytes` calldata, all pinned to one block so a
// snapshot is consistent. viem's own chunking copies the chunk per call (quadratic in the call count), so the
// chunks are cut here and each is handed to viem as one multicall.
import type { Abi, Address, Chain, PublicClient, Transport } from "viem";
import { DEPLOYLESS_MAX_CALLS, MULTICALL3_MAX_CALLS } from "./multicall3";

export type ViewCall = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };
export type ViewResult = { ok: true; value: unknown } | { ok: false; error: unknown };

export type BatchReadOptions = {
  blockNumber: bigint;
  multicallAddress?: Address | undefined;
  maxCalls?: number;
  maxBytes?: number;
};

/** Reads `calls` at `blockNumber`; a failed call is a result, a failed eth_call throws. */
export async function batchRead(
  client: PublicClient<Transport, Chain>,
  calls: readonly ViewCall[],
  o: BatchReadOptions,
): Promise<ViewResult[]> {
  const maxCalls = o.maxCalls ?? (o.multicallAddress ? MULTICALL3_MAX_CALLS : DEPLOYLESS_MAX_CALLS);
  const chunks: ViewCall[][] = [];
  for (let i = 0; i < calls.length; i += maxCalls) chunks.push(calls.slice(i, i + maxCalls));
  const results = await Promise.all(
    chunks.map((chunk) =>
      client.multicall({
        contracts: chunk as never,
        blockNumber: o.blockNumber,
        allowFailure: true,
        batchSize: o.maxBytes ?? 1_000_000,
        ...(o.multicallAddress ? { multicallAddress: o.multicallAddress } : { deployless: true }),
      }),
    ),
  );
  return results.flat().map((r) => {
    const x = r as { status: "success" | "failure"; result?: unknown; error?: unknown };
    if (x.status === "success") return { ok: true, value: x.result };
    // A whole eth_call that failed (network) is a transport error, not a view that reverted: surface it.
    if (isTransportFailure(x.error)) throw x.error;
    return { ok: false, error: x.error };
  });
}

function isTransportFailure(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 8; depth++) {
    const name = (e as { name?: string }).name ?? "";
    if (/HttpRequestError|TimeoutError|RpcRequestError|WebSocketRequestError|UnknownRpcError/.test(name)) return true;
    if (name === "ContractFunctionRevertedError" || name === "RawContractError") return false;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The value of a successful result; throws the call's error otherwise. */
export function resultValue<T>(r: ViewResult | undefined, what: string): T {
  if (!r) throw new Error(`batchRead: missing result for ${what}`);
  if (!r.ok) throw r.error instanceof Error ? r.error : new Error(`${what} failed`);
  return r.value as T;
}
