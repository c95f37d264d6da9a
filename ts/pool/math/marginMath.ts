// Mirror of contracts/libraries/MarginMath.sol: packed margin tiers and valuation at the index price.
// Tiers: up to three 80-bit words, lowest first, each `uint48 notionalCap (whole quote units) | uint16
// initialBps | uint16 maintenanceBps`. A notional <= a tier's cap uses that tier; above the last, the last.
import { WAD } from "../../money";
import { abs, i256, mulDivFloor, mulDivUp, revert, wMulUp } from "./solidity";

export const TIER_COUNT = 3;
const U48 = (1n << 48n) - 1n;
const U16 = (1n << 16n) - 1n;
const BPS = 10_000n;

export type Tier = {
  /** Notional cap in WAD quote (a whole number of quote units). */
  notionalCap: bigint;
  initialBps: bigint;
  maintenanceBps: bigint;
};

/** Packs three tiers like `MarginMath.packTiers` (caps are truncated to whole quote units). */
export function packTiers(tiers: readonly [Tier, Tier, Tier]): bigint {
  let packed = 0n;
  tiers.forEach((t, i) => {
    const word = (t.notionalCap / WAD) | (t.initialBps << 48n) | (t.maintenanceBps << 64n);
    packed |= word << (80n * BigInt(i));
  });
  return packed;
}

export function unpackTier(packed: bigint, i: number): Tier {
  const word = packed >> (80n * BigInt(i));
  return {
    notionalCap: (word & U48) * WAD,
    initialBps: (word >> 48n) & U16,
    maintenanceBps: (word >> 64n) & U16,
  };
}

/** Reverts `InvalidTiers` unless 0 < maintenance < initial <= 100 %, caps increase and ratios do not decrease. */
export function validateTiers(packed: bigint): void {
  let prev: Tier | undefined;
  for (let i = 0; i < TIER_COUNT; i++) {
    const t = unpackTier(packed, i);
    if (t.maintenanceBps === 0n || t.maintenanceBps >= t.initialBps || t.initialBps > BPS) revert("InvalidTiers");
    if (prev && (t.notionalCap <= prev.notionalCap || t.initialBps < prev.initialBps)) revert("InvalidTiers");
    if (prev && t.maintenanceBps < prev.maintenanceBps) revert("InvalidTiers");
    prev = t;
  }
}

/** Initial and maintenance ratios (bps) for a position of `notional` (WAD quote). */
export function ratiosFor(packed: bigint, notional: bigint): { initialBps: bigint; maintenanceBps: bigint } {
  let initialBps = 0n;
  let maintenanceBps = 0n;
  for (let i = 0; i < TIER_COUNT; i++) {
    const word = packed >> (80n * BigInt(i));
    initialBps = (word >> 48n) & U16;
    maintenanceBps = (word >> 64n) & U16;
    if (notional <= (word & U48) * WAD) break;
  }
  return { initialBps, maintenanceBps };
}

/** Initial and maintenance requirements for a position of `notional`, rounded up. */
export function requirements(packed: bigint, notional: bigint): { initial: bigint; maintenance: bigint } {
  const { initialBps, maintenanceBps } = ratiosFor(packed, notional);
  return { initial: mulDivUp(notional, initialBps, BPS), maintenance: mulDivUp(notional, maintenanceBps, BPS) };
}

/** Notional of `size` base at `price`, rounded up. */
export function notionalUp(size: bigint, price: bigint): bigint {
  return wMulUp(abs(size), price);
}

/** size * price - openNotional, rounded toward -inf. */
export function unrealizedPnl(size: bigint, openNotional: bigint, price: bigint): bigint {
  return i256(mulDivFloor(size, price, WAD) - openNotional);
}
