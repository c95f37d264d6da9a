// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VammMath} from "../../contracts/libraries/VammMath.sol";
import {Test} from "forge-std/Test.sol";

/// @dev External wrappers so reverts of the internal library functions can be expected.
contract VammMathHarness {
    function quoteToBuyBase(uint256 base, uint256 quote, uint256 baseOut)
        external
        pure
        returns (uint256, uint256, uint256)
    {
        return VammMath.quoteToBuyBase(base, quote, baseOut);
    }

    function quoteForSellingBase(uint256 base, uint256 quote, uint256 baseIn)
        external
        pure
        returns (uint256, uint256, uint256)
    {
        return VammMath.quoteForSellingBase(base, quote, baseIn);
    }

    function baseForQuoteIn(uint256 base, uint256 quote, uint256 quoteIn) external pure returns (uint256) {
        return VammMath.baseForQuoteIn(base, quote, quoteIn);
    }
}

contract VammMathTest is Test {
    /// @dev Reserves are uint128 in storage and at least 1e18 when listed.
    uint256 internal constant MIN_RESERVE = 1e18;
    uint256 internal constant MAX_RESERVE = type(uint128).max;

    VammMathHarness internal h;

    function setUp() public {
        h = new VammMathHarness();
    }

    /* VECTORS (computed by hand: quote 1000, base 100, k = 100_000) */

    function test_baseForQuoteIn_600QuoteBuys37Point5Base() public pure {
        // k / (1000 + 600) = 62.5 base left, so 37.5 base out, exact.
        assertEq(VammMath.baseForQuoteIn(100e18, 1000e18, 600e18), 37.5e18);
    }

    function test_quoteToBuyBase_37Point5BaseCosts600Quote() public pure {
        (uint256 quoteIn, uint256 newBase, uint256 newQuote) = VammMath.quoteToBuyBase(100e18, 1000e18, 37.5e18);
        assertEq(quoteIn, 600e18);
        assertEq(newBase, 62.5e18);
        assertEq(newQuote, 1600e18);
    }

    function test_quoteForSellingBase_25BaseBackRestoresK() public pure {
        // From (base 62.5, quote 1600), selling 25 base: the quote reserve becomes ceil(k / 87.5).
        (uint256 quoteOut, uint256 newBase, uint256 newQuote) = VammMath.quoteForSellingBase(62.5e18, 1600e18, 25e18);
        uint256 k = 100e18 * 1000e18;
        assertEq(newBase, 87.5e18);
        // k / 87.5 = 1142.857142857142857142857... -> rounded up in the last WAD digit.
        assertEq(newQuote, 1_142_857_142_857_142_857_143);
        assertEq(newQuote, (k + newBase - 1) / newBase, "ceil(k / 87.5)");
        assertEq(quoteOut, 1600e18 - 1_142_857_142_857_142_857_143);
        assertEq(quoteOut, 457_142_857_142_857_142_857);
        assertGe(newBase * newQuote, k, "k restored, never below");
        assertLt(newBase * (newQuote - 1), k, "and by the smallest quote reserve that does");
    }

    function test_markPrice_isQuoteOverBaseRoundedDown() public pure {
        assertEq(VammMath.markPrice(100e18, 1000e18), 10e18);
        assertEq(VammMath.markPrice(3e18, 1e18), 333_333_333_333_333_333);
    }

    function test_quoteToBuyBase_revertsWhen_zeroOrWholeReserve() public {
        vm.expectRevert(VammMath.ZeroAmount.selector);
        h.quoteToBuyBase(100e18, 1000e18, 0);
        vm.expectRevert(abi.encodeWithSelector(VammMath.InsufficientReserve.selector, 100e18, 100e18));
        h.quoteToBuyBase(100e18, 1000e18, 100e18);
    }

    function test_quoteForSellingBase_revertsWhen_zero() public {
        vm.expectRevert(VammMath.ZeroAmount.selector);
        h.quoteForSellingBase(100e18, 1000e18, 0);
        vm.expectRevert(VammMath.ZeroAmount.selector);
        h.baseForQuoteIn(100e18, 1000e18, 0);
    }

    /* FUZZ */

    function _reserves(uint256 base, uint256 quote) internal pure returns (uint256, uint256) {
        return (bound(base, MIN_RESERVE, MAX_RESERVE), bound(quote, MIN_RESERVE, MAX_RESERVE));
    }

    /// @dev Reserves with room left to add to them (sells add base, quote-sized buys add quote).
    function _roomyReserves(uint256 base, uint256 quote) internal pure returns (uint256, uint256) {
        return (bound(base, MIN_RESERVE, MAX_RESERVE / 2), bound(quote, MIN_RESERVE, MAX_RESERVE / 2));
    }

    function testFuzz_quoteToBuyBase_neverDecreasesK(uint256 base, uint256 quote, uint256 baseOut) public pure {
        (base, quote) = _reserves(base, quote);
        baseOut = bound(baseOut, 1, base - 1);
        (uint256 quoteIn, uint256 newBase, uint256 newQuote) = VammMath.quoteToBuyBase(base, quote, baseOut);
        assertEq(newBase, base - baseOut);
        assertEq(newQuote, quote + quoteIn);
        assertGe(newBase * newQuote, base * quote, "k never decreases");
        // The trader pays the smallest quote that keeps k: one wei less would break it.
        assertLt(newBase * (newQuote - 1), base * quote, "no more than the ceiling");
    }

    function testFuzz_quoteForSellingBase_neverDecreasesK(uint256 base, uint256 quote, uint256 baseIn) public pure {
        (base, quote) = _roomyReserves(base, quote);
        baseIn = bound(baseIn, 1, MAX_RESERVE - base);
        (uint256 quoteOut, uint256 newBase, uint256 newQuote) = VammMath.quoteForSellingBase(base, quote, baseIn);
        assertEq(newBase, base + baseIn);
        assertEq(newQuote, quote - quoteOut);
        assertGe(newBase * newQuote, base * quote, "k never decreases");
    }

    function testFuzz_buyThenSellSameBase_neverReturnsMoreQuoteThanPaid(uint256 base, uint256 quote, uint256 size)
        public
        pure
    {
        (base, quote) = _reserves(base, quote);
        size = bound(size, 1, base - 1);
        (uint256 quoteIn, uint256 b1, uint256 q1) = VammMath.quoteToBuyBase(base, quote, size);
        (uint256 quoteOut, uint256 b2, uint256 q2) = VammMath.quoteForSellingBase(b1, q1, size);
        assertLe(quoteOut, quoteIn, "a long round trip never gains");
        assertEq(b2, base);
        assertGe(q2, quote, "the curve keeps the rounding remainder");
    }

    function testFuzz_sellThenBuySameBase_neverCostsLessThanReceived(uint256 base, uint256 quote, uint256 size)
        public
        pure
    {
        (base, quote) = _roomyReserves(base, quote);
        size = bound(size, 1, MAX_RESERVE - base);
        (uint256 quoteOut, uint256 b1, uint256 q1) = VammMath.quoteForSellingBase(base, quote, size);
        (uint256 quoteIn, uint256 b2,) = VammMath.quoteToBuyBase(b1, q1, size);
        assertGe(quoteIn, quoteOut, "a short round trip never gains");
        assertEq(b2, base);
    }

    function testFuzz_quotes_areMonotoneInSize(uint256 base, uint256 quote, uint256 a, uint256 b) public pure {
        (base, quote) = _reserves(base, quote);
        // Up to half the base reserve, so the products below stay within 256 bits.
        a = bound(a, 1, base / 2);
        b = bound(b, a, base / 2);
        (uint256 inA,,) = VammMath.quoteToBuyBase(base, quote, a);
        (uint256 inB,,) = VammMath.quoteToBuyBase(base, quote, b);
        assertLe(inA, inB, "buying more costs more");
        (uint256 outA,,) = VammMath.quoteForSellingBase(base, quote, a);
        (uint256 outB,,) = VammMath.quoteForSellingBase(base, quote, b);
        assertLe(outA, outB, "selling more returns more");
        // The average price of a buy is at least the mark, of a sell at most the mark.
        assertGe(inA * base, a * quote, "buy pays at least mark");
        assertLe(outA * base, a * quote, "sell gets at most mark");
    }

    function testFuzz_baseForQuoteIn_roundsDownAgainstTheBuyer(uint256 base, uint256 quote, uint256 quoteIn)
        public
        pure
    {
        (base, quote) = _roomyReserves(base, quote);
        quoteIn = bound(quoteIn, 1, MAX_RESERVE - quote);
        uint256 baseOut = VammMath.baseForQuoteIn(base, quote, quoteIn);
        vm.assume(baseOut > 0);
        // Buying exactly baseOut through quoteToBuyBase never costs more than quoteIn.
        (uint256 cost,,) = VammMath.quoteToBuyBase(base, quote, baseOut);
        assertLe(cost, quoteIn, "the base given for quoteIn never costs more than quoteIn");
        assertGe((base - baseOut) * (quote + quoteIn), base * quote, "k never decreases");
    }
}
