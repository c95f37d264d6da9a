// The junior exit gate in TypeScript (SPEC-21 "Exit gate"): capacity above the floor, what a queued request may
// claim, and the share of it that is ("62 % claimable now").
import { BPS } from "./tailRisk";

/** Assets a junior exit may take now: max(0, net assets − assets of claims still settling − floor). */
export function exitCapacity(netAssets: bigint, settlingAssets: bigint, floor: bigint): bigint {
  const spare = netAssets - settlingAssets - floor;
  return spare > 0n ? spare : 0n;
}

/** A request's claimable part: min(what it still asks for, max(0, capacity − live requests ahead of it)). */
export function gateClaimable(remaining: bigint, capacity: bigint, ahead: bigint): bigint {
  const room = capacity > ahead ? capacity - ahead : 0n;
  return remaining < room ? remaining : room;
}

/** claimable / requested in bps, rounded down (null with nothing requested). */
export function claimableShareBpsDown(claimable: bigint, requested: bigint): bigint | null {
  return requested === 0n ? null : (claimable * BPS) / requested;
}
