// Mirror of contracts/RiskEngine.sol (the scenario grid) and of the account requirement AccountLogic builds with it
// (SPEC-19 §2, §3), to the wei. Exposure x_c (WAD quote) = the signed tier-0 requirement of the position in column c
// (market id c): + long, − short, 0 none. With e_{k,c} = weightPct_k · move_{k,c} (|e| ≤ 5000):
//   loss_k(x) = − Σ_c e_{k,c} · x_c                      (> 0 is a loss)
//   L(x)      = max(0, max_k ceilDiv(loss_k, 5000))
//   F(x)      = ceilDiv(floorBps · Σ_c |x_c|, 10_000)
//   net(x)    = max(L(x), F(x))
import { MAX_UINT256 } from "../../money";
import { requirements } from "./marginMath";
import { abs, mulDivUp, revert, u256, wMulUp } from "./solidity";

const BPS = 10_000n;
/** Markets 0..COLUMNS-1 can net; any other market is margined standalone (`RiskEngine.COLUMNS`). */
export const COLUMNS = 8;
export const MAX_SCENARIOS = 32;
/** A move of MOVE_UNIT costs a position its standalone requirement. */
export const MOVE_UNIT = 50;
/** weightPct 100 × MOVE_UNIT: a weighted move of exactly one standalone requirement. */
const FULL = 5000;
const FULL_N = 5000n;
export const MIN_FLOOR_BPS = 1_000n;
/** `bindingScenario` when the floor binds or nothing nets (SPEC §6: `type(uint256).max`). */
export const NO_BINDING_SCENARIO = MAX_UINT256;
/** OracleStatus.Normal: only a market whose oracle is Normal gets netting credit. */
export const ORACLE_NORMAL = 0;
export const ORACLE_HALTED = 2;

/** One joint move (`IRiskEngine.Scenario`): `moves[c]` in 1/50 of column c's standalone requirement, at weightPct %. */
export type Scenario = { weightPct: number; moves: readonly number[] };
export type Grid = readonly Scenario[];
/** A deployed engine's parameters: its grid and floor (what `getRiskEngine` reads). */
export type RiskGrid = { scenarios: Grid; floorBps: bigint };

/** The grid as products e_{k,c} = weightPct_k · move_{k,c}, row-major K × 8: exact (bigint) and as floats. */
type Coefficients = { exact: bigint[]; float: Float64Array };
const compiled = new WeakMap<Grid, Coefficients>();
function coefficients(grid: Grid): Coefficients {
  const known = compiled.get(grid);
  if (known) return known;
  const float = new Float64Array(grid.length * COLUMNS);
  grid.forEach((s, k) => {
    for (let c = 0; c < COLUMNS; c++) float[k * COLUMNS + c] = s.weightPct * (s.moves[c] ?? 0);
  });
  const e = { exact: Array.from(float, (v) => BigInt(v)), float };
  compiled.set(grid, e);
  return e;
}

/**
 * The constructor's checks, in its order, as the same typed reverts (`ContractRevertError` named like the Solidity
 * error, same args): GridSize(count), FloorOutOfBounds(floorBps), ScenarioWeight(row, weight),
 * ScenarioMoveTooLarge(row, column), ColumnNotStandalone(column, maxUp, maxDown). Also refuses what the ABI could
 * not encode (a move outside int8, not 8 moves) as `InvalidScenario(row)`.
 */
export function validateGrid(grid: Grid, floorBps: bigint): void {
  const n = grid.length;
  if (n === 0 || n > MAX_SCENARIOS) revert("GridSize", { count: BigInt(n) });
  if (floorBps < MIN_FLOOR_BPS || floorBps > BPS) revert("FloorOutOfBounds", { floorBps });
  const up = new Array<number>(COLUMNS).fill(0);
  const down = new Array<number>(COLUMNS).fill(0);
  grid.forEach((s, k) => {
    const w = s.weightPct;
    if (s.moves.length !== COLUMNS || !s.moves.every((m) => Number.isInteger(m) && m >= -128 && m <= 127)) {
      revert("InvalidScenario", { row: BigInt(k) });
    }
    if (!Number.isInteger(w) || w < 0 || w > 255) revert("InvalidScenario", { row: BigInt(k) });
    if (w === 0 || w > 100) revert("ScenarioWeight", { row: BigInt(k), weightPct: BigInt(w) });
    for (let c = 0; c < COLUMNS; c++) {
      const e = w * (s.moves[c] as number);
      if (e > FULL || e < -FULL) revert("ScenarioMoveTooLarge", { row: BigInt(k), column: BigInt(c) });
      if (e > (up[c] as number)) up[c] = e;
      if (e < (down[c] as number)) down[c] = e;
    }
  });
  for (let c = 0; c < COLUMNS; c++) {
    if (up[c] !== FULL || down[c] !== -FULL) {
      revert("ColumnNotStandalone", { column: BigInt(c), maxUp: BigInt(up[c] ?? 0), maxDown: BigInt(down[c] ?? 0) });
    }
  }
}

