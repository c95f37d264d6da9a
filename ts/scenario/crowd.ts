// The crowd's trades: opening the book in chunks small enough for the per-block move limit (longs and shorts
// interleaved so the mark stays near the index), then small adjustments around each target position.
import { parseUnits } from "viem";
import type { Leg, TraderSpec } from "./book";

/** A leg of the crowd; `steady` legs only open (the crowd's adjustments leave them alone). */
export type LegRef = { trader: number; leg: number; marketId: bigint; target: bigint; steady: boolean };
export type Chunk = { ref: LegRef; size: bigint };

const MARKET_IDS: Record<Leg["market"], bigint> = { ETH: 0n, BTC: 1n };
/** Largest opening chunk per market (base, WAD): about 1 % of mark move on the scenario's curves. */
const CHUNK: Record<string, bigint> = { "0": parseUnits("20", 18), "1": parseUnits("0.6", 18) };
const CENT = 10n ** 16n;

export function legRefs(crowd: readonly TraderSpec[]): LegRef[] {
  return crowd.flatMap((t, trader) =>
    t.legs.map((l, leg) => ({
      trader,
      leg,
      marketId: MARKET_IDS[l.market],
      target: parseUnits(String(l.size), 18),
      steady: t.steady === true,
    })),
  );
}

/** Per market, the opening chunks as pairs (one long, one short when both remain) to send in one block each. */
export function openingBlocks(refs: readonly LegRef[]): Chunk[][] {
  const perMarket = new Map<bigint, { longs: Chunk[]; shorts: Chunk[] }>();
  for (const ref of refs) {
    const max = CHUNK[String(ref.marketId)] as bigint;
    const sides = perMarket.get(ref.marketId) ?? { longs: [], shorts: [] };
    perMarket.set(ref.marketId, sides);
    let left = ref.target < 0n ? -ref.target : ref.target;
    while (left > 0n) {
      const n = left > max ? max : left;
      (ref.target > 0n ? sides.longs : sides.shorts).push({ ref, size: ref.target > 0n ? n : -n });
      left -= n;
    }
  }
  const blocks: Chunk[][] = [];
  for (const { longs, shorts } of perMarket.values()) {
    for (let i = 0; i < Math.max(longs.length, shorts.length); i++) {
      const block = blocks[i] ?? [];
      blocks[i] = block;
      if (longs[i]) block.push(longs[i] as Chunk);
      if (shorts[i]) block.push(shorts[i] as Chunk);
    }
  }
  return blocks;
}

/** An adjustment of a leg: trim 20 % when at its target, else restore the target. */
export function adjustment(ref: LegRef, current: bigint): bigint {
  if (current === ref.target) return -((ref.target / 5n / CENT) * CENT);
  return ref.target - current;
}
