// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title RepegMath
/// @notice The repeg's window, trigger and step, shared by the pool (which acts on them) and the lens (which shows
/// them).
/// @dev The window: two checkpoints of the cumulative mark and index integrals. Whenever the newer one is at least
/// `minWindow` old, a keeper-paced call (`repeg`, `updateFunding`) rolls them forward (older := newer, newer :=
/// now); the window runs from the older one to now. Once rolled at least once it is therefore always at least
/// `minWindow` long, and at most twice that plus the time nobody rolled it; no call can shorten it further.
/// The step: toward the index by at most 3/4 of a round trip's fees (so a position opened for the step and
/// closed after it pays more in fees than the step gives it), at most `maxMoveBps`, never past the index, at most
/// once per timestamp.
library RepegMath {
    using FixedPoint for uint256;

    /// @notice The time-weighted gap must have been measured over at least this long.
    uint256 internal constant MIN_WINDOW = 10 minutes;
    /// @notice Most one repeg step may cost the backstop, in bps of its capital.
    uint256 internal constant BUDGET_BPS = 10;
    /// @notice One step moves the mark by at most STEP_NUM / STEP_DEN of the trading fee (3/4 of a round trip's).
    uint256 internal constant STEP_NUM = 3;
    uint256 internal constant STEP_DEN = 2;

    /// @notice Whether a keeper-paced call at `nowTs` rolls the checkpoints (timed `time0`, `time1`) forward, and
    /// which checkpoint (0 or 1) starts the window afterwards. The newer is the later one (1 on a tie); a roll
    /// overwrites the older with now, so the window then starts at the newer.
    function window(uint256 time0, uint256 time1, uint256 nowTs, uint256 minWindow)
        internal
        pure
        returns (bool rolls, uint256 start)
    {
        uint256 newer = time1 >= time0 ? 1 : 0;
        rolls = nowTs - (newer == 1 ? time1 : time0) >= minWindow;
        start = rolls ? newer : 1 - newer;
    }

    /// @notice Due when: no step ran at this timestamp (`steppedNow`), the window is at least MIN_WINDOW long, the
    /// time-weighted gap over it exceeds `thresholdBps` of the time-weighted index, and the mark now is still on
    /// that side of the index now by more than `thresholdBps` of it (the stop rule: the repeg closes the gap down
    /// to what funding may close; it never acts on a gap the mark has already left). Rule first, measurements after.
    function isDue(
        uint256 thresholdBps,
        bool steppedNow,
        uint256 index,
        uint256 mark,
        uint256 elapsed,
        uint256 twapMark,
        uint256 twapIndex
    ) internal pure returns (bool due, uint256 gapBps) {
        if (twapIndex == 0) return (false, 0);
        bool above = twapMark > twapIndex;
        gapBps = (above ? twapMark - twapIndex : twapIndex - twapMark).mulDivDown(FixedPoint.BPS, twapIndex);
        uint256 markGap = above ? (mark > index ? mark - index : 0) : (index > mark ? index - mark : 0);
        due = !steppedNow && elapsed >= MIN_WINDOW && gapBps > thresholdBps
            && markGap * FixedPoint.BPS > index * thresholdBps;
    }

    /// @notice Where one step takes the mark: toward `index` by min(STEP_NUM/STEP_DEN x `feeBps`, `maxMoveBps`) of
    /// the mark (rounded down), never past the index.
    function stepTarget(uint256 mark, uint256 index, uint256 feeBps, uint256 maxMoveBps)
        internal
        pure
        returns (uint256 target)
    {
        uint256 step = FixedPoint.min(
            mark.mulDivDown(feeBps * STEP_NUM, FixedPoint.BPS * STEP_DEN), mark.mulDivDown(maxMoveBps, FixedPoint.BPS)
        );
        target = mark > index ? FixedPoint.max(index, mark - step) : FixedPoint.min(index, mark + step);
    }

    /// @notice The quote reserve that puts the mark (quote / base, rounded down) at `target`, rounded toward the
    /// current mark: up when the step goes down, down when it goes up. The step then never exceeds its bound and
    /// the mark never passes the index.
    function quoteFor(uint256 base, uint256 target, bool down) internal pure returns (uint256) {
        return down ? base.wMulUp(target) : base.wMulDown(target);
    }
}
