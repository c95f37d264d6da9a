// Trade → Margin: portfolio margin for the connected account (SPEC-19 §6): the maintenance requirement with netting,
// the sum of the positions' standalone requirements without it, what netting frees, and the scenario that binds
// (the lens's AccountHealth at the head block; the grid read once from the pool's risk engine).
import { readContract } from "viem/actions";
import { perpLensAbi } from "../../abi/generated";
import { type RiskScenarios, readRiskScenarios } from "../../chain/riskScenarios";
import { formatBindingScenario } from "../../display/scenario";
import type { Ctx } from "./context";
import { fill, h, stat } from "./dom";
import { pct, usd } from "./fmt";

export type NettingPanel = { element: HTMLElement; refresh(): Promise<void> };

export function nettingPanel(ctx: Ctx): NettingPanel {
  const element = h("div", { class: "stats", "data-testid": "netting" });
  let grid: RiskScenarios | null = null;

  return {
    element,
    async refresh() {
      const owner = ctx.wallet?.account.address;
      if (!owner) return fill(element);
      grid ??= await readRiskScenarios(ctx.publicClient, ctx.deployment);
      const health = await readContract(ctx.publicClient, {
        address: ctx.deployment.contracts.lens,
        abi: perpLensAbi,
        functionName: "accountHealth",
        args: [owner, 0n],
        blockNumber: ctx.head.number,
      });
      const freed = health.additiveMaintenance - health.maintenanceRequirement;
      fill(
        element,
        stat(
          "Maintenance with netting",
          usd(ctx.usdc, health.maintenanceRequirement),
          "netting-maintenance",
          "the worst loss over the risk engine's scenario grid, at least the floor share of the sum",
        ),
        stat(
          "Without netting (sum of positions)",
          usd(ctx.usdc, health.additiveMaintenance),
          "netting-additive",
          "what the positions would require each alone",
        ),
        stat(
          "Netting frees",
          `${usd(ctx.usdc, freed)}${health.additiveMaintenance === 0n ? "" : ` (${pct(freed, health.additiveMaintenance, 0)})`}`,
          "netting-freed",
        ),
        stat(
          "Binding scenario",
          formatBindingScenario(health.bindingScenario, grid.scenarios, grid.markets, freed > 0n),
          "netting-binding",
          "the joint move of the grid that sets the requirement",
        ),
      );
    },
  };
}
