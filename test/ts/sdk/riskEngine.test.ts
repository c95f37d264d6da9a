// The SDK's risk engine mirror (ts/pool/math/portfolioMath) equals contracts/RiskEngine.sol to the wei: random valid
// grids (fast-check) deployed on anvil, random exposures of 1–8 non-zero columns, `netRequirements` and
// `worstScenario` compared; the grid read back (`readRiskGrid`) is the grid deployed; and the constructor refuses
// each invalid grid with the error `validateGrid` names, same args.
import fc from "fast-check";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { riskEngineAbi, riskEngineBytecode } from "../../../ts/abi/generated";
import { deployContract } from "../../../ts/devnet/deploy";
import { ContractRevertError } from "../../../ts/errors";
import { readRiskGrid } from "../../../ts/pool/actions/getRiskEngine";
import {
  netRequirements,
  type RiskGrid,
  type Scenario,
  validateGrid,
  worstScenario,
} from "../../../ts/pool/math/portfolioMath";
import { useChain } from "../harness";
import { exposure, validGrid } from "./gridArbitraries";

const chain = useChain();

async function deployEngine(g: RiskGrid): Promise<Address> {
  const scenarios = g.scenarios.map((s) => ({ weightPct: s.weightPct, moves: tuple8(s.moves) }));
  return deployContract(chain.deployer, chain.publicClient, {
    abi: riskEngineAbi,
    bytecode: riskEngineBytecode,
    args: [scenarios, g.floorBps],
    name: "RiskEngine",
  });
}

/** An 8-column vector as the ABI's fixed-size array type. */
const tuple8 = <T>(x: readonly T[]) => x as unknown as readonly [T, T, T, T, T, T, T, T];

describe("RiskEngine: the TS mirror equals the chain to the wei", () => {
  it("netRequirements and worstScenario agree on random grids and exposures of 1-8 markets", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        validGrid,
        fc.array(fc.tuple(exposure, exposure), { minLength: 4, maxLength: 8 }),
        async (g, xs) => {
          const engine = await deployEngine(g);
          const read = { address: engine, abi: riskEngineAbi } as const;
          expect(await readRiskGrid(chain.publicClient, engine)).toEqual({
            scenarios: g.scenarios.map((s) => ({ weightPct: s.weightPct, moves: [...s.moves] })),
            floorBps: g.floorBps,
          });
          for (const [m, i] of xs) {
            const [maintReq, initialReq] = await chain.publicClient.readContract({
              ...read,
              functionName: "netRequirements",
              args: [tuple8(m), tuple8(i)],
            });
            expect({ maintReq, initialReq }).toEqual(netRequirements(g.scenarios, g.floorBps, m, i));
            const [requirement, row, floorBinds] = await chain.publicClient.readContract({
              ...read,
              functionName: "worstScenario",
              args: [tuple8(m)],
            });
            const ts = worstScenario(g.scenarios, g.floorBps, m);
            expect({ requirement, row, floorBinds }).toEqual({ ...ts, row: BigInt(ts.row) });
            compared++;
          }
        },
      ),
      { numRuns: 40, seed: 19_19, endOnFailure: true },
    );
    expect(compared).toBeGreaterThanOrEqual(160);
  });

  it("the constructor refuses each invalid grid with validateGrid's error and args", async () => {
    const base: Scenario[] = [
      { weightPct: 100, moves: [50, 50, 50, 50, 50, 50, 50, 50] },
      { weightPct: 100, moves: [-50, -50, -50, -50, -50, -50, -50, -50] },
    ];
    const zero = [0, 0, 0, 0, 0, 0, 0, 0];
    const bad: [Scenario[], bigint][] = [
      [[], 2_000n],
      [Array.from({ length: 33 }, (_, k) => base[k % 2] as Scenario), 2_000n],
      [base, 999n],
      [base, 10_001n],
      [[...base, { weightPct: 0, moves: zero }], 2_000n],
      [[...base, { weightPct: 101, moves: zero }], 2_000n],
      [[...base, { weightPct: 100, moves: [0, 0, 51, 0, 0, 0, 0, 0] }], 2_000n],
      [[...base, { weightPct: 40, moves: [0, 0, 0, 0, 0, -126, 0, 0] }], 2_000n],
      [[{ weightPct: 100, moves: [49, 50, 50, 50, 50, 50, 50, 50] }, base[1] as Scenario], 2_000n],
      [[base[0] as Scenario, { weightPct: 100, moves: [-50, -50, -50, -50, -50, -50, -50, -25] }], 2_000n],
    ];
    for (const [scenarios, floorBps] of bad) {
      let expected: { name: string; args: readonly unknown[] } | undefined;
      try {
        validateGrid(scenarios, floorBps);
      } catch (err) {
        if (err instanceof ContractRevertError) expected = { name: err.errorName, args: err.args ?? [] };
      }
      expect(expected, "the TS validation refuses it").toBeDefined();
      let onChain: { name: string; args: readonly unknown[] } | undefined;
      try {
        await deployEngine({ scenarios, floorBps });
      } catch (err) {
        if (err instanceof ContractRevertError) onChain = { name: err.errorName, args: err.args ?? [] };
        else throw err;
      }
      expect(onChain).toEqual(expected);
    }
  });
});
