// ts/scenario/funding.ts's check of every funding period (the main job's "no period's rate exceeded its cap or its
// change limit"): a charge above the cap that applied, or a move past one step the cap does not explain, is reported;
// a cap that pulls the charge toward zero and an unvouched period's reset to zero are not.
import { describe, expect, it } from "vitest";
import { checkPeriods } from "../../ts/scenario/funding";
import type { FundingPeriod } from "../../ts/scenario/types";

const BPS = 100_000_000n; // 1 bp of the index in the premium's 1e-12 units
const CAP = 50n * BPS;
const STEP = (CAP * 2500n) / 10_000n; // 12.5 bps

let block = 0n;
function period(previousCharged: bigint, charged: bigint, over: Partial<FundingPeriod> = {}): FundingPeriod {
  block++;
  return {
    block,
    time: block * 600n,
    premium: charged,
    blended: charged,
    previousCharged,
    charged,
    kicker: 0n,
    capEffective: CAP,
    extreme: false,
    vouched: true,
    ratePerSecond: 0n,
    kickerPerSecond: 0n,
    ...over,
  };
}

describe("checkPeriods", () => {
  it("passes charges within the cap and one step of the period before, and reports the largest ratios", () => {
    const c = checkPeriods([period(0n, STEP), period(STEP, 2n * STEP), period(2n * STEP, 2n * STEP - STEP / 2n)], STEP);
    expect(c.violations).toEqual([]);
    expect(c.periods).toBe(3);
    expect(c.maxStepRatio).toBe(1);
    expect(c.maxCapRatio).toBe(0.5);
  });

  it("accepts an extreme session's cap pulling the charge toward zero by more than a step", () => {
    const half = CAP / 2n;
    const c = checkPeriods([period(CAP, half, { capEffective: half, extreme: true })], STEP);
    expect(c.violations).toEqual([]);
    expect(c.loweredByCap).toBe(1);
    expect(c.maxCapRatio).toBe(1);
  });

  it("accepts a reset to zero while the oracle does not vouch, and nothing else then", () => {
    expect(checkPeriods([period(CAP, 0n, { vouched: false })], STEP)).toMatchObject({ violations: [], unvouched: 1 });
    expect(checkPeriods([period(CAP, 0n, { vouched: false, kicker: 1n })], STEP).violations).toHaveLength(1);
  });

  it("reports a charge above the cap that applied, and a move past the step the cap does not explain", () => {
    expect(checkPeriods([period(CAP, CAP + 1n)], STEP).violations).toEqual([
      expect.stringMatching(/\|charged\| \d+ > cap/),
    ]);
    expect(checkPeriods([period(0n, STEP + 1n)], STEP).violations).toEqual([expect.stringMatching(/> step/)]);
    // Past the step away from zero, onto the cap: not the cap's doing.
    const onCap = period(-CAP / 2n, CAP / 2n, { capEffective: CAP / 2n, extreme: true });
    expect(checkPeriods([onCap], STEP).violations).toHaveLength(1);
  });
});
