// A seeded bigint PRNG (xorshift64*) so every random test replays the same cases.
export function rng(seed: bigint) {
  let s = seed & ((1n << 64n) - 1n) || 1n;
  const next64 = (): bigint => {
    s ^= s >> 12n;
    s ^= (s << 25n) & ((1n << 64n) - 1n);
    s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & ((1n << 64n) - 1n);
  };
  /** Uniform in [0, 2^bits). */
  const bits = (n: number): bigint => {
    let x = 0n;
    for (let i = 0; i < n; i += 64) x = (x << 64n) | next64();
    return x & ((1n << BigInt(n)) - 1n);
  };
  /** Uniform in [lo, hi]. */
  const between = (lo: bigint, hi: bigint): bigint => lo + (bits((hi - lo).toString(2).length + 64) % (hi - lo + 1n));
  /** Log-uniform magnitude in [1, 2^maxBits). */
  const magnitude = (maxBits: number): bigint => {
    const b = Number(between(1n, BigInt(maxBits)));
    return (bits(b) | (1n << BigInt(b - 1))) & ((1n << BigInt(maxBits)) - 1n) || 1n;
  };
  return { bits, between, magnitude, bool: () => (next64() & 1n) === 1n };
}
