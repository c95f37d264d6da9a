// ts/display/scenario.ts: a risk-grid row as people read it (SPEC-19 §6): move/50 × tier-0 maintenance × weight.
import { describe, expect, it } from "vitest";
import { DEFAULT_RISK_GRID } from "../../ts/deploy/riskGrid";
import { formatBindingScenario, formatMoveBps, formatScenario } from "../../ts/display/scenario";

const ETH = { symbol: "ETH", maintenanceBps: 500 };
const BTC = { symbol: "BTC", maintenanceBps: 500n };
const markets = [ETH, BTC];
const row = (label: string) => {
  const found = DEFAULT_RISK_GRID.find((r) => r.label === label);
  if (!found) throw new Error(label);
  return found;
};

describe("formatScenario", () => {
  it("renders a row as each listed market's price move, with a true minus sign and a spaced percent", () => {
    expect(formatScenario(row("ETH -1, BTC +0.2"), markets)).toBe("ETH \u22125 %, BTC +1 %");
    expect(formatScenario(row("broad +1"), markets)).toBe("ETH +5 %, BTC +5 %");
  });

  it("applies the weight: the -2 tail at 50 % charges a 5 % move, the ETH-led tail ETH −5 %, BTC −2.5 %", () => {
    expect(formatScenario(row("tail: all -2"), markets)).toBe("ETH \u22125 %, BTC \u22125 %");
    expect(formatScenario(row("tail: ETH -2, BTC -1"), markets)).toBe("ETH \u22125 %, BTC \u22122.5 %");
  });

  it("scales by each market's own tier-0 maintenance ratio and leaves out unlisted or unmoved columns", () => {
    const wide = [{ symbol: "ETH", maintenanceBps: 800 }, BTC];
    expect(formatScenario({ weightPct: 100, moves: [-50, 10, 0, 0, 0, 0, 0, 0] }, wide)).toBe(
      "ETH \u22128 %, BTC +1 %",
    );
    expect(formatScenario(row("market 2 alone -1"), markets)).toBe("no move");
    expect(formatScenario({ weightPct: 33n, moves: [7n, 0n] }, markets)).toBe("ETH +0.23 %"); // 0.2310 % rounds
  });

  it("formats bps moves the same way (the joint stress headline)", () => {
    expect(formatMoveBps(-1200n)).toBe("\u221212 %");
    expect(formatMoveBps(250n)).toBe("+2.5 %");
    expect(formatMoveBps(-5n)).toBe("\u22120.05 %");
  });
});

describe("formatBindingScenario", () => {
  const grid = DEFAULT_RISK_GRID;
  it("names the binding row, the floor, or nothing when the account does not net", () => {
    expect(formatBindingScenario(6n, grid, markets, true)).toBe("ETH \u22125 %, BTC +1 %");
    expect(formatBindingScenario(2n ** 256n - 1n, grid, markets, true)).toBe("floor");
    expect(formatBindingScenario(2n ** 256n - 1n, grid, markets, false)).toBe("\u2014");
    expect(formatBindingScenario(99n, grid, markets, true)).toBe("row 99");
  });
});
