// Replays of documented crypto crash days. Each day is a list of waypoints (time fraction of the day's window →
// move of the price from the window's start) for ETH and BTC, reconstructed from published figures (start, intraday
// low, later partial recovery, the times the reports give): not tick data. A day's window is stretched or squeezed
// onto the report's horizon; a small seeded GBM noise on top makes paths of one day differ. Markets other than ETH
// and BTC follow BTC's shape scaled by their jumpBeta (in log space). Sources: docs/risk-models.md.
import type { PathInputs } from "../types";
import { type Diffusion, gbmLogMoves } from "./gbm";
import type { PathRandom } from "./random";

/** [time fraction of the day's window in [0, 1], price move from the window's start (−0.3 = 30 % below)]. */
export type Waypoint = readonly [t: number, move: number];

/** One crash day: its id (the report's `scenario`), the UTC window the waypoints span, and the two shapes. */
export type CrashDay = {
  id: string;
  title: string;
  /** The window the waypoints span, UTC ISO times; its length is mapped onto the report's horizon. */
  window: readonly [start: string, end: string];
  eth: readonly Waypoint[];
  btc: readonly Waypoint[];
};

/**
 * The documented days, oldest first. Start prices, lows and later prices are the published ones (see
 * docs/risk-models.md for each figure's source); the times of the intermediate waypoints are approximate.
 */
export const CRASH_DAYS: readonly CrashDay[] = [
  {
    id: "2020-03-12",
    title: "Black Thursday: two liquidation waves, BTC −51 % and ETH −48 % at the low",
    window: ["2020-03-12T00:00:00Z", "2020-03-13T04:00:00Z"],
    // BTC from ~$7,900: $7,300 at 10:00, $5,690 at 11:00, ~$5,800 until 23:00, low $3,867 at ~02:15 on the 13th,
    // back to ~$5,400 within 30 minutes, ~$5,256 after.
    btc: [
      [0, 0],
      [0.357, -0.076],
      [0.393, -0.28],
      [0.496, -0.258],
      [0.821, -0.266],
      [0.955, -0.511],
      [0.973, -0.316],
      [1, -0.335],
    ],
    // ETH from ~$195: over 30 % down in the first wave, low $101.44, ~$124.63 after.
    eth: [
      [0, 0],
      [0.357, -0.08],
      [0.393, -0.3],
      [0.821, -0.3],
      [0.955, -0.48],
      [1, -0.361],
    ],
  },
  {
    id: "2021-05-19",
    title: "China ban and leverage flush: BTC −30 % and ETH −45 % intraday, half recovered",
    window: ["2021-05-19T00:00:00Z", "2021-05-20T00:00:00Z"],
    // BTC from ~$42,950 (Reuters: $33,502 was −22 %): below $40,000 by midday, low $30,066, $35,774 at 16:17 UTC.
    btc: [
      [0, 0],
      [0.5, -0.075],
      [0.53, -0.12],
      [0.57, -0.3],
      [0.678, -0.167],
      [1, -0.22],
    ],
    // ETH from ~$3,388 (Reuters: $2,439 was −28 %): ~$3,000 by midday, low $1,850, $2,521.68 at 16:20 UTC.
    eth: [
      [0, 0],
      [0.5, -0.115],
      [0.53, -0.17],
      [0.57, -0.454],
      [0.678, -0.256],
      [1, -0.28],
    ],
  },
  {
    id: "2022-11-08",
    title: "FTX collapse (Nov 8–9): BTC −24 % and ETH −30 % over two days",
    window: ["2022-11-08T00:00:00Z", "2022-11-10T00:00:00Z"],
    // BTC from ~$20,600: ~$17,500 late on the 8th, closing the day ~11 % down; after Binance walked away on the 9th,
    // low $15,625, the day −14 %.
    btc: [
      [0, 0],
      [0.33, -0.03],
      [0.45, -0.15],
      [0.5, -0.11],
      [0.75, -0.14],
      [0.93, -0.242],
      [1, -0.226],
    ],
    // ETH from ~$1,570: ~$1,100 at the low on the 9th (−16.9 % that day, −29 % on the week).
    eth: [
      [0, 0],
      [0.33, -0.03],
      [0.45, -0.2],
      [0.5, -0.16],
      [0.75, -0.19],
      [0.93, -0.3],
      [1, -0.29],
    ],
  },
  {
    id: "2024-08-05",
    title: "Yen carry-trade unwind: BTC −15 % and ETH −21 % within hours, partly recovered",
    window: ["2024-08-04T18:00:00Z", "2024-08-05T18:00:00Z"],
    // BTC from $58,350: ~$53,000 at 01:30 UTC, low $49,443 (under 5 hours), $52,761 at 09:00, $54,653 at 15:36.
    btc: [
      [0, 0],
      [0.31, -0.092],
      [0.53, -0.153],
      [0.625, -0.096],
      [0.9, -0.063],
      [1, -0.063],
    ],
    // ETH from $2,695: low $2,118, $2,330 at 09:00, $2,440 at 15:36.
    eth: [
      [0, 0],
      [0.31, -0.15],
      [0.53, -0.214],
      [0.625, -0.135],
      [0.9, -0.095],
      [1, -0.095],
    ],
  },
];

