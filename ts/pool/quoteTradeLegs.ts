// What `PerpPool.tradeLegs` will do on the curves, computed off chain to the wei: each leg is `quoteTrade` on its
// own market (a market appears at most once, so no leg moves another leg's curve), plus the totals.

import { revert } from "./math/solidity";
import { type QuoteTradeParameters, quoteTrade, type TradeQuote } from "./quoteTrade";

/** Most legs in one `tradeLegs` (TradeLogic.MAX_LEGS: one per market an account may hold). */
export const MAX_TRADE_LEGS = 8;

export type QuoteTradeLegParameters = QuoteTradeParameters & {
  /** The leg's market (each at most once). */
  marketId: bigint;
};

export type TradeLegsQuote = {
  /** Per leg, in order: exactly `quoteTrade` on that leg's market. */
  legs: (TradeQuote & { marketId: bigint })[];
  /** Sum of the legs' signed quotes: > 0 paid to the curves overall, < 0 received. */
  quoteDelta: bigint;
  /** Sum of the legs' fees (each rounded up on its own leg, as charged). */
  fee: bigint;
  /** Sum of the legs' realized PnL (funding and fees excluded). */
  realizedPnl: bigint;
  /** True when any leg opens, adds or flips: the account then needs the initial margin after the last leg. */
  addsRisk: boolean;
};

/**
 * Quotes a several-market trade exactly as `tradeLegs` executes it. Throws the contract's error where the call
 * would revert before or on a curve: `NoLegs`, `TooManyLegs`, `DuplicateLeg`, and each leg's `quoteTrade` errors.
 * The oracle gates, price guards, caps and the final margin check are not evaluated.
 * @example
 * const q = quoteTradeLegs([
 *   { marketId: 0n, state: ethState, config: ethConfig, sizeDelta: 10n * 10n ** 18n },
 *   { marketId: 1n, state: btcState, config: btcConfig, sizeDelta: -33n * 10n ** 16n },
 * ]);
 * q.legs[1].quote; // what the BTC leg receives
 */
export function quoteTradeLegs(legs: readonly QuoteTradeLegParameters[]): TradeLegsQuote {
  if (legs.length === 0) revert("NoLegs");
  if (legs.length > MAX_TRADE_LEGS) {
    revert("TooManyLegs", { count: BigInt(legs.length), max: BigInt(MAX_TRADE_LEGS) });
  }
  const seen = new Set<bigint>();
  const quoted: TradeLegsQuote["legs"] = [];
  for (const leg of legs) {
    if (leg.sizeDelta === 0n) revert("ZeroAmount");
    if (seen.has(leg.marketId)) revert("DuplicateLeg", { marketId: leg.marketId });
    seen.add(leg.marketId);
    quoted.push({ ...quoteTrade(leg), marketId: leg.marketId });
  }
  return {
    legs: quoted,
    quoteDelta: quoted.reduce((sum, q) => sum + q.quoteDelta, 0n),
    fee: quoted.reduce((sum, q) => sum + q.fee, 0n),
    realizedPnl: quoted.reduce((sum, q) => sum + q.realizedPnl, 0n),
    addsRisk: quoted.some((q) => q.addsRisk),
  };
}
