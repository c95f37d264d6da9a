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

    /// @notice Time-weighted mark and index over the `elapsed` seconds of the period. The mark integral runs to the
    /// pool's last accrual (`lastAccrual`), and the mark since is the current `mark`; the index is the difference of
    /// the oracle's `cumulativePrice` now and at the period's start.
    function twaps(
        uint256 markIntegral,
        uint256 mark,
        uint256 lastAccrual,
        uint256 cumulativeIndexNow,
        uint256 cumulativeIndexAtStart,
        uint256 elapsed
    ) internal view returns (uint256 twapMark, uint256 twapIndex) {
        if (elapsed == 0) return (0, 0);
        twapMark = (markIntegral + mark * (block.timestamp - lastAccrual)) / elapsed;
        twapIndex = (cumulativeIndexNow - cumulativeIndexAtStart) / elapsed;
    }

    /// @notice Due when the window (`elapsed`) is long enough, no repeg ran this period, the time-weighted gap exceeds
    /// `thresholdBps` of the time-weighted index, and the mark now still sits on that side of the index now.
    /// (The rule first, the measurements after.)
    function isDue(
        uint256 thresholdBps,
        bool repeggedThisPeriod,
        uint256 index,
        uint256 mark,
        uint256 elapsed,
        uint256 twapMark,
        uint256 twapIndex
    ) internal pure returns (bool due, uint256 gapBps) {
        if (twapIndex == 0) return (false, 0);
        uint256 gap = twapMark > twapIndex ? twapMark - twapIndex : twapIndex - twapMark;
        gapBps = gap.mulDivDown(FixedPoint.BPS, twapIndex);
        due = elapsed >= MIN_WINDOW && !repeggedThisPeriod && gapBps > thresholdBps && mark != index
            && (twapMark > twapIndex) == (mark > index);
    }
}
