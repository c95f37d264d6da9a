// Mirror of contracts/pool/LiquidationLogic.sol and InventoryLogic._transferToBackstop: what one liquidation call
// does to an account, computed from raw state. A liquidation settles at the index (a transfer to the backstop
// account), so the outcome depends on nothing the curve or another trader does.
import type { Account, MarketConfig } from "../types";
import { accountHealthAt, type PositionInput } from "./accountMath";
import { owed } from "./fundingMath";
import { notionalUp, requirements } from "./marginMath";
import { cumNow } from "./marketMath";
import type { RiskGrid } from "./portfolioMath";
import { applyLeg } from "./positionMath";
import { abs, i256, min, mulDivDown, mulDivUp, revert, wMulDown, wMulUp } from "./solidity";

const BPS = 10_000n;

/** An open position of the account being liquidated, with its market id. */
export type LiquidationPositionInput = PositionInput & { marketId: bigint };

/** One transfer of a liquidation call. */
export type LiquidationStep = {
  marketId: bigint;
  /** Base moved to the backstop, signed as the account's position (a long of 10 transfers +10). */
  transferred: bigint;
  /** The account's realized PnL: the transferred part at the index plus the position's funding owed (WAD). */
  realizedPnl: bigint;
  /** Quote the account received (< 0) or paid (> 0) for the transferred base, rounded in the pool's favour. */
  quoteDelta: bigint;
  /** Penalty charged on the transferred notional, capped so the account never goes below 0 (WAD). */
  penalty: bigint;
  /** The caller's share of what the penalty actually collected (WAD). */
  reward: bigint;
};

export type LiquidationOutcome =
  | { kind: "healthy"; value: bigint; maintenanceRequirement: bigint }
  | { kind: "halted"; marketId: bigint }
  | {
      kind: "liquidated";
      insolvent: boolean;
      /** Every usable position moved whole (insolvent, or the value could not pay a partial step's penalty). */
      everything: boolean;
      /** One transfer per usable position: the largest maintenance requirement first, then ascending market ids. */
      steps: LiquidationStep[];
      /** Bad debt that runs down the waterfall in the same call (WAD), 0 for a solvent account. */
      badDebt: bigint;
    };

/**
 * The account's maintenance requirement as the pool computes it (`AccountLogic._totals`: netted by the pool's risk
 * engine). Take it from the portfolio mirror (or the lens); the default, the sum of the standalone requirements, is
 * the chain's exactly when the pool has no engine or the account nets nothing.
 */
export type MaintenanceRequirementOf = (positions: readonly LiquidationPositionInput[], timestamp: bigint) => bigint;

const MAX_UINT = (1n << 256n) - 1n;

/** The pool's netted maintenance requirement with `engine` (null: none, the standalone sum), as `AccountLogic`. */
export function nettedMaintenance(engine: RiskGrid | null | undefined): MaintenanceRequirementOf {
  const empty = { collateral: 0n, unsettledProfit: 0n, marketMask: 0 } as Account;
  const of: NettedMaintenanceOf = (positions, timestamp) =>
    accountHealthAt(empty, positions, timestamp, engine).maintenanceRequirement;
  of.grid = engine ?? null;
  return of;
}

/** `nettedMaintenance`'s function carries its grid, so `liquidationOutcome` values the account once with it. */
type NettedMaintenanceOf = MaintenanceRequirementOf & { grid?: RiskGrid | null };

/**
 * What `liquidate(owner, subId, maxBase)` does at `timestamp` (the pool's `_liquidate`): healthy → nothing; every
 * position halted → waits. Otherwise one step over every position with a usable price (oracle not halted), the
 * largest maintenance requirement first then ascending market ids: each moves ceil(|size| · f / BPS), f the least
 * `liquidationFractionBps` of those markets, or maxBase / held exactly when the largest-requirement position would
 * move more than `maxBase` (`ladderStep`: the no-dust rule per position). If the value cannot pay that
 * step's penalty plus 2 wei of rounding per leg (or is below 2 wei), every usable position moves whole instead; a
 * negative remainder with nothing left is bad debt. Positions must be listed in ascending market id (the order of
 * the account's market mask). `maintenanceOf`: the chain's (netted) requirement, see `MaintenanceRequirementOf`.
 */
