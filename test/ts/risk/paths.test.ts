// The risk report's price paths: determinism per (seed, k), the statistics each model claims (GBM variance,
// correlation, martingale; Merton jump rate and size), exact feed answers, the crash-day replays reaching their
// documented lows, the input schema and duration parsing. Every statistical check runs on a fixed seed with a
// tolerance of at least 4 standard errors, so it holds for other seeds too.
import { describe, expect, it } from "vitest";
import { CorrelationError, choleskyOf } from "../../../ts/risk/paths/cholesky";
import { CRASH_DAYS, crashDayOfPath, shapeOnSteps } from "../../../ts/risk/paths/crashDays";
import { diffusionOf, gbmLogMoves, YEAR_SECONDS } from "../../../ts/risk/paths/gbm";
import {
  DEFAULT_JUMP_PARAMS,
  MIN_STEP_SECONDS,
  parseDuration,
  pathInputsSchema,
  pathPrices,
  pathRandom,
  quantizeAnswer,
} from "../../../ts/risk/paths/index";
import { jumpLogMoves } from "../../../ts/risk/paths/jump";
import { feedUnitsOf, roundHalfEven } from "../../../ts/risk/paths/quantize";
import type { PathInputs } from "../../../ts/risk/types";

const WAD = 10n ** 18n;

/** xs[i], failing the test when it is missing. */
function at<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

function inputs(over: Partial<PathInputs> = {}): PathInputs {
  return {
    markets: [
      { symbol: "ETH", index0: 3000n * WAD, feedDecimals: 8, sigmaAnnual: 0.8, jumpBeta: 1.2 },
      { symbol: "BTC", index0: 60_000n * WAD, feedDecimals: 8, sigmaAnnual: 0.6, jumpBeta: 1 },
    ],
    correlation: [
      [1, 0.8],
      [0.8, 1],
    ],
    horizonSeconds: 86_400,
    stepSeconds: 300,
    models: ["gbm", "jump", "replay"],
    seed: "paths-test",
    jump: { ...DEFAULT_JUMP_PARAMS },
    ...over,
  };
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
const variance = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  return Array.from(xs).reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1);
};

describe("pathRandom", () => {
  it("is a function of (seed, k) only", () => {
    const draw = (seed: string, k: number) => {
      const r = pathRandom(seed, k);
      return Array.from({ length: 8 }, () => r.normal());
    };
    expect(draw("a", 3)).toEqual(draw("a", 3));
    expect(draw("a", 3)).not.toEqual(draw("a", 4));
    expect(draw("a", 3)).not.toEqual(draw("b", 3));
    expect(draw("a", 2 ** 40)).not.toEqual(draw("a", 0));
  });

  it("gives uniforms strictly inside (0, 1) with mean ½ and variance 1/12", () => {
    const r = pathRandom("u", 0);
    const u = Float64Array.from({ length: 200_000 }, () => r.uniform());
    expect(u.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(0);
    expect(u.reduce((a, b) => Math.max(a, b))).toBeLessThan(1);
    // SE of the mean: √(1/12 / n) ≈ 0.00065; of the variance ≈ 0.00017.
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.001);
  });

  it("gives standard normals: mean 0, variance 1, kurtosis 3", () => {
    const r = pathRandom("z", 1);
    const z = Float64Array.from({ length: 200_000 }, () => r.normal());
    const m4 = mean(z.map((v) => v ** 4));
    expect(Math.abs(mean(z))).toBeLessThan(0.01); // SE 0.0022
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.015); // SE 0.0032
    expect(Math.abs(m4 - 3)).toBeLessThan(0.1); // SE ≈ 0.022
  });
});

