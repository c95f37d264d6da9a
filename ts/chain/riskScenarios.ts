// What rendering a binding scenario needs, read from the chain: the pool's risk engine's grid and each listed
// market's symbol and tier-0 maintenance ratio (a row's move is in units of that ratio: ts/display/scenario.ts).
import { type Address, zeroAddress } from "viem";
import { perpPoolAbi, riskEngineAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { ProtocolPublicClient } from "../deploy/txQueue";
import type { ScenarioMarket, ScenarioRow } from "../display/scenario";
import { unpackTier } from "../pool/math/marginMath";

export type RiskScenarios = {
  /** The pool's engine (zero: no netting, every market additive). */
  engine: Address;
  scenarios: readonly ScenarioRow[];
  floorBps: bigint;
  /** Column c = market id c. */
  markets: ScenarioMarket[];
};

/** The engine's rows and floor (none when the pool has no engine) and every listed market's tier-0 maintenance. */
export async function readRiskScenarios(
  publicClient: ProtocolPublicClient,
  deployment: Deployment,
): Promise<RiskScenarios> {
  const pool = deployment.contracts.pool;
  const [engine, configs] = await Promise.all([
    publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "riskEngine" }),
    Promise.all(
      deployment.markets.map((m) =>
        publicClient.readContract({
          address: pool,
          abi: perpPoolAbi,
          functionName: "marketConfig",
          args: [BigInt(m.marketId)],
        }),
      ),
    ),
  ]);
  const markets = deployment.markets.map((m, i) => ({
    symbol: m.symbol,
    maintenanceBps: unpackTier(configs[i]?.tiers ?? 0n, 0).maintenanceBps,
  }));
  if (engine === zeroAddress) return { engine, scenarios: [], floorBps: 10_000n, markets };
  const [scenarios, floorBps] = await Promise.all([
    publicClient.readContract({ address: engine, abi: riskEngineAbi, functionName: "scenarios" }),
    publicClient.readContract({ address: engine, abi: riskEngineAbi, functionName: "floorBps" }),
  ]);
  return { engine, scenarios, floorBps, markets };
}
