// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RepegMath} from "../../contracts/libraries/RepegMath.sol";
import {TimeIntegral} from "../../contracts/libraries/TimeIntegral.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The repeg's window for ANY minimum window length and any schedule of the calls that roll it, its step's
/// bounds for any fee and move limit, and the modular time integrals.
contract RepegMathTest is Test {
    /// @dev Checkpoint times rolled as the pool rolls them: whatever the minimum `w` and however the rolling calls
    /// (funding at any interval, repeg steps) are spaced, the window measured from the older checkpoint is, once it
    /// was first rolled, at least `w` and shorter than 2 w plus the longest time between two rolling calls.
    function testFuzz_window_anyMinimum_anySchedule_atLeastTheMinimum_lessThanTwicePlusTheLongestGap(
        uint256 w,
        uint256 seed
    ) public pure {
        w = bound(w, 1, 1 days);
        uint256 t = 1_700_000_000;
        uint256[2] memory times = [t, t];
        uint256 longestGap;
        bool rolledOnce;
        for (uint256 i; i < 200; ++i) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 gap = seed % (3 * w + 1); // 0 = another call in the same second
            if (gap > longestGap) longestGap = gap;
            t += gap;
            (bool rolls, uint256 start) = RepegMath.window(times[0], times[1], t, w);
            if (rolls) {
                times[1 - start] = t;
                rolledOnce = true;
            }
            if (rolledOnce) assertGe(t - times[start], w, "never shorter than the minimum");
            assertLt(t - times[start], 2 * w + longestGap, "less than twice it plus the longest gap");
            _assertSecondCallKeepsTheWindow(times, t, w, start);
        }
    }

    /// @dev Another rolling call in the same second neither rolls again nor moves the window's start.
    function _assertSecondCallKeepsTheWindow(uint256[2] memory times, uint256 t, uint256 w, uint256 start)
        internal
        pure
    {
        (bool again, uint256 start2) = RepegMath.window(times[0], times[1], t, w);
        assertFalse(again, "a second call in the same second never rolls again");
        assertEq(start2, start, "nor moves the window's start");
    }

    /// @dev The step: toward the index by at most min(1.5 x fee, maxMove) of the mark, never past the index; the
    /// quote reserve for it, rounded toward the current mark, keeps both bounds on the resulting mark.
    function testFuzz_step_withinTheBound_neverPastTheIndex(
        uint256 base,
        uint256 mark,
        uint256 index,
        uint256 feeBps,
        uint256 maxMoveBps
    ) public pure {
        base = bound(base, 1e18, 1e27);
        mark = bound(mark, 1e12, 1e24);
        index = bound(index, 1e12, 1e24);
        feeBps = bound(feeBps, 1, 100);
        maxMoveBps = bound(maxMoveBps, 10, 1000);
        uint256 quote = base * mark / 1e18;
        mark = quote * 1e18 / base; // the mark the curve shows
        vm.assume(mark != index && mark != 0);
        uint256 markAfter = _stepped(base, mark, index, feeBps, maxMoveBps);
        uint256 bound_ = mark * (3 * feeBps < 2 * maxMoveBps ? 3 * feeBps : 2 * maxMoveBps) / 20_000;
        if (mark > index) {
            assertGe(markAfter, index, "never below the index");
            assertLe(markAfter, mark, "never away from it");
            assertLe(mark - markAfter, bound_, "within the bound");
        } else {
            assertLe(markAfter, index, "never above the index");
            assertGe(markAfter, mark, "never away from it");
            assertLe(markAfter - mark, bound_, "within the bound");
        }
    }

    /// @dev The mark after one step, as the pool computes it.
    function _stepped(uint256 base, uint256 mark, uint256 index, uint256 feeBps, uint256 maxMoveBps)
        internal
        pure
        returns (uint256)
    {
        uint256 target = RepegMath.stepTarget(mark, index, feeBps, maxMoveBps);
        return RepegMath.quoteFor(base, target, mark > index) * 1e18 / base;
    }

    /// @dev Differences of the modular integrals are exact across a wrap of 2^128.
    function testFuzz_timeIntegral_meanExactAcrossTheWrap(uint256 start, uint256 value, uint256 dt) public pure {
        start = bound(start, 0, type(uint128).max);
        value = bound(value, 0, 1e30);
        dt = bound(dt, 1, 10 * 365 days); // value x dt < 2^128: the limit TimeIntegral documents
        uint128 end = TimeIntegral.carry(start, value, dt);
        assertEq(TimeIntegral.meanDown(end, start, dt), value, "the mean over the span");
    }
}
