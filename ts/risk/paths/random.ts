// One seeded random stream per path: path k's numbers depend on (seed, k) only, never on which other paths were drawn
// or on how the paths are split across workers. The generator is pure-rand's xoroshiro128+, its 128-bit state set
// from a hash of (seed, k); uniforms take the generator's high bits (53 of them), normals come from Marsaglia's polar
// method (only `Math.log` and `Math.sqrt`: the first an fdlibm port in V8, the second exact, so a Node version gives
// the same numbers on every machine).
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";

/** The random numbers of one path, drawn in a fixed order. */
export type PathRandom = {
  /** A uniform double in (0, 1): a multiple of 2^-53 plus 2^-54, never 0 nor 1 (safe for `Math.log`). */
  uniform(): number;
  /** A standard normal (mean 0, variance 1). */
  normal(): number;
};

/** Outputs thrown away after seeding, so that no two nearby states start with correlated outputs. */
const WARM_UP = 16;
const TWO_POW_26 = 67_108_864;
const TWO_POW_32 = 4_294_967_296;
const TWO_POW_MINUS_53 = 1 / 9_007_199_254_740_992;
const HALF_ULP = TWO_POW_MINUS_53 / 2;
/** FNV-1a 32-bit prime and four offset bases (the standard basis, then three arbitrary odd constants). */
const FNV_PRIME = 0x01000193;
const FNV_BASES = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35] as const;
/** Weyl increment (2^32 / golden ratio) that separates the four state words' inputs. */
const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finalizer: an invertible avalanche mix (each input bit flips each output bit with p ≈ ½). */
export function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** FNV-1a of the seed's UTF-8 bytes, from one of four offset bases. */
function fnv1a(bytes: Uint8Array, basis: number): number {
  let h = basis | 0;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME);
  return h | 0;
}

/**
 * The 128-bit generator state of path k: four 32-bit words, word j = fmix32(fmix32(FNV-1a_j(seed)) ⊕ fmix32(kLo +
 * (j+1)·φ) ⊕ fmix32(kHi ⊕ j)), with kLo/kHi the low and high 32 bits of k and φ = 0x9e3779b9. Every word depends on
 * every seed byte and every bit of k; an all-zero state (xoroshiro's one forbidden state) is replaced by a fixed one.
 */
export function pathState(seed: string, k: number): [number, number, number, number] {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`path index must be a non-negative integer (got ${k})`);
  const bytes = new TextEncoder().encode(seed);
  const kLo = k >>> 0;
  const kHi = Math.floor(k / TWO_POW_32) >>> 0;
  const words = FNV_BASES.map((basis, j) => {
    const s = fmix32(fnv1a(bytes, basis));
    return fmix32(s ^ fmix32((kLo + Math.imul(j + 1, GOLDEN)) | 0) ^ fmix32(kHi ^ j));
  }) as [number, number, number, number];
  if (words.every((w) => w === 0)) words[0] = 1;
  return words;
}

/**
 * Path k's random stream.
 * Uniforms: (a·2^26 + b) · 2^-53 + 2^-54 with a, b the high 27 and 26 bits of two outputs (xoroshiro128+'s low bits
 * are its weakest, so this does not use pure-rand's `uniformFloat64`, which takes the low ones).
 * Normals: Marsaglia's polar method, two per accepted pair; the second is kept for the next call.
 * @example
 * const rng = pathRandom("risk-2026-12-06", 17);
 * const z = rng.normal();
 */
export function pathRandom(seed: string, k: number): PathRandom {
  const rng = xoroshiro128plusFromState(pathState(seed, k));
  for (let i = 0; i < WARM_UP; i++) rng.next();
  const uniform = (): number => {
    const a = rng.next() >>> 5;
    const b = rng.next() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_MINUS_53 + HALF_ULP;
  };
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    hasSpare = true;
    return u * f;
  };
  return { uniform, normal };
}
