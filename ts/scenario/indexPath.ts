// The index between crashes: a small mean-reverting random walk per market from a fixed seed (every run of a
// scenario sees the same prices), on a grid coarse enough that any whole-bps shock of it is a representable
// feed answer (so the crash lands exactly on the shocked index the prediction used).
import { WAD } from "../money";

/** Deterministic uniform [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Price grid: 0.01 quote (WAD 1e16), so price * (10_000 + bps) / 10_000 stays a multiple of 1e10 (8-decimal feeds). */
export const PRICE_TICK = 10n ** 16n;

export class IndexPath {
  private readonly random: () => number;
  readonly prices: bigint[];
  private readonly anchors: bigint[];

  /**
   * @param stepBps most a step moves each price (uniform in +-stepBps)
   * @param pullBps share of the distance to the initial price a step recovers (mean reversion)
   */
  constructor(
    initial: readonly bigint[],
    seed: number,
    private readonly stepBps = 25,
    private readonly pullBps = 2_000,
  ) {
    this.random = seededRandom(seed);
    this.prices = initial.map(roundToTick);
    this.anchors = [...this.prices];
  }

  /** Moves every price one step; returns the new prices (WAD, on the tick grid). */
  step(): bigint[] {
    for (let i = 0; i < this.prices.length; i++) {
      const p = this.prices[i] as bigint;
      const anchor = this.anchors[i] as bigint;
      const noise = BigInt(Math.round((this.random() * 2 - 1) * this.stepBps * 100)); // 1e-6 units
      const pull = ((anchor - p) * BigInt(this.pullBps)) / 10_000n;
      this.prices[i] = roundToTick(p + pull + (p * noise) / 100_000_000n);
    }
    return [...this.prices];
  }

  /** Sets the prices after a gap (they stay there: no mean reversion to the old level). */
  gap(prices: readonly bigint[]): void {
    prices.forEach((p, i) => {
      this.prices[i] = p;
      this.anchors[i] = p;
    });
  }
}

export function roundToTick(price: bigint): bigint {
  return ((price + PRICE_TICK / 2n) / PRICE_TICK) * PRICE_TICK;
}

/** A WAD price as a feed answer of `decimals` (exact on the tick grid). */
export function feedAnswerOf(price: bigint, decimals: number): bigint {
  return (price * 10n ** BigInt(decimals)) / WAD;
}
