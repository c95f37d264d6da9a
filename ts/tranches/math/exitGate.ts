// The junior exit gate in TypeScript, to the unit (SPEC-21 "Exit gate"; TrancheExitQueue / ExitGateMath as built).
// The queue counts shares: capacity = priced shares − shares of claims settling − the shares the floor is worth
// (rounded up); a request may start leaving with min(its shares, capacity − shares queued ahead of it); the views
// convert shares to assets at today's price, rounded down. `net` is the tranche's net assets (`totalAssets()`),
// `priced` its current-epoch shares but the escrow sentinel (`totalSupply − writtenOffSupply − 1`).
import { BPS } from "./tailRisk";

/** `SharePriceMath.VIRTUAL_SHARES` (the 6-decimal offset). */
export const VIRTUAL_SHARES = 10n ** 6n;

/** Assets to shares at the tranche's price, rounded up: ⌈assets · (priced + 10⁶) / (net + 1)⌉. */
export function toSharesUp(assets: bigint, net: bigint, priced: bigint): bigint {
  const num = assets * (priced + VIRTUAL_SHARES);
  const den = net + 1n;
  return num === 0n ? 0n : (num - 1n) / den + 1n;
}

/** Shares to assets at the tranche's price, rounded down: ⌊shares · (net + 1) / (priced + 10⁶)⌋. */
export function toAssetsDown(shares: bigint, net: bigint, priced: bigint): bigint {
  return (shares * (net + 1n)) / (priced + VIRTUAL_SHARES);
}

/** Shares that may still start leaving: max(0, priced − settling − ⌈floor in shares⌉). */
export function exitCapacityShares(net: bigint, priced: bigint, settlingShares: bigint, floor: bigint): bigint {
  const floorShares = floor === 0n ? 0n : toSharesUp(floor, net, priced);
  const held = settlingShares + floorShares;
  return priced > held ? priced - held : 0n;
}

/** What a request may claim now, in shares: min(its shares, max(0, capacity − shares queued ahead of it)). */
export function gateClaimableShares(remainingShares: bigint, capacityShares: bigint, aheadShares: bigint): bigint {
  const room = capacityShares > aheadShares ? capacityShares - aheadShares : 0n;
  return remainingShares < room ? remainingShares : room;
}

/** The cap of claiming `claimShares` of a request of `shares` worth `assets` at request: all of it, or its pro-rata
 * part rounded down. */
export function claimCapDown(assets: bigint, claimShares: bigint, shares: bigint): bigint {
  return claimShares === shares ? assets : (assets * claimShares) / shares;
}

/**
 * The gate as `exitGate()` / `claimableNow()` report it: capacity in assets, and for a request (its shares, assets at
 * request and the shares queued ahead of it) what a claim takes now and the assets ahead.
 */
export function exitGateMirror(
  t: { net: bigint; priced: bigint; settlingShares: bigint; floor: bigint },
  request?: { shares: bigint; assets: bigint; aheadShares: bigint },
): { capacityShares: bigint; capacity: bigint; claimShares?: bigint; claimable?: bigint; ahead?: bigint } {
  const capacityShares = exitCapacityShares(t.net, t.priced, t.settlingShares, t.floor);
  const capacity = toAssetsDown(capacityShares, t.net, t.priced);
  if (!request) return { capacityShares, capacity };
  const claimShares = gateClaimableShares(request.shares, capacityShares, request.aheadShares);
  return {
    capacityShares,
    capacity,
    claimShares,
    claimable: claimCapDown(request.assets, claimShares, request.shares),
    ahead: toAssetsDown(request.aheadShares, t.net, t.priced),
  };
}

/** claimable / requested in bps, rounded down (null with nothing requested). */
export function claimableShareBpsDown(claimable: bigint, requested: bigint): bigint | null {
  return requested === 0n ? null : (claimable * BPS) / requested;
}
