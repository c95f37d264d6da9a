// The default scenario grid of the portfolio risk engine (contracts/RiskEngine.sol), in ONE place: the deployment
// sends it, docs/risk-grid.md explains its calibration, test/utils/DefaultRiskGrid.sol returns the same rows
// (test/ts/riskGrid.test.ts checks both). A move is in 1/50 of a standalone requirement (MOVE_UNIT): 50 = one
// tier-0 maintenance move of that market (5 % for ETH and BTC by default). Column c = market id c (0 = ETH, 1 = BTC).
import { z } from "zod";

/** Columns of a scenario: market ids 0..7 (markets >= 8 get no netting). */
export const RISK_COLUMNS = 8;
/** Most rows a grid may have. */
export const MAX_SCENARIOS = 32;
/** A move of MOVE_UNIT = one standalone requirement of that market. */
export const MOVE_UNIT = 50;
/** weightPct * move of a row that charges one standalone requirement: 100 % * MOVE_UNIT. */
export const STANDALONE_WEIGHTED_MOVE = 100 * MOVE_UNIT;
const BPS = 10_000;
/** RiskEngine's bounds on the floor φ. */
export const MIN_FLOOR_BPS = 1_000;
export const MAX_FLOOR_BPS = BPS;

/** IRiskEngine.Scenario as viem encodes it (uint8 weightPct, int8[8] moves). */
export type RiskScenario = {
  weightPct: number;
  moves: [number, number, number, number, number, number, number, number];
};

/** A grid row with what it stands for (the label is documentation only; it never goes on chain). */
export type LabelledScenario = RiskScenario & { label: string };

const int8 = z.number().int().min(-128).max(127);
export const scenarioSchema = z.object({
  weightPct: z.number().int().min(1).max(100),
  moves: z.tuple([int8, int8, int8, int8, int8, int8, int8, int8]),
});

/**
 * The grid with RiskEngine's constructor rules (SPEC-19 §2), the same checks in the same order, so a grid this
 * accepts deploys and one it rejects reverts with the error named in the message: 1 <= rows <= 32; weightPct in
 * [1, 100]; every |weightPct * move| <= 5000; per column max(weightPct * move) == 5000 and min == -5000 (each
 * market alone is margined exactly as standalone, long and short).
 */
export const riskGridSchema = z.array(scenarioSchema).superRefine((rows, ctx) => {
  for (const issue of riskGridIssues(rows)) ctx.addIssue({ code: "custom", message: issue });
});

/** The floor φ in bps: RiskEngine's FloorOutOfBounds bounds. */
export const floorBpsSchema = z.number().int().min(MIN_FLOOR_BPS).max(MAX_FLOOR_BPS);

/** Every rule of RiskEngine's constructor the rows break, named after its custom error (empty: valid). */
export function riskGridIssues(rows: readonly RiskScenario[]): string[] {
  if (rows.length < 1 || rows.length > MAX_SCENARIOS) return [`GridSize(${rows.length}): 1 to ${MAX_SCENARIOS} rows`];
  const issues: string[] = [];
  rows.forEach((row, k) => {
    if (!Number.isInteger(row.weightPct) || row.weightPct < 1 || row.weightPct > 100) {
      issues.push(`ScenarioWeight(${k}, ${row.weightPct}): weightPct in [1, 100]`);
    }
    row.moves.forEach((move, c) => {
      if (Math.abs(row.weightPct * move) > STANDALONE_WEIGHTED_MOVE) {
        issues.push(`ScenarioMoveTooLarge(${k}, ${c}): |weightPct * move| > ${STANDALONE_WEIGHTED_MOVE}`);
      }
    });
  });
  for (let c = 0; c < RISK_COLUMNS; c++) {
    const weighted = rows.map((row) => row.weightPct * (row.moves[c] ?? 0));
    const up = Math.max(...weighted);
    const down = Math.min(...weighted);
    if (up !== STANDALONE_WEIGHTED_MOVE || down !== -STANDALONE_WEIGHTED_MOVE) {
      issues.push(`ColumnNotStandalone(${c}, ${up}, ${down}): a market alone must be margined as standalone`);
    }
  }
  return issues;
}

/** Parses a grid and a floor, throwing a ZodError naming the broken rule. */
export function parseRiskGrid(rows: unknown, floorBps: unknown): { scenarios: RiskScenario[]; floorBps: number } {
  return { scenarios: riskGridSchema.parse(rows), floorBps: floorBpsSchema.parse(floorBps) };
}

