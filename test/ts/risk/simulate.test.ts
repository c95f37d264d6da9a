// The path simulation's own claims (its agreement with the chain is replay.test.ts's): skipping accounts by the
// bound never changes a path's outcome; the bound is below every account's exact margin anywhere in its box; the
// report is the same bytes whatever the number of workers; the figures follow their definitions.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDeploymentConfig } from "../../../ts/deploy/config";
import { deployProtocol } from "../../../ts/deploy/deployProtocol";
import { accountHealthAt } from "../../../ts/pool/math/accountMath";
import { syntheticBook } from "../../../ts/risk/bench/syntheticBook";
import { readRiskBook } from "../../../ts/risk/book";
import { accountBound, boundMarkets, marginLowerBound } from "../../../ts/risk/bound";
import { DEFAULT_JUMP_PARAMS, pathInputsSchema, pathPrices } from "../../../ts/risk/paths";
import { buildReport, stringifyReport } from "../../../ts/risk/report";
import { prepareBook, simulatePath } from "../../../ts/risk/simulate";
import { expectedShortfall, lossFigures, sortedAscending, valueAtRisk } from "../../../ts/risk/stats";
import type { PathInputs, RiskBook } from "../../../ts/risk/types";
import { runPaths } from "../../../ts/risk/workers/pool";
import { useChain } from "../harness";

const chain = useChain();
let base: RiskBook;

beforeAll(async () => {
  const deployment = await deployProtocol(chain, parseDeploymentConfig({}));
  base = await readRiskBook(chain.publicClient, deployment);
}, 120_000);

function inputsFor(book: RiskBook, seed: string, sigma = 0.8): PathInputs {
  return pathInputsSchema.parse({
    markets: book.markets.map((m) => ({
      symbol: m.symbol,
      index0: m.index,
      feedDecimals: m.feedDecimals,
      sigmaAnnual: sigma,
      jumpBeta: 1,
    })),
    correlation: book.markets.map((_, i) => book.markets.map((__, j) => (i === j ? 1 : 0.8))),
    horizonSeconds: 6 * 3600,
    stepSeconds: 300,
    models: ["gbm", "jump", "replay"],
    seed,
    jump: DEFAULT_JUMP_PARAMS,
  });
}

describe("simulatePath", () => {
  it("skipping accounts by the bound never changes a path's outcome", () => {
    const book = syntheticBook(base, 150, "bound");
    const inputs = inputsFor(book, "skip", 1.2);
    const prep = prepareBook(book);
    let liquidations = 0;
    for (let k = 0; k < 24; k++) {
      const prices = pathPrices(inputs, k);
      const fast = simulatePath(prep, prices, inputs.stepSeconds);
      const full = simulatePath(prep, prices, inputs.stepSeconds, { skipByBound: false });
      expect(fast).toEqual(full);
      liquidations += fast.liquidationCalls;
    }
    // The comparison means something only if paths liquidate.
    expect(liquidations).toBeGreaterThan(50);
  });

  it("the bound never exceeds an account's exact margin anywhere in its box", () => {
    const book = syntheticBook(base, 200, "box");
    const markets = boundMarkets(book);
    const n = book.markets.length;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 199 }),
        fc.array(fc.tuple(fc.double({ min: 0.5, max: 1, noNaN: true }), fc.double({ min: 1, max: 1.6, noNaN: true })), {
          minLength: n,
          maxLength: n,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        fc.integer({ min: 0, max: 86_400 }),
        (i, box, at, dt) => {
          const a = book.accounts[i] as RiskBook["accounts"][number];
          const lo = new Float64Array(n);
          const hi = new Float64Array(n);
          const point: bigint[] = [];
          book.markets.forEach((m, j) => {
            const [down, up] = box[j] as [number, number];
            const index = Number(m.index);
            lo[j] = index * down;
            hi[j] = index * up;
            const x = (at[j] as number) * (up - down) + down;
            const p = BigInt(Math.round(index * x * 1e-10)) * 10n ** 10n;
            point.push(p);
            // The point is in the box (rounding may step out of it: the box grows to hold it).
            lo[j] = Math.min(lo[j] as number, Number(p));
            hi[j] = Math.max(hi[j] as number, Number(p));
          });
          // Any point of the box, with funding accrued up to dt: the exact margin is above the bound.
          const bound = marginLowerBound(accountBound(book, a), markets, lo, hi, 0, dt);
          const positions = a.positions.map(({ marketId, position }) => {
            const m = book.markets[marketId] as RiskBook["markets"][number];
            return {
              position,
              state: m.state,
              config: m.config,
              index: point[marketId] as bigint,
              marketId: BigInt(marketId),
            };
          });
          const h = accountHealthAt(a.account, positions, book.timestamp + BigInt(dt), book.engine);
          const exact = Number(h.value - h.maintenanceRequirement);
          return bound <= exact;
        },
      ),
      { numRuns: 400 },
    );
  });

  it("the report is the same bytes run twice, and in one thread or two", async () => {
    const book = syntheticBook(base, 60, "bytes");
    const inputs = inputsFor(book, "7");
    const report = async (workers: number) => {
      const outcomes = await runPaths({ book, inputs, paths: 30, workers });
      return stringifyReport(
        buildReport({ ...inputs, paths: 30, sources: ["flag", "flag"] }, book, outcomes, {
          commit: "test",
          dirty: false,
        }),
      );
    };
    const one = await report(0);
    expect(await report(0)).toBe(one);
    expect(await report(2)).toBe(one);
  }, 120_000);
});

describe("report figures", () => {
  it("VaR is the ⌈q·n⌉-th smallest loss and ES99 the mean (rounded up) of the ⌈n/100⌉ largest", () => {
    const losses = Array.from({ length: 250 }, (_, i) => BigInt((i * 7919) % 250) * 10n ** 18n + 1n);
    const sorted = sortedAscending(losses);
    expect(valueAtRisk(sorted, 950n)).toBe(sorted[237]); // ⌈0.95·250⌉ = 238
    expect(valueAtRisk(sorted, 990n)).toBe(sorted[247]); // ⌈0.99·250⌉ = 248
    const tail = sorted.slice(247); // ⌈2.5⌉ = 3 largest
    const sum = tail.reduce((a, b) => a + b, 0n);
    expect(expectedShortfall(sorted, 990n)).toBe((sum + 2n) / 3n);
  });

  it("a tranche is wiped on a path where its loss reaches its capital, and P(loss) counts paths that lost anything", () => {
    const f = lossFigures([0n, 0n, 5n, 10n], 10n);
    expect(f.pLoss).toBe(0.5);
    expect(f.pWiped).toBe(0.25);
    expect(f.var95).toBe(10n);
    expect(f.meanLoss).toBe(4n); // ⌈15 / 4⌉
  });
});