export function liquidationOutcome(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  timestamp: bigint,
  maxBase: bigint = MAX_UINT,
  maintenanceOf?: MaintenanceRequirementOf,
): LiquidationOutcome {
  const grid = (maintenanceOf as NettedMaintenanceOf | undefined)?.grid;
  let value: bigint;
  let maintenanceRequirement: bigint;
  if (grid !== undefined) {
    // The value does not depend on the grid: one valuation gives both.
    const h = accountHealthAt(account, positions, timestamp, grid);
    value = h.value;
    maintenanceRequirement = h.maintenanceRequirement;
  } else {
    const additive = accountHealthAt(account, positions, timestamp);
    value = additive.value;
    maintenanceRequirement = maintenanceOf ? maintenanceOf(positions, timestamp) : additive.maintenanceRequirement;
  }
  const hasPositions = positions.length > 0;
  if (value >= maintenanceRequirement || (!hasPositions && account.collateral >= 0n)) {
    return { kind: "healthy", value, maintenanceRequirement };
  }
  if (!hasPositions) {
    return { kind: "liquidated", insolvent: true, everything: true, steps: [], badDebt: -account.collateral };
  }
  const usable = positions.filter((p) => !p.halted);
  const first = largestRisk(usable);
  if (first === undefined) return { kind: "halted", marketId: positions[0]?.marketId ?? 0n };
  const legs = [first, ...usable.filter((p) => p !== first)];
  const plan = planStep(legs, maxBase, value);

  let room = value > 0n ? value : 0n;
  // Collateral + deferred profit, which is what a penalty can be collected from (AccountLogic._charge).
  let collectable = account.collateral + account.unsettledProfit;
  const steps: LiquidationStep[] = [];
  legs.forEach((p, k) => {
    const s = transferStep(p, timestamp, plan.deltas[k] ?? 0n);
    collectable = i256(collectable + s.realizedPnl);
    room = room > 2n ? room - 2n : 0n;
    let penalty = mulDivDown(abs(s.quoteDelta), BigInt(p.config.liquidationPenaltyBps), BPS);
    if (penalty > room) penalty = room;
    room -= penalty;
    const collected = min(penalty, collectable > 0n ? collectable : 0n);
    collectable = i256(collectable - penalty);
    const reward = mulDivDown(collected, BigInt(p.config.liquidatorShareBps), BPS);
    steps.push({ ...s, penalty, reward });
  });
  // An account left with no position at all has what its margin cannot cover run down the waterfall now; one with
  // a position waiting in a halted market keeps the debt as negative collateral until that position is realized.
  // A solvent one is never taken below 0 (the penalty is capped at its value), so it leaves none.
  const haltedLeft = positions.some((p) => p.halted);
  const badDebt = plan.everything && !haltedLeft && collectable < 0n ? -collectable : 0n;
  return { kind: "liquidated", insolvent: value < 0n, everything: plan.everything, steps, badDebt };
}

/**
 * The transfers of one step (LiquidationLogic._ladder), signed against each position, `legs` in the pool's order:
 * the fraction of a partial step, or every position whole when the value cannot pay the partial step's penalty.
 */
export function planStep(
  legs: readonly LiquidationPositionInput[],
  maxBase: bigint,
  value: bigint,
): { everything: boolean; fractionBps: bigint; deltas: bigint[] } {
  const first = legs[0];
  if (first === undefined) return { everything: true, fractionBps: BPS, deltas: [] };
  let num = BPS;
  for (const p of legs) num = min(num, BigInt(p.config.liquidationFractionBps));
  const held = abs(first.position.size);
  let den = BPS;
  // maxBase binds: the fraction is maxBase / held exactly (the largest position moves exactly maxBase).
  if (mulDivUp(held, num, BPS) > maxBase) [num, den] = [maxBase, held];
  /** The fraction in bps, rounded down (for display; the transfers use num / den). */
  const f = (num * BPS) / den;
  const whole = legs.map((p) => -p.position.size);
  if (value < 2n) return { everything: true, fractionBps: f, deltas: whole };
  let penalty = 0n;
  const deltas = legs.map((p, k) => {
    const delta = ladderStep(p.position.size, p.config, k === 0 ? maxBase : MAX_UINT, num, den);
    penalty += mulDivDown(indexQuote(delta, p.index), BigInt(p.config.liquidationPenaltyBps), BPS);
    return delta;
  });
  if (value >= 2n * BigInt(legs.length) + penalty) return { everything: false, fractionBps: f, deltas };
  return { everything: true, fractionBps: f, deltas: whole };
}

/** |quote| of moving `delta` base at `index`, rounded in the pool's favour (a buy rounds up, a sale down). */
function indexQuote(delta: bigint, index: bigint): bigint {
  return delta > 0n ? wMulUp(delta, index) : wMulDown(-delta, index);
}

