// The SDK's mirror of the oracle's realized volatility (ts/pool/math/volatilityMath.ts): the vectors the forge tests
// pin (test/unit/OracleVolatility.t.sol), and over random inputs the same wei as VolatilityMath on chain (through
// contracts/test/VolatilityMathExposed.sol).
import fc from "fast-check";
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { volatilityMathExposedAbi, volatilityMathExposedBytecode } from "../../../ts/abi/generated";
import { deployContract } from "../../../ts/devnet/deploy";
import { WAD } from "../../../ts/money";
import { initialMultiplierBps, MAX_VARIANCE, nextVariance, sqrtCeil, VOL_WINDOW } from "../../../ts/pool/math";
import { useChain } from "../harness";

const U128 = (1n << 128n) - 1n;
const U256 = (1n << 256n) - 1n;

describe("volatility math (vectors)", () => {
  it("annualizes a squared return over the hour window, decays linearly, keeps only the last move after a gap", () => {
    expect(nextVariance(0n, 2000n * WAD, 2040n * WAD, 12n)).toBe(350_400_000n); // 2 % in a block
    expect(nextVariance(0n, 2000n * WAD, 2300n * WAD, 12n)).toBe(19_710_000_000n); // 15 %
    expect(nextVariance(350_400_000n, 2040n * WAD, 2040n * WAD, 1800n)).toBe(175_200_000n); // half the window
    expect(nextVariance(350_400_000n, 2040n * WAD, 2040n * WAD, VOL_WINDOW)).toBe(0n); // a calm hour
    expect(nextVariance(350_400_000n, 2040n * WAD, 20604n * 10n ** 17n, 7200n)).toBe(43_800_000n); // 1 % after 2 h
    expect(nextVariance(0n, 2000n * WAD, 20_000n * WAD, 12n)).toBe(MAX_VARIANCE); // tenfold: clamped
    expect(nextVariance(123n, 0n, 2000n * WAD, 12n)).toBe(123n); // first observation
    expect(nextVariance(123n, 2000n * WAD, 3000n * WAD, 0n)).toBe(123n); // no time
  });

  it("scales the initial margin by σ over the reference, rounding up, within 1x and the cap", () => {
    expect(initialMultiplierBps(0n, 8000n, 30_000n)).toBe(10_000n);
    expect(initialMultiplierBps(8000n ** 2n, 8000n, 30_000n)).toBe(10_000n);
    expect(initialMultiplierBps(8000n ** 2n + 1n, 8000n, 30_000n)).toBe(10_002n);
    expect(initialMultiplierBps(16_000n ** 2n, 8000n, 30_000n)).toBe(20_000n);
    expect(initialMultiplierBps(MAX_VARIANCE, 8000n, 30_000n)).toBe(30_000n);
    expect(initialMultiplierBps(MAX_VARIANCE, 0n, 30_000n)).toBe(10_000n);
  });

  it("sqrtCeil is the least s with s² >= x", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U256 }), (x) => {
        const s = sqrtCeil(x);
        expect(s * s >= x).toBe(true);
        if (s > 0n) expect((s - 1n) * (s - 1n) < x).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("volatility math vs VolatilityMath on chain (to the wei)", () => {
  const chain = useChain();
  let exposed: Address;
  beforeAll(async () => {
    exposed = await deployContract(chain.deployer, chain.publicClient, {
      name: "VolatilityMathExposed",
      abi: volatilityMathExposedAbi,
      bytecode: volatilityMathExposedBytecode,
    });
  });
  const contract = () => ({ address: exposed, abi: volatilityMathExposedAbi }) as const;

  /** A price, and a second one a random relative move away (calm, small, large, beyond the clamp, or any). */
  const pricePair = fc
    .tuple(
      fc.bigInt({ min: 0n, max: U128 }),
      fc.oneof(
        fc.constant(0n),
        fc.bigInt({ min: 0n, max: 10n ** 16n }),
        fc.bigInt({ min: 0n, max: 2n * WAD }),
        fc.bigInt({ min: 10n ** 24n - 10n, max: 10n ** 24n + 10n }),
      ),
      fc.boolean(),
      fc.option(fc.bigInt({ min: 0n, max: U128 }), { freq: 5 }),
    )
    .map(([last, rel, up, any]) => {
      if (any !== null) return [last, any] as const;
      const move = (last * rel) / WAD;
      const price = up ? last + move : last > move ? last - move : 0n;
      return [last, price > U128 ? U128 : price] as const;
    });
  const dt = fc.oneof(
    fc.bigInt({ min: 0n, max: 2n * VOL_WINDOW }),
    fc.constantFrom(0n, 1n, 12n, VOL_WINDOW - 1n, VOL_WINDOW, VOL_WINDOW + 1n),
    fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
  );
  const variance = fc.oneof(fc.bigInt({ min: 0n, max: MAX_VARIANCE }), fc.constantFrom(0n, MAX_VARIANCE));

  it("nextVariance equals the library for random variances, prices and gaps", async () => {
    await fc.assert(
      fc.asyncProperty(variance, pricePair, dt, async (v, [last, price], t) => {
        const onChain = await chain.publicClient.readContract({
          ...contract(),
          functionName: "nextVariance",
          args: [v, last, price, t],
        });
        expect(nextVariance(v, last, price, t), `v ${v} last ${last} price ${price} dt ${t}`).toBe(onChain);
      }),
      { numRuns: 500 },
    );
  });

  it("initialMultiplierBps equals the library for random variances, references and caps", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt({ min: 0n, max: MAX_VARIANCE }), fc.bigInt({ min: 0n, max: U256 })),
        fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 50_000n }), fc.bigInt({ min: 1n, max: U128 })),
        fc.oneof(fc.bigInt({ min: 10_000n, max: 50_000n }), fc.bigInt({ min: 0n, max: U128 })),
        async (v, ref, cap) => {
          const onChain = await chain.publicClient.readContract({
            ...contract(),
            functionName: "initialMultiplierBps",
            args: [v, ref, cap],
          });
          expect(initialMultiplierBps(v, ref, cap), `v ${v} ref ${ref} cap ${cap}`).toBe(onChain);
        },
      ),
      { numRuns: 300 },
    );
  });
});
