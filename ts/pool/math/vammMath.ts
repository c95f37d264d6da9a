// Mirror of contracts/libraries/VammMath.sol: constant-product pricing on 18-decimal virtual reserves.
// Same names, same rounding (the far reserve is always ceil(k / near reserve)), same reverts.
import { mulDivUp, revert, u256, wDivDown } from "./solidity";

export type SwapResult = {
  /** Quote paid to the curve (buy) or received from it (sell), before fees. */
  quote: bigint;
  newBase: bigint;
  newQuote: bigint;
};

/**
 * Quote a trader must pay to buy exactly `baseOut` base (a long). Rounds up.
 * Throws `ZeroAmount` for 0 and `InsufficientReserve(reserve, requested)` when `baseOut >= base`.
 * @example
 * quoteToBuyBase(100n * WAD, 1000n * WAD, 25n * WAD) // { quote: 333.33..34e18, newBase: 75e18, newQuote: 1333.33..34e18 }
 */
export function quoteToBuyBase(base: bigint, quote: bigint, baseOut: bigint): SwapResult {
  if (baseOut === 0n) revert("ZeroAmount");
  if (baseOut >= base) revert("InsufficientReserve", { reserve: base, requested: baseOut });
  const newBase = base - baseOut;
  const newQuote = mulDivUp(base, quote, newBase);
  return { quote: u256(newQuote - quote), newBase, newQuote };
}

/**
 * Quote a trader receives for selling exactly `baseIn` base (a short). Rounds down.
 * @example
 * quoteForSellingBase(100n * WAD, 1000n * WAD, 25n * WAD) // { quote: 200e18, newBase: 125e18, newQuote: 800e18 }
 */
export function quoteForSellingBase(base: bigint, quote: bigint, baseIn: bigint): SwapResult {
  if (baseIn === 0n) revert("ZeroAmount");
  const newBase = u256(base + baseIn);
  const newQuote = mulDivUp(base, quote, newBase);
  return { quote: u256(quote - newQuote), newBase, newQuote };
}

/**
 * Base bought by spending exactly `quoteIn` quote. Rounds down.
 * @example
 * baseForQuoteIn(100n * WAD, 1000n * WAD, 600n * WAD) // 37.5e18
 */
export function baseForQuoteIn(base: bigint, quote: bigint, quoteIn: bigint): bigint {
  if (quoteIn === 0n) revert("ZeroAmount");
  return u256(base - mulDivUp(base, quote, u256(quote + quoteIn)));
}

/** Mark price quote/base, 18 decimals, rounded down. Throws `DivisionByZero` for an empty base reserve. */
export function markPrice(base: bigint, quote: bigint): bigint {
  return wDivDown(quote, base);
}
