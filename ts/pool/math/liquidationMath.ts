// Mirror of contracts/pool/LiquidationLogic.sol and InventoryLogic._transferToBackstop: what one liquidation call
// does to an account, computed from raw state. A liquidation settles at the index (a transfer to the backstop
// account), so the outcome depends on nothing the curve or another trader does.
import type { Account, MarketConfig } from "../types";
import { accountHealthAt, type PositionInput, positionContribution } from "./accountMath";
import { owed } from "./fundingMath";
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
      steps: LiquidationStep[];
      /** Bad debt that runs down the waterfall in the same call (WAD), 0 for a solvent account. */
      badDebt: bigint;
    };

/**
 * What `liquidate(owner, subId, maxBase)` does at `timestamp` (the pool's `_liquidate`): healthy → nothing; every
 * position halted → waits; insolvent (value < 2 wei) → every position with a usable price is transferred whole, the
 * largest maintenance requirement first, and the negative remainder is bad debt; otherwise one ladder step on the
 * largest risk. Positions must be listed in ascending market id (the order of the account's market mask). `engine`:
 * the pool's risk engine grid (null/omitted: none, every market additive).
 */
export function liquidationOutcome(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  timestamp: bigint,
  maxBase: bigint = (1n << 256n) - 1n,
  engine?: RiskGrid | null,
): LiquidationOutcome {
  const health = accountHealthAt(account, positions, timestamp, engine);
  const hasPositions = positions.length > 0;
  if (!health.liquidatable || (!hasPositions && account.collateral >= 0n)) {
    return { kind: "healthy", value: health.value, maintenanceRequirement: health.maintenanceRequirement };
  }
  if (!hasPositions) return { kind: "liquidated", insolvent: true, steps: [], badDebt: -account.collateral };
  const usable = positions.filter((p) => !p.halted);
  const first = largestRisk(usable, timestamp);
  if (first === undefined) return { kind: "halted", marketId: positions[0]?.marketId ?? 0n };

  let room = health.value > 0n ? health.value : 0n;
  // Collateral + deferred profit, which is what a penalty can be collected from (AccountLogic._charge).
  let collectable = account.collateral + account.unsettledProfit;
  const steps: LiquidationStep[] = [];
  const step = (p: LiquidationPositionInput, all: boolean) => {
    const s = transferStep(p, timestamp, all ? (1n << 256n) - 1n : maxBase, all);
    collectable = i256(collectable + s.realizedPnl);
    room = room > 2n ? room - 2n : 0n;
    let penalty = mulDivDown(abs(s.quoteDelta), BigInt(p.config.liquidationPenaltyBps), BPS);
    if (penalty > room) penalty = room;
    room -= penalty;
    const collected = min(penalty, collectable > 0n ? collectable : 0n);
    collectable = i256(collectable - penalty);
    const reward = mulDivDown(collected, BigInt(p.config.liquidatorShareBps), BPS);
    steps.push({ ...s, penalty, reward });
  };
  const insolvent = health.value < 0n;
  // Insolvent, or too close to it to pay a partial step's rounding (up to 2 wei): everything usable goes at once.
  const all = health.value < 2n;
  step(first, all);
  if (all) {
    for (const p of usable) if (p !== first) step(p, true);
  }
  // An account left with no position at all has what its margin cannot cover run down the waterfall now; one with
  // a position waiting in a halted market keeps the debt as negative collateral until that position is realized.
  // A solvent one is never taken below 0 (the penalty is capped at its value), so it leaves none.
  const haltedLeft = positions.some((p) => p.halted);
  const badDebt = all && !haltedLeft && collectable < 0n ? -collectable : 0n;
  return { kind: "liquidated", insolvent, steps, badDebt };
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
 * to the account `accountAfterLiquidation` leaves, over and over. An insolvent account is closed in one call.
 */
export function liquidationCallsToHealthy(
  account: Account,
  positions: readonly LiquidationPositionInput[],
  timestamp: bigint,
  max: number,
  engine?: RiskGrid | null,
): number {
  let state = { account, positions: [...positions] };
  for (let calls = 0; calls < max; calls++) {
    const out = liquidationOutcome(state.account, state.positions, timestamp, undefined, engine);
    if (out.kind !== "liquidated") return calls;
    if (out.insolvent) return calls + 1;
    state = accountAfterLiquidation(state.account, state.positions, out, timestamp);
  }
  return max;
}

/** The usable position with the largest maintenance requirement (ties: the lowest market id, as the pool). */
function largestRisk(positions: readonly LiquidationPositionInput[], timestamp: bigint) {
  let best: LiquidationPositionInput | undefined;
  let bestMaint = 0n;
  for (const p of positions) {
    const { maintenance } = positionContribution(p, timestamp);
    if (best === undefined || maintenance > bestMaint || bestMaint === 0n) {
      best = p;
      bestMaint = maintenance;
    }
  }
  return best;
}

/** One transfer at the index: ladder size, the index quote rounded in the pool's favour, realized PnL. */
function transferStep(p: LiquidationPositionInput, timestamp: bigint, maxBase: bigint, all: boolean) {
  const size = p.position.size;
  const delta = ladderStep(size, p.config, maxBase, all);
  const moved = abs(delta);
  const quoteDelta = delta > 0n ? wMulUp(moved, p.index) : -wMulDown(moved, p.index);
  const { cumLong, cumShort } = cumNow(p.state, p.config, timestamp);
  const funding = -owed(size, size > 0n ? cumLong : cumShort, p.position.fundingEntry);
  const leg = applyLeg(size, p.position.openNotional, delta, quoteDelta);
  return { marketId: p.marketId, transferred: -delta, realizedPnl: i256(funding + leg.realizedPnl), quoteDelta };
}

/**
 * Size one ladder step transfers, signed against the position (LiquidationLogic._ladderStep): a bounded fraction,
 * all of it when insolvent, at most `maxBase`, never leaving less than the minimum size (the no-dust rule wins).
 */
export function ladderStep(size: bigint, config: MarketConfig, maxBase: bigint, all: boolean): bigint {
  const held = abs(size);
  let step = all ? held : mulDivUp(held, BigInt(config.liquidationFractionBps), BPS);
  if (step > maxBase) step = maxBase;
  const remaining = held - step;
  const minSize = BigInt(config.minPositionBase);
  if (remaining !== 0n && remaining < minSize) {
    step = maxBase >= held || held <= minSize ? held : held - minSize;
  }
  if (step === 0n) revert("NothingToLiquidate");
  return size > 0n ? -step : step;
}
