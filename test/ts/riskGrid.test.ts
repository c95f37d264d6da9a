// The default scenario grid (ts/deploy/riskGrid.ts): it passes RiskEngine's constructor rules, the Solidity test
// helper returns the same rows, and it delivers the calibration docs/risk-grid.md claims (SPEC-19 §2's formula).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FLOOR_BPS,
  DEFAULT_RISK_GRID,
  defaultRiskScenarios,
  parseRiskGrid,
  type RiskScenario,
  riskGridIssues,
} from "../../ts/deploy/riskGrid";

const SOLIDITY_HELPER = new URL("../utils/DefaultRiskGrid.sol", import.meta.url);

/** SPEC-19 §2: max(max(0, max_k ceilDiv(loss_k, 5000)), ceilDiv(floorBps * sum |x|, BPS)), with its row. */
function net(rows: readonly RiskScenario[], floorBps: number, x: readonly bigint[]) {
  const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
  let worst = 0n;
  let row = -1;
  rows.forEach((r, k) => {
    const loss = -x.reduce((sum, xc, c) => sum + BigInt(r.weightPct * (r.moves[c] ?? 0)) * xc, 0n);
    const l = loss > 0n ? ceilDiv(loss, 5000n) : 0n;
    if (l > worst) [worst, row] = [l, k];
  });
  const sum = x.reduce((s, xc) => s + (xc < 0n ? -xc : xc), 0n);
  const floor = ceilDiv(BigInt(floorBps) * sum, 10_000n);
  return { requirement: worst > floor ? worst : floor, row: worst > floor ? row : -1, additive: sum };
}

/** The rows of test/utils/DefaultRiskGrid.sol: `s[k] = _row(weight, [int8(m0), m1, ..., m7]);`. */
function solidityRows(): { floorBps: number; declaredRows: number; rows: RiskScenario[] } {
  const source = readFileSync(SOLIDITY_HELPER, "utf8");
  const rows: RiskScenario[] = [];
  for (const m of source.matchAll(/s\[(\d+)\] = _row\((\d+), \[int8\((-?\d+)\),((?:\s*-?\d+,?){7})\]\);/g)) {
    expect(Number(m[1])).toBe(rows.length);
    const moves = [Number(m[3]), ...(m[4] ?? "").split(",").map((v) => Number(v.trim()))];
    rows.push({ weightPct: Number(m[2]), moves: moves as unknown as RiskScenario["moves"] });
  }
  const floor = source.match(/FLOOR_BPS = (\d+);/);
  const declared = source.match(/ROWS = (\d+);/);
  return { floorBps: Number(floor?.[1]), declaredRows: Number(declared?.[1]), rows };
}

const WAD = 10n ** 18n;
const column = (entries: Record<number, bigint>) => Array.from({ length: 8 }, (_, c) => entries[c] ?? 0n);

describe("the default risk grid", () => {
  it("passes RiskEngine's constructor rules (28 rows, every column alone standalone, floor in bounds)", () => {
    expect(riskGridIssues(defaultRiskScenarios())).toEqual([]);
    expect(defaultRiskScenarios()).toHaveLength(28);
    expect(parseRiskGrid(defaultRiskScenarios(), DEFAULT_FLOOR_BPS).floorBps).toBe(5000);
  });

  it("is row for row the grid test/utils/DefaultRiskGrid.sol returns, with the same floor", () => {
    const sol = solidityRows();
    expect(sol.rows).toHaveLength(sol.declaredRows);
    expect(sol.rows).toEqual(defaultRiskScenarios());
    expect(sol.floorBps).toBe(DEFAULT_FLOOR_BPS);
  });

  it("a delta-hedged ETH/BTC book posts 60 % of its additive maintenance, bound by a broken-correlation row", () => {
    const x = 2_500n * WAD; // 50,000 of notional each side at tier 0's 5 %
    const { requirement, row, additive } = net(defaultRiskScenarios(), DEFAULT_FLOOR_BPS, column({ 0: x, 1: -x }));
    expect(requirement * 100n).toBe(additive * 60n);
    expect(DEFAULT_RISK_GRID[row]?.label).toBe("ETH -1, BTC +0.2");
    // The opposite hedge (short ETH, long BTC) is bound by the mirror row at the same 60 %.
    const mirror = net(defaultRiskScenarios(), DEFAULT_FLOOR_BPS, column({ 0: -x, 1: x }));
    expect(mirror.requirement).toBe(requirement);
    expect(DEFAULT_RISK_GRID[mirror.row]?.label).toBe("ETH +1, BTC -0.2");
  });

  it("a lone position in any column posts exactly its standalone requirement, long or short", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (c, xc) => {
        const { requirement } = net(defaultRiskScenarios(), DEFAULT_FLOOR_BPS, column({ [c]: xc }));
        expect(requirement).toBe(xc < 0n ? -xc : xc);
      }),
    );
  });

  it("no ETH/BTC book nets below 60 % of its additive requirement, and no book at all below the 50 % floor", () => {
    const amount = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
    fc.assert(
      fc.property(amount, amount, (e, b) => {
        const { requirement, additive } = net(defaultRiskScenarios(), DEFAULT_FLOOR_BPS, column({ 0: e, 1: b }));
        expect(requirement * 100n >= additive * 60n).toBe(true);
        expect(requirement <= additive).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.array(amount, { minLength: 8, maxLength: 8 }), (x) => {
        const { requirement, additive } = net(defaultRiskScenarios(), DEFAULT_FLOOR_BPS, x);
        expect(requirement * 2n >= additive).toBe(true);
        expect(requirement <= additive).toBe(true);
      }),
    );
  });
});

describe("riskGridIssues: the constructor's rules, named after its errors", () => {
  const rows = () => defaultRiskScenarios().map((r) => ({ ...r, moves: [...r.moves] as RiskScenario["moves"] }));

  it("GridSize: no rows, or more than 32", () => {
    expect(riskGridIssues([])).toEqual(["GridSize(0): 1 to 32 rows"]);
    const many = [...rows(), ...rows()];
    expect(riskGridIssues(many)[0]).toMatch(/^GridSize\(56\)/);
  });

  it("ScenarioWeight and ScenarioMoveTooLarge: a weight outside [1, 100], a weighted move above 5000", () => {
    const grid = rows().map((r, k) => (k === 6 ? { ...r, weightPct: 0 } : r));
    expect(riskGridIssues(grid)).toContain("ScenarioWeight(6, 0): weightPct in [1, 100]");
    const tooLarge = rows().map((r, k) => (k === 10 ? { ...r, weightPct: 100 } : r));
    expect(riskGridIssues(tooLarge)).toContain("ScenarioMoveTooLarge(10, 0): |weightPct * move| > 5000");
  });

  it("ColumnNotStandalone: a column nobody moves a full requirement down is rejected by zod too", () => {
    const grid = rows().filter((_, k) => k !== 26); // market 7 alone -1 removed
    expect(riskGridIssues(grid)).toEqual([]); // broad -1 and the -2 tail still move column 7 by -5000
    const noDown = grid.map((r) => ({
      ...r,
      moves: r.moves.map((m, c) => (c === 7 && m < 0 ? 0 : m)) as unknown as RiskScenario["moves"],
    })) as RiskScenario[];
    expect(riskGridIssues(noDown)).toEqual([
      "ColumnNotStandalone(7, 5000, 0): a market alone must be margined as standalone",
    ]);
    expect(() => parseRiskGrid(noDown, DEFAULT_FLOOR_BPS)).toThrow(/ColumnNotStandalone\(7/);
    expect(() => parseRiskGrid(defaultRiskScenarios(), 999)).toThrow();
  });
});
