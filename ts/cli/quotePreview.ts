// What `perp quote` shows, from the SDK's exact math only (ts/pool/quoteTrade, ts/pool/math): the trade
// (notional, fee, price impact) and what it does to the account (initial requirement before and after, margin
// left, liquidation price before and after), all at one block, every requirement netted over the pool's risk engine
// (`getRiskEngine`) as the pool's margin check nets it.

import { accountHealthAt, positionContribution } from "../pool/math/accountMath";
import type { LiquidationPositionInput } from "../pool/math/liquidationMath";
import { liquidationPrice } from "../pool/math/liquidationPrice";
import type { RiskGrid } from "../pool/math/portfolioMath";
import { mulDivUp } from "../pool/math/solidity";
import { accountAfterTrade } from "../pool/math/tradePreview";
import type { TradeQuote } from "../pool/quoteTrade";
import type { Account } from "../pool/types";

const WAD = 10n ** 18n;
const BPS = 10_000n;

export type QuoteAccountInput = {
  account: Account;
  /** Every open position of the account (ascending market id), as getAccountState returns them. */
  positions: readonly LiquidationPositionInput[];
  /** The traded market: the account's position there (zero when it has none), its state, config and index. */
  market: LiquidationPositionInput;
  /** The block's timestamp: funding accrued to it. */
  timestamp: bigint;
  /** PerpPool.PROFIT_AS_MARGIN_BPS: the share of paper gains that counts as margin for opening risk. */
  profitAsMarginBps: bigint;
  /** The pool's risk engine grid (`getRiskEngine`; null: none, every market additive). */
  engine: RiskGrid | null;
};

export type AccountImpact = {
  sizeBefore: bigint;
  sizeAfter: bigint;
  /** Collateral + PnL at index after funding + deferred profit (lens.accountHealth's value), WAD. */
  valueBefore: bigint;
  valueAfter: bigint;
  initialRequirementBefore: bigint;
  initialRequirementAfter: bigint;
  maintenanceRequirementAfter: bigint;
  /** The value the pool checks a risk-adding trade against: paper gains count at PROFIT_AS_MARGIN_BPS only. */
  openValueAfter: bigint;
  /** openValueAfter - initialRequirementAfter: what is left for new risk (< 0: a risk-adding trade reverts). */
  marginLeft: bigint;
  /** Index at which the account is liquidatable (see ts/pool/math/liquidationPrice), or null when none is. */
  liquidationPriceBefore: bigint | null;
  liquidationPriceAfter: bigint | null;
  /** The pool's own check after the trade would refuse it: InsufficientMargin (adds risk) or NegativeEquity. */
  refusedWith: "InsufficientMargin" | "NegativeEquity" | null;
};

export type QuotePreview = {
  /** The trade's notional: quote paid (buy) or received (sell) on the curve, fee excluded, WAD. */
  notional: bigint;
  /** notional / |size|, rounded down, WAD. */
  averagePrice: bigint;
  /** How much worse the average price is than the mark before, as a WAD fraction (1e16 = 1 %), rounded up. */
  priceImpact: bigint;
  account: AccountImpact | null;
};

/** AccountLogic._openValue: value minus the haircut on positive per-position PnL (rounded up, the pool's way). */
function openValue(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  timestamp: bigint,
  profitAsMarginBps: bigint,
  engine: RiskGrid | null,
): { value: bigint; openValue: bigint; initial: bigint; maintenance: bigint } {
  const health = accountHealthAt(account, positions, timestamp, engine);
  let positivePnl = 0n;
  for (const p of positions) {
    const { pnl } = positionContribution(p, timestamp);
    if (pnl > 0n) positivePnl += pnl;
  }
  const haircut = mulDivUp(positivePnl, BPS - profitAsMarginBps, BPS);
  return {
    value: health.value,
    openValue: health.value - haircut,
    initial: health.initialRequirement,
    maintenance: health.maintenanceRequirement,
  };
}

/**
 * The preview of quote `q` (from quoteTrade on the same block's market state), with the account's side when
 * `input` is given.
 * @example
 * const q = quoteTrade({ state, config, sizeDelta, position });
 * const p = previewQuote(q, { account, positions, market, timestamp, profitAsMarginBps: 5000n, engine });
 */
export function previewQuote(q: TradeQuote, input?: QuoteAccountInput): QuotePreview {
  const size = q.sizeDelta < 0n ? -q.sizeDelta : q.sizeDelta;
  const averagePrice = (q.quote * WAD) / size;
  const worse = q.sizeDelta > 0n ? averagePrice - q.markBefore : q.markBefore - averagePrice;
  const priceImpact = worse <= 0n ? 0n : mulDivUp(worse, WAD, q.markBefore);
  return { notional: q.quote, averagePrice, priceImpact, account: input ? accountImpact(q, input) : null };
}

function accountImpact(q: TradeQuote, input: QuoteAccountInput): AccountImpact {
  const { account, positions, market, timestamp, engine } = input;
  const after = accountAfterTrade(account, positions, market, q, timestamp);
  return {
    sizeBefore: market.position.size,
    sizeAfter: q.sizeAfter,
    ...combinedImpact([{ quote: q, market }], input),
    liquidationPriceBefore: liquidationPrice(account, positions, market.marketId, timestamp, engine),
    liquidationPriceAfter: liquidationPrice(after.account, after.positions, market.marketId, timestamp, engine),
  };
}

/** What several trades in one transaction (`tradeLegs`, one margin check after the last) do to the account. */
export type LegsAccountImpact = Omit<
  AccountImpact,
  "sizeBefore" | "sizeAfter" | "liquidationPriceBefore" | "liquidationPriceAfter"
>;

/**
 * The account after every quoted leg (each on its own market, `market.position` its position there before), checked
 * once as the pool checks it after the last leg: the initial requirement if any leg adds risk, else value >= 0.
 * @example
 * const q = quoteTradeLegs(inputs);
 * previewLegsAccount(q.legs.map((quote, i) => ({ quote, market: markets[i] })), { account, positions, timestamp, profitAsMarginBps, engine });
 */
export function previewLegsAccount(
  legs: readonly { quote: TradeQuote; market: LiquidationPositionInput }[],
  input: Omit<QuoteAccountInput, "market">,
): LegsAccountImpact {
  return combinedImpact(legs, input);
}

function combinedImpact(
  legs: readonly { quote: TradeQuote; market: LiquidationPositionInput }[],
  input: Omit<QuoteAccountInput, "market">,
): LegsAccountImpact {
  const { timestamp, profitAsMarginBps, engine } = input;
  const before = openValue(input.account, input.positions, timestamp, profitAsMarginBps, engine);
  let account = input.account;
  let positions: LiquidationPositionInput[] = [...input.positions];
  for (const { quote, market } of legs) {
    const after = accountAfterTrade(account, positions, market, quote, timestamp);
    account = after.account;
    positions = after.positions as LiquidationPositionInput[];
  }
  const afterValues = openValue(account, positions, timestamp, profitAsMarginBps, engine);
  const marginLeft = afterValues.openValue - afterValues.initial;
  const addsRisk = legs.some((l) => l.quote.addsRisk);
  const refusedWith = addsRisk
    ? marginLeft < 0n
      ? "InsufficientMargin"
      : null
    : afterValues.value < 0n
      ? "NegativeEquity"
      : null;
  return {
    valueBefore: before.value,
    valueAfter: afterValues.value,
    initialRequirementBefore: before.initial,
    initialRequirementAfter: afterValues.initial,
    maintenanceRequirementAfter: afterValues.maintenance,
    openValueAfter: afterValues.openValue,
    marginLeft,
    refusedWith,
  };
}
