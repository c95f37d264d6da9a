// The arbitrageur: trades the mark toward the index when the gap pays more than the fee. The size takes the
// mark to index * (1 +- fee) (past that, the next unit costs more than it earns), capped by the per-block move
// limit; the trade is kept only when the SDK's exact quote (ts/pool/quoteTrade.ts) says it earns, at the
// index, more than its fee.
import { WAD } from "../money";
import { quoteTrade, type TradeQuote } from "../pool/quoteTrade";
import type { MarketConfig, MarketState, Position } from "../pool/types";

export type ArbInput = {
  state: Pick<MarketState, "baseReserve" | "quoteReserve">;
  config: Pick<MarketConfig, "feeBps" | "minPositionBase" | "maxMoveBps">;
  /** The index the trade will be valued at (WAD). */
  index: bigint;
  position?: Pick<Position, "size" | "openNotional"> | undefined;
};

export type ArbTrade = {
  sizeDelta: bigint;
  quote: TradeQuote /** Earned at the index, net of the fee (WAD). */;
  edge: bigint;
};

const BPS = 10_000n;

/** The trade, or undefined when the gap does not pay the fee. */
export function arbitrageTrade({ state, config, index, position }: ArbInput): ArbTrade | undefined {
  const base = state.baseReserve;
  const quote = state.quoteReserve;
  const mark = (quote * WAD) / base;
  const fee = BigInt(config.feeBps);
  // Stay inside the per-block move limit with room for the crowd's trades in the same block.
  const maxMove = (BigInt(config.maxMoveBps) * 3n) / 4n;
  let target: bigint;
  if (mark * BPS > index * (BPS + fee)) {
    target = (index * (BPS + fee)) / BPS;
    const floor = (mark * (BPS - maxMove)) / BPS;
    if (target < floor) target = floor;
  } else if (mark * BPS < index * (BPS - fee)) {
    target = (index * (BPS - fee)) / BPS;
    const ceiling = (mark * (BPS + maxMove)) / BPS;
    if (target > ceiling) target = ceiling;
  } else {
    return undefined;
  }
  // Constant product: mark = k / base^2, so the base reserve at the target mark is sqrt(k * WAD / target).
  const baseAtTarget = sqrt((base * quote * WAD) / target);
  // Selling base grows the base reserve; buying shrinks it.
  let sizeDelta = base - baseAtTarget;
  sizeDelta = (sizeDelta / 10n ** 14n) * 10n ** 14n; // whole 0.0001 base
  if (sizeDelta === 0n || abs(sizeDelta) < config.minPositionBase) return undefined;
  const after = (position?.size ?? 0n) + sizeDelta;
  if (after !== 0n && abs(after) < config.minPositionBase) return undefined;
  const q = quoteTrade({ state, config, sizeDelta, position });
  // Value at the index of what was bought (or owed for what was sold) against the quote paid (or received).
  const atIndex = (abs(sizeDelta) * index) / WAD;
  const edge = (sizeDelta > 0n ? atIndex - q.quote : q.quote - atIndex) - q.fee;
  if (edge <= 0n) return undefined;
  return { sizeDelta, quote: q, edge };
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** floor(sqrt(x)) by Newton's method from above. */
export function sqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = 2n * BigInt(Math.ceil(Math.sqrt(Number(x)))) + 1n;
  for (let next = (r + x / r) >> 1n; next < r; next = (r + x / r) >> 1n) r = next;
  return r;
}