/**
 * The account after one liquidation call (`outcome` of `liquidationOutcome` at `timestamp`): each transfer's base
 * leaves the position at the index (`applyLeg`), its funding is settled (the entry moves to the accrued index), and
 * the realized PnL less the penalty moves the account's collateral. This is what the next call of a ladder values;
 * on chain a realized gain may sit in deferred profit instead of collateral, which values the same.
 */
export function accountAfterLiquidation(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  outcome: Extract<LiquidationOutcome, { kind: "liquidated" }>,
  timestamp: bigint,
): { account: Account; positions: LiquidationPositionInput[] } {
  let collateral = account.collateral;
  let mask = account.marketMask;
  const next = positions.map((p) => ({ ...p }));
  for (const s of outcome.steps) {
    const i = next.findIndex((p) => p.marketId === s.marketId);
    const p = next[i];
    if (!p) continue;
    const leg = applyLeg(p.position.size, p.position.openNotional, -s.transferred, s.quoteDelta);
    const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
    next[i] = {
      ...p,
      position: {
        size: leg.newSize,
        openNotional: leg.newOpenNotional,
        fundingEntry: p.position.size > 0n ? cumLong : cumShort,
      },
    };
    if (leg.newSize === 0n) mask &= ~(1 << Number(s.marketId));
    collateral += s.realizedPnl - s.penalty;
  }
  return {
    account: { ...account, collateral, marketMask: mask },
    positions: next.filter((p) => p.position.size !== 0n),
  };
}

/**
 * Liquidation calls (ladder steps) until the account is healthy again, at most `max`: `liquidationOutcome` applied
 * to the account `accountAfterLiquidation` leaves, over and over. A step that moves everything is the last.
 */
export function liquidationCallsToHealthy(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  timestamp: bigint,
  max: number,
  maintenanceOf?: MaintenanceRequirementOf,
): number {
  let state = { account, positions: [...positions] };
  for (let calls = 0; calls < max; calls++) {
    const out = liquidationOutcome(state.account, state.positions, timestamp, MAX_UINT, maintenanceOf);
    if (out.kind !== "liquidated") return calls;
    if (out.everything) return calls + 1;
    state = accountAfterLiquidation(state.account, state.positions, out, timestamp);
  }
  return max;
}

/** The usable position with the largest maintenance requirement (ties: the lowest market id, as the pool). */
function largestRisk(positions: readonly LiquidationPositionInput[]) {
  let best: LiquidationPositionInput | undefined;
  let bestMaint = 0n;
  for (const p of positions) {
    // The standalone maintenance requirement (`Valuation.contribution`'s: the tiers at the notional, never scaled).
    const { maintenance } = requirements(p.config.tiers, notionalUp(p.position.size, p.index));
    if (best === undefined || maintenance > bestMaint || bestMaint === 0n) {
      best = p;
      bestMaint = maintenance;
    }
  }
  return best;
}

/** One transfer of `delta` base (signed against the position) at the index: the quote rounded in the pool's favour,
 * the realized PnL. */
function transferStep(p: LiquidationPositionInput, timestamp: bigint, delta: bigint) {
  const size = p.position.size;
  const moved = abs(delta);
  const quoteDelta = delta > 0n ? wMulUp(moved, p.index) : -wMulDown(moved, p.index);
  const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
  const funding = -owed(size, size > 0n ? cumLong : cumShort, p.position.fundingEntry);
  const leg = applyLeg(size, p.position.openNotional, delta, quoteDelta);
  return { marketId: p.marketId, transferred: -delta, realizedPnl: i256(funding + leg.realizedPnl), quoteDelta };
}

/**
 * Size one ladder step transfers of a position, signed against it (LiquidationLogic._ladderStep):
 * ceil(|size| · num / den) (a fraction in bps by default), at most `maxBase`, never leaving less than the minimum size
 * (the no-dust rule wins: a position at or below the minimum size moves whole).
 */
export function ladderStep(size: bigint, config: MarketConfig, maxBase: bigint, num: bigint, den = BPS): bigint {
  const held = abs(size);
  let step = mulDivUp(held, num, den);
  if (step > maxBase) step = maxBase;
  const remaining = held - step;
  const minSize = BigInt(config.minPositionBase);
  if (remaining !== 0n && remaining < minSize) {
    step = maxBase >= held || held <= minSize ? held : held - minSize;
  }
  if (step === 0n) revert("NothingToLiquidate");
  return size > 0n ? -step : step;
}
