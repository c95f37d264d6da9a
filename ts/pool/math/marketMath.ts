// Market-level mirrors of contracts/pool/MarketLogic.sol: funding indices accrued to a timestamp (_cumNow).
import type { MarketConfig, MarketState } from "../types";
import { cumulativeNow } from "./fundingMath";
import { u256 } from "./solidity";

/** The funding indices as they would be after accruing to `timestamp` (MarketLogic._cumNow / PerpLens._cumNow): the
 * rate and the crowding kicker since `lastAccrual`. */
export function cumNow(
  m: Pick<
    MarketState,
    | "cumFundingLong"
    | "cumFundingShort"
    | "fundingRate"
    | "fundingKicker"
    | "lastAccrual"
    | "longOpenInterest"
    | "shortOpenInterest"
  >,
  c: Pick<MarketConfig, "fundingBudgetPerSecond">,
  timestamp: bigint,
): { cumLong: bigint; cumShort: bigint } {
  if ((m.fundingRate === 0n && m.fundingKicker === 0n) || timestamp === BigInt(m.lastAccrual)) {
    return { cumLong: m.cumFundingLong, cumShort: m.cumFundingShort };
  }
  return cumulativeNow(
    m.cumFundingLong,
    m.cumFundingShort,
    m.fundingRate,
    m.fundingKicker,
    u256(timestamp - BigInt(m.lastAccrual)),
    m.longOpenInterest,
    m.shortOpenInterest,
    c.fundingBudgetPerSecond,
  );
}
