// Market-level mirrors of contracts/pool/MarketLogic.sol: funding indices accrued to a timestamp (_cumNow).
import type { MarketConfig, MarketState } from "../types";
import { accrue } from "./fundingMath";
import { i256, u256 } from "./solidity";

/** The funding indices as they would be after accruing to `timestamp` (MarketLogic._cumNow / PerpLens._cumNow). */
export function cumNow(
  m: Pick<
    MarketState,
    "cumFundingLong" | "cumFundingShort" | "fundingRate" | "lastAccrual" | "longOpenInterest" | "shortOpenInterest"
  >,
  c: Pick<MarketConfig, "fundingBudgetPerSecond">,
  timestamp: bigint,
): { cumLong: bigint; cumShort: bigint } {
  const dt = u256(timestamp - m.lastAccrual);
  if (m.fundingRate === 0n || dt === 0n) return { cumLong: m.cumFundingLong, cumShort: m.cumFundingShort };
  const { dLong, dShort } = accrue(
    m.fundingRate,
    dt,
    m.longOpenInterest,
    m.shortOpenInterest,
    u256(c.fundingBudgetPerSecond * dt),
  );
  return { cumLong: i256(m.cumFundingLong + dLong), cumShort: i256(m.cumFundingShort + dShort) };
}