/** Float error allowance of a row's loss, relative to Σ_c 5000·|x_c| (see `scan`). */
const ROW_TOLERANCE = 2 ** -40;
const floatLosses = new Float64Array(MAX_SCENARIOS);

/**
 * L(x) before its ceilDiv (the largest positive Σ −e·x, 0 if no row loses), the first row reaching it, and F(x).
 * Exact, but only the rows that can be the largest are summed in bigint: every row's loss is first summed in float,
 * whose error is below γ·Σ_c |e_{k,c}·x_c| ≤ γ·5000·Σ|x| with γ ≤ 12·2⁻⁵³ (≤ 8 conversions, products and additions
 * per row) < 2⁻⁴⁰ =: δ·(5000·Σ|x|) = err. A row whose float loss is below (the largest float loss, or 0) − 2·err has an
 * exact loss below the largest exact one (or below 0), so it can be neither the max nor, on a tie, the first max;
 * every other row is summed exactly, in order.
 */
function scan(grid: Grid, floorBps: bigint, x: readonly bigint[]): { worst: bigint; row: number; floor: bigint } {
  const { exact: e, float: ef } = coefficients(grid);
  let sum = 0n;
  const held: number[] = [];
  const xf: number[] = [];
  for (let c = 0; c < COLUMNS; c++) {
    const v = x[c] ?? 0n;
    if (v !== 0n) {
      held.push(c);
      xf.push(Number(v));
      sum += abs(v);
    }
  }
  const rows = grid.length;
  let maxFloat = 0;
  for (let k = 0, base = 0; k < rows; k++, base += COLUMNS) {
    let loss = 0;
    for (let h = 0; h < held.length; h++) loss -= (ef[base + (held[h] as number)] as number) * (xf[h] as number);
    floatLosses[k] = loss;
    if (loss > maxFloat) maxFloat = loss;
  }
  const cutoff = maxFloat - 2 * (ROW_TOLERANCE * 5000 * Number(sum) + 1);
  let worst = 0n;
  let row = 0;
  for (let k = 0; k < rows; k++) {
    if ((floatLosses[k] as number) < cutoff) continue;
    let loss = 0n;
    const base = k * COLUMNS;
    for (const c of held) loss -= (e[base + c] as bigint) * (x[c] as bigint);
    if (loss > worst) {
      worst = loss;
      row = k;
    }
  }
  return { worst, row, floor: mulDivUp(sum, floorBps, BPS) };
}

/** net(x) = max(L(x), F(x)) (`RiskEngine._net`), rounded up. `x` has 8 entries (missing ones are 0). */
export function netRequirement(grid: Grid, floorBps: bigint, x: readonly bigint[]): bigint {
  const { worst, floor } = scan(grid, floorBps, x);
  const loss = (worst + FULL_N - 1n) / FULL_N;
  return loss > floor ? loss : floor;
}

/** `RiskEngine.netRequirements(maint, initial)`: net of each vector. */
export function netRequirements(
  grid: Grid,
  floorBps: bigint,
  maint: readonly bigint[],
  initial: readonly bigint[],
): { maintReq: bigint; initialReq: bigint } {
  return { maintReq: netRequirement(grid, floorBps, maint), initialReq: netRequirement(grid, floorBps, initial) };
}

/**
 * `RiskEngine.worstScenario(x)`: net(x), the row of the largest loss (the first such row; 0 when no row loses) and
 * whether the floor binds (F ≥ L).
 */
export function worstScenario(
  grid: Grid,
  floorBps: bigint,
  x: readonly bigint[],
): { requirement: bigint; row: number; floorBinds: boolean } {
  const { worst, row, floor } = scan(grid, floorBps, x);
  const loss = (worst + FULL_N - 1n) / FULL_N;
  const floorBinds = floor >= loss;
  return { requirement: floorBinds ? floor : loss, row, floorBinds };
}

/** One open position as the account requirement takes it (SPEC §3). */
export type PortfolioPosition = {
  marketId: bigint;
  /** Signed base (WAD). */
  size: bigint;
  /** Index price it is valued at (WAD). */
  index: bigint;
  /** The market's packed margin tiers (`MarketConfig.tiers`). */
  tiers: bigint;
  /** The market's oracle is Normal (a stale, reduce-only or halted market gets no netting credit). */
  oracleNormal: boolean;
  /** The market's IM volatility multiplier (`VolatilityMath.initialMultiplierBps`), default 10,000 (none). */
  imMultiplierBps?: bigint | undefined;
};

export type PortfolioRequirement = {
  maintenanceRequirement: bigint;
  initialRequirement: bigint;
  /** The requirements without netting: Σ of each position's standalone requirement. */
  additiveMaintenance: bigint;
  additiveInitial: bigint;
  /** Row of the grid that binds the maintenance requirement; `NO_BINDING_SCENARIO` when the floor binds or nothing
   * nets (fewer than two eligible positions, or no engine). */
  bindingScenario: bigint;
};

