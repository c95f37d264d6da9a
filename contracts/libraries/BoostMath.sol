// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title BoostMath
/// @notice The tranche boost's arithmetic (see `ITrancheBoost`): a volatility index in bps-seconds, points as shares ×
/// index increments (exact integers, so holders' points always sum to the total), and the pot paid by points.
library BoostMath {
    /// @notice 1× (the multiplier never goes below it).
    uint256 internal constant BPS = 10_000;
    /// @notice The most a stored multiplier may be (100×): keeps the index and points far from overflow whatever
    /// the oracle answers (a market's `volCapBps` is at most 5×).
    uint256 internal constant MAX_MULTIPLIER_BPS = 1_000_000;

    /// @notice The index `elapsed` seconds after `index` at `multiplierBps`: index + elapsed × multiplier.
    function indexAfter(uint256 index, uint256 elapsed, uint256 multiplierBps) internal pure returns (uint256) {
        return index + elapsed * multiplierBps;
    }

    /// @notice Points `shares` earned while the index went from `fromIndex` to `toIndex` (exact).
    function points(uint256 shares, uint256 fromIndex, uint256 toIndex) internal pure returns (uint256) {
        return shares * (toIndex - fromIndex);
    }

    /// @notice A claim's part of the pot: pot × points / totalPoints, rounded down (0 when no points exist).
    function payoutDown(uint256 pot, uint256 points_, uint256 totalPoints) internal pure returns (uint256) {
        if (totalPoints == 0) return 0;
        return Math.mulDiv(pot, points_, totalPoints);
    }

    /// @notice The oracle's multiplier clamped to [1×, MAX_MULTIPLIER_BPS].
    function clampMultiplierBps(uint256 multiplierBps) internal pure returns (uint256) {
        if (multiplierBps < BPS) return BPS;
        return multiplierBps > MAX_MULTIPLIER_BPS ? MAX_MULTIPLIER_BPS : multiplierBps;
    }
}
