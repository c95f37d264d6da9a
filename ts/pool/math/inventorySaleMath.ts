// Mirror of contracts/libraries/InventorySaleMath.sol and the budget accrual of LiquidationLogic._step: the backstop
// inventory's descending-discount sale. The price is the index minus (long inventory) or plus (short) a discount per
// base that grows linearly from zero since the sale clock started, capped by the budget left per base held and by
// the penalty's share of the index. Nothing here reads the mark.
import { mulDivDown, wDivDown, wMulDown, wMulUp } from "../../money";
import { min } from "./solidity";

const BPS = 10_000n;

/** Bounds and default of the discount's growth, bps of the index per minute. */
export const INVENTORY_DISCOUNT_RATE = { min: 1n, max: 100n, default: 10n } as const;

/** Discount per base (WAD), rounded down. */
export function inventoryDiscountPerBaseDown(p: {
  index: bigint;
  rateBpsPerMinute: bigint;
  elapsed: bigint;
  budget: bigint;
  held: bigint;
  penaltyBps: bigint;
}): bigint {
  if (p.held === 0n) return 0n;
  let d = mulDivDown(p.index, p.rateBpsPerMinute * p.elapsed, BPS * 60n);
  d = min(d, wDivDown(p.budget, p.held));
  return min(d, mulDivDown(p.index, p.penaltyBps, BPS));
}

/** The sale's price per base. */
export function inventorySalePrice(index: bigint, discount: bigint, long: boolean): bigint {
  return long ? index - discount : index + discount;
}

/** The taker's signed quote for `step` base: paid (> 0, rounded up) taking a long, received (< 0) taking a short. */
export function inventoryTakerQuote(step: bigint, pricePerBase: bigint, long: boolean): bigint {
  return long ? wMulUp(step, pricePerBase) : -wMulDown(step, pricePerBase);
}

/** What a sale of `step` base at `discount` per base uses of the budget, rounded up. */
export function inventoryGrantedUp(step: bigint, discount: bigint): bigint {
  return wMulUp(step, discount);
}

/**
 * What a liquidation step adds to the sale's budget: the backstop's own share of the penalty collected (what was
 * collected minus the caller's share), only while the backstop still holds inventory on the market afterwards.
 */
export function inventoryBudgetAccrual(collected: bigint, reward: bigint, backstopHoldsAfter: boolean): bigint {
  return backstopHoldsAfter ? collected - reward : 0n;
}
