// Mirror of contracts/libraries/FundingPolicy.sol, to the wei: the funding period's arithmetic, from the period's
// time-weighted premium to the rate and the crowding kicker the next period charges. Premiums are fractions of the
// index per funding period in 1e-12 (`ONE`); rates are quote per base per second (WAD). Solidity's signed division
// truncates toward zero, as bigint division does. See the library's header for the six steps.
import type { FundingOutcome, FundingParams, FundingSnapshot } from "../types";
import { abs, i256, PANIC_DIVISION_BY_ZERO, revert, u256 } from "./solidity";

/** 1 (100 % of the index per period) in the premium's units. */
export const FUNDING_ONE = 10n ** 12n;
/** capE8 and kickerMaxE8 units to premium units. */
export const E8_TO_PREMIUM = 10n ** 4n;
const BPS = 10_000n;
const MAX_UINT256 = (1n << 256n) - 1n;

/** The policy fields the arithmetic reads (a `pool.fundingParams` result fits; numbers or bigints). */
export type FundingPolicyParams = Pick<
  { [k in keyof FundingParams]: FundingParams[k] | bigint },
  "maxChangeBps" | "extremeVolBps" | "extremeCapBps" | "blendWeightBps" | "kickerThresholdBps" | "kickerMaxE8" | "capE8"
>;

/**
 * A sibling's contribution, from its latest snapshot: only a fresh one (measured after this market's last update) is
 * blended; every one adds its net to the group's.
 */
export type FundingSibling = { premium: bigint; gross: bigint; net: bigint; pushCost: bigint; fresh: boolean };

/** Everything the period's computation reads (FundingPolicy.Inputs). */
export type FundingPolicyInputs = {
  /** WAD. */
  twapMark: bigint;
  /** WAD. */
  twapIndex: bigint;
  /** The oracle's status is Normal. */
  vouched: boolean;
  /** The oracle's realized variance now (bps², annualized). */
  varianceBps2: bigint;
  /** Seconds. */
  fundingPeriod: bigint;
  /** The market config's absolute cap (used when the params set no cap). */
  maxPremiumBps: bigint;
  /** Base WAD. */
  longOI: bigint;
  shortOI: bigint;
  /** Tranche capital, whole quote units. */
  capitalWhole: bigint;
  /** The current period's charged premium. */
  prevCharged: bigint;
  /** This market's net notional at its last update (whole quote): `marketState.fundingNet`. */
  prevNet: bigint;
  params: FundingPolicyParams;
  siblings: readonly FundingSibling[];
};

/** The normal cap per period in premium units: capE8 when the params set one, else maxPremiumBps. */
export function fundingCap(p: Pick<FundingPolicyParams, "capE8">, maxPremiumBps: bigint): bigint {
  const capE8 = BigInt(p.capE8);
  return capE8 !== 0n ? capE8 * E8_TO_PREMIUM : maxPremiumBps * 10n ** 8n;
}

/** The cap a params set derives: min(maxPremiumBps, c x (IM - MM)) in 1e-8 (bps x bps), 0 when c is 0. */
export function deriveCapE8(
  capMultipleBps: bigint,
  initialBps: bigint,
  maintenanceBps: bigint,
  maxPremiumBps: bigint,
): bigint {
  if (capMultipleBps === 0n) return 0n;
  let capE8 = capMultipleBps * u256(initialBps - maintenanceBps);
  const absolute = maxPremiumBps * E8_TO_PREMIUM;
  if (capE8 > absolute) capE8 = absolute;
  if (capE8 === 0n) capE8 = 1n;
  return capE8;
}

/** Whether the session is extreme: the realized sigma above the threshold (variance above its square). */
export function isExtreme(p: Pick<FundingPolicyParams, "extremeVolBps">, varianceBps2: bigint): boolean {
  const t = BigInt(p.extremeVolBps);
  return t !== 0n && varianceBps2 > t * t;
}

