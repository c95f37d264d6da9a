// Display formatting for people (never for computing): sdk-core value objects with explicit rounding.
import { CurrencyAmount, Percent, Rounding, Token } from "@uniswap/sdk-core";
import { COLLATERAL_DECIMALS } from "../money";

// Placeholder tokens: only their decimals matter for formatting.
const WAD_UNIT = new Token(1, "0x0000000000000000000000000000000000000001", 18, "WAD");
const COLLATERAL_UNIT = new Token(1, "0x0000000000000000000000000000000000000002", COLLATERAL_DECIMALS, "USDC");
const GROUPED = { groupSeparator: "," };

/** A WAD amount (quote value, price, base size) with `dp` decimals, half-up, grouped: -1,234.57. */
export function formatWad(value: bigint, dp = 2): string {
  return CurrencyAmount.fromRawAmount(WAD_UNIT, value.toString()).toFixed(dp, GROUPED, Rounding.ROUND_HALF_UP);
}

/** A 6-decimal collateral amount with 2 decimals: 2,000,000.00. */
export function formatUsdc(value: bigint, dp = 2): string {
  return CurrencyAmount.fromRawAmount(COLLATERAL_UNIT, value.toString()).toFixed(dp, GROUPED, Rounding.ROUND_HALF_UP);
}

/** numerator / denominator as a percentage: 12.34%. */
export function formatPercent(numerator: bigint, denominator: bigint, dp = 2): string {
  if (denominator === 0n) return "n/a";
  return `${new Percent(numerator.toString(), denominator.toString()).toFixed(dp, GROUPED, Rounding.ROUND_HALF_UP)}%`;
}

/** bps as a percentage: 2500 -> 25.00%. */
export function formatBps(bps: bigint, dp = 2): string {
  return formatPercent(bps, 10_000n, dp);
}

/** 0xf39F...2266 */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Left-aligned table with a header row, columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
