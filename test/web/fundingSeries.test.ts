// The funding chart's conversion of FundingUpdated values (premiums in 1e-12 of the index per funding period) into
// % of the index per hour, and the forecast panel's text: exact percentages with the sign of who pays, steps held
// up to the head, strictly increasing times (the chart library refuses anything else).
import { describe, expect, it } from "vitest";
import type { FundingHistoryEntry } from "../../ts/pool/actions/getFundingHistory";
import { nextUpdateText, premiumPct, premiumPerHourDay, ratePerHourDay } from "../../ts/web/app/fundingFormat";
import { fundingSeries, premiumPerHour } from "../../ts/web/app/fundingSeries";

const BPS = 100_000_000n; // 1 bp of the index in premium units (1e-12)
const WAD = 10n ** 18n;

function update(timestamp: bigint, charged: bigint, kicker: bigint, capEffective: bigint): FundingHistoryEntry {
  return {
    marketId: 0n,
    blockNumber: timestamp,
    timestamp,
    transactionHash: "0x00",
    logIndex: 0,
    ratePerSecond: 0n,
    kickerPerSecond: 0n,
    twapMark: 0n,
    twapIndex: 0n,
    premium: charged,
    blended: charged,
    charged,
    kicker,
    capEffective,
  };
}

describe("funding series and text", () => {
  it("a premium per period is the same fraction of the index per hour only when the period is an hour", () => {
    expect(premiumPerHour(50n * BPS, 3_600n)).toBeCloseTo(0.5, 12);
    expect(premiumPerHour(-50n * BPS, 8n * 3_600n)).toBeCloseTo(-0.0625, 12);
    expect(premiumPct((-125n * BPS) / 10n, 3_600n, 3_600n)).toBe("-0.1250%");
    expect(premiumPct(50n * BPS, 8n * 3_600n, 86_400n)).toBe("1.5000%");
    expect(premiumPerHourDay(5n * BPS, 3_600n)).toBe("0.0500% / h · 1.2000% / d");
  });

  it("a rate per second reads as a share of the index, signed by who pays", () => {
    // 1 USDC per ETH per hour at an index of 2,000: 0.05 % an hour, 1.2 % a day; shorts pay when negative.
    const rate = -WAD / 3_600n;
    expect(ratePerHourDay(rate, 2_000n * WAD)).toBe("-0.0500% / h · -1.2000% / d");
  });

  it("each update's values hold until the next, drawn up to the head; a second with two updates keeps the later", () => {
    const s = fundingSeries(
      [
        update(100n, 10n * BPS, 0n, 50n * BPS),
        update(700n, 20n * BPS, 0n, 50n * BPS),
        update(700n, 25n * BPS, 4n * BPS, 25n * BPS),
      ],
      3_600n,
      1_000n,
    );
    expect(s.rate.map((p) => p.time)).toEqual([100, 700, 1000]);
    expect(s.rate.map((p) => p.value)).toEqual([0.1, 0.25, 0.25]);
    expect(s.kicker.map((p) => p.value)).toEqual([0, 0.04, 0.04]);
    expect(s.capHigh.map((p) => p.value)).toEqual([0.5, 0.25, 0.25]);
    expect(s.capLow.map((p) => p.value)).toEqual([-0.5, -0.25, -0.25]);
    // A head no later than the last update adds nothing; no update, no point.
    expect(fundingSeries([update(700n, BPS, 0n, BPS)], 3_600n, 700n).rate).toHaveLength(1);
    expect(fundingSeries([], 3_600n, 1_000n).rate).toEqual([]);
  });

  it("counts down to the next update, then says it is due", () => {
    expect(nextUpdateText(1_000n, 748n)).toBe("in 4m 12s");
    expect(nextUpdateText(1_000n, 1_000n)).toBe("due now");
  });
});
