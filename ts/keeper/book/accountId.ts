// Account ids as the pool keys them (PoolStorage.accountId): owner in the high 160 bits, subId in the low 96.
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import type { Shard } from "../config";

const SUB_ID_BITS = 96n;
const SUB_ID_MASK = (1n << SUB_ID_BITS) - 1n;

/** bytes32(uint160(owner) << 96 | subId). */
export function accountId(owner: Address, subId: bigint): Hex {
  return toHex((BigInt(owner) << SUB_ID_BITS) | subId, { size: 32 });
}

export function decodeAccountId(id: Hex): { owner: Address; subId: bigint } {
  const n = BigInt(id);
  return { owner: getAddress(toHex(n >> SUB_ID_BITS, { size: 20 })), subId: n & SUB_ID_MASK };
}

/**
 * The shard an account belongs to: keccak256(id) mod n. Hashing spreads the book evenly even though most ids
 * differ only in the owner (subId 0), and every keeper computes the same split from the id alone.
 */
export function shardOf(id: Hex, count: number): number {
  if (count === 1) return 0;
  return Number(BigInt(keccak256(id)) % BigInt(count));
}

export function inShard(id: Hex, shard: Shard): boolean {
  return shardOf(id, shard.count) === shard.index;
}
