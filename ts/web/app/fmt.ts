// Formatting for people, on top of the SDK's sdk-core formatting (ts/pool/format.ts). No arithmetic on money here.
import { Percent, type Token } from "@uniswap/sdk-core";
import { formatUnits } from "viem";
import { shortAddress } from "../../display/address";
import { formatShares } from "../../display/amounts";
import { formatAmount, formatPercent, usdcAmount, wadToUsdcAmount } from "../../pool/format";

/** A WAD quote amount: "1,234.56". */
export const usd = (usdc: Token, wad: bigint, decimals = 2) => formatAmount(wadToUsdcAmount(usdc, wad), decimals);
/** A collateral amount in token units: "1,234.56". */
export const usd6 = (usdc: Token, amount: bigint, decimals = 2) => formatAmount(usdcAmount(usdc, amount), decimals);
/** A WAD price (quote per base): "2,000.00". */
export const price = usd;
/** A WAD base size, truncated toward zero: "1.5000". */
export function base(size: bigint, decimals = 4): string {
  const [whole, fraction = ""] = formatUnits(size, 18).split(".");
  return decimals === 0 ? `${whole}` : `${whole}.${fraction.padEnd(decimals, "0").slice(0, decimals)}`;
}
/** part / whole as "12.34%" (or "—" when whole is 0). */
export function pct(part: bigint, whole: bigint, decimals = 2): string {
  if (whole === 0n) return "—";
  return formatPercent(new Percent(part.toString(), whole.toString()), decimals);
}
/** A WAD fraction (1e18 = 100 %) as "12.34%". */
export const wadPct = (fraction: bigint | null, decimals = 2) =>
  fraction === null ? "—" : pct(fraction, 10n ** 18n, decimals);
/** Seconds as "6d 23h 59m" / "3h 05m" / "42s". */
export function duration(seconds: bigint): string {
  if (seconds <= 0n) return "0s";
  const d = seconds / 86_400n;
  const hr = (seconds % 86_400n) / 3_600n;
  const m = (seconds % 3_600n) / 60n;
  if (d > 0n) return `${d}d ${hr}h ${String(m).padStart(2, "0")}m`;
  if (hr > 0n) return `${hr}h ${String(m).padStart(2, "0")}m`;
  if (m > 0n) return `${m}m ${String(seconds % 60n).padStart(2, "0")}s`;
  return `${seconds}s`;
}
/** A unix time as a local date and time. */
export const when = (t: bigint) => new Date(Number(t) * 1000).toLocaleString();
/** 0x1234…abcd */
export const short = shortAddress;
export const ORACLE_STATUS = ["normal", "reduce-only", "halted"] as const;

/** Shares as a decimal with the vault's decimals, exact, trailing zeros dropped, ungrouped (it fills an input too). */
export const sharesText = (shares: bigint, decimals: number): string => formatShares(shares, decimals, false);
