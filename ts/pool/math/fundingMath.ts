// Mirror of contracts/libraries/FundingMath.sol. A positive rate means longs pay shorts; rates are quote (WAD)
// per base (WAD) per second. `cumLong` charges longs per base unit, `cumShort` credits shorts per base unit.
import { WAD } from "../../money";
import {
  abs,
  i256,
  mulDivCeil,
  mulDivDown,
  PANIC_DIVISION_BY_ZERO,
  revert,
  u256,
  wDivDown,
  wMulDown,
  wMulUp,
} from "./solidity";

const BPS = 10_000n;

/** Funding rate per second from the time-weighted mark: the gap to the index, capped at maxPremiumBps, over period. */
export function rateFromPremium(twapMark: bigint, index: bigint, maxPremiumBps: bigint, period: bigint): bigint {
  const cap = mulDivDown(index, maxPremiumBps, BPS);
  let gap = twapMark > index ? twapMark - index : index - twapMark;
  if (gap > cap) gap = cap;
  if (period === 0n) revert("Panic", { code: PANIC_DIVISION_BY_ZERO });
  const magnitude = gap / period;
  return twapMark >= index ? magnitude : -magnitude;
}

export type Accrual = {
  /** Increment of cumLong (charge per long base unit). */
  dLong: bigint;
  /** Increment of cumShort (credit per short base unit). */
  dShort: bigint;
  /** Quote the backstop receives (> 0) or pays (< 0), the kicker included. */
  backstopFlow: bigint;
  /** The crowding kicker's part of `backstopFlow` (>= 0): crowded OI * |kicker| * dt, rounded down. */
  kickerFlow: bigint;
};

/**
 * Index increments for `dt` seconds at `rate` plus the crowding `kicker`, the backstop paying at most `budget` for
 * the rate's imbalance (FundingMath.accrue). The kicker charges the crowded side (longs when > 0) |kicker| * dt more
 * per base and credits nobody: all of it is the tranches'.
 */
export function accrue(
  rate: bigint,
  kicker: bigint,
  dt: bigint,
  longOI: bigint,
  shortOI: bigint,
  budget: bigint,
): Accrual {
  const out: Accrual = { dLong: 0n, dShort: 0n, backstopFlow: 0n, kickerFlow: 0n };
  if (dt === 0n) return out;
  if (rate !== 0n) Object.assign(out, accrueRate(rate, dt, longOI, shortOI, budget));
  if (kicker !== 0n) {
    const extra = u256(abs(kicker) * dt);
    if (kicker > 0n) {
      out.dLong = i256(out.dLong + extra);
      out.kickerFlow = wMulDown(longOI, extra);
    } else {
      out.dShort = i256(out.dShort - extra);
      out.kickerFlow = wMulDown(shortOI, extra);
    }
    out.backstopFlow = i256(out.backstopFlow + out.kickerFlow);
  }
  return out;
}

/** The rate's part of `accrue` (FundingMath._accrueRate). */
function accrueRate(
  rate: bigint,
  dt: bigint,
  longOI: bigint,
  shortOI: bigint,
  budget: bigint,
): { dLong: bigint; dShort: bigint; backstopFlow: bigint } {
  const charge = u256(abs(rate) * dt);
  const [payerOI, receiverOI] = rate > 0n ? [longOI, shortOI] : [shortOI, longOI];
  let credit = charge;
  const paid = wMulDown(payerOI, charge);
  let credited = wMulUp(receiverOI, credit);
  if (credited > u256(paid + budget)) {
    credit = wDivDown(paid + budget, receiverOI);
    credited = wMulUp(receiverOI, credit);
  }
  const backstopFlow = i256(paid - credited);
  return rate > 0n
    ? { dLong: charge, dShort: credit, backstopFlow }
    : { dLong: -credit, dShort: -charge, backstopFlow };
}

/** The cumulative indices after accruing `dt` more seconds at `rate` and `kicker` (FundingMath.cumulativeNow). */
export function cumulativeNow(
  cumLong: bigint,
  cumShort: bigint,
  rate: bigint,
  kicker: bigint,
  dt: bigint,
  longOI: bigint,
  shortOI: bigint,
  budgetPerSecond: bigint,
): { cumLong: bigint; cumShort: bigint } {
  if ((rate === 0n && kicker === 0n) || dt === 0n) return { cumLong, cumShort };
  const { dLong, dShort } = accrue(rate, kicker, dt, longOI, shortOI, u256(budgetPerSecond * dt));
  return { cumLong: i256(cumLong + dLong), cumShort: i256(cumShort + dShort) };
}

/** Funding a position owes since `entry`: size * (cum - entry), rounded toward +inf. */
export function owed(size: bigint, cum: bigint, entry: bigint): bigint {
  const delta = i256(cum - entry);
  if (delta === 0n || size === 0n) return 0n;
  return delta >= 0n ? mulDivCeil(size, delta, WAD) : mulDivCeil(-size, -delta, WAD);
}
