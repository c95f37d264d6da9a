// The market-side state a path changes, mirrored from the chain: the oracle's breaker (OracleRouter._evaluate), the
// funding accrual a transfer forces when the backstop nets an opposite inventory (InventoryLogic._accrueForTransfer),
// open interest (MarketLogic._updateOpenInterest) and a socialized loss (MarketLogic._socialize).
import { WAD } from "../money";
import { accrue } from "../pool/math/fundingMath";
import { abs, i256, mulDivUp } from "../pool/math/solidity";
import type { MarketState } from "../pool/types";
import type { RiskMarket } from "./types";

const BPS = 10_000n;
const ORACLE_NORMAL = 0;
const ORACLE_REDUCE_ONLY = 1;

/** One market along a path. `state` is replaced (never mutated in place: the book's copy is shared by paths). */
export type PathMarket = {
  readonly book: RiskMarket;
  state: MarketState;
  /** The backstop's inventory size (base WAD, signed). */
  inventory: bigint;
  /** The oracle's stored price and its breaker's last trip. */
  lastPrice: bigint;
  trippedAt: bigint;
};

export function pathMarket(m: RiskMarket): PathMarket {
  return { book: m, state: m.state, inventory: m.inventory.size, lastPrice: m.index, trippedAt: m.trippedAt };
}

/** A refresh at `time` that reads `price` from every feed (all agree): a move beyond the threshold trips the breaker. */
export function refreshOracle(m: PathMarket, price: bigint, time: bigint): void {
  const last = m.lastPrice;
  if (last !== 0n) {
    const move = price > last ? price - last : last - price;
    if (move * BPS > m.book.jumpThresholdBps * last) m.trippedAt = time;
  }
  m.lastPrice = price;
}

/** The oracle's status at `time` (no feed is stale or disagrees on a path): ReduceOnly within the cooldown. */
export function oracleStatusAt(m: PathMarket, time: bigint): number {
  return m.trippedAt !== 0n && time < m.trippedAt + m.book.breakerCooldown ? ORACLE_REDUCE_ONLY : ORACLE_NORMAL;
}

/** MarketLogic._accrue's funding part: the indices accrued to `time` (the rate and the crowding kicker) and stored
 * with it. */
function accrueTo(m: PathMarket, time: bigint): void {
  const s = m.state;
  if (BigInt(s.lastAccrual) === time) return;
  const dt = time - BigInt(s.lastAccrual);
  let { cumFundingLong, cumFundingShort } = s;
  if (s.fundingRate !== 0n || s.fundingKicker !== 0n) {
    const a = accrue(
      s.fundingRate,
      s.fundingKicker,
      dt,
      s.longOpenInterest,
      s.shortOpenInterest,
      m.book.config.fundingBudgetPerSecond * dt,
    );
    cumFundingLong = i256(cumFundingLong + a.dLong);
    cumFundingShort = i256(cumFundingShort + a.dShort);
  }
  m.state = { ...s, cumFundingLong, cumFundingShort, lastAccrual: Number(time) };
}

/** Open interest after one position moves from `oldSize` to `newSize` (MarketLogic._updateOpenInterest). */
function moveOpenInterest(oi: { long: bigint; short: bigint }, oldSize: bigint, newSize: bigint): void {
  if (oldSize > 0n) oi.long -= oldSize;
  else oi.short += oldSize;
  if (newSize > 0n) oi.long += newSize;
  else oi.short -= newSize;
}

/**
 * One transfer of `transferred` base (signed as the trader's position) from a trader holding `traderSize` to the
 * backstop at `time`: the accrual it forces, then both open-interest moves (InventoryLogic._transferToBackstop).
 */
export function transferToBackstop(m: PathMarket, traderSize: bigint, transferred: bigint, time: bigint): void {
  const held = m.inventory;
  if (BigInt(m.state.lastAccrual) !== time && held !== 0n && held > 0n !== traderSize > 0n) accrueTo(m, time);
  const oi = { long: m.state.longOpenInterest, short: m.state.shortOpenInterest };
  moveOpenInterest(oi, traderSize, traderSize - transferred);
  moveOpenInterest(oi, held, held + transferred);
  if (oi.long !== m.state.longOpenInterest || oi.short !== m.state.shortOpenInterest) {
    m.state = { ...m.state, longOpenInterest: oi.long, shortOpenInterest: oi.short };
  }
  m.inventory = held + transferred;
}

/** MarketLogic._socialize: `loss` (WAD) charged to every trader's open position on the market per base. */
export function socialize(m: PathMarket, loss: bigint): void {
  const s = m.state;
  const oi = s.longOpenInterest + s.shortOpenInterest - abs(m.inventory);
  if (oi === 0n) return;
  const perBase = mulDivUp(loss, WAD, oi);
  m.state = {
    ...s,
    cumFundingLong: i256(s.cumFundingLong + perBase),
    cumFundingShort: i256(s.cumFundingShort - perBase),
  };
}

/** MarketLogic._largestTraderOpenInterestMarket: where traders (not the backstop) hold the most base; ties, and a
 * pool with no open interest at all, go to the lowest id. */
export function largestTraderOpenInterest(markets: readonly PathMarket[]): number {
  let best = 0;
  let bestOi = 0n;
  markets.forEach((m, i) => {
    const oi = m.state.longOpenInterest + m.state.shortOpenInterest - abs(m.inventory);
    if (oi > bestOi) {
      best = i;
      bestOi = oi;
    }
  });
  return best;
}
