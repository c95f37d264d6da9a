// Values for people: sdk-core Token / CurrencyAmount / Price / Percent, always formatted with an explicit
// rounding. Compute with bigint (ts/money.ts); convert here only to show.
import { CurrencyAmount, Percent, Price, Rounding, Token } from "@uniswap/sdk-core";
import type { Address } from "viem";
import { COLLATERAL_DECIMALS, COLLATERAL_TO_WAD, WAD } from "../money";

/** The collateral token (USDC-like, 6 decimals). */
export function usdcToken(chainId: number, address: Address, symbol = "USDC"): Token {
  return new Token(chainId, address, COLLATERAL_DECIMALS, symbol, "USD Coin");
}

/**
 * A market's base asset as a Token (18 decimals). The vAMM has no base token contract: pass any stable
 * address that identifies the market (e.g. the pool address) so two markets' tokens do not compare equal.
 */
export function baseToken(chainId: number, address: Address, symbol: string): Token {
  return new Token(chainId, address, 18, symbol, symbol);
}

/** A collateral amount in token units (6 decimals). */
export function usdcAmount(usdc: Token, amount6: bigint): CurrencyAmount<Token> {
  return CurrencyAmount.fromRawAmount(usdc, amount6.toString());
}

/**
 * A WAD quote amount (internal accounting) as collateral, rounded toward zero to token units: what the
 * amount is worth in whole cents-of-cents, never more. Negative amounts keep their sign.
 */
export function wadToUsdcAmount(usdc: Token, wad: bigint): CurrencyAmount<Token> {
  return CurrencyAmount.fromFractionalAmount(usdc, wad.toString(), COLLATERAL_TO_WAD.toString());
}

/** A base size (WAD) as an amount of the base token (sign kept). */
export function baseAmount(base: Token, sizeWad: bigint): CurrencyAmount<Token> {
  return CurrencyAmount.fromRawAmount(base, sizeWad.toString());
}

/** A WAD price (quote per base, as mark and index are) as an sdk-core Price of base in collateral. */
export function wadPrice(base: Token, usdc: Token, priceWad: bigint): Price<Token, Token> {
  // raw quote per raw base = (priceWad / 1e18) * 10^quoteDecimals / 10^18
  const denominator = WAD * 10n ** BigInt(18 - usdc.decimals);
  return new Price(base, usdc, denominator.toString(), priceWad.toString());
}

/** Basis points as a Percent (e.g. 50 -> 0.5 %). */
export function bpsToPercent(bps: bigint | number): Percent {
  return new Percent(bps.toString(), "10000");
}

/** "1,234.56" style amount, rounded down by default (what a person can count on). */
export function formatAmount(
  amount: CurrencyAmount<Token>,
  decimals = 2,
  rounding: Rounding = Rounding.ROUND_DOWN,
): string {
  const negative = amount.lessThan(0);
  const abs = negative ? amount.multiply(-1) : amount;
  return `${negative ? "-" : ""}${abs.toFixed(decimals, { groupSeparator: "," }, rounding)}`;
}

/** A price with `significant` digits, rounded half up by default. */
export function formatPrice(price: Price<Token, Token>, significant = 6, rounding: Rounding = Rounding.ROUND_HALF_UP) {
  return price.toSignificant(significant, { groupSeparator: "," }, rounding);
}

/** "0.50%" */
export function formatPercent(p: Percent, decimals = 2, rounding: Rounding = Rounding.ROUND_HALF_UP): string {
  return `${p.toFixed(decimals, undefined, rounding)}%`;
}

/** A signed WAD quote value as "-1,234.56 USDC" (rounded toward zero). */
export function formatUsd(usdc: Token, wad: bigint, decimals = 2): string {
  return `${formatAmount(wadToUsdcAmount(usdc, wad), decimals, Rounding.ROUND_DOWN)} ${usdc.symbol ?? ""}`.trim();
}