/** The cap that applies: the normal one, tightened to extremeCapBps of it in an extreme session. */
export function effectiveCap(p: Pick<FundingPolicyParams, "extremeCapBps">, normalCap: bigint, extreme: boolean) {
  return extreme ? (normalCap * BigInt(p.extremeCapBps)) / BPS : normalCap;
}

/** The most |charged| the next update can set: the normal cap, and within one step of `prevCharged`. */
export function maxNext(p: Pick<FundingPolicyParams, "maxChangeBps">, normalCap: bigint, prevCharged: bigint): bigint {
  let m = normalCap;
  const change = BigInt(p.maxChangeBps);
  if (change !== 0n) {
    const reach = abs(prevCharged) + (normalCap * change) / BPS;
    if (reach < m) m = reach;
  }
  return m;
}

/** Step 1: the period's premium, capped. */
export function premiumOf(twapMark: bigint, twapIndex: bigint, normalCap: bigint): bigint {
  if (twapIndex === 0n) revert("Panic", { code: PANIC_DIVISION_BY_ZERO });
  return clampPremium(i256((twapMark - twapIndex) * FUNDING_ONE) / twapIndex, normalCap);
}

/** Whole quote units of `base` (WAD) at `price` (WAD), rounded down. */
export function notionalWhole(base: bigint, price: bigint): bigint {
  return u256(base * price) / 10n ** 36n;
}

/** A premium per period as quote per base per second at `index`, toward zero. */
export function perSecond(premium: bigint, index: bigint, period: bigint): bigint {
  if (period === 0n) revert("Panic", { code: PANIC_DIVISION_BY_ZERO });
  return i256(premium * index) / (FUNDING_ONE * period);
}

/** x clamped to [-bound, bound]. */
export function clampPremium(x: bigint, bound: bigint): bigint {
  return x > bound ? bound : x < -bound ? -bound : x;
}

/** A sibling snapshot as the blend and the kicker read it, fresh when measured after `periodStart`. */
export function siblingOf(s: FundingSnapshot, periodStart: bigint | number): FundingSibling {
  return {
    premium: BigInt(s.premium),
    gross: BigInt(s.grossNotional),
    net: BigInt(s.netNotional),
    pushCost: BigInt(s.pushCost),
    fresh: BigInt(s.measuredAt) > BigInt(periodStart),
  };
}

/** The market ids of a market's siblings (`params.siblings`, 8 bits each, lowest first). */
export function siblingIds(p: Pick<FundingParams, "siblingCount" | "siblings">): bigint[] {
  const packed = BigInt(p.siblings);
  return Array.from({ length: Number(p.siblingCount) }, (_, j) => (packed >> BigInt(8 * j)) & 0xffn);
}

/**
 * Every sibling's latest snapshot in the params' order, fresh when measured after this market's last update
 * (`periodStart`): FundingLogic._siblings.
 */
export function fundingSiblings(snapshots: readonly FundingSnapshot[], periodStart: bigint | number): FundingSibling[] {
  return snapshots.map((s) => siblingOf(s, periodStart));
}

