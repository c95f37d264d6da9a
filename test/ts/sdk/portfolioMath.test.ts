// SPEC-19 §2/§3 properties of the portfolio requirement's bigint mirror (no chain): the grid's net requirement and
// the account requirement built on it, and the grid validation with the constructor's errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContractRevertError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import { accountHealthAt, type PositionInput } from "../../../ts/pool/math/accountMath";
import { notionalUp, packTiers, requirements } from "../../../ts/pool/math/marginMath";
import {
  accountRequirement,
  NO_BINDING_SCENARIO,
  netRequirement,
  netRequirements,
  type PortfolioPosition,
  type RiskGrid,
  type Scenario,
  validateGrid,
  worstScenario,
} from "../../../ts/pool/math/portfolioMath";
import { riskGridSchema } from "../../../ts/pool/schemas";
import type { Account, MarketConfig, MarketState } from "../../../ts/pool/types";
import { defaultConfig } from "./fixture";
import { exposure, singleExposure, validGrid } from "./gridArbitraries";

const BPS = 10_000n;
const abs = (v: bigint) => (v < 0n ? -v : v);
const sumAbs = (x: readonly bigint[]) => x.reduce((s, v) => s + abs(v), 0n);
const floorOf = (g: RiskGrid, x: readonly bigint[]) => (sumAbs(x) * g.floorBps + BPS - 1n) / BPS;

function revertOf(fn: () => unknown): { name: string; args: readonly unknown[] } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractRevertError) return { name: err.errorName, args: err.args ?? [] };
    throw err;
  }
  return { name: "(no revert)", args: [] };
}

/** Broad moves both ways plus one broken-correlation row: ETH (col 0) and BTC (col 1) hedge each other. */
const ETH_BTC: RiskGrid = {
  scenarios: [
    { weightPct: 100, moves: [50, 50, 50, 50, 50, 50, 50, 50] },
    { weightPct: 100, moves: [-50, -50, -50, -50, -50, -50, -50, -50] },
    { weightPct: 50, moves: [40, -40, 0, 0, 0, 0, 0, 0] },
    { weightPct: 50, moves: [-40, 40, 0, 0, 0, 0, 0, 0] },
  ],
  floorBps: 2_000n,
};

const TIERS = packTiers([
  { notionalCap: 100_000n * WAD, initialBps: 1000n, maintenanceBps: 500n },
  { notionalCap: 1_000_000n * WAD, initialBps: 2000n, maintenanceBps: 1000n },
  { notionalCap: 100_000_000n * WAD, initialBps: 3300n, maintenanceBps: 1650n },
]);

const position = fc.record({
  marketId: fc.integer({ min: 0, max: 11 }).map(BigInt),
  size: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.bigInt({ min: 10n ** 15n, max: 10n ** 23n })),
  long: fc.boolean(),
  index: fc.bigInt({ min: 10n ** 16n, max: 10n ** 23n }),
  oracleNormal: fc.boolean(),
  imMultiplierBps: fc.oneof(fc.constant(BPS), fc.bigInt({ min: BPS, max: 50_000n })),
});

const positions = fc.uniqueArray(position, { minLength: 1, maxLength: 8, selector: (p) => p.marketId }).map((ps) =>
  ps.map(
    (p): PortfolioPosition => ({
      marketId: p.marketId,
      size: p.long ? p.size : -p.size,
      index: p.index,
      tiers: TIERS,
      oracleNormal: p.oracleNormal,
      imMultiplierBps: p.imMultiplierBps,
    }),
  ),
);

