// The keeper's float prefilter against the exact bigint health (SPEC-19 §3): a clear verdict is always the exact
// one, on random books placed around the boundary (random grids, 1–8 markets, halted and reduce-only oracles), and
// the Book's evaluation (prefilter, then exact) lists exactly the accounts the exact path finds liquidatable.
import fc from "fast-check";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { syntheticBook, syntheticGrid, syntheticPricing } from "../../../ts/keeper/bench/syntheticBook";
import { accountId } from "../../../ts/keeper/book/accountId";
import { Book } from "../../../ts/keeper/book/book";
import { localHealth } from "../../../ts/keeper/book/localHealth";
import {
  accountFeatures,
  classify,
  floatMargin,
  HEALTHY,
  LIQUIDATABLE,
  NEAR,
  prepareFloatMarkets,
} from "../../../ts/keeper/book/prefilter";
import type { Account } from "../../../ts/pool/types";
import { validGrid } from "../sdk/gridArbitraries";

const books = fc.record({
  grid: fc.option(validGrid, { freq: 4, nil: null }),
  k: fc.integer({ min: 1, max: 8 }),
  statuses: fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(1), fc.constant(2)), {
    minLength: 8,
    maxLength: 8,
  }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  // Where each account is put: its exact margin as a multiple of the prefilter's tolerance.
  offsets: fc.array(
    fc.integer({ min: -3000, max: 3000 }).map((m) => m / 1000),
    { minLength: 20, maxLength: 20 },
  ),
});

describe("float prefilter", () => {
  it("never calls healthy an account the exact path finds liquidatable, nor the reverse; clears all beyond 2·tolerance", () => {
    const seen = { healthy: 0, liquidatable: 0, near: 0, clearedWithinTwoTol: 0 };
    fc.assert(
      fc.property(books, ({ grid, k, statuses, seed, offsets }) => {
        const pricing = syntheticPricing(statuses);
        const fm = prepareFloatMarkets(pricing, grid);
        const accounts = syntheticBook(offsets.length, k, pricing, grid, seed);
        for (const [i, a] of accounts.entries()) {
          // Move the account to `offset` tolerances from its exact boundary.
          const f0 = accountFeatures(a.account, a.positions);
          if (!f0) throw new Error("features");
          const { tolerance } = floatMargin(f0, fm);
          const h0 = localHealth(a.account, a.positions, pricing, grid);
          const shift = BigInt(Math.round((offsets[i] as number) * tolerance)) - (h0.value - h0.maintenanceRequirement);
          const account = { ...a.account, collateral: a.account.collateral + shift } as Account;
          const exact = localHealth(account, a.positions, pricing, grid);
          const margin = exact.value - exact.maintenanceRequirement;
          const features = accountFeatures(account, a.positions);
          if (!features) throw new Error("features");
          const tol = floatMargin(features, fm).tolerance; // with the new collateral in its magnitude
          const verdict = classify(features, fm);
          if (verdict === HEALTHY) expect(exact.liquidatable, `healthy verdict, exact margin ${margin}`).toBe(false);
          if (verdict === LIQUIDATABLE) expect(exact.liquidatable, `liquidatable verdict, margin ${margin}`).toBe(true);
          if (Math.abs(Number(margin)) > 2 * tol) expect(verdict).not.toBe(NEAR);
          else if (verdict !== NEAR) seen.clearedWithinTwoTol++;
          if (verdict === HEALTHY) seen.healthy++;
          else if (verdict === LIQUIDATABLE) seen.liquidatable++;
          else seen.near++;
        }
      }),
      { numRuns: 150, seed: 19_2026 },
    );
    // The books did straddle the boundary: every verdict occurred, and some within two tolerances were cleared.
    expect(seen.healthy).toBeGreaterThan(100);
    expect(seen.liquidatable).toBeGreaterThan(100);
    expect(seen.near).toBeGreaterThan(100);
    expect(seen.clearedWithinTwoTol).toBeGreaterThan(10);
  });

  it("an account with no position and collateral ≥ 0 is healthy without arithmetic; a missing market is near", () => {
    const pricing = syntheticPricing();
    const fm = prepareFloatMarkets(pricing, syntheticGrid());
    const flat = { collateral: 0n, unsettledProfit: 0n, marketMask: 0 } as unknown as Account;
    expect(classify(accountFeatures(flat, new Map()), fm)).toBe(HEALTHY);
    const owing = { ...flat, collateral: -(10n ** 18n) } as Account;
    expect(classify(accountFeatures(owing, new Map()), fm)).toBe(LIQUIDATABLE);
    const [a] = syntheticBook(1, 2, pricing, null, 3);
    if (!a) throw new Error("book");
    expect(classify(accountFeatures(a.account, a.positions), prepareFloatMarkets(pricing.slice(0, 1), null))).toBe(
      NEAR,
    );
    expect(accountFeatures(a.account, new Map())).toBeUndefined();
  });

  it("the book's evaluation lists exactly the accounts the exact path finds liquidatable, worst first", () => {
    fc.assert(
      fc.property(validGrid, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1000 }), (grid, k, seed) => {
        const pricing = syntheticPricing();
        const accounts = syntheticBook(
          200,
          k,
          pricing,
          grid,
          seed,
          { hedged: 0.5, near: 0.3, liquidatable: 0.2 },
          2_000,
        );
        const book = new Book({ index: 0, count: 1 });
        book.riskEngine = grid;
        const expected = new Set<string>();
        for (const a of accounts) {
          const owner = `0x${(a.id + 1).toString(16).padStart(40, "0")}` as Address;
          const id = accountId(owner, 0n);
          book.touch(owner, 0n, 1n);
          book.apply(id, a.account, a.positions);
          if (localHealth(a.account, a.positions, pricing, grid).liquidatable) expected.add(id);
        }
        const ev = book.evaluate(pricing, { number: 1n, timestamp: 0n });
        expect(ev.evaluated).toBe(accounts.length);
        expect(new Set(ev.candidates.map((c) => c.entry.id as string))).toEqual(expected);
        expect(ev.exact).toBeGreaterThanOrEqual(expected.size);
        for (let i = 1; i < ev.candidates.length; i++) {
          expect(ev.candidates[i - 1]?.shortfall).toBeGreaterThanOrEqual(ev.candidates[i]?.shortfall as bigint);
        }
      }),
      { numRuns: 40, seed: 19 },
    );
  });
});