describe("pathPrices: determinism", () => {
  it("same inputs and k give identical answers, whatever other paths were drawn and in which order", () => {
    const p = inputs();
    const forward = Array.from({ length: 9 }, (_, k) => pathPrices(p, k).answers);
    const backward = Array.from({ length: 9 }, (_, i) => pathPrices(p, 8 - i).answers).reverse();
    const alone = pathPrices(p, 5).answers;
    for (let k = 0; k < 9; k++) expect(Buffer.from(at(backward, k).buffer)).toEqual(Buffer.from(at(forward, k).buffer));
    expect(Buffer.from(alone.buffer)).toEqual(Buffer.from(at(forward, 5).buffer));
    expect(forward[0]).not.toEqual(forward[3]);
  });

  it("dispatches models[k % models.length] and cycles crash days over the replay paths", () => {
    const p = inputs();
    expect([0, 1, 2, 3].map((k) => pathPrices(p, k).model)).toEqual(["gbm", "jump", "replay", "gbm"]);
    expect([2, 5, 8, 11, 14].map((k) => pathPrices(p, k).scenario)).toEqual([
      "2020-03-12",
      "2021-05-19",
      "2022-11-08",
      "2024-08-05",
      "2020-03-12",
    ]);
    expect(pathPrices(p, 0).scenario).toBeNull();
    const only = inputs({ models: ["replay"] });
    expect([0, 1, 2, 3, 4].map((k) => pathPrices(only, k).scenario)).toEqual([
      ...CRASH_DAYS.map((d) => d.id),
      at(CRASH_DAYS, 0).id,
    ]);
  });

  it("stores N = horizon / step steps of n markets, step 1 first", () => {
    const p = inputs({ horizonSeconds: 3600, stepSeconds: 60 });
    const { answers, path } = pathPrices(p, 7);
    expect(path).toBe(7);
    expect(answers.length).toBe(60 * 2);
    // One minute after B, GBM at 80 % moves ETH by about 0.1 %: step 1 is next to index0.
    expect(Math.abs(at(answers, 0) / 3000e8 - 1)).toBeLessThan(0.01);
    expect(Math.abs(at(answers, 1) / 60_000e8 - 1)).toBeLessThan(0.01);
  });
});

/** Terminal log moves and per-step increments of many GBM (or jump) paths, straight from the model. */
function simulate(p: PathInputs, paths: number, model: "gbm" | "jump") {
  const d = diffusionOf(p);
  const betas = Float64Array.from(p.markets, (m) => m.jumpBeta);
  const terminal = p.markets.map(() => new Float64Array(paths));
  const steps = { a: [] as number[], b: [] as number[] };
  let jumps = 0;
  const x = new Float64Array(d.steps * d.n);
  for (let k = 0; k < paths; k++) {
    const rng = pathRandom(p.seed, k);
    if (model === "gbm") gbmLogMoves(d, rng, x);
    else jumps += jumpLogMoves(d, betas, p.jump, rng, x);
    for (let m = 0; m < d.n; m++) at(terminal, m)[k] = at(x, (d.steps - 1) * d.n + m);
    for (let s = 0; s < d.steps; s++) {
      steps.a.push(at(x, s * d.n) - (s === 0 ? 0 : at(x, (s - 1) * d.n)));
      steps.b.push(at(x, s * d.n + 1) - (s === 0 ? 0 : at(x, (s - 1) * d.n + 1)));
    }
  }
  return { terminal, steps, jumps, d };
}