const U16 = (1n << 16n) - 1n;
/** Below this notional no product here can overflow uint256 (n·bps < 2^144, imT·vm < 2^144), so the checks are moot. */
const SAFE_NOTIONAL = 1n << 128n;

/** One position's standalone requirements (tiers, IM scaled by vm) and its tier-0 exposures (SPEC §3). */
export function positionRequirement(tiers: bigint, notional: bigint, vm: bigint) {
  const { initial: imT, maintenance } = requirements(tiers, notional);
  const im0 = (tiers >> 48n) & U16;
  const mm0 = (tiers >> 64n) & U16;
  if (notional < SAFE_NOTIONAL && vm < SAFE_NOTIONAL) {
    const baseInitial0 = (notional * im0 + BPS - 1n) / BPS;
    return {
      initial: vm === BPS ? imT : (imT * vm + BPS - 1n) / BPS,
      maintenance,
      baseMaint: (notional * mm0 + BPS - 1n) / BPS,
      baseInitial: vm === BPS ? baseInitial0 : (baseInitial0 * vm + BPS - 1n) / BPS,
    };
  }
  return {
    initial: vm === BPS ? imT : mulDivUp(imT, vm, BPS),
    maintenance,
    baseMaint: mulDivUp(notional, mm0, BPS),
    baseInitial: mulDivUp(mulDivUp(notional, im0, BPS), vm, BPS),
  };
}

/** One position's requirement parts as `combineRequirements` adds them up. */
export type RequirementPart = {
  /** The grid column it nets in (its market id), or -1 when it gets no netting credit. */
  column: number;
  long: boolean;
  /** Standalone requirements: tiers (IM scaled by the volatility multiplier). */
  initial: bigint;
  maintenance: bigint;
  /** Their tier-0 parts (the exposures that net). */
  baseInitial: bigint;
  baseMaint: bigint;
};

/** Netting eligibility (SPEC §3): market id < 8, oracle Normal, an engine set. The column, or -1. */
export function nettingColumn(marketId: bigint, oracleNormal: boolean, engine: RiskGrid | null | undefined): number {
  return engine && oracleNormal && marketId < BigInt(COLUMNS) ? Number(marketId) : -1;
}

/**
 * The account's requirement (AccountLogic, SPEC §3): every position's marginal-tier requirement, of which the
 * tier-0 part of each eligible position (market id < 8, oracle Normal, an engine set) is netted over the grid and
 * the rest (what higher tiers charge above tier 0) added as the concentration add-on. With fewer than two eligible
 * positions nothing nets (the pool makes no call): a lone position pays exactly its standalone requirement.
 */
export function combineRequirements(
  parts: readonly RequirementPart[],
  engine: RiskGrid | null | undefined,
): PortfolioRequirement {
  let additiveMaintenance = 0n;
  let additiveInitial = 0n;
  let outsideM = 0n;
  let outsideI = 0n;
  let eligible = 0;
  let xM: bigint[] | undefined;
  let xI: bigint[] | undefined;
  let absM = 0n;
  let absI = 0n;
  for (const r of parts) {
    additiveMaintenance += r.maintenance;
    additiveInitial += r.initial;
    if (r.column >= 0) {
      xM ??= new Array<bigint>(COLUMNS).fill(0n);
      xI ??= new Array<bigint>(COLUMNS).fill(0n);
      xM[r.column] = r.long ? r.baseMaint : -r.baseMaint;
      xI[r.column] = r.long ? r.baseInitial : -r.baseInitial;
      absM += r.baseMaint;
      absI += r.baseInitial;
      outsideM += u256(r.maintenance - r.baseMaint);
      outsideI += u256(r.initial - r.baseInitial);
      eligible++;
    } else {
      outsideM += r.maintenance;
      outsideI += r.initial;
    }
  }
  let netM = absM;
  let netI = absI;
  let bindingScenario = NO_BINDING_SCENARIO;
  if (engine && xM && xI && eligible >= 2) {
    const w = worstScenario(engine.scenarios, engine.floorBps, xM);
    netM = w.requirement;
    if (!w.floorBinds) bindingScenario = BigInt(w.row);
    netI = netRequirement(engine.scenarios, engine.floorBps, xI);
  }
  return {
    maintenanceRequirement: netM + outsideM,
    initialRequirement: netI + outsideI,
    additiveMaintenance,
    additiveInitial,
    bindingScenario,
  };
}

/** `combineRequirements` from each position's size, index and tiers (SPEC §3 from raw inputs). */
export function accountRequirement(
  positions: readonly PortfolioPosition[],
  engine: RiskGrid | null | undefined,
): PortfolioRequirement {
  return combineRequirements(
    positions.map((p) => ({
      column: nettingColumn(p.marketId, p.oracleNormal, engine),
      long: p.size > 0n,
      ...positionRequirement(p.tiers, wMulUp(abs(p.size), p.index), p.imMultiplierBps ?? BPS),
    })),
    engine,
  );
}
