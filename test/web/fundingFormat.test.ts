// The forecast panel's compound figures from the SDK's view: the most the next period can charge (the change limit's
// reach plus the kicker's max, per hour at the period's length), the blend weight against its ceiling, and crowding
// against the kicker's threshold, each saying plainly when the policy leaves it off.
import { describe, expect, it } from "vitest";
import type { FundingForecastView } from "../../ts/pool/actions/getFundingForecast";
import { blendText, crowdingText, mostNextText } from "../../ts/web/app/fundingFormat";

const BPS = 100_000_000n; // 1 bp of the index in premium units (1e-12)
const MAX_UINT256 = (1n << 256n) - 1n;

/** The fields the figures read, around an hourly ETH-like market with SPEC-22's parameters. */
function view(o: {
  period?: bigint;
  maxPremium?: bigint;
  kickerMax?: bigint;
  blendWeight?: bigint;
  blendWeightBps?: number;
  crowdingBps?: bigint;
  kickerThresholdBps?: number;
  kickerMaxE8?: number;
}): FundingForecastView {
  const partial = {
    fundingPeriod: o.period ?? 3_600n,
    max: { premium: o.maxPremium ?? (375n * BPS) / 10n, kickerPremium: o.kickerMax ?? 5n * BPS },
    blendWeight: o.blendWeight ?? 0n,
    crowdingBps: o.crowdingBps ?? 0n,
    kickerThresholdBps: BigInt(o.kickerThresholdBps ?? 5000),
    params: { blendWeightBps: o.blendWeightBps ?? 3000, kickerMaxE8: o.kickerMaxE8 ?? 50_000 },
  };
  return partial as unknown as FundingForecastView;
}

describe("forecast panel figures", () => {
  it("the most the next period charges is the rate's reach plus the kicker's max, per hour", () => {
    expect(mostNextText(view({}))).toBe("0.4250% / h (rate 0.3750% + kicker 0.0500%)");
    // An 8-hour period charges an eighth of it an hour.
    expect(mostNextText(view({ period: 8n * 3_600n, maxPremium: 40n * BPS, kickerMax: 0n }))).toBe(
      "0.0500% / h (rate 0.0500% + kicker 0.0000%)",
    );
  });

  it("the blend weight reads against its ceiling, or off", () => {
    expect(blendText(view({ blendWeight: 85_000_000_000n }))).toBe("8.50% of 30.00%");
    expect(blendText(view({ blendWeight: 0n }))).toBe("0.00% of 30.00%");
    expect(blendText(view({ blendWeightBps: 0 }))).toBe("off");
  });

  it("crowding reads against the kicker's threshold, infinite with no capital, and says when there is no kicker", () => {
    expect(crowdingText(view({ crowdingBps: 90n, kickerThresholdBps: 50 }))).toBe("0.90% vs 0.50%");
    expect(crowdingText(view({ crowdingBps: MAX_UINT256 }))).toBe("∞ vs 50.00%");
    expect(crowdingText(view({ kickerThresholdBps: 0 }))).toBe("no kicker");
    expect(crowdingText(view({ kickerMaxE8: 0 }))).toBe("no kicker");
  });
});
