// The gas model the keeper packs blocks with (ts/keeper/tx/gasModel.ts): before any receipt a transaction is
// expected to use its estimate; after, what our mined transactions used of their estimates in the last blocks.
import { describe, expect, it } from "vitest";
import { GasModel } from "../../../ts/keeper/tx/gasModel";

describe("gas model", () => {
  it("trusts the node's estimate until a receipt teaches it, and never predicts more than the gas limit", () => {
    const m = new GasModel();
    expect(m.predictUsed("liquidation", 1_500_000n, 1_200_000n)).toBe(1_200_000n);
    expect(m.predictUsed("liquidation", 1_000_000n, 1_200_000n)).toBe(1_000_000n);
    expect(m.usedBps("liquidation")).toBeUndefined();
  });

  it("predicts from what the last blocks used of their estimates (plus a 0.5 % margin), per task", () => {
    const m = new GasModel();
    // Block 10: two transactions used 85 % of what was estimated for them together.
    m.observe("liquidation", 10n, 1_000_000n, 900_000n);
    m.observe("liquidation", 10n, 1_000_000n, 800_000n);
    expect(m.usedBps("liquidation")).toBe(8_500n);
    expect(m.predictUsed("liquidation", 3_000_000n, 2_000_000n)).toBe(1_710_000n); // 2M x 85.5 %
    expect(m.usedBps("funding")).toBeUndefined();
  });

  it("forgets all but the last three blocks", () => {
    const m = new GasModel();
    m.observe("liquidation", 1n, 1_000_000n, 1_000_000n);
    for (const b of [2n, 3n, 4n]) m.observe("liquidation", b, 1_000_000n, 500_000n);
    expect(m.usedBps("liquidation")).toBe(5_000n);
  });
});
