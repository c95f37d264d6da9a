// Numbers for people (never for computing): amounts, prices, percentages and vault shares as text, with explicit
// rounding. Shared by everything that prints or draws them: the CLI, the scenario's summary, the web page.
import { CurrencyAmount, Percent, Rounding, Token } from "@uniswap/sdk-core";
import { formatUnits } from "viem";
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

/**
 * Vault shares in the vault's own decimals (`decimals()`: 12 for the tranches, 6 of USDC + an offset of 6),
 * exact (no rounding: a share count is an amount you may type back), trailing zeros dropped, grouped unless
 * `grouped` is false (for an input field): 10000000000000000 with 12 -> "10,000"; 1 -> "0.000000000001".
 */
export function formatShares(shares: bigint, decimals: number, grouped = true): string {
  const text = formatUnits(shares, decimals);
  if (!grouped) return text;
  const [whole = "0", fraction] = text.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${withCommas}${fraction ? `.${fraction}` : ""}`;
}
