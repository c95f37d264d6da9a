// Chain-side helpers for the SDK differential tests: a trade's exact on-chain result (from the mined receipt),
// and direct writes of a market's reserves (to test the curve at reserves no trade sequence reaches).
import { type Address, encodeAbiParameters, type Hex, keccak256, parseEventLogs, toHex } from "viem";
import { perpPoolAbi } from "../../../ts/abi/generated";
import type { DevClients, DevWalletClient } from "../../../ts/devnet/clients";
import { ContractRevertError } from "../../../ts/errors";
import { actionError } from "../../../ts/pool/errors";
import type { MarketState } from "../../../ts/pool/types";

export const MAX_UINT256 = (1n << 256n) - 1n;
export const FAR_DEADLINE = 1n << 40n;

export type ChainTrade =
  | { ok: true; quote: bigint; state: MarketState; size: bigint; openNotional: bigint; fee: bigint }
  | { ok: false; errorName: string; message: string };

/**
 * Simulates `pool.trade` with limits that accept any price (a revert is decoded there), sends it, and returns
 * what the mined transaction did: quote and fee from its PositionChanged event, position and reserves after it.
 */
export async function tradeOnChain(
  chain: DevClients,
  pool: Address,
  trader: DevWalletClient,
  marketId: bigint,
  sizeDelta: bigint,
): Promise<ChainTrade> {
  const owner = trader.account.address;
  const args = [owner, 0n, marketId, sizeDelta, sizeDelta > 0n ? MAX_UINT256 : 0n, FAR_DEADLINE] as const;
  let quote: bigint;
  let fee: bigint;
  try {
    const sim = await chain.publicClient.simulateContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "trade",
      args,
      account: trader.account,
    });
    const hash = await trader.writeContract(sim.request);
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`trade reverted on send after a good simulation (${hash})`);
    const [event] = parseEventLogs({ abi: perpPoolAbi, eventName: "PositionChanged", logs: receipt.logs });
    if (!event) throw new Error(`no PositionChanged event in ${hash}`);
    quote = event.args.quoteDelta < 0n ? -event.args.quoteDelta : event.args.quoteDelta;
    fee = event.args.fee;
  } catch (err) {
    const e = actionError("trade", err);
    if (e instanceof ContractRevertError) return { ok: false, errorName: e.errorName, message: e.message };
    throw e;
  }
  const [state, position] = await Promise.all([
    chain.publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketState", args: [marketId] }),
    chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [owner, 0n, marketId],
    }),
  ]);
  return { ok: true, quote, state, size: position.size, openNotional: position.openNotional, fee };
}

/** Storage key of `_markets[marketId]` slot 0 (base | quote << 128), found by probing the mapping's slot. */
export async function findMarketSlot(chain: DevClients, pool: Address, marketId: bigint): Promise<Hex> {
  const m = await chain.publicClient.readContract({
    address: pool,
    abi: perpPoolAbi,
    functionName: "marketState",
    args: [marketId],
  });
  const packed = (m.quoteReserve << 128n) | m.baseReserve;
  for (let slot = 0n; slot < 64n; slot++) {
    const key = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [marketId, slot]));
    const value = await chain.publicClient.getStorageAt({ address: pool, slot: key });
    if (value && BigInt(value) === packed) return key;
  }
  throw new Error("could not find the _markets mapping slot of PerpPool");
}

/** Overwrites a market's virtual reserves (both must fit uint128). */
export async function setReserves(chain: DevClients, pool: Address, key: Hex, base: bigint, quote: bigint) {
  await chain.testClient.setStorageAt({
    address: pool,
    index: key,
    value: toHex((quote << 128n) | base, { size: 32 }),
  });
}