/** The full computation (FundingPolicy.next, steps 1-6). */
export function fundingNext(q: FundingPolicyInputs): FundingOutcome {
  const cap = fundingCap(q.params, q.maxPremiumBps);
  const extreme = isExtreme(q.params, q.varianceBps2);
  const o: FundingOutcome = {
    premium: 0n,
    blended: 0n,
    charged: 0n,
    kicker: 0n,
    ratePerSecond: 0n,
    kickerPerSecond: 0n,
    cap,
    capEffective: effectiveCap(q.params, cap, extreme),
    extreme,
    blendWeight: 0n,
    groupNet: 0n,
    crowdingBps: 0n,
    gross: 0n,
    net: 0n,
    crowd: 0n,
  };
  if (q.twapIndex !== 0n) {
    o.gross = notionalWhole(u256(q.longOI + q.shortOI), q.twapIndex);
    o.net = notionalWhole(q.longOI, q.twapIndex) - notionalWhole(q.shortOI, q.twapIndex);
  }
  if (!q.vouched || q.twapIndex === 0n) return o;
  o.premium = premiumOf(q.twapMark, q.twapIndex, cap);
  const blend = blendOf(o.premium, o.gross, q.siblings, BigInt(q.params.blendWeightBps));
  o.blended = blend.b;
  o.blendWeight = blend.weight;
  let c = o.blended;
  const change = BigInt(q.params.maxChangeBps);
  if (change !== 0n) {
    const step = (cap * change) / BPS;
    if (c > q.prevCharged + step) c = q.prevCharged + step;
    if (c < q.prevCharged - step) c = q.prevCharged - step;
  }
  o.charged = clampPremium(c, o.capEffective);
  o.crowd = crowdOf(q.prevNet, o.net);
  const k = kickerOf(q, o.crowd);
  o.kicker = k.k;
  o.groupNet = k.n;
  o.crowdingBps = k.share;
  o.ratePerSecond = perSecond(o.charged, q.twapIndex, q.fundingPeriod);
  o.kickerPerSecond = perSecond(o.kicker, q.twapIndex, q.fundingPeriod);
  return o;
}

/** Step 2. Weights in premium units; the sum never exceeds w (the shares sum to at most 1). */
function blendOf(
  p: bigint,
  gross: bigint,
  sibs: readonly FundingSibling[],
  wBps: bigint,
): { b: bigint; weight: bigint } {
  let b = p;
  let weight = 0n;
  if (wBps === 0n || sibs.length === 0) return { b, weight };
  let total = gross;
  for (const s of sibs) if (s.fresh) total += s.gross;
  if (total === 0n) return { b, weight };
  for (const s of sibs) {
    if (!s.fresh) continue;
    let wj = (wBps * 10n ** 8n * s.gross) / total;
    if (gross !== 0n) {
      const bound = (s.pushCost * FUNDING_ONE) / (2n * gross);
      if (bound < wj) wj = bound;
    }
    weight += wj;
    b = i256(b + i256(wj * (s.premium - p)) / FUNDING_ONE);
  }
  return { b, weight };
}

/** The part of `net` that persisted since `prevNet`: the smaller magnitude when both have the same sign, else 0. */
export function crowdOf(prevNet: bigint, net: bigint): bigint {
  if ((net > 0n && prevNet > 0n) || (net < 0n && prevNet < 0n)) return abs(net) < abs(prevNet) ? net : prevNet;
  return 0n;
}

/** Step 5, from this market's crowding net: each sibling's snapshot holds its own crowding net. */
function kickerOf(q: FundingPolicyInputs, own: bigint): { k: bigint; n: bigint; share: bigint } {
  let n = own;
  for (const s of q.siblings) n += s.net;
  const t = BigInt(q.params.kickerThresholdBps);
  if (n === 0n) return { k: 0n, n: 0n, share: 0n };
  const share = q.capitalWhole === 0n ? MAX_UINT256 : (abs(n) * BPS) / q.capitalWhole;
  const kickerMaxE8 = BigInt(q.params.kickerMaxE8);
  if (t === 0n || kickerMaxE8 === 0n || share <= t) return { k: 0n, n, share };
  let over = share - t;
  if (over > t) over = t;
  const mag = (kickerMaxE8 * E8_TO_PREMIUM * over) / t;
  return { k: n > 0n ? mag : -mag, n, share };
}

/** The library's functions under its Solidity names (`FundingPolicy.next(q)`, `FundingPolicy.cap(p, maxPremiumBps)`). */
export const FundingPolicy = {
  ONE: FUNDING_ONE,
  E8_TO_PREMIUM,
  next: fundingNext,
  cap: fundingCap,
  deriveCapE8,
  isExtreme,
  effectiveCap,
  maxNext,
  premiumOf,
  perSecond,
  notionalWhole,
  clamp: clampPremium,
  crowdOf,
} as const;
