// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../interfaces/ITailRiskOracle.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title TailRiskMath
/// @notice The junior share a posted tail-risk figure asks for, how far one post may move the share, and the exit
/// floor it implies (ITailRiskOracle). All shares are in bps of premium (10_000 = all of it to junior).
/// @dev Rounding: the target share and the exit floor round UP (toward the first-loss tranche being paid and kept
/// covered: the protocol's side); the bounds are exact integer clamps.
library TailRiskMath {
    uint256 internal constant BPS = 10_000;

    /// @notice Bounds on `ITailRiskOracle.Params` (`validParams`).
    uint256 internal constant MIN_MULTIPLIER_BPS = 1000;
    uint256 internal constant MAX_MULTIPLIER_BPS = 100_000;
    uint256 internal constant MIN_MAX_AGE = 1 hours;
    uint256 internal constant MAX_MAX_AGE = 7 days;
    uint256 internal constant MAX_COVERAGE_MULTIPLE_BPS = 50_000;
    int256 internal constant MIN_REFERENCE_SHOCK_BPS = -9000;
    int256 internal constant MAX_REFERENCE_SHOCK_BPS = -100;

    /// @notice The share a figure asks for: `capital == 0 ? hi : clamp(ceil(es99 · m / capital), lo, hi)` (bps).
    /// @dev es99 · m / capital is already bps because m is bps. Rounds up. es99 and capital fit 128 bits and m 32,
    /// so the product cannot overflow.
    function targetShareBpsUp(uint256 es99, uint256 capital, ITailRiskOracle.Params memory p)
        internal
        pure
        returns (uint256)
    {
        if (capital == 0) return p.maxShareBps;
        return clamp(Math.ceilDiv(es99 * p.multiplierBps, capital), p.minShareBps, p.maxShareBps);
    }

    /// @notice The share after one post: the target, clamped first to `anchor ± maxDaily` (the share at the start of
    /// the current 24-hour window), then to `previous ± maxStep`.
    /// @dev With unchanged parameters `previous` lies within `anchor ± maxDaily`, and the two clamps commute (their
    /// intervals meet at `previous`): the result is within both bounds. Clamping by the step last keeps the per-post
    /// bound even when new parameters left `previous` outside the day's band: the share then walks back into the
    /// band by at most `maxStep` a post. Every input is at most 10_000 and so is the result (it lies between
    /// `target` and `previous`, or `anchor`).
    function boundedShareBps(uint256 previous, uint256 target, uint256 anchor, uint256 maxStep, uint256 maxDaily)
        internal
        pure
        returns (uint256)
    {
        uint256 dayLo = anchor > maxDaily ? anchor - maxDaily : 0;
        uint256 stepLo = previous > maxStep ? previous - maxStep : 0;
        return clamp(clamp(target, dayLo, anchor + maxDaily), stepLo, previous + maxStep);
    }

    /// @notice `c × loss` in asset units, `c` in bps, rounded up (a floor that keeps more junior capital).
    function exitFloorUp(uint256 coverageMultipleBps, uint256 loss) internal pure returns (uint256) {
        return Math.mulDiv(loss, coverageMultipleBps, BPS, Math.Rounding.Ceil);
    }

    /// @notice Whether `p` is within the documented bounds: lo <= hi <= 10_000; m in [1_000, 100_000]; maxStep >= 1;
    /// maxDaily >= maxStep; maxAge in [1 h, 7 d]; c <= 50_000; referenceShock in [-9_000, -100].
    function validParams(ITailRiskOracle.Params memory p) internal pure returns (bool) {
        return p.minShareBps <= p.maxShareBps && p.maxShareBps <= BPS && p.multiplierBps >= MIN_MULTIPLIER_BPS
            && p.multiplierBps <= MAX_MULTIPLIER_BPS && p.maxStepBps >= 1 && p.maxDailyBps >= p.maxStepBps
            && p.maxAge >= MIN_MAX_AGE && p.maxAge <= MAX_MAX_AGE && p.coverageMultipleBps <= MAX_COVERAGE_MULTIPLE_BPS
            && p.referenceShockBps >= MIN_REFERENCE_SHOCK_BPS && p.referenceShockBps <= MAX_REFERENCE_SHOCK_BPS;
    }

    function clamp(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return x < lo ? lo : x > hi ? hi : x;
    }
}
