// `perp stress ETH -12 BTC -4`: the joint shock's words reach the command in the order typed and are parsed into one
// move per market id before any read.
import { describe, expect, it } from "vitest";
import { withNegativeOperands } from "../../../ts/cli/operands";
import { jointShockBps, parseShockLegs } from "../../../ts/cli/values";
import type { Deployment } from "../../../ts/deploy/deployment";

const deployment = {
  markets: [
    { marketId: 0, symbol: "ETH" },
    { marketId: 1, symbol: "BTC" },
  ],
} as unknown as Deployment;

describe("parseShockLegs", () => {
  it("reads pairs MARKET MOVE in percent, % or bps", () => {
    expect(parseShockLegs(["ETH", "-12", "BTC", "-4"])).toEqual([
      { market: "ETH", shockBps: -1200n },
      { market: "BTC", shockBps: -400n },
    ]);
    expect(parseShockLegs(["btc-perp", "+2.5%", "eth", "-300bps"])).toEqual([
      { market: "btc-perp", shockBps: 250n },
      { market: "eth", shockBps: -300n },
    ]);
  });

  it("refuses an odd word count, a market twice, a move that is not one, and a move of -100 % or beyond", () => {
    expect(() => parseShockLegs([])).toThrow(/expected pairs MARKET MOVE/);
    expect(() => parseShockLegs(["ETH", "-12", "BTC"])).toThrow(/expected pairs MARKET MOVE/);
    expect(() => parseShockLegs(["ETH", "-12", "eth-perp", "3"])).toThrow(/eth-perp is given twice/);
    expect(() => parseShockLegs(["ETH", "lots"])).toThrow(/ETH "lots": expected a percentage/);
    expect(() => parseShockLegs(["-12", "ETH"])).toThrow(/"-12" is not a market|expected a percentage/);
    expect(() => parseShockLegs(["ETH", "-100"])).toThrow(/ETH -100: expected a non-zero shock above -100%/);
  });
});

describe("jointShockBps", () => {
  it("puts each move at its market id and 0 for the markets left alone", () => {
    expect(jointShockBps(deployment, parseShockLegs(["BTC", "-4"]))).toEqual([0n, -400n]);
    expect(jointShockBps(deployment, parseShockLegs(["BTC", "-4", "ETH", "-12"]))).toEqual([-1200n, -400n]);
  });

  it("names the deployment's markets when one is unknown", () => {
    expect(() => jointShockBps(deployment, parseShockLegs(["SOL", "-10"]))).toThrow(/lists ETH, BTC/);
  });
});

describe("withNegativeOperands", () => {
  it("keeps operands in the order typed from the first negative number on, flags and their values in front", () => {
    expect(withNegativeOperands(["stress", "ETH", "-12", "BTC", "-4", "--deployment", "d.json"])).toEqual([
      "stress",
      "ETH",
      "--deployment",
      "d.json",
      "--",
      "-12",
      "BTC",
      "-4",
    ]);
    expect(withNegativeOperands(["stress", "ETH", "4", "BTC", "-4"])).toEqual([
      "stress",
      "ETH",
      "4",
      "BTC",
      "--",
      "-4",
    ]);
    expect(withNegativeOperands(["open", "ETH", "-1.5", "--slippage", "0.5"])).toEqual([
      "open",
      "ETH",
      "--slippage",
      "0.5",
      "--",
      "-1.5",
    ]);
    expect(withNegativeOperands(["stress", "--shock", "-30%"])).toEqual(["stress", "--shock", "-30%"]);
    expect(withNegativeOperands(["status", "--json"])).toEqual(["status", "--json"]);
  });
});
