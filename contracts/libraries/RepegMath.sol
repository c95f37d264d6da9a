// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title RepegMath
/// @notice The repeg trigger, shared by the pool (which acts on it) and the lens (which shows it).
library RepegMath {
    using FixedPoint for uint256;

    /// @notice The time-weighted gap must have been measured over at least this long.
    uint256 internal constant MIN_WINDOW = 10 minutes;
    /// @notice Most one repeg may cost the backstop, in bps of its capital.
    uint256 internal constant BUDGET_BPS = 10;

    /// @notice Time-weighted mark and index over `elapsed` seconds of the period, with the last `pending` seconds
    /// (not accrued yet) at the current `mark` and the `prevailing` index.
    function twaps(
        uint256 markIntegral,
        uint256 indexIntegral,
        uint256 mark,
        uint256 prevailing,
        uint256 pending,
        uint256 elapsed
    ) internal pure returns (uint256 twapMark, uint256 twapIndex) {
        if (elapsed == 0) return (0, 0);
        twapMark = (markIntegral + mark * pending) / elapsed;
        twapIndex = (indexIntegral + prevailing * pending) / elapsed;
    }

    /// @notice Due when the window is long enough, no repeg ran this period, the time-weighted gap exceeds
    /// `thresholdBps` of the time-weighted index, and the mark now still sits on that side of the index.
    function isDue(
        uint256 twapMark,
        uint256 twapIndex,
        uint256 mark,
        uint256 index,
        uint256 elapsed,
        bool repeggedThisPeriod,
        uint256 thresholdBps
    ) internal pure returns (bool due, uint256 gapBps) {
        if (twapIndex == 0) return (false, 0);
        uint256 gap = twapMark > twapIndex ? twapMark - twapIndex : twapIndex - twapMark;
        gapBps = gap.mulDivDown(FixedPoint.BPS, twapIndex);
        due = elapsed >= MIN_WINDOW && !repeggedThisPeriod && gapBps > thresholdBps && mark != index
            && (twapMark > twapIndex) == (mark > index);
    }
}
