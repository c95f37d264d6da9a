// Synthetic books for the health bench and the prefilter's tests: accounts of k markets each (out of 8 priced
// markets, ids 0..7, funding accrued), in a realistic mix: hedged books (longs and shorts of matched notional, which
// the grid nets), naked books (every position one way), healthy ones far above maintenance, liquidatable ones far
// below, and a share placed within a few wei of the boundary (where only the exact path can tell). Each account's
// collateral is solved from its exact requirement, so "near" is near to the wei. Seeded: the same book every run.

import { marketParamsSchema } from "../../deploy/config";
import { WAD } from "../../money";
import type { RiskGrid } from "../../pool/math/portfolioMath";
import type { Account, MarketConfig, MarketState, Position } from "../../pool/types";
import { localHealth, type MarketPricing, marketPricing } from "../book/localHealth";

export const MARKETS = 8;
const PRICES = [2_000, 80_000, 150, 0.6, 25, 7, 0.000_02, 3_000].map((p) => BigInt(Math.round(p * 1e6)) * 10n ** 12n);

/** xorshift32: fast, seeded, plenty for a bench's mix. */
export function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
  };
}

/** The 8 markets priced for one block: default tiers, a funding history, every oracle Normal (or `status[i]`). */
export function syntheticPricing(status: readonly number[] = []): MarketPricing[] {
  const config = marketParamsSchema.parse({}) as unknown as MarketConfig;
  return PRICES.map((index, i) => {
    const state = {
      cumFundingLong: BigInt(i + 1) * 3n * 10n ** 15n * (index / WAD + 1n),
      cumFundingShort: BigInt(i + 1) * 2n * 10n ** 15n * (index / WAD + 1n),
      fundingRate: 0n,
      fundingKicker: 0n,
      lastAccrual: 0,
      longOpenInterest: 0n,
      shortOpenInterest: 0n,
    } as unknown as MarketState;
    const s = status[i] ?? 0;
    return marketPricing(BigInt(i), state, config, index, s === 2, 0n, { oracleStatus: s });
  });
}

/** A grid for 8 markets: broad moves both ways, each market alone both ways, and broken-correlation rows. */
export function syntheticGrid(): RiskGrid {
  const rows: { weightPct: number; moves: number[] }[] = [
    { weightPct: 100, moves: Array(MARKETS).fill(50) },
    { weightPct: 100, moves: Array(MARKETS).fill(-50) },
  ];
  for (let c = 0; c < MARKETS; c++) {
    const up = Array.from({ length: MARKETS }, (_, j) => (j === c ? 50 : 20));
    rows.push({ weightPct: 60, moves: up });
    rows.push({ weightPct: 60, moves: up.map((m) => -m) });
  }
  for (let c = 0; c < MARKETS; c += 2) {
    rows.push({
      weightPct: 40,
      moves: Array.from({ length: MARKETS }, (_, j) => (j === c ? 40 : j === c + 1 ? -40 : 0)),
    });
  }
  return { scenarios: rows.slice(0, 32), floorBps: 2_000n };
}

export type SyntheticAccount = {
  id: number;
  account: Account;
  positions: Map<number, Position>;
  kind: "healthy" | "liquidatable" | "near";
};

export type BookMix = { hedged: number; near: number; liquidatable: number };
export const DEFAULT_MIX: BookMix = { hedged: 0.5, near: 0.05, liquidatable: 0.1 };

/**
 * `n` accounts of `k` positions each (markets drawn from 0..7) at `pricing`, valued with `engine`. `nearWei`: how far
 * from the boundary a near account is placed (uniform in ±nearWei).
 */
export function syntheticBook(
  n: number,
  k: number,
  pricing: readonly MarketPricing[],
  engine: RiskGrid | null,
  seed = 1,
  mix: BookMix = DEFAULT_MIX,
  nearWei = 1_000,
): SyntheticAccount[] {
  const r = prng(seed + k * 7919);
  const out: SyntheticAccount[] = [];
  for (let id = 0; id < n; id++) {
    const markets = pickMarkets(r, k);
    const hedged = r.next() < mix.hedged;
    const notional = r.between(500, 400_000); // quote per position
    const positions = new Map<number, Position>();
    let mask = 0;
    markets.forEach((m, j) => {
      const index = (pricing[m] as MarketPricing).index;
      const long = hedged ? j % 2 === 0 : r.next() < 0.5 === (id % 2 === 0);
      const quote = notional * r.between(0.8, 1.2);
      const size = (BigInt(Math.round(quote * 1e6)) * 10n ** 30n) / index; // quote·1e18 / index, WAD base
      const signed = long ? size : -size;
      const entry = (index * BigInt(Math.round(r.between(0.9, 1.1) * 1e6))) / 1_000_000n;
      const cum = long ? (pricing[m] as MarketPricing).cumLong : (pricing[m] as MarketPricing).cumShort;
      positions.set(m, {
        size: signed,
        openNotional: (signed * entry) / WAD,
        fundingEntry: cum - BigInt(Math.round(r.between(-1, 1) * 1e15)),
      } as Position);
      mask |= 1 << m;
    });
    const bare = { collateral: 0n, unsettledProfit: 0n, marketMask: mask } as unknown as Account;
    const h = localHealth(bare, positions, pricing, engine);
    const u = r.next();
    const kind: SyntheticAccount["kind"] =
      u < mix.near ? "near" : u < mix.near + mix.liquidatable ? "liquidatable" : "healthy";
    const mm = h.maintenanceRequirement;
    let target: bigint;
    if (kind === "near") target = mm + BigInt(Math.round(r.between(-nearWei, nearWei)));
    else if (kind === "liquidatable") target = (mm * BigInt(Math.round(r.between(0.2, 0.95) * 1e6))) / 1_000_000n;
    else target = (mm * BigInt(Math.round(r.between(1.05, 5) * 1e6))) / 1_000_000n;
    const unsettledProfit = r.next() < 0.2 ? BigInt(Math.round(r.between(0, 100))) * WAD : 0n;
    const collateral = target - h.value - unsettledProfit;
    out.push({ id, account: { collateral, unsettledProfit, marketMask: mask } as unknown as Account, positions, kind });
  }
  return out;
}

function pickMarkets(r: ReturnType<typeof prng>, k: number): number[] {
  const all = Array.from({ length: MARKETS }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, k).sort((a, b) => a - b);
}
