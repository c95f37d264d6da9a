// The SDK's mirror of the inventory sale's math (ts/pool/math/inventorySaleMath.ts): the numbers the forge tests
// pin (test/unit/InventorySale.t.sol) and, over random inputs, the bound the contract relies on: a sale never uses
// more than the budget, and the budget left per base held never shrinks (but for a wei of rounding).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WAD } from "../../../ts/money";
import {
  inventoryDiscountPerBaseDown,
  inventoryGrantedUp,
  inventorySalePrice,
  inventoryTakerQuote,
} from "../../../ts/pool/math";

const BUDGET = 312_1875n * 10n ** 14n; // 11.25 ETH x 1,850 x 2.5 % x 60 %
const HELD = 1125n * 10n ** 16n;
const INDEX = 1850n * WAD;
const sale = (elapsed: bigint) =>
  inventoryDiscountPerBaseDown({
    index: INDEX,
    rateBpsPerMinute: 10n,
    elapsed,
    budget: BUDGET,
    held: HELD,
    penaltyBps: 250n,
  });

describe("inventory sale math", () => {
  it("grows from zero at 0.1 % of the index a minute, capped by the budget per base held", () => {
    expect(sale(0n)).toBe(0n);
    expect(sale(300n)).toBe(925n * 10n ** 16n);
    expect(inventorySalePrice(INDEX, sale(300n), true)).toBe(184_075n * 10n ** 16n);
    expect(sale(3600n)).toBe(2775n * 10n ** 16n);
    expect(inventorySalePrice(INDEX, sale(600n), true)).toBe(18_315n * 10n ** 17n);
    expect(inventoryTakerQuote(5n * WAD, inventorySalePrice(INDEX, sale(600n), true), true)).toBe(
      5n * 18_315n * 10n ** 17n,
    );
    expect(inventoryTakerQuote(2n * WAD, inventorySalePrice(INDEX, 1n, false), false)).toBe(-(2n * INDEX + 2n));
  });

  it("never grants more than the budget; the budget per base left never shrinks but for rounding", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 22n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n * WAD }),
        fc.bigInt({ min: 0n, max: 86_400n }),
        (held, stepSeed, budget, index, elapsed) => {
          const step = (stepSeed % held) + 1n;
          const d = inventoryDiscountPerBaseDown({
            index,
            rateBpsPerMinute: 100n,
            elapsed,
            budget,
            held,
            penaltyBps: 500n,
          });
          const g = inventoryGrantedUp(step, d);
          expect(g).toBeLessThanOrEqual(budget);
          // Up to the rounding of what was granted (1 wei of budget spread over what is left).
          const left = held - step;
          if (left > 0n)
            expect(((budget - g) * WAD) / left).toBeGreaterThanOrEqual((budget * WAD) / held - WAD / left - 1n);
          expect(d).toBeLessThan(index);
        },
      ),
      { numRuns: 500 },
    );
  });
});
