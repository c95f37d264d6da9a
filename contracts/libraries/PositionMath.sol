// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title PositionMath
/// @notice How a trade leg changes a position's size and open notional, and the PnL it realizes.
/// @dev `quoteDelta` is the quote paid to the curve (> 0 for a buy) or received from it (< 0 for a sell).
/// A leg never flips a position: the pool splits a flip into a close leg and an open leg.
library PositionMath {
    error FlipInOneLeg(int256 size, int256 sizeDelta);

    /// @return newSize size after the leg
    /// @return newOpenNotional open notional after the leg
    /// @return realizedPnl PnL realized by the reduced part. The closed share of the open notional rounds
    /// toward +inf, so a partial close never realizes more than its exact share (over a position's life the
    /// realized total is exact).
    function applyLeg(int256 size, int256 openNotional, int256 sizeDelta, int256 quoteDelta)
        internal
        pure
        returns (int256 newSize, int256 newOpenNotional, int256 realizedPnl)
    {
        newSize = size + sizeDelta;
        if (size == 0 || (size > 0) == (sizeDelta > 0)) {
            return (newSize, openNotional + quoteDelta, 0);
        }
        uint256 closed = FixedPoint.abs(sizeDelta);
        uint256 held = FixedPoint.abs(size);
        if (closed > held) revert FlipInOneLeg(size, sizeDelta);
        int256 closedNotional = closed == held ? openNotional : FixedPoint.mulDivCeil(openNotional, closed, held);
        newOpenNotional = openNotional - closedNotional;
        realizedPnl = -(closedNotional + quoteDelta);
    }

    /// @notice True when the leg reduces |size| (or leaves it), false when it opens or adds.
    function isReducing(int256 size, int256 sizeDelta) internal pure returns (bool) {
        return size != 0 && (size > 0) != (sizeDelta > 0);
    }
}
