// The SDK's mirror of the tail-risk oracle's math (ts/tranches/math/tailRisk.ts): the vectors the forge tests pin
// (test/unit/TailRiskOracle.t.sol), and against a TailRiskOracle on anvil the same target share over random figures
// and the same bounded share, window and exit floor after random sequences of posts and time gaps (fixed parameters).
import fc from "fast-check";
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { tailRiskOracleAbi, tailRiskOracleBytecode } from "../../../ts/abi/generated";
import { deployContract } from "../../../ts/devnet/deploy";
import {
  DEFAULT_TAIL_RISK_PARAMS,
  juniorExitFloorUp,
  nextShareState,
  type ShareState,
  type TailRiskParams,
  targetShareBpsUp,
} from "../../../ts/tranches/math/tailRisk";
import { useChain } from "../harness";

/** The deployment defaults as the contract takes them (viem: numbers for the 16- and 32-bit fields). */
const PARAMS = {
  multiplierBps: 20_000,
  minShareBps: 5000,
  maxShareBps: 9000,
  maxStepBps: 500,
  maxDailyBps: 1500,
  maxAge: 2 * 86_400,
  coverageMultipleBps: 15_000,
  referenceShockBps: -2000,
};
const P: TailRiskParams = DEFAULT_TAIL_RISK_PARAMS;
const USDC = 10n ** 6n;
const U128 = (1n << 128n) - 1n;
const exitFloorUp = (c: bigint, loss: bigint) =>
  juniorExitFloorUp({ juniorEs99: loss, stressLoss: 0n, postedAt: 1n }, 1n, { ...P, coverageMultipleBps: c }).floor;

describe("tail-risk math (vectors)", () => {
  it("asks for clamp(ceil(m · ES99 / capital), lo, hi), hi without capital", () => {
    expect(targetShareBpsUp(3_900_000n * USDC, 10_000_000n * USDC, P)).toBe(7800n);
    expect(targetShareBpsUp(300_001n, 1_000_000n, P)).toBe(6001n); // 6,000.02 rounded up
    expect(targetShareBpsUp(0n, 1n, P)).toBe(5000n);
    expect(targetShareBpsUp(5n, 0n, P)).toBe(9000n);
    expect(exitFloorUp(15_000n, 1_000_001n)).toBe(1_500_002n);
    expect(exitFloorUp(15_000n, 333_333n)).toBe(500_000n);
  });

  it("moves a steady target 5 % a post and 15 % a window (the forge test's sequence)", () => {
    const day = 86_400n;
    let s = nextShareState(undefined, 5000n, 0n, P);
    for (let h = 1n; h <= 10n; h++) s = nextShareState(s, 8800n, h * 3600n, P);
    expect(s.shareBps).toBe(6500n);
    for (let h = 1n; h <= 3n; h++) s = nextShareState(s, 8800n, day + h * 3600n, P);
    expect(s.shareBps).toBe(8000n);
    s = nextShareState(s, 8800n, 2n * day + 3n * 3600n, P);
    expect(s.shareBps).toBe(8500n);
    s = nextShareState(s, 8800n, 2n * day + 3n * 3600n, P);
    expect(s.shareBps).toBe(8800n);
  });
});

describe("tail-risk math vs TailRiskOracle on chain (to the wei)", () => {
  const chain = useChain();
  let oracle: Address;
  beforeAll(async () => {
    // The posts and the pure target never read the pool: any address stands in for it.
    const me = chain.deployer.account.address;
    oracle = await deployContract(chain.deployer, chain.publicClient, {
      name: "TailRiskOracle",
      abi: tailRiskOracleAbi,
      bytecode: tailRiskOracleBytecode,
      args: [me, me, me, PARAMS],
    });
  });

  it("targetShareBps equals targetShareBpsUp", async () => {
    const params = fc.record({
      multiplierBps: fc.integer({ min: 1000, max: 100_000 }),
      minShareBps: fc.integer({ min: 0, max: 10_000 }),
      maxShareBps: fc.integer({ min: 0, max: 10_000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: U128 }),
        fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: U128 })),
        params,
        async (es99, capital, q) => {
          const p = { ...PARAMS, ...q, maxShareBps: Math.max(q.minShareBps, q.maxShareBps) };
          const onChain = await chain.publicClient.readContract({
            address: oracle,
            abi: tailRiskOracleAbi,
            functionName: "targetShareBps",
            args: [es99, capital, p],
          });
          const mirror = targetShareBpsUp(es99, capital, {
            ...P,
            multiplierBps: BigInt(p.multiplierBps),
            minShareBps: BigInt(p.minShareBps),
            maxShareBps: BigInt(p.maxShareBps),
          });
          expect(onChain).toBe(mirror);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("post after post, the share, its window and the exit floor equal the mirror's", async () => {
    const post = fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 * 3600 })),
      es99: fc.bigInt({ min: 0n, max: 10_000_000n * USDC }),
      capital: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 20_000_000n * USDC })),
      stress: fc.bigInt({ min: 0n, max: 5_000_000n * USDC }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(post, { minLength: 1, maxLength: 10 }), async (posts) => {
        const id = await chain.snapshot();
        try {
          let state: ShareState | undefined;
          for (const p of posts) {
            if (p.gap > 0) await chain.testClient.increaseTime({ seconds: p.gap });
            const blockNumber = await chain.publicClient.getBlockNumber();
            const hash = await chain.deployer.writeContract({
              address: oracle,
              abi: tailRiskOracleAbi,
              functionName: "post",
              args: [
                {
                  juniorEs99: p.es99,
                  juniorCapital: p.capital,
                  stressLoss: p.stress,
                  blockNumber,
                  seed: 1n,
                  paths: 1000,
                  reportHash: `0x${"11".repeat(32)}`,
                },
              ],
            });
            const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
            expect(receipt.status).toBe("success");
            const now = (await chain.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
            state = nextShareState(state, targetShareBpsUp(p.es99, p.capital, P), now, P);
            const read = <F extends "figure" | "dayWindow" | "juniorExitFloor">(functionName: F) =>
              chain.publicClient.readContract({ address: oracle, abi: tailRiskOracleAbi, functionName });
            const figure = await read("figure");
            expect(BigInt(figure.shareBps)).toBe(state.shareBps);
            expect(await read("dayWindow")).toEqual([state.windowStart, state.anchorBps]);
            const larger = p.es99 >= p.stress ? p.es99 : p.stress;
            expect(await read("juniorExitFloor")).toEqual([exitFloorUp(15_000n, larger), p.es99 >= p.stress]);
          }
        } finally {
          await chain.revert(id);
        }
      }),
      { numRuns: 8 },
    );
  });
});
