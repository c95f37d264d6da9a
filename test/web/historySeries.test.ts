// The Earn charts' conversion of the SDK's history (bigints) into chart series: strictly increasing times (the chart
// library refuses anything else), the later sample of a second kept, APR points only where a rate exists, and each
// premium payment placed on the first sample at or after it.
import { describe, expect, it } from "vitest";
import type {
  GetTrancheHistoryReturnType,
  TrancheHistoryPoint,
  TranchePremiumEvent,
} from "../../ts/tranches/actions/getTrancheHistory";
import { sideSeries } from "../../ts/web/app/historySeries";

const WAD = 10n ** 18n;

function point(blockNumber: bigint, timestamp: bigint, sharePrice: bigint, apr: bigint | null): TrancheHistoryPoint {
  return {
    blockNumber,
    timestamp,
    sharePrice,
    sharePriceScaled: sharePrice * WAD,
    totalAssets: 0n,
    apr,
    aprFromBlock: 0n,
    aprElapsed: 0n,
    aprComplete: false,
  };
}

function history(points: TrancheHistoryPoint[], premiums: TranchePremiumEvent[]): GetTrancheHistoryReturnType {
  const side = { vault: "0x0000000000000000000000000000000000000001" as const, deployedAt: 0n, points, premiums };
  return {
    fromBlock: 0n,
    toBlock: 9n,
    step: 1n,
    aprWindow: 86_400n,
    blocks: points.map((p) => ({ blockNumber: p.blockNumber, timestamp: p.timestamp })),
    junior: side,
    senior: { ...side, points: [], premiums: [] },
    distributions: [],
  };
}

describe("sideSeries", () => {
  it("keeps one point a second (the later block), in time order, with APRs only where a rate exists", () => {
    const h = history(
      [
        point(1n, 100n, 1_000_000n, null),
        point(2n, 100n, 1_000_001n, 5n * 10n ** 16n),
        point(3n, 160n, 1_000_500n, 10n ** 17n),
        point(4n, 220n, 1_250_000n, null),
      ],
      [],
    );
    const s = sideSeries(h, "junior", 6);
    expect(s.price).toEqual([
      { time: 100, value: 1.000001 },
      { time: 160, value: 1.0005 },
      { time: 220, value: 1.25 },
    ]);
    expect(s.apr).toEqual([
      { time: 100, value: 5 },
      { time: 160, value: 10 },
    ]);
  });

  it("puts each premium payment on the first sample at or after it, and drops one after the last sample", () => {
    const h = history(
      [point(1n, 100n, 1_000_000n, null), point(5n, 200n, 1_000_000n, 0n), point(9n, 300n, 1_000_000n, 0n)],
      [
        { kind: "stream", blockNumber: 3n, timestamp: 150n, assets: 1_234_567_890n, streamEnd: 900n },
        { kind: "boost", blockNumber: 5n, timestamp: 200n, assets: 2_500_000n, streamEnd: 0n },
        { kind: "stream", blockNumber: 10n, timestamp: 310n, assets: 1n, streamEnd: 999n },
      ],
    );
    expect(sideSeries(h, "junior", 6).markers).toEqual([
      { time: 200, text: "+1,235", kind: "stream" },
      { time: 200, text: "boost +3", kind: "boost" },
    ]);
  });
});
