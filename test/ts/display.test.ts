// ts/display: the text every person-facing output uses (CLI, scenario summary, web page): exact where it must be
// typed back (shares), rounded half up where it is read (amounts, percentages).
import { describe, expect, it } from "vitest";
import { shortAddress } from "../../ts/display/address";
import { formatBps, formatPercent, formatShares, formatUsdc, formatWad } from "../../ts/display/amounts";
import { table } from "../../ts/display/table";
import { sharesText } from "../../ts/web/app/fmt";

const WAD = 10n ** 18n;

describe("formatShares", () => {
  it("shows tranche shares in the vault's 12 decimals, not raw: 1e16 is 10,000 shares", () => {
    expect(formatShares(10_000_000_000_000_000n, 12)).toBe("10,000");
  });

  it("is exact to the last unit, trailing zeros dropped", () => {
    expect(formatShares(1n, 12)).toBe("0.000000000001");
    expect(formatShares(1_234_567_890_123_456_789n, 12)).toBe("1,234,567.890123456789");
    expect(formatShares(2_500_000_000_000n, 12)).toBe("2.5");
    expect(formatShares(0n, 12)).toBe("0");
  });

  it("groups thousands only in the whole part, keeps the sign, and can leave grouping out for an input field", () => {
    expect(formatShares(-1_234_500_000_000_000n, 12)).toBe("-1,234.5");
    expect(formatShares(1_234_500_000_000_000n, 12, false)).toBe("1234.5");
    expect(sharesText(1_234_500_000_000_000n, 12)).toBe("1234.5");
  });
});

describe("amounts and percentages", () => {
  it("rounds WAD and USDC amounts half up and groups thousands", () => {
    expect(formatWad(4_018_125n * 10n ** 15n)).toBe("4,018.13");
    expect(formatWad(-(1_234_565n * 10n ** 15n))).toBe("-1,234.57");
    expect(formatWad(15n * 10n ** 17n, 4)).toBe("1.5000");
    expect(formatUsdc(2_000_000_000_000n)).toBe("2,000,000.00");
  });

  it("percentages: a ratio, bps, and n/a when there is nothing to divide by", () => {
    expect(formatPercent(1n, 3n)).toBe("33.33%");
    expect(formatPercent(WAD / 200n, WAD)).toBe("0.50%");
    expect(formatBps(2_500n)).toBe("25.00%");
    expect(formatPercent(5n, 0n)).toBe("n/a");
  });
});

describe("table and addresses", () => {
  it("left-aligns the first column, right-aligns the others", () => {
    expect(
      table(
        ["tranche", "NAV"],
        [
          ["junior", "1,000.00"],
          ["senior", "10.00"],
        ],
      ).split("\n"),
    ).toEqual(["  tranche       NAV", "  junior   1,000.00", "  senior      10.00"]);
  });

  it("shortens an address to its first 6 and last 4 characters", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
  });
});
