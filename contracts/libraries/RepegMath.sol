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

    /// @notice Time-weighted mark and index over the `elapsed` seconds of the period. The integrals run to the
    /// pool's last accrual (`lastAccrual`); after it the mark is the current `mark`, and the index is `lastIndex`
    /// until the oracle's last stored observation (`obsTime`, `obsPrice`) and that observation's price since (the
    /// keeper refreshes the oracle whenever the index moves, so a crash is timed even if nobody trades).
    function twaps(
        uint256 markIntegral,
        uint256 indexIntegral,
        uint256 mark,
        uint256 lastIndex,
        uint256 lastAccrual,
        uint256 obsPrice,
        uint256 obsTime,
        uint256 elapsed
    ) internal view returns (uint256 twapMark, uint256 twapIndex) {
        if (elapsed == 0) return (0, 0);
        twapMark = (markIntegral + mark * (block.timestamp - lastAccrual)) / elapsed;
        twapIndex = indexIntegralNow(indexIntegral, lastIndex, lastAccrual, obsPrice, obsTime) / elapsed;
    }

    /// @notice The index integral carried to now: `lastIndex` prevailed from the pool's last accrual until the
    /// oracle's stored observation (`obsTime`, clamped to that interval), and that observation's price since. The
    /// pool's accrual and the lens's view both use it, so what the lens shows is what the pool then stores.
    function indexIntegralNow(
        uint256 indexIntegral,
        uint256 lastIndex,
        uint256 lastAccrual,
        uint256 obsPrice,
        uint256 obsTime
    ) internal view returns (uint256) {
        uint256 split = obsTime < lastAccrual ? lastAccrual : obsTime > block.timestamp ? block.timestamp : obsTime;
        if (lastIndex == 0) lastIndex = obsPrice;
        return indexIntegral + lastIndex * (split - lastAccrual) + obsPrice * (block.timestamp - split);
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
