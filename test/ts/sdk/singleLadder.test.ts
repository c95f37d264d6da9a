// The one-position ladder (singleLadder.ts) is the general one (liquidationOutcome + accountAfterLiquidation) for
// one position: the same verdict, transfer, quote, penalty, bad debt and next state, call after call, for any
// state, price, funding and config (fast-check), including accounts insolvent or below 2 wei of value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WAD } from "../../../ts/money";
import { accountHealthAt } from "../../../ts/pool/math/accountMath";
import {
  accountAfterLiquidation,
  type LiquidationPositionInput,
  liquidationOutcome,
} from "../../../ts/pool/math/liquidationMath";
import { type SingleAccount, singleHealth, singleLiquidation } from "../../../ts/pool/math/singleLadder";
import type { Account, MarketConfig, MarketState } from "../../../ts/pool/types";
import { defaultConfig } from "./fixture";

const MAX = (1n << 256n) - 1n;
const T = 1_000_000n;

describe("the one-position ladder", () => {
  it("takes the same steps as the general ladder, to the wei, until the account is healthy or closed", () => {
    let partialSteps = 0;
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }).filter((s) => s !== 0n),
        fc.bigInt({ min: 100n * WAD, max: 100_000n * WAD }),
        fc.integer({ min: 5_000, max: 15_000 }),
        fc.integer({ min: -2_000, max: 11_000 }),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.constantFrom(500, 2_500, 5_000, 10_000),
        fc.constantFrom(10, 250, 500),
        (size, entry, moveBps, marginBps, cumLong, cumShort, fractionBps, penaltyBps) => {
          const config = {
            ...defaultConfig(),
            volReferenceBps: 0,
            volCapBps: 10_000,
            liquidationFractionBps: fractionBps,
            liquidationPenaltyBps: penaltyBps,
          } as MarketConfig;
          const index = (entry * BigInt(moveBps)) / 10_000n;
          const state = {
            cumFundingLong: cumLong,
            cumFundingShort: cumShort,
            fundingRate: 0n,
            fundingKicker: 0n,
            lastAccrual: T,
            longOpenInterest: 0n,
            shortOpenInterest: 0n,
          } as unknown as MarketState;
          // Collateral that puts the account's value at marginBps of its maintenance requirement (below 0: insolvent).
          const probe = accountHealthAt(
            { collateral: 0n, unsettledProfit: 0n, marketMask: 1 } as unknown as Account,
            [
              {
                marketId: 0n,
                position: { size, openNotional: (size * entry) / WAD, fundingEntry: 0n },
                state,
                config,
                index,
              },
            ],
            T,
          );
          const collateral = (probe.maintenanceRequirement * BigInt(marginBps)) / 10_000n - probe.value;
          let account = { collateral, unsettledProfit: 0n, marketMask: 1 } as unknown as Account;
          let positions: LiquidationPositionInput[] = [
            {
              marketId: 0n,
              position: { size, openNotional: (size * entry) / WAD, fundingEntry: 0n },
              state,
              config,
              index,
            },
          ];
          const single: SingleAccount = {
            collateral,
            unsettledProfit: 0n,
            size,
            openNotional: (size * entry) / WAD,
            fundingEntry: 0n,
          };
          const market = { index, cumLong, cumShort, config };
          for (let call = 0; call < 64; call++) {
            const h = accountHealthAt(account, positions, T);
            expect(singleHealth(single, market)).toEqual({ value: h.value, maintenance: h.maintenanceRequirement });
            const general = liquidationOutcome(account, positions, T, MAX);
            const fast = singleLiquidation(single, market);
            if (general.kind !== "liquidated") {
              expect(fast).toBeUndefined();
              return;
            }
            const [step] = general.steps;
            expect(fast).toEqual({
              transferred: step?.transferred,
              quoteDelta: step?.quoteDelta,
              penalty: step?.penalty,
              everything: general.everything,
              badDebt: general.badDebt,
            });
            const after = accountAfterLiquidation(account, positions, general, T);
            account = after.account;
            positions = after.positions;
            const p = positions[0]?.position;
            expect(single).toMatchObject({
              collateral: account.collateral,
              size: p?.size ?? 0n,
              ...(p ? { openNotional: p.openNotional, fundingEntry: p.fundingEntry } : {}),
            });
            if (!general.everything) partialSteps++;
            if (general.everything || !p) return;
          }
        },
      ),
      { numRuns: 600 },
    );
    // The property means something only if many runs ladder down partially.
    expect(partialSteps).toBeGreaterThan(300);
  });
});
