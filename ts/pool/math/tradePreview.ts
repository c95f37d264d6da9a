// An account as it would stand right after a quoted trade, for previews ("liquidation price after the trade"):
// the same steps as TradeLogic (funding settled, the legs applied, realized PnL and fee booked), at the index.
import type { TradeQuote } from "../quoteTrade";
import type { Account } from "../types";
import type { PositionInput } from "./accountMath";
import { owed } from "./fundingMath";
import { cumNow } from "./marketMath";
import { i256 } from "./solidity";

type MarketPosition = PositionInput & { marketId: bigint };

/**
 * The account and positions after `quote` executes on `market` at `timestamp`. The settled funding, the realized
 * PnL and the fee move the collateral (profit the pool would defer to `unsettledProfit` counts the same in the
 * account's value, so the value and every requirement equal the chain's after the trade; the split may differ).
 * `market` is the traded market's input (its current position, or a zero one when the account has none there).
 * @example
 * const q = quoteTrade({ state, config, sizeDelta, position });
 * const after = accountAfterTrade(s.account, s.positions, { marketId, position, state, config, index }, q, s.timestamp);
 * liquidationPrice(after.account, after.positions, marketId, s.timestamp);
 */
export function accountAfterTrade(
  account: Account,
  positions: readonly MarketPosition[],
  market: MarketPosition,
  quote: Pick<TradeQuote, "sizeAfter" | "openNotionalAfter" | "realizedPnl" | "fee">,
  timestamp: bigint,
): { account: Account; positions: MarketPosition[] } {
  const { cumLong, cumShort } = cumNow(market.state, market.config, timestamp);
  const old = market.position;
  const settled = owed(old.size, old.size > 0n ? cumLong : cumShort, old.fundingEntry);
  const collateral = i256(account.collateral - settled + quote.realizedPnl - quote.fee);
  const bit = 1 << Number(market.marketId);
  const others = positions.filter((p) => p.marketId !== market.marketId);
  const open = quote.sizeAfter !== 0n;
  const next: MarketPosition[] = open
    ? [
        ...others,
        {
          ...market,
          position: {
            size: quote.sizeAfter,
            openNotional: quote.openNotionalAfter,
            fundingEntry: quote.sizeAfter > 0n ? cumLong : cumShort,
          },
        },
      ].sort((a, b) => (a.marketId < b.marketId ? -1 : 1))
    : others;
  return {
    account: {
      collateral,
      unsettledProfit: account.unsettledProfit,
      marketMask: open ? account.marketMask | bit : account.marketMask & ~bit,
    },
    positions: next,
  };
}

/**
 * The traded market's input: the account's own position there as getAccountState read it (the lens's index, oracle
 * status and IM volatility multiplier), else a zero position at the market's index, status and multiplier (a new
 * market nets from the first trade, and its IM is scaled, as the pool's check after the trade does).
 */
export function tradedMarketInput(
  held: readonly MarketPosition[] | undefined,
  market: Omit<MarketPosition, "position">,
): MarketPosition {
  return (
    held?.find((x) => x.marketId === market.marketId) ?? {
      ...market,
      position: { size: 0n, openNotional: 0n, fundingEntry: 0n },
    }
  );
}
