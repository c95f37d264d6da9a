// What `PerpPool.trade` will do on the curve, computed off chain to the wei: the quote, the fee, the reserves
// and the mark after, and for a flip the two legs (close the old side, open the new one) as PerpPool._legs.

import { applyLeg } from "./math/positionMath";
import { abs, i256, mulDivUp, revert, toInt, toUint } from "./math/solidity";
import { baseForQuoteIn, markPrice, quoteForSellingBase, quoteToBuyBase } from "./math/vammMath";
import type { MarketConfig, MarketState, Position } from "./types";

const BPS = 10_000n;

export type QuoteLeg = {
  /** Base bought (> 0) or sold (< 0) on the curve in this leg. */
  sizeDelta: bigint;
  /** Quote paid (> 0) or received (< 0) in this leg. */
  quoteDelta: bigint;
};

export type TradeQuote = {
  sizeDelta: bigint;
  /** What `trade` returns: |quoteDelta|, the quote paid (buy) or received (sell) before the fee. */
  quote: bigint;
  /** Signed total over the legs: > 0 paid to the curve, < 0 received. */
  quoteDelta: bigint;
  /** Trading fee: mulDivUp(quote, feeBps, 10_000). */
  fee: bigint;
  baseReserveAfter: bigint;
  quoteReserveAfter: bigint;
  markBefore: bigint;
  markAfter: bigint;
  /** One leg, or two for a flip (close, then open). */
  legs: QuoteLeg[];
  flips: boolean;
  /** True when the trade opens, adds or flips: it then needs a Normal oracle and the initial margin. */
  addsRisk: boolean;
  sizeAfter: bigint;
  openNotionalAfter: bigint;
  /** PnL realized by the reduced part, funding and fee excluded. */
  realizedPnl: bigint;
};

export type QuoteTradeParameters = {
  state: Pick<MarketState, "baseReserve" | "quoteReserve">;
  config: Pick<MarketConfig, "feeBps" | "minPositionBase">;
  /** Base to buy (> 0) or sell (< 0), WAD. */
  sizeDelta: bigint;
  /** The account's current position on the market; default none. */
  position?: Pick<Position, "size" | "openNotional"> | undefined;
  /** Only for the `UnknownMarket(marketId)` error of an unlisted market (base reserve 0). */
  marketId?: bigint | undefined;
};

/**
 * Quotes a trade exactly as the pool executes it. Throws the contract's error (`ZeroAmount`, `DustPosition`,
 * `InsufficientReserve`, `SafeCastOverflowedUintDowncast`...) where the trade would revert on the curve.
 * Checks done later on chain (oracle state, price band, margin, open-interest caps) are not evaluated.
 * @example
 * const state = await publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketState", args: [0n] });
 * const config = await publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketConfig", args: [0n] });
 * const q = quoteTrade({ state, config, sizeDelta: 10n ** 18n }); // q.quote + q.fee is what buying 1 base costs
 */
export function quoteTrade({ state, config, sizeDelta, position, marketId }: QuoteTradeParameters): TradeQuote {
  if (sizeDelta === 0n) revert("ZeroAmount");
  if (state.baseReserve === 0n) revert("UnknownMarket", { marketId: marketId ?? 0n });
  const oldSize = position?.size ?? 0n;
  const openNotional = position?.openNotional ?? 0n;
  const newSize = i256(oldSize + sizeDelta);
  const flips = oldSize !== 0n && newSize !== 0n && oldSize > 0n !== newSize > 0n;
  const addsRisk = flips || abs(newSize) > abs(oldSize);
  if (newSize !== 0n && abs(newSize) < config.minPositionBase) {
    revert("DustPosition", { remainingSize: newSize, minSize: config.minPositionBase });
  }

  let base = state.baseReserve;
  let quote = state.quoteReserve;
  const markBefore = markPrice(base, quote);
  const swap = (delta: bigint): QuoteLeg => {
    const r = delta > 0n ? quoteToBuyBase(base, quote, delta) : quoteForSellingBase(base, quote, -delta);
    base = toUint(128, r.newBase);
    quote = toUint(128, r.newQuote);
    return { sizeDelta: delta, quoteDelta: delta > 0n ? r.quote : -r.quote };
  };

  let legs: QuoteLeg[];
  let sizeAfter: bigint;
  let openNotionalAfter: bigint;
  let realizedPnl: bigint;
  if (flips) {
    const close = swap(-oldSize);
    realizedPnl = i256(-(close.quoteDelta + openNotional));
    const open = swap(newSize);
    legs = [close, open];
    sizeAfter = toInt(128, newSize);
    openNotionalAfter = toInt(128, open.quoteDelta);
  } else {
    const leg = swap(sizeDelta);
    const applied = applyLeg(oldSize, openNotional, sizeDelta, leg.quoteDelta);
    legs = [leg];
    sizeAfter = toInt(128, applied.newSize);
    openNotionalAfter = toInt(128, applied.newOpenNotional);
    realizedPnl = applied.realizedPnl;
  }
  const quoteDelta = legs.reduce((sum, l) => sum + l.quoteDelta, 0n);
  const total = abs(quoteDelta);
  return {
    sizeDelta,
    quote: total,
    quoteDelta,
    fee: mulDivUp(total, BigInt(config.feeBps), BPS),
    baseReserveAfter: base,
    quoteReserveAfter: quote,
    markBefore,
    markAfter: markPrice(base, quote),
    legs,
    flips,
    addsRisk,
    sizeAfter,
    openNotionalAfter,
    realizedPnl,
  };
}

/**
 * Base bought by spending exactly `quoteIn` quote on the curve (VammMath.baseForQuoteIn), rounded down: the size
 * to pass to `trade` for a quote-sized long. Buying that size costs at most `quoteIn` (before the fee).
 * @example
 * quoteSizeForQuote({ state, quoteIn: 1000n * 10n ** 18n }) // base for 1,000 quote
 */
export function quoteSizeForQuote({
  state,
  quoteIn,
}: {
  state: Pick<MarketState, "baseReserve" | "quoteReserve">;
  quoteIn: bigint;
}): bigint {
  return baseForQuoteIn(state.baseReserve, state.quoteReserve, quoteIn);
}