describe("gbm", () => {
  const p = inputs({ horizonSeconds: 86_400, stepSeconds: 3600 });
  const paths = 20_000;
  const { terminal, steps } = simulate(p, paths, "gbm");
  const t = p.horizonSeconds / YEAR_SECONDS;

  it("log-return variance over the horizon is σ²·t (within 6 %: 4 standard errors of √(2/n))", () => {
    p.markets.forEach((m, i) => {
      const want = m.sigmaAnnual ** 2 * t;
      expect(Math.abs(variance(at(terminal, i)) / want - 1)).toBeLessThan(0.06);
    });
  });

  it("the log return's mean is −σ²·t/2 (Itô correction) and the price's mean is the start (martingale)", () => {
    p.markets.forEach((m, i) => {
      const x = at(terminal, i);
      const sd = Math.sqrt(variance(x) / paths);
      expect(Math.abs(mean(x) + 0.5 * m.sigmaAnnual ** 2 * t)).toBeLessThan(4 * sd);
      const ratio = x.map(Math.exp);
      expect(Math.abs(mean(ratio) - 1)).toBeLessThan(4 * Math.sqrt(variance(ratio) / paths));
    });
  });

  it("increments are correlated as the input (ρ within 0.01 of 0.8 over 480,000 pairs)", () => {
    const { a, b } = steps;
    const ma = mean(a);
    const mb = mean(b);
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < a.length; i++) {
      ab += (at(a, i) - ma) * (at(b, i) - mb);
      aa += (at(a, i) - ma) ** 2;
      bb += (at(b, i) - mb) ** 2;
    }
    expect(Math.abs(ab / Math.sqrt(aa * bb) - 0.8)).toBeLessThan(0.01);
  });

  it("three markets: every pair's correlation matches (Cholesky of a full 3 × 3)", () => {
    const c = [
      [1, 0.7, 0.3],
      [0.7, 1, -0.2],
      [0.3, -0.2, 1],
    ];
    const p3 = inputs({
      markets: [
        ...inputs().markets,
        { symbol: "SOL", index0: 150n * WAD, feedDecimals: 8, sigmaAnnual: 1, jumpBeta: 1.5 },
      ],
      correlation: c,
      horizonSeconds: 3600,
      stepSeconds: 60,
    });
    const d = diffusionOf(p3);
    const x = new Float64Array(d.steps * 3);
    const inc: number[][] = [[], [], []];
    for (let k = 0; k < 2000; k++) {
      gbmLogMoves(d, pathRandom("three", k), x);
      for (let s = 0; s < d.steps; s++) {
        for (let m = 0; m < 3; m++) at(inc, m).push(at(x, s * 3 + m) - (s === 0 ? 0 : at(x, (s - 1) * 3 + m)));
      }
    }
    const corr = (u: number[], v: number[]) => {
      const mu = mean(u);
      const mv = mean(v);
      let uv = 0;
      let uu = 0;
      let vv = 0;
      for (let i = 0; i < u.length; i++) {
        uv += (at(u, i) - mu) * (at(v, i) - mv);
        uu += (at(u, i) - mu) ** 2;
        vv += (at(v, i) - mv) ** 2;
      }
      return uv / Math.sqrt(uu * vv);
    };
    // 120,000 pairs: SE ≤ 1/√n ≈ 0.003.
    expect(Math.abs(corr(at(inc, 0), at(inc, 1)) - 0.7)).toBeLessThan(0.015);
    expect(Math.abs(corr(at(inc, 0), at(inc, 2)) - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(corr(at(inc, 1), at(inc, 2)) + 0.2)).toBeLessThan(0.015);
  });
});