type Moves = RiskScenario["moves"];
const only = (entries: Record<number, number>): Moves =>
  Array.from({ length: RISK_COLUMNS }, (_, c) => entries[c] ?? 0) as unknown as Moves;
const every = (move: number): Moves =>
  only(Object.fromEntries(Array.from({ length: RISK_COLUMNS }, (_, c) => [c, move])));
const ETH = 0;
const BTC = 1;

/** Markets 2..7 have no calibration: each alone, both ways (see docs/risk-grid.md, "What it does not cover"). */
const uncalibrated: LabelledScenario[] = [2, 3, 4, 5, 6, 7].flatMap((c) => [
  { label: `market ${c} alone -1`, weightPct: 100, moves: only({ [c]: -MOVE_UNIT }) },
  { label: `market ${c} alone +1`, weightPct: 100, moves: only({ [c]: MOVE_UNIT }) },
]);

/**
 * The default grid (docs/risk-grid.md): 28 rows. A delta-hedged ETH/BTC book (equal notional, both in tier 0)
 * posts 60 % of its additive maintenance (the broken-correlation rows bind: a 6 % relative move, 1.2 units).
 */
export const DEFAULT_RISK_GRID: readonly LabelledScenario[] = [
  // Broad: everything moves one maintenance move together (a crash, a squeeze).
  { label: "broad -1", weightPct: 100, moves: every(-MOVE_UNIT) },
  { label: "broad +1", weightPct: 100, moves: every(MOVE_UNIT) },
  // Idiosyncratic: one market alone.
  { label: "ETH alone -1", weightPct: 100, moves: only({ [ETH]: -MOVE_UNIT }) },
  { label: "ETH alone +1", weightPct: 100, moves: only({ [ETH]: MOVE_UNIT }) },
  { label: "BTC alone -1", weightPct: 100, moves: only({ [BTC]: -MOVE_UNIT }) },
  { label: "BTC alone +1", weightPct: 100, moves: only({ [BTC]: MOVE_UNIT }) },
  // Broken correlation: opposite directions, a 1.2-unit (6 %) relative move: 2021-05-19's worst hour.
  { label: "ETH -1, BTC +0.2", weightPct: 100, moves: only({ [ETH]: -MOVE_UNIT, [BTC]: 10 }) },
  { label: "ETH +1, BTC -0.2", weightPct: 100, moves: only({ [ETH]: MOVE_UNIT, [BTC]: -10 }) },
  { label: "BTC -1, ETH +0.2", weightPct: 100, moves: only({ [ETH]: 10, [BTC]: -MOVE_UNIT }) },
  { label: "BTC +1, ETH -0.2", weightPct: 100, moves: only({ [ETH]: -10, [BTC]: MOVE_UNIT }) },
  // Weighted tail: two maintenance moves at half weight, together and with one market leading (beta 2).
  { label: "tail: all -2", weightPct: 50, moves: every(-2 * MOVE_UNIT) },
  { label: "tail: all +2", weightPct: 50, moves: every(2 * MOVE_UNIT) },
  { label: "tail: ETH -2, BTC -1", weightPct: 50, moves: only({ [ETH]: -2 * MOVE_UNIT, [BTC]: -MOVE_UNIT }) },
  { label: "tail: ETH +2, BTC +1", weightPct: 50, moves: only({ [ETH]: 2 * MOVE_UNIT, [BTC]: MOVE_UNIT }) },
  { label: "tail: BTC -2, ETH -1", weightPct: 50, moves: only({ [ETH]: -MOVE_UNIT, [BTC]: -2 * MOVE_UNIT }) },
  { label: "tail: BTC +2, ETH +1", weightPct: 50, moves: only({ [ETH]: MOVE_UNIT, [BTC]: 2 * MOVE_UNIT }) },
  ...uncalibrated,
];

/** The floor φ: no netted book posts less than half its additive requirement. */
export const DEFAULT_FLOOR_BPS = 5_000;

/** The rows as the RiskEngine constructor takes them (labels dropped), validated. */
export function defaultRiskScenarios(): RiskScenario[] {
  return riskGridSchema.parse(DEFAULT_RISK_GRID.map(({ weightPct, moves }) => ({ weightPct, moves })));
}
