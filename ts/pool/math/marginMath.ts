// Mirror of contracts/libraries/MarginMath.sol: packed marginal margin tiers and valuation at the index price.
// Tiers: three 80-bit words, lowest first, each `uint48 notionalCap (whole quote units) | uint16 initialBps |
// uint16 maintenanceBps`. Marginal, like income-tax brackets: tier 0's ratios apply to the part of the notional
// in [0, cap0], tier 1's to the part in (cap0, cap1], the last tier's to all of it above cap1.
import { WAD } from "../../money";
import { abs, i256, mulDivFloor, mulDivUp, revert, u256, wMulUp } from "./solidity";

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

/** The ratios (bps) charged on the last unit of `notional` (WAD quote): the tier containing it (at a cap, the
 * lower tier). Like `MarginMath.marginalRatios`: the marginal rate, not the average. */
export function marginalRatios(packed: bigint, notional: bigint): { initialBps: bigint; maintenanceBps: bigint } {
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

/** Initial and maintenance requirements of `notional` (WAD quote), like `MarginMath.requirements`: each tier's
 * ratio on the part of the notional inside it, summed; a full tier's share is exact (a whole number of quote
 * units), only the partial tier rounds up. Continuous and non-decreasing in notional. */
export function requirements(packed: bigint, notional: bigint): { initial: bigint; maintenance: bigint } {
  let initial = 0n;
  let maintenance = 0n;
  let floor = 0n;
  for (let i = 0; i < TIER_COUNT; i++) {
    const { notionalCap, initialBps, maintenanceBps } = unpackTier(packed, i);
    if (notional <= notionalCap || i + 1 === TIER_COUNT) {
      const part = u256(notional - floor);
      return {
        initial: initial + mulDivUp(part, initialBps, BPS),
        maintenance: maintenance + mulDivUp(part, maintenanceBps, BPS),
      };
    }
    const full = u256(notionalCap - floor); // validated tiers: caps increase
    initial += (full * initialBps) / BPS;
    maintenance += (full * maintenanceBps) / BPS;
    floor = notionalCap;
  }
  return { initial, maintenance }; // unreachable: the last tier returns
}

/** Notional of `size` base at `price`, rounded up. */
export function notionalUp(size: bigint, price: bigint): bigint {
  return wMulUp(abs(size), price);
}

/** size * price - openNotional, rounded toward -inf. */
export function unrealizedPnl(size: bigint, openNotional: bigint, price: bigint): bigint {
  return i256(mulDivFloor(size, price, WAD) - openNotional);
}