describe("jump (Merton)", () => {
  const lambda = 4 * 365; // 4 a day, so a one-day path has 4 on average
  const p = inputs({
    horizonSeconds: 86_400,
    stepSeconds: 3600,
    jump: { intensityPerYear: lambda, meanLog: -0.08, stdLog: 0.06 },
  });
  const paths = 10_000;

  it("jumps arrive at the intensity: mean count λ·t (within 4 SE of √(λt / n))", () => {
    const { jumps } = simulate(p, paths, "jump");
    const want = (lambda * p.horizonSeconds) / YEAR_SECONDS;
    expect(Math.abs(jumps / paths - want)).toBeLessThan(4 * Math.sqrt(want / paths));
  });

  it("the price stays a martingale (compensated jumps) and has a fat left tail", () => {
    const { terminal } = simulate(p, paths, "jump");
    const eth = at(terminal, 0);
    const ratio = eth.map(Math.exp);
    expect(Math.abs(mean(ratio) - 1)).toBeLessThan(4 * Math.sqrt(variance(ratio) / paths));
    // With jumps the variance exceeds the diffusion's: σ²t + λt·β²(μ² + s²).
    const t = p.horizonSeconds / YEAR_SECONDS;
    const want = 0.8 ** 2 * t + lambda * t * 1.2 ** 2 * (0.08 ** 2 + 0.06 ** 2);
    expect(Math.abs(variance(eth) / want - 1)).toBeLessThan(0.1);
  });

  it("a market's log jump is jumpBeta × the common jump", () => {
    // Almost no diffusion: what is left of each path is the jumps, ETH's 1.2 × BTC's (compensators aside).
    const tiny = inputs({
      ...p,
      markets: p.markets.map((m) => ({ ...m, sigmaAnnual: 1e-9 })),
    });
    const d = diffusionOf(tiny);
    const x = new Float64Array(d.steps * 2);
    let checked = 0;
    for (let k = 0; k < 50; k++) {
      const n = jumpLogMoves(d, Float64Array.of(1.2, 1), tiny.jump, pathRandom("beta", k), x);
      if (n === 0) continue;
      const t = tiny.horizonSeconds / YEAR_SECONDS;
      const comp = (b: number) => -lambda * Math.expm1(b * -0.08 + 0.5 * b * b * 0.0036) * t;
      const jEth = at(x, (d.steps - 1) * 2) - comp(1.2);
      const jBtc = at(x, (d.steps - 1) * 2 + 1) - comp(1);
      expect(jEth).toBeCloseTo(1.2 * jBtc, 6);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe("feed answers", () => {
  it("rounds half to even", () => {
    expect([0.5, 1.5, 2.5, 2.4999, 2.5001, 301_234.5, 301_235.5].map(roundHalfEven)).toEqual([
      0, 2, 2, 2, 3, 301_234, 301_236,
    ]);
  });

  it("is an integer, at least 1, exact in a double; above 2^53 rounded to a coarser power of ten", () => {
    expect(quantizeAnswer(0.2)).toBe(1);
    expect(quantizeAnswer(0)).toBe(1);
    expect(quantizeAnswer(2 ** 53)).toBe(2 ** 53);
    expect(quantizeAnswer(9_007_199_254_740_996)).toBe(9_007_199_254_741_000);
    for (const v of [3.000_000_000_000_123e21, 1.234_567_890_123e18, 9.1e15, 7.77e25]) {
      const a = quantizeAnswer(v);
      expect(Number.isInteger(a)).toBe(true);
      expect(Number(BigInt(a))).toBe(a); // BigInt reads it exactly
      expect(Math.abs(a / v - 1)).toBeLessThan(1e-15);
    }
    expect(() => quantizeAnswer(Number.NaN)).toThrow(RangeError);
    expect(() => quantizeAnswer(-1)).toThrow(RangeError);
  });

  it("every answer of every model is an integer ≥ 1, exact, even at 18 decimals and a collapsing price", () => {
    const p = inputs({
      markets: [
        { symbol: "ETH", index0: 3000n * WAD + 123n, feedDecimals: 18, sigmaAnnual: 0.8, jumpBeta: 1.2 },
        { symbol: "PEPE", index0: 3n * 10n ** 12n, feedDecimals: 8, sigmaAnnual: 15, jumpBeta: 3 },
      ],
    });
    for (let k = 0; k < 12; k++) {
      for (const a of pathPrices(p, k).answers) {
        expect(Number.isInteger(a) && a >= 1 && Number(BigInt(a)) === a).toBe(true);
      }
    }
  });

  it("reads the index at B in feed units exactly where it can", () => {
    expect(feedUnitsOf(3000n * WAD, 8)).toBe(3000e8);
    expect(feedUnitsOf(60_000n * WAD + 5n * 10n ** 9n, 8)).toBe(6e12 + 0.5);
  });
});

describe("crash-day replays", () => {
  it("each waypoint list starts at 0, ends at t = 1, and runs forward in time", () => {
    for (const day of CRASH_DAYS) {
      for (const w of [day.eth, day.btc]) {
        expect(w[0]).toEqual([0, 0]);
        expect(w.at(-1)?.[0]).toBe(1);
        for (let i = 1; i < w.length; i++) expect(at(w, i)[0]).toBeGreaterThan(at(w, i - 1)[0]);
      }
    }
  });

  it("the shape on the steps hits the documented low exactly, whatever the number of steps", () => {
    for (const day of CRASH_DAYS) {
      for (const w of [day.eth, day.btc]) {
        const low = Math.min(...w.map(([, m]) => m));
        for (const steps of [4, 24, 288, 1000]) {
          expect(Math.min(...shapeOnSteps(w, steps))).toBe(Math.log1p(low));
        }
      }
    }
  });

  it("replay paths reach each day's ETH and BTC low within the horizon (noise aside), others follow BTC × beta", () => {
    const p = inputs({
      markets: [
        ...inputs().markets,
        { symbol: "SOL", index0: 150n * WAD, feedDecimals: 8, sigmaAnnual: 1, jumpBeta: 1.5 },
      ],
      correlation: [
        [1, 0.8, 0.7],
        [0.8, 1, 0.7],
        [0.7, 0.7, 1],
      ],
      models: ["replay"],
    });
    const p0 = [3000e8, 60_000e8, 150e8];
    CRASH_DAYS.forEach((day, k) => {
      const { answers, scenario } = pathPrices(p, k);
      expect(scenario).toBe(day.id);
      expect(crashDayOfPath(k, 1).id).toBe(day.id);
      const lows = [0, 1, 2].map((m) => Math.min(...answers.filter((_, i) => i % 3 === m)) / at(p0, m) - 1);
      const ethLow = Math.min(...day.eth.map(([, m]) => m));
      const btcLow = Math.min(...day.btc.map(([, m]) => m));
      // Noise: a quarter of σ over a day, sd ≤ 0.25 · 1 · √(1/365) ≈ 1.3 %.
      expect(Math.abs(at(lows, 0) - ethLow)).toBeLessThan(0.05);
      expect(Math.abs(at(lows, 1) - btcLow)).toBeLessThan(0.05);
      expect(Math.abs(at(lows, 2) - ((1 + btcLow) ** 1.5 - 1))).toBeLessThan(0.06);
    });
  });
});

describe("pathInputsSchema", () => {
  const issues = (over: Partial<PathInputs>) => {
    const r = pathInputsSchema.safeParse(inputs(over));
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("accepts valid inputs unchanged", () => {
    expect(pathInputsSchema.parse(inputs())).toEqual(inputs());
  });

  it("rejects a horizon that is not a whole number of steps, and steps under a minute", () => {
    expect(issues({ horizonSeconds: 1000, stepSeconds: 300 })).toEqual([
      "horizonSeconds: horizon 1000 s is not a whole number of 300 s steps",
    ]);
    expect(issues({ stepSeconds: 30 }).join()).toContain(`step must be at least ${MIN_STEP_SECONDS} s`);
  });

  it("rejects a correlation of the wrong shape, asymmetric, off-diagonal 1s or not positive definite", () => {
    expect(issues({ correlation: [[1, 0.8]] }).join()).toContain("expected 2 × 2");
    expect(
      issues({
        correlation: [
          [1, 0.8],
          [0.7, 1],
        ],
      }).join(),
    ).toContain("[0][1] = 0.8 but [1][0] = 0.7");
    expect(
      issues({
        correlation: [
          [0.9, 0.8],
          [0.8, 1],
        ],
      }).join(),
    ).toContain("diagonal entry [0][0] must be 1");
    expect(
      issues({
        correlation: [
          [1, 1],
          [1, 1],
        ],
      }).join(),
    ).toContain("not positive definite");
  });

  it("rejects σ ≤ 0, no markets, no models, an unknown model, an empty seed, a negative jump intensity", () => {
    const eth = at(inputs().markets, 0);
    expect(issues({ markets: [{ ...eth, sigmaAnnual: 0 }], correlation: [[1]] }).join()).toContain(
      "sigmaAnnual must be > 0",
    );
    expect(issues({ markets: [], correlation: [] }).join()).toContain("at least one market");
    expect(issues({ models: [] }).join()).toContain("at least one model");
    expect(issues({ models: ["gbm", "heston" as never] }).length).toBe(1);
    expect(issues({ seed: "" }).join()).toContain("seed must not be empty");
    expect(issues({ jump: { intensityPerYear: -1, meanLog: 0, stdLog: 0 } }).join()).toContain(
      "jump.intensityPerYear must be ≥ 0",
    );
  });

  it("choleskyOf throws a typed CorrelationError saying where", () => {
    const bad = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => choleskyOf(bad, 3)).toThrow(CorrelationError);
    try {
      choleskyOf(bad, 3);
    } catch (err) {
      expect((err as CorrelationError).problem).toBe("notPositiveDefinite");
      expect((err as CorrelationError).at).toEqual([2, 2]);
    }
    expect(
      Array.from(
        choleskyOf(
          [
            [1, 0.8],
            [0.8, 1],
          ],
          2,
        ),
      ).map((v) => Math.round(v * 1e12) / 1e12),
    ).toEqual([1, 0, 0.8, 0.6]);
  });
});

describe("parseDuration", () => {
  it("reads s, m, h, d", () => {
    expect(["90s", "5m", "24h", "1d", " 2H "].map(parseDuration)).toEqual([90, 300, 86_400, 86_400, 7200]);
  });

  it("names the bad input", () => {
    for (const bad of ["", "24", "1.5h", "-5m", "5 minutes", "0h", "10x"]) {
      expect(() => parseDuration(bad)).toThrow(`invalid duration "${bad}"`);
    }
  });
});

describe("speed", () => {
  // About 0.1 s on an idle machine; the bound leaves room for a loaded CI box.
  it("draws 1,000 paths of 288 steps × 2 markets in under 3 s even on a loaded machine", () => {
    const p = inputs();
    const start = performance.now();
    for (let k = 0; k < 1000; k++) pathPrices(p, k);
    const ms = performance.now() - start;
    console.log(`pathPrices: ${ms.toFixed(0)} ms per 1,000 paths (288 steps × 2 markets, gbm/jump/replay)`);
    expect(ms).toBeLessThan(3000);
  });
});
