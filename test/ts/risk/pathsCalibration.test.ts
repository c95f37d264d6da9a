// Calibration of the paths without a chain: the estimator on synthetic oracle histories (GBM with known σ and ρ,
// irregular refresh gaps), its fallbacks and positive-definite repair, and the CLI overrides (--vol, --corr).
import { describe, expect, it } from "vitest";
import { PerpError } from "../../../ts/errors";
import { choleskyOf } from "../../../ts/risk/paths/cholesky";
import {
  DEFAULT_CORRELATION,
  DEFAULT_SIGMA_ANNUAL,
  estimateFromHistory,
  type MarketHistory,
  nearestPositiveDefinite,
  type PricePoint,
  pairCorrelation,
} from "../../../ts/risk/paths/estimator";
import { YEAR_SECONDS } from "../../../ts/risk/paths/gbm";
import { applyOverrides } from "../../../ts/risk/paths/overrides";
import { pathRandom } from "../../../ts/risk/paths/random";

/** Two markets' refreshes over `count` blocks 12–120 s apart (both in every block), GBM with σa, σb and ρ. */
function history(count: number, sa: number, sb: number, rho: number, seed = "history") {
  const r = pathRandom(seed, 0);
  const a: PricePoint[] = [{ timestamp: 1_700_000_000, price: 3000 }];
  const b: PricePoint[] = [{ timestamp: 1_700_000_000, price: 60_000 }];
  for (let i = 1; i < count; i++) {
    const last = a[i - 1] as PricePoint;
    const gap = 12 + Math.floor(r.uniform() * 109);
    const dt = gap / YEAR_SECONDS;
    const e1 = r.normal();
    const e2 = rho * e1 + Math.sqrt(1 - rho * rho) * r.normal();
    const timestamp = last.timestamp + gap;
    a.push({ timestamp, price: last.price * Math.exp(-0.5 * sa * sa * dt + sa * Math.sqrt(dt) * e1) });
    const lb = b[i - 1] as PricePoint;
    b.push({ timestamp, price: lb.price * Math.exp(-0.5 * sb * sb * dt + sb * Math.sqrt(dt) * e2) });
  }
  return { a, b };
}

const market = (symbol: string, points: PricePoint[], volReferenceBps = 8000): MarketHistory => ({
  symbol,
  points,
  volReferenceBps,
});

describe("estimateFromHistory", () => {
  it("recovers σ (within 5 %) and ρ (within 0.03) from 10,000 irregular refreshes", () => {
    const { a, b } = history(10_000, 0.8, 0.6, 0.7);
    const est = estimateFromHistory([market("ETH", a), market("BTC", b, 6000)]);
    // SE of σ ≈ σ/√(2n) ≈ 0.7 %; of ρ ≈ (1 − ρ²)/√n ≈ 0.005.
    expect(Math.abs((est.markets[0]?.sigmaAnnual ?? 0) / 0.8 - 1)).toBeLessThan(0.05);
    expect(Math.abs((est.markets[1]?.sigmaAnnual ?? 0) / 0.6 - 1)).toBeLessThan(0.05);
    expect(Math.abs((est.correlation[0]?.[1] ?? 0) - 0.7)).toBeLessThan(0.03);
    expect(est.markets.map((m) => m.source)).toEqual(["oracle: 9999 returns", "oracle: 9999 returns"]);
    expect(est.correlationSource).toBe("ETH/BTC oracle: 9999 returns");
    expect(est.correlation[1]?.[0]).toBe(est.correlation[0]?.[1]);
  });

  it("ignores the order of the points and duplicate timestamps (the later one wins)", () => {
    const { a, b } = history(200, 0.8, 0.6, 0.5);
    const shuffled = [...a].reverse();
    const dup = [...a, { timestamp: (a[10] as PricePoint).timestamp, price: (a[10] as PricePoint).price }];
    const want = estimateFromHistory([market("ETH", a), market("BTC", b)]);
    expect(estimateFromHistory([market("ETH", shuffled), market("BTC", b)])).toEqual(want);
    expect(estimateFromHistory([market("ETH", dup), market("BTC", b)])).toEqual(want);
  });

  it("falls back to volReferenceBps / 10,000 (or 0.8 when 0) and ρ 0.8 with fewer than 30 returns", () => {
    const { a, b } = history(30, 0.8, 0.6, 0.7);
    const est = estimateFromHistory([market("ETH", a, 9000), market("BTC", b, 0)]);
    expect(est.markets).toEqual([
      { symbol: "ETH", sigmaAnnual: 0.9, returns: 0, source: "default (29 returns < 30): volReferenceBps 9000" },
      { symbol: "BTC", sigmaAnnual: DEFAULT_SIGMA_ANNUAL, returns: 0, source: "default (29 returns < 30): 0.8" },
    ]);
    expect(est.correlation).toEqual([
      [1, DEFAULT_CORRELATION],
      [DEFAULT_CORRELATION, 1],
    ]);
    expect(est.correlationSource).toBe("ETH/BTC default 0.8");
  });

  it("falls back when the price never moved, and correlates only refreshes in the same block", () => {
    const flat = Array.from({ length: 100 }, (_, i) => ({ timestamp: 1000 + 60 * i, price: 2000 }));
    const est = estimateFromHistory([market("ETH", flat, 8000)]);
    expect(est.markets[0]?.source).toBe("default (price flat over 99 returns): volReferenceBps 8000");
    expect(est.correlation).toEqual([[1]]);
    // B refreshed one second after A every time: no common timestamps, no correlation estimate.
    const { a, b } = history(500, 0.8, 0.6, 0.7);
    const shifted = b.map((p) => ({ ...p, timestamp: p.timestamp + 1 }));
    expect(pairCorrelation(a, shifted)).toBeNull();
    expect(pairCorrelation(a, b)?.returns).toBe(499);
  });

  it("shrinks a correlation that is not positive definite toward the identity, just enough", () => {
    const bad = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    const { matrix, shrink } = nearestPositiveDefinite(bad);
    expect(shrink).toBeGreaterThan(0);
    expect(() => choleskyOf(matrix, 3)).not.toThrow();
    expect(() => choleskyOf(nearestPositiveDefinite(bad.map((r) => r.map((v) => v))).matrix, 3)).not.toThrow();
    const less = bad.map((row, i) => row.map((v, j) => (i === j ? 1 : (1 - (shrink - 0.05)) * v)));
    expect(() => choleskyOf(less, 3)).toThrow();
    expect(
      nearestPositiveDefinite([
        [1, 0.5],
        [0.5, 1],
      ]),
    ).toEqual({
      matrix: [
        [1, 0.5],
        [0.5, 1],
      ],
      shrink: 0,
    });
  });
});

