// fast-check arbitraries for risk engine grids (SPEC-19 §2) and exposure vectors, shared by the pure property tests,
// the keeper prefilter tests and the differential test against the deployed RiskEngine.
import fc from "fast-check";
import type { RiskGrid, Scenario } from "../../../ts/pool/math/portfolioMath";

const COLUMNS = 8;
/** Weights w with 5000 / w an int8: a row of such a weight can move a column by exactly ±5000. */
const ANCHOR_WEIGHTS = [40, 50, 100] as const;

/**
 * A valid grid: 2–32 rows of random weights and moves (|w·m| ≤ 5000), of which rows 0 and 1 (and any other row of an
 * anchor weight) may carry, for each column, the exact +5000 and −5000 moves that make it standalone.
 */
export const validGrid: fc.Arbitrary<RiskGrid> = fc
  .integer({ min: 2, max: 32 })
  .chain((rows) =>
    fc.record({
      weights: fc.array(fc.oneof(fc.constantFrom(...ANCHOR_WEIGHTS), fc.integer({ min: 1, max: 100 })), {
        minLength: rows,
        maxLength: rows,
      }),
      moves: fc.array(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: COLUMNS, maxLength: COLUMNS }), {
        minLength: rows,
        maxLength: rows,
      }),
      anchors: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: COLUMNS, maxLength: COLUMNS }),
      anchorWeights: fc.tuple(fc.constantFrom(...ANCHOR_WEIGHTS), fc.constantFrom(...ANCHOR_WEIGHTS)),
      floorBps: fc.integer({ min: 1_000, max: 10_000 }),
    }),
  )
  .map(({ weights, moves, anchors, anchorWeights, floorBps }) => {
    const w = [...weights];
    w[0] = anchorWeights[0];
    w[1] = anchorWeights[1];
    const rows: Scenario[] = w.map((weight, k) => {
      const limit = Math.floor(5000 / weight);
      return {
        weightPct: weight,
        moves: (moves[k] ?? []).map((m) => Math.max(-limit, Math.min(limit, m))),
      };
    });
    const anchorRows = w.flatMap((weight, k) => ((ANCHOR_WEIGHTS as readonly number[]).includes(weight) ? [k] : []));
    for (let c = 0; c < COLUMNS; c++) {
      const [a, b] = anchors[c] ?? [0, 0];
      const up = anchorRows[a % anchorRows.length] as number;
      const others = anchorRows.filter((k) => k !== up);
      const down = others[b % others.length] as number;
      for (const [k, sign] of [
        [up, 1],
        [down, -1],
      ] as const) {
        const row = rows[k] as Scenario;
        const m = [...row.moves];
        m[c] = (sign * 5000) / row.weightPct;
        rows[k] = { ...row, moves: m };
      }
    }
    return { scenarios: rows, floorBps: BigInt(floorBps) };
  });

/** A WAD quote exposure magnitude: from 1 wei to 10^12 quote units, log-spread. */
export const exposureMagnitude = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 6n }),
  fc.bigInt({ min: 1n, max: 10n ** 24n }),
  fc.bigInt({ min: 10n ** 18n, max: 10n ** 30n }),
);

/** An exposure vector of 8 columns with 1–8 non-zero entries, each signed. */
export const exposure: fc.Arbitrary<bigint[]> = fc
  .tuple(
    fc.array(fc.tuple(fc.boolean(), exposureMagnitude, fc.boolean()), { minLength: COLUMNS, maxLength: COLUMNS }),
    fc.integer({ min: 0, max: COLUMNS - 1 }),
  )
  .map(([cols, forced]) => cols.map(([held, mag, long], c) => (held || c === forced ? (long ? mag : -mag) : 0n)));

/** An exposure with exactly one non-zero column. */
export const singleExposure: fc.Arbitrary<bigint[]> = fc
  .tuple(fc.integer({ min: 0, max: COLUMNS - 1 }), exposureMagnitude, fc.boolean())
  .map(([c, mag, long]) => Array.from({ length: COLUMNS }, (_, i) => (i === c ? (long ? mag : -mag) : 0n)));
