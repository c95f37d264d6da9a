// Portfolio margin in `npm start`: the hedged desk's requirement with netting beside the sum without it (the capital
// netting frees), and how the desk and the naked trader with the same margin came out of the crash.
import type { Address } from "viem";
import { perpLensAbi } from "../abi/generated";
import { readRiskScenarios } from "../chain/riskScenarios";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { formatBindingScenario } from "../display/scenario";
import type { LiquidationRecord, NettingAccount, NettingOutcome } from "./types";

type Who = { name: string; owner: Address; subId: bigint };

async function health(clients: DevClients, deployment: Deployment, who: Who, blockNumber: bigint) {
  return clients.publicClient.readContract({
    address: deployment.contracts.lens,
    abi: perpLensAbi,
    functionName: "accountHealth",
    args: [who.owner, who.subId],
    blockNumber,
  });
}

/** The desk's and the naked trader's health before the crash (block `before`) and at the end (`after`). */
export async function nettingOutcome(
  clients: DevClients,
  deployment: Deployment,
  pair: { desk: Who; naked: Who },
  blocks: { before: bigint; after: bigint },
  liquidations: readonly LiquidationRecord[],
): Promise<NettingOutcome> {
  const grid = await readRiskScenarios(clients.publicClient, deployment);
  const account = async (who: Who): Promise<NettingAccount> => {
    const [b, a] = await Promise.all([
      health(clients, deployment, who, blocks.before),
      health(clients, deployment, who, blocks.after),
    ]);
    const steps = liquidations.filter(
      (l) => l.owner.toLowerCase() === who.owner.toLowerCase() && l.subId === who.subId,
    );
    return {
      name: who.name,
      collateral: b.collateral,
      maintenance: b.maintenanceRequirement,
      additiveMaintenance: b.additiveMaintenance,
      initial: b.initialRequirement,
      additiveInitial: b.additiveInitial,
      binding: formatBindingScenario(
        b.bindingScenario,
        grid.scenarios,
        grid.markets,
        b.maintenanceRequirement < b.additiveMaintenance,
      ),
      valueAfter: a.value,
      maintenanceAfter: a.maintenanceRequirement,
      liquidationSteps: steps.length,
    };
  };
  const [desk, naked] = await Promise.all([account(pair.desk), account(pair.naked)]);
  return { desk, naked };
}