describe("applyOverrides", () => {
  const params = {
    markets: [
      { symbol: "ETH", sigmaAnnual: 0.7, source: "oracle: 400 returns", marketId: 0 },
      { symbol: "BTC", sigmaAnnual: 0.5, source: "oracle: 400 returns", marketId: 1 },
      { symbol: "SOL", sigmaAnnual: 1.1, source: "default (3 returns < 30): volReferenceBps 11000", marketId: 2 },
    ],
    correlation: [
      [1, 0.8, 0.7],
      [0.8, 1, 0.6],
      [0.7, 0.6, 1],
    ],
    correlationSource: "estimated",
  };

  it("sets σ per symbol (decimal or percentage, any case) and says so in the source", () => {
    const p = applyOverrides(params, { vol: "ETH=0.9, btc=70%" });
    expect(p.markets.map((m) => [m.symbol, m.sigmaAnnual, m.source])).toEqual([
      ["ETH", 0.9, "flag (--vol)"],
      ["BTC", 0.7, "flag (--vol)"],
      ["SOL", 1.1, "default (3 returns < 30): volReferenceBps 11000"],
    ]);
    expect(p.markets[0]?.marketId).toBe(0);
    expect(params.markets[0]?.sigmaAnnual).toBe(0.7); // the input is not mutated
  });

  it("sets every pair with one number, or named pairs", () => {
    expect(applyOverrides(params, { corr: "0.75" }).correlation).toEqual([
      [1, 0.75, 0.75],
      [0.75, 1, 0.75],
      [0.75, 0.75, 1],
    ]);
    const p = applyOverrides(params, { corr: "ETH/SOL=0.5,btc/sol=40%" });
    expect(p.correlation).toEqual([
      [1, 0.8, 0.5],
      [0.8, 1, 0.4],
      [0.5, 0.4, 1],
    ]);
    expect(p.correlationSource).toBe("flag (--corr ETH/SOL=0.5,btc/sol=40%)");
  });

  it("names what is wrong: unknown market, bad number, out of range, not positive definite", () => {
    const message = (o: { vol?: string; corr?: string }) => {
      try {
        applyOverrides(params, o);
      } catch (err) {
        expect(err).toBeInstanceOf(PerpError);
        return (err as PerpError).message;
      }
      return "no error";
    };
    expect(message({ vol: "DOGE=0.9" })).toContain("no market DOGE (markets: ETH, BTC, SOL)");
    expect(message({ vol: "ETH=fast" })).toContain("expected a number such as 0.9 or 90%");
    expect(message({ vol: "ETH" })).toContain("expected SYMBOL=value");
    expect(message({ vol: "ETH=0" })).toContain("σ must be > 0");
    expect(message({ corr: "1" })).toContain("a correlation must be < 1");
    expect(message({ corr: "-0.9" })).toContain("not positive definite");
    expect(message({ corr: "ETH/ETH=0.5" })).toContain("ETH/ETH is one market");
    expect(message({ corr: "ETH-BTC=0.5" })).toContain("expected A/B=value");
  });
});
