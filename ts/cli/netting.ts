// The netting figures `perp positions` shows per account (SPEC-19 §6): the requirement with netting, the sum without
// it, what netting frees, and the scenario that binds.
import type { RiskScenarios } from "../chain/riskScenarios";
import { formatPercent, formatWad } from "../display/amounts";
import { formatBindingScenario } from "../display/scenario";

/** The AccountHealth fields the figures come from. */
export type NettingHealth = {
  maintenanceRequirement: bigint;
  initialRequirement: bigint;
  additiveMaintenance: bigint;
  additiveInitial: bigint;
  bindingScenario: bigint;
};

export type NettingFigures = {
  maintenance: bigint;
  additiveMaintenance: bigint;
  /** additive - netted maintenance: the capital netting frees. */
  freedMaintenance: bigint;
  initial: bigint;
  additiveInitial: bigint;
  freedInitial: bigint;
  /** "ETH −5 %, BTC +1 %", "floor", or "—" (nothing nets). */
  bindingScenario: string;
};

export function nettingFigures(
  health: NettingHealth,
  grid: Pick<RiskScenarios, "scenarios" | "markets">,
): NettingFigures {
  const freedMaintenance = health.additiveMaintenance - health.maintenanceRequirement;
  return {
    maintenance: health.maintenanceRequirement,
    additiveMaintenance: health.additiveMaintenance,
    freedMaintenance,
    initial: health.initialRequirement,
    additiveInitial: health.additiveInitial,
    freedInitial: health.additiveInitial - health.initialRequirement,
    bindingScenario: formatBindingScenario(health.bindingScenario, grid.scenarios, grid.markets, freedMaintenance > 0n),
  };
}

/** "  netting: maintenance 3,000.00 (without netting 5,000.00: frees 2,000.00, 40.0 %), initial …; binding …". */
export function nettingLine(f: NettingFigures): string {
  return (
    `  netting: maintenance ${formatWad(f.maintenance)} (without netting ${formatWad(f.additiveMaintenance)}: ` +
    `frees ${formatWad(f.freedMaintenance)}, ${formatPercent(f.freedMaintenance, f.additiveMaintenance, 1)}), ` +
    `initial ${formatWad(f.initial)} (without ${formatWad(f.additiveInitial)}); binding scenario ${f.bindingScenario}`
  );
}
