// `perp positions`' netting figures: with netting, without it, what it frees, and the binding scenario.
import { describe, expect, it } from "vitest";
import { nettingFigures, nettingLine } from "../../../ts/cli/netting";
import { defaultRiskScenarios } from "../../../ts/deploy/riskGrid";

const WAD = 10n ** 18n;
const grid = {
  scenarios: defaultRiskScenarios(),
  markets: [
    { symbol: "ETH", maintenanceBps: 500n },
    { symbol: "BTC", maintenanceBps: 500n },
  ],
};

describe("nettingFigures", () => {
  it("the hedged book: 2,999.80 with netting against 4,999 without, 40 % freed, row 6 binding", () => {
    const f = nettingFigures(
      {
        maintenanceRequirement: 29_998n * 10n ** 17n,
        additiveMaintenance: 4_999n * WAD,
        initialRequirement: 59_996n * 10n ** 17n,
        additiveInitial: 9_998n * WAD,
        bindingScenario: 6n,
      },
      grid,
    );
    expect(f.freedMaintenance).toBe(19_992n * 10n ** 17n);
    expect(f.freedInitial).toBe(39_984n * 10n ** 17n);
    expect(f.bindingScenario).toBe("ETH \u22125 %, BTC +1 %");
    expect(nettingLine(f)).toBe(
      "  netting: maintenance 2,999.80 (without netting 4,999.00: frees 1,999.20, 40.0%), initial 5,999.60 (without 9,998.00); binding scenario ETH \u22125 %, BTC +1 %",
    );
  });

  it("a lone position frees nothing and no scenario binds", () => {
    const f = nettingFigures(
      {
        maintenanceRequirement: 2_500n * WAD,
        additiveMaintenance: 2_500n * WAD,
        initialRequirement: 5_000n * WAD,
        additiveInitial: 5_000n * WAD,
        bindingScenario: (1n << 256n) - 1n,
      },
      grid,
    );
    expect(f.freedMaintenance).toBe(0n);
    expect(f.bindingScenario).toBe("\u2014");
  });
});
