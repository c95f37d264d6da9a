// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title VammMath
/// @notice Constant-product (x * y = k) virtual AMM pricing. Reserves are 18-decimal base and quote amounts.
/// @dev Every function recomputes the far reserve as ceil(k / near reserve): the curve never gives away the
/// rounding remainder, so k is non-decreasing through trades and every quote rounds against the trader.
library VammMath {
    error ZeroAmount();
    error InsufficientReserve(uint256 reserve, uint256 requested);

    /// @notice Quote a trader must pay to buy exactly `baseOut` base (a long). Rounds up.
    /// @return quoteIn quote added to the curve
    /// @return newBase base reserve after the trade
    /// @return newQuote quote reserve after the trade
    function quoteToBuyBase(uint256 base, uint256 quote, uint256 baseOut)
        internal
        pure
        returns (uint256 quoteIn, uint256 newBase, uint256 newQuote)
    {
        if (baseOut == 0) revert ZeroAmount();
        if (baseOut >= base) revert InsufficientReserve(base, baseOut);
        newBase = base - baseOut;
        newQuote = FixedPoint.mulDivUp(base, quote, newBase);
        quoteIn = newQuote - quote;
    }

    /// @notice Quote a trader receives for selling exactly `baseIn` base (a short). Rounds down.
    /// @return quoteOut quote removed from the curve
    /// @return newBase base reserve after the trade
    /// @return newQuote quote reserve after the trade
    function quoteForSellingBase(uint256 base, uint256 quote, uint256 baseIn)
        internal
        pure
        returns (uint256 quoteOut, uint256 newBase, uint256 newQuote)
    {
        if (baseIn == 0) revert ZeroAmount();
        newBase = base + baseIn;
        newQuote = FixedPoint.mulDivUp(base, quote, newBase);
        quoteOut = quote - newQuote;
    }

    /// @notice Base bought by spending exactly `quoteIn` quote. Rounds down. (Used for quote-sized orders.)
    function baseForQuoteIn(uint256 base, uint256 quote, uint256 quoteIn) internal pure returns (uint256 baseOut) {
        if (quoteIn == 0) revert ZeroAmount();
        baseOut = base - FixedPoint.mulDivUp(base, quote, quote + quoteIn);
    }

    /// @notice Mark price quote/base, 18 decimals, rounded down.
    function markPrice(uint256 base, uint256 quote) internal pure returns (uint256) {
        return FixedPoint.wDivDown(quote, base);
    }
}