/** The replay noise: each market's σ times this (a quarter), on the inputs' correlation. */
export const REPLAY_NOISE_SCALE = 0.25;

/** Crash day of path k: days cycle over the replay paths (k / models.length, rounded down, modulo the days). */
export function crashDayOfPath(k: number, models: number): CrashDay {
  return CRASH_DAYS[Math.floor(k / models) % CRASH_DAYS.length] as CrashDay;
}

/**
 * A shape on the report's steps: log(1 + move) at step s = 0..N. Each waypoint lands on the nearest step (when two
 * land on one step, the larger move wins, so the published low is always hit); steps between are linear in log.
 * @example
 * const x = shapeOnSteps(CRASH_DAYS[0].btc, 288); // x[0] = 0, min(x) = log(1 − 0.511)
 */
export function shapeOnSteps(waypoints: readonly Waypoint[], steps: number): Float64Array {
  const x = new Float64Array(steps + 1).fill(Number.NaN);
  for (const [t, move] of waypoints) {
    const s = Math.round(t * steps);
    const v = Math.log1p(move);
    const current = x[s] as number;
    if (Number.isNaN(current) || Math.abs(v) > Math.abs(current)) x[s] = v;
  }
  x[0] = 0;
  let last = 0;
  for (let s = 1; s <= steps; s++) {
    if (Number.isNaN(x[s] as number)) continue;
    for (let i = last + 1; i < s; i++) {
      x[i] = (x[last] as number) + (((x[s] as number) - (x[last] as number)) * (i - last)) / (s - last);
    }
    last = s;
  }
  for (let i = last + 1; i <= steps; i++) x[i] = x[last] as number;
  return x;
}

/** Shapes already put on a number of steps, by day id, market shape and steps (a few per report). */
const shapes = new Map<string, Float64Array>();

/** `shapeOnSteps`, computed once per (day, shape, steps); the array is shared: read it, never write it. */
function cachedShape(day: CrashDay, which: "eth" | "btc", steps: number): Float64Array {
  const key = `${day.id}:${which}:${steps}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = shapeOnSteps(day[which], steps);
    shapes.set(key, shape);
  }
  return shape;
}

/** Which shape a market follows: ETH's, BTC's, or BTC's times its jumpBeta. */
function shapeOf(symbol: string): { which: "eth" | "btc"; scaled: boolean } {
  const s = symbol.toUpperCase();
  if (s === "ETH") return { which: "eth", scaled: false };
  return { which: "btc", scaled: s !== "BTC" };
}

/**
 * Writes `day`'s log moves into `out` (length steps·n): each market's shape on the steps plus a correlated GBM at
 * REPLAY_NOISE_SCALE of its σ (n normals per step from `rng`).
 */
export function replayLogMoves(
  d: Diffusion,
  markets: PathInputs["markets"],
  day: CrashDay,
  rng: PathRandom,
  out: Float64Array,
): void {
  gbmLogMoves(d, rng, out, REPLAY_NOISE_SCALE);
  const { n, steps } = d;
  markets.forEach((market, m) => {
    const { which, scaled } = shapeOf(market.symbol);
    const shape = cachedShape(day, which, steps);
    const beta = scaled ? market.jumpBeta : 1;
    for (let s = 1; s <= steps; s++) {
      const i = (s - 1) * n + m;
      out[i] = (out[i] as number) + beta * (shape[s] as number);
    }
  });
}
