// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PositionMath} from "../../contracts/libraries/PositionMath.sol";
import {Test} from "forge-std/Test.sol";

/// @dev External wrapper so the revert of `applyLeg` can be expected.
contract PositionMathHarness {
    function applyLeg(int256 size, int256 openNotional, int256 sizeDelta, int256 quoteDelta)
        external
        pure
        returns (int256, int256, int256)
    {
        return PositionMath.applyLeg(size, openNotional, sizeDelta, quoteDelta);
    }
}

contract PositionMathTest is Test {
    PositionMathHarness internal h;

    function setUp() public {
        h = new PositionMathHarness();
    }

    function test_applyLeg_openAndIncreaseAddNotional() public pure {
        (int256 s, int256 on, int256 pnl) = PositionMath.applyLeg(0, 0, 2e18, 4000e18);
        assertEq(s, 2e18);
        assertEq(on, 4000e18);
        assertEq(pnl, 0);
        (s, on, pnl) = PositionMath.applyLeg(s, on, 1e18, 2100e18);
        assertEq(s, 3e18);
        assertEq(on, 6100e18);
        assertEq(pnl, 0, "increasing realizes nothing");
        (s, on, pnl) = PositionMath.applyLeg(0, 0, -2e18, -4000e18);
        assertEq(s, -2e18);
        assertEq(on, -4000e18);
    }

    function test_applyLeg_partialCloseRealizesItsShare() public pure {
        // Long 3 base for 6000; sell 1 for 2300: cost share 2000, profit 300.
        (int256 s, int256 on, int256 pnl) = PositionMath.applyLeg(3e18, 6000e18, -1e18, -2300e18);
        assertEq(s, 2e18);
        assertEq(on, 4000e18);
        assertEq(pnl, 300e18);
        // Short 2 base for -4000; buy back 2 for 4500: loss 500, flat.
        (s, on, pnl) = PositionMath.applyLeg(-2e18, -4000e18, 2e18, 4500e18);
        assertEq(s, 0);
        assertEq(on, 0);
        assertEq(pnl, -500e18);
    }

    function test_applyLeg_roundsTheClosedShareAgainstTheTrader() public pure {
        // Long 3 wei for 10 wei: closing 1 wei attributes ceil(10/3) = 4 of cost (not 3.33).
        (, int256 on, int256 pnl) = PositionMath.applyLeg(3, 10, -1, -4);
        assertEq(on, 6);
        assertEq(pnl, 0, "sold at 4, cost share 4: exact would be +0.67, rounded down to 0");
        // Short 3 wei for -10: closing 1 wei attributes ceil(-10/3) = -3 (not -3.33), less credit.
        (, on, pnl) = PositionMath.applyLeg(-3, -10, 1, 3);
        assertEq(on, -7);
        assertEq(pnl, 0, "bought back at 3 vs credit 3: exact would be +0.33, rounded down to 0");
    }

    function test_applyLeg_revertsWhen_legFlipsThePosition() public {
        vm.expectRevert(abi.encodeWithSelector(PositionMath.FlipInOneLeg.selector, int256(2e18), int256(-3e18)));
        h.applyLeg(2e18, 4000e18, -3e18, -6000e18);
    }

    function test_isReducing() public pure {
        assertTrue(PositionMath.isReducing(2, -1));
        assertTrue(PositionMath.isReducing(-2, 1));
        assertFalse(PositionMath.isReducing(2, 1));
        assertFalse(PositionMath.isReducing(0, -1));
    }

    /// @dev Open, increase, then up to three partial closes and a full close, each at a fuzzed quote: the
    /// realized total is exactly what was received minus what was paid, and never runs ahead of it.
    function testFuzz_applyLeg_realizedTotalIsExactAndNeverAhead(
        bool isLong,
        uint256 openSize,
        uint256 openQuote,
        uint256 addSize,
        uint256 addQuote,
        uint256[3] memory closeSizes,
        uint256[4] memory closeQuotes
    ) public pure {
        int256 sign = isLong ? int256(1) : int256(-1);
        openSize = bound(openSize, 1, 1e30);
        addSize = bound(addSize, 0, 1e30);
        int256 size;
        int256 on;
        int256 realized;
        // Quote paid to the curve (> 0 for a buy) summed over every leg.
        int256 netQuote;

        int256 q = sign * int256(bound(openQuote, 0, 1e36));
        (size, on,) = PositionMath.applyLeg(0, 0, sign * int256(openSize), q);
        netQuote += q;
        if (addSize != 0) {
            q = sign * int256(bound(addQuote, 0, 1e36));
            int256 pnl;
            (size, on, pnl) = PositionMath.applyLeg(size, on, sign * int256(addSize), q);
            assertEq(pnl, 0);
            netQuote += q;
        }
        uint256 held = openSize + addSize;
        for (uint256 i; i < 3; ++i) {
            if (held <= 1) break;
            uint256 c = bound(closeSizes[i], 1, held - 1);
            // A close receives (long) or pays (short) a fuzzed quote.
            q = -sign * int256(bound(closeQuotes[i], 0, 1e36));
            int256 pnl;
            int256 onBefore = on;
            (size, on, pnl) = PositionMath.applyLeg(size, on, -sign * int256(c), q);
            // Exact share of the open notional: onBefore * c / held. The realized part never exceeds the exact
            // -(share + q), i.e. pnl * held <= -(onBefore * c + q * held).
            assertLe(pnl * int256(held), -(onBefore * int256(c) + q * int256(held)), "never ahead of the exact share");
            realized += pnl;
            netQuote += q;
            held -= c;
            assertEq(size, sign * int256(held));
        }
        q = -sign * int256(bound(closeQuotes[3], 0, 1e36));
        int256 last;
        (size, on, last) = PositionMath.applyLeg(size, on, -size, q);
        realized += last;
        netQuote += q;
        assertEq(size, 0);
        assertEq(on, 0, "no notional left behind");
        assertEq(realized, -netQuote, "realized total == quotes received - quotes paid, to the wei");
    }
}