describe("RiskEngine mirror: net(x)", () => {
  it("known vector: a delta-hedged ETH/BTC pair nets to the broken-correlation row", () => {
    const x = [1_000n * WAD, -1_000n * WAD, 0n, 0n, 0n, 0n, 0n, 0n];
    // Broad rows cancel (loss 0); row 3 (ETH down, BTC up) loses 50·40·1000 · 2 = 4,000,000 WAD / 5000 = 800;
    // the floor is 20 % of 2,000 = 400.
    expect(worstScenario(ETH_BTC.scenarios, ETH_BTC.floorBps, x)).toEqual({
      requirement: 800n * WAD,
      row: 3,
      floorBinds: false,
    });
    expect(netRequirement(ETH_BTC.scenarios, ETH_BTC.floorBps, x)).toBe(800n * WAD);
  });

  it("a lone column is margined exactly standalone, long or short", () => {
    fc.assert(
      fc.property(validGrid, singleExposure, (g, x) => {
        expect(netRequirement(g.scenarios, g.floorBps, x)).toBe(sumAbs(x));
      }),
      { numRuns: 300 },
    );
  });

  it("net never exceeds the additive sum and never goes below the floor", () => {
    fc.assert(
      fc.property(validGrid, exposure, (g, x) => {
        const net = netRequirement(g.scenarios, g.floorBps, x);
        expect(net).toBeLessThanOrEqual(sumAbs(x));
        expect(net).toBeGreaterThanOrEqual(floorOf(g, x));
      }),
      { numRuns: 500 },
    );
  });

  it("net is positively homogeneous up to one wei: net(λx) ≤ λ·net(x) + 1", () => {
    fc.assert(
      fc.property(validGrid, exposure, fc.bigInt({ min: 1n, max: 10_000n }), (g, x, lambda) => {
        const scaled = x.map((v) => v * lambda);
        expect(netRequirement(g.scenarios, g.floorBps, scaled)).toBeLessThanOrEqual(
          lambda * netRequirement(g.scenarios, g.floorBps, x) + 1n,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("worstScenario's requirement is net(x); its row is the first row of the largest loss; floorBinds iff F ≥ L", () => {
    fc.assert(
      fc.property(validGrid, exposure, (g, x) => {
        const w = worstScenario(g.scenarios, g.floorBps, x);
        expect(w.requirement).toBe(netRequirement(g.scenarios, g.floorBps, x));
        const losses = g.scenarios.map(
          (s) => -s.moves.reduce((acc, m, c) => acc + BigInt(s.weightPct * m) * (x[c] ?? 0n), 0n),
        );
        let worst = 0n;
        for (const l of losses) if (l > worst) worst = l;
        expect(w.row).toBe(worst > 0n ? losses.indexOf(worst) : 0);
        expect(w.floorBinds).toBe(floorOf(g, x) >= (worst + 4999n) / 5000n);
        const both = netRequirements(
          g.scenarios,
          g.floorBps,
          x,
          x.map((v) => 2n * v),
        );
        expect(both.maintReq).toBe(w.requirement);
        expect(both.initialReq).toBe(
          netRequirement(
            g.scenarios,
            g.floorBps,
            x.map((v) => 2n * v),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("the generated grids are valid (the arbitrary the other properties stand on)", () => {
    fc.assert(
      fc.property(validGrid, (g) => {
        expect(() => validateGrid(g.scenarios, g.floorBps)).not.toThrow();
        expect(riskGridSchema.safeParse(g).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the account requirement (SPEC §3)", () => {
  it("a one-position account pays exactly its standalone tiers (IM scaled by the volatility multiplier)", () => {
    fc.assert(
      fc.property(validGrid, positions, fc.boolean(), (g, ps, withEngine) => {
        const p = ps[0] as PortfolioPosition;
        const r = accountRequirement([p], withEngine ? g : null);
        const t = requirements(TIERS, notionalUp(p.size, p.index));
        const vm = p.imMultiplierBps ?? BPS;
        expect(r.maintenanceRequirement).toBe(t.maintenance);
        expect(r.initialRequirement).toBe((t.initial * vm + BPS - 1n) / BPS);
        expect(r.additiveMaintenance).toBe(r.maintenanceRequirement);
        expect(r.additiveInitial).toBe(r.initialRequirement);
        expect(r.bindingScenario).toBe(NO_BINDING_SCENARIO);
      }),
      { numRuns: 300 },
    );
  });

  it("netting never charges more than the additive sum, nor less than the floor on the eligible tier-0 parts", () => {
    fc.assert(
      fc.property(validGrid, positions, (g, ps) => {
        const r = accountRequirement(ps, g);
        expect(r.maintenanceRequirement).toBeLessThanOrEqual(r.additiveMaintenance);
        expect(r.initialRequirement).toBeLessThanOrEqual(r.additiveInitial);
        expect(accountRequirement(ps, null)).toEqual({
          maintenanceRequirement: r.additiveMaintenance,
          initialRequirement: r.additiveInitial,
          additiveMaintenance: r.additiveMaintenance,
          additiveInitial: r.additiveInitial,
          bindingScenario: NO_BINDING_SCENARIO,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("a market whose oracle is not Normal, or whose id is 8 or more, gets no netting credit", () => {
    fc.assert(
      fc.property(validGrid, positions, (g, ps) => {
        // Taking one position's credit away can only raise the requirement, and only up to the additive sum.
        const r = accountRequirement(ps, g);
        for (const [i, p] of ps.entries()) {
          const without = ps.map((q, j) => (j === i ? { ...q, oracleNormal: false } : q));
          const w = accountRequirement(without, g);
          expect(w.maintenanceRequirement).toBeGreaterThanOrEqual(r.maintenanceRequirement);
          if (!p.oracleNormal || p.marketId >= 8n) expect(w).toEqual(r);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("known vector: 20 ETH long at 2,000 and 0.5 BTC short at 80,000 post the broken-correlation row", () => {
    const eth: PortfolioPosition = {
      marketId: 0n,
      size: 20n * WAD,
      index: 2_000n * WAD,
      tiers: TIERS,
      oracleNormal: true,
    };
    const btc: PortfolioPosition = { ...eth, marketId: 1n, size: -(WAD / 2n), index: 80_000n * WAD };
    const r = accountRequirement([eth, btc], ETH_BTC);
    // Standalone: 40,000 notional each, 5 % maintenance = 2,000 each; the hedge nets to 2·(2000·0.4) = 1,600.
    expect(r.additiveMaintenance).toBe(4_000n * WAD);
    expect(r.maintenanceRequirement).toBe(1_600n * WAD);
    expect(r.bindingScenario).toBe(3n);
    // A reduce-only BTC oracle takes the credit away: back to the additive sum.
    expect(accountRequirement([eth, { ...btc, oracleNormal: false }], ETH_BTC).maintenanceRequirement).toBe(
      4_000n * WAD,
    );
  });

  it("accountHealthAt nets with an engine and equals the additive health without one", () => {
    const config = { ...defaultConfig(), tiers: TIERS } as unknown as MarketConfig;
    const state = {
      cumFundingLong: 0n,
      cumFundingShort: 0n,
      fundingRate: 0n,
      fundingKicker: 0n,
      lastAccrual: 0,
      longOpenInterest: 0n,
      shortOpenInterest: 0n,
    } as unknown as MarketState;
    const account = { collateral: 2_000n * WAD, unsettledProfit: 0n, marketMask: 3 } as unknown as Account;
    const at = (marketId: bigint, size: bigint, index: bigint): PositionInput => ({
      marketId,
      position: { size, openNotional: (size * index) / WAD, fundingEntry: 0n },
      state,
      config,
      index,
      oracleStatus: 0,
    });
    const ps = [at(0n, 20n * WAD, 2_000n * WAD), at(1n, -(WAD / 2n), 80_000n * WAD)];
    const netted = accountHealthAt(account, ps, 0n, ETH_BTC);
    const additive = accountHealthAt(account, ps, 0n);
    expect(additive.maintenanceRequirement).toBe(4_000n * WAD);
    expect(additive.liquidatable).toBe(true);
    expect(netted.maintenanceRequirement).toBe(1_600n * WAD);
    expect(netted.additiveMaintenance).toBe(4_000n * WAD);
    expect(netted.liquidatable).toBe(false);
  });
});

describe("validateGrid: the constructor's checks and errors", () => {
  const valid = ETH_BTC.scenarios;
  const row = (weightPct: number, moves: number[]): Scenario => ({ weightPct, moves });
  const cases: [string, Scenario[], bigint, string, bigint[]][] = [
    ["no rows", [], 2_000n, "GridSize", [0n]],
    ["33 rows", Array.from({ length: 33 }, (_, k) => valid[k % 2] as Scenario), 2_000n, "GridSize", [33n]],
    ["a floor below 10 %", [...valid], 999n, "FloorOutOfBounds", [999n]],
    ["a floor above 100 %", [...valid], 10_001n, "FloorOutOfBounds", [10_001n]],
    ["a zero weight", [...valid, row(0, [0, 0, 0, 0, 0, 0, 0, 0])], 2_000n, "ScenarioWeight", [4n, 0n]],
    ["a weight above 100", [...valid, row(101, [0, 0, 0, 0, 0, 0, 0, 0])], 2_000n, "ScenarioWeight", [4n, 101n]],
    [
      "a weighted move above 5000",
      [...valid, row(100, [0, 0, 51, 0, 0, 0, 0, 0])],
      2_000n,
      "ScenarioMoveTooLarge",
      [4n, 2n],
    ],
    [
      "a weighted move below -5000",
      [...valid, row(50, [0, 0, 0, -101, 0, 0, 0, 0])],
      2_000n,
      "ScenarioMoveTooLarge",
      [4n, 3n],
    ],
    [
      "a column that never moves up a full requirement",
      [row(100, [49, 50, 50, 50, 50, 50, 50, 50]), valid[1] as Scenario],
      2_000n,
      "ColumnNotStandalone",
      [0n, 4900n, -5000n],
    ],
    [
      "a column that never moves down a full requirement",
      [valid[0] as Scenario, row(100, [-50, -50, -50, -50, -50, -50, -50, 0])],
      2_000n,
      "ColumnNotStandalone",
      [7n, 5000n, 0n],
    ],
  ];
  it.each(cases)("rejects %s", (_, scenarios, floorBps, name, args) => {
    expect(revertOf(() => validateGrid(scenarios, floorBps))).toEqual({ name, args });
    const parsed = riskGridSchema.safeParse({ scenarios, floorBps });
    expect(parsed.success).toBe(false);
  });

  it("rejects every grid that breaks one rule of a valid one (random single mutations)", () => {
    fc.assert(
      fc.property(validGrid, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 100 }), (g, k0, c0, bump) => {
        const k = k0 % g.scenarios.length;
        const c = c0 % 8;
        const s = g.scenarios[k] as Scenario;
        const tooFar = Math.floor(5000 / s.weightPct) + Math.min(bump, 127 - Math.floor(5000 / s.weightPct));
        if (tooFar * s.weightPct <= 5000) return; // no int8 move is too large at this weight
        const moves = [...s.moves];
        moves[c] = tooFar;
        const mutated = g.scenarios.map((r, j) => (j === k ? { ...r, moves } : r));
        expect(revertOf(() => validateGrid(mutated, g.floorBps)).name).toBe("ScenarioMoveTooLarge");
      }),
      { numRuns: 200 },
    );
  });
});
