// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title VolatilityMath
/// @notice The index's realized volatility, as a decaying (EWMA-style) annualized variance in bps² (σ in bps,
/// squared: σ = 80 % is 8,000² = 64,000,000), and the initial-margin multiplier it implies.
/// @dev Mirrored to the wei by ts/pool/math/volatilityMath.ts (same integer steps).
library VolatilityMath {
    /// @notice The variance's memory: a move counts fully for the hour it happened in and decays linearly with
    /// the time between observations (an observation `dt <= VOL_WINDOW` later keeps `1 - dt / VOL_WINDOW` of it).
    uint256 internal constant VOL_WINDOW = 1 hours;
    /// @notice Annualization: a squared return over `t` seconds counts as `r² · YEAR / t`.
    uint256 internal constant YEAR = 365 days;
    /// @notice The largest variance: the router stores it in 40 bits (σ ≈ 1,048,575 bps ≈ 10,486 %).
    uint256 internal constant MAX_VARIANCE = type(uint40).max;
    /// @dev A simple return above this (a millionfold move, WAD) saturates the variance at `MAX_VARIANCE` for
    /// any dt below ~2.8e15 seconds, and keeps `r²` below 2^100 (no overflow below).
    uint256 internal constant MAX_RETURN_WAD = 1e24;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    /// @dev A WAD fraction squared, in bps²: (1e18)² / 1e18 = 1e18 stands for 1 = 10_000² bps².
    uint256 internal constant BPS2 = 1e8;

    /// @notice The variance after one observation moved the index from `lastPrice` to `price` in `dt` seconds.
    /// @dev With H = VOL_WINDOW (all divisions floor):
    ///     r   = |price - lastPrice| · 1e18 / lastPrice          (simple return, WAD)
    ///     r2  = r · r / 1e18                                      (squared return, WAD)
    ///     dt <= H:  v' = v - v · dt / H + r2 · YEAR · 1e8 / (1e18 · H)
    ///     dt >  H:  v' =                  r2 · YEAR · 1e8 / (1e18 · dt)      (the last move alone)
    ///     lastPrice == 0 (first observation ever) or dt == 0:  v' = v
    /// then clamped to `MAX_VARIANCE` (also at once when r > `MAX_RETURN_WAD`).
    /// Rounding: the return, its square and the new move's term floor (together under 2 bps² low per step); the
    /// decay `v · dt / H` floors, so the variance keeps up to a bps² more (in calm it stalls below H / dt bps²: 300
    /// with 12 s between observations, σ < 0.2 %). The implementation folds the divisions (floor(floor(a / b) / c)
    /// == floor(a / (b · c))): the same integers as the formula.
    /// @param varianceBps2 The variance before (`<= MAX_VARIANCE`).
    /// @param lastPrice The previous observation's price (WAD); 0 if there was none.
    /// @param price The new observation's price (WAD).
    /// @param dt Seconds between the two observations.
    /// @return The variance after, in bps², at most `MAX_VARIANCE`.
    function nextVariance(uint256 varianceBps2, uint256 lastPrice, uint256 price, uint256 dt)
        internal
        pure
        returns (uint256)
    {
        if (lastPrice == 0 || dt == 0) return varianceBps2;
        uint256 move = price > lastPrice ? price - lastPrice : lastPrice - price;
        uint256 r = move * WAD / lastPrice;
        if (r > MAX_RETURN_WAD) return MAX_VARIANCE;
        uint256 annualized; // r2 · YEAR · 1e8 / 1e18, divided by H or dt below
        unchecked {
            // r <= MAX_RETURN_WAD: r * r <= 1e48 and r2 * YEAR * BPS2 <= 3.2e45, far below 2^256.
            annualized = r * r / WAD * (YEAR * BPS2) / WAD;
        }
        uint256 v;
        if (dt > VOL_WINDOW) v = annualized / dt;
        else v = varianceBps2 - varianceBps2 * dt / VOL_WINDOW + annualized / VOL_WINDOW;
        return v > MAX_VARIANCE ? MAX_VARIANCE : v;
    }

    /// @notice How much the initial margin is scaled up at `varianceBps2`, in bps (10_000 = 1×).
    /// @dev referenceBps == 0: BPS (off). Else m = ceilDiv(sqrtCeil(varianceBps2) · BPS, referenceBps), then
    /// min(m, capBps), then max(·, BPS): never below 1×, at most `capBps` (when capBps >= BPS, as PoolAdmin
    /// requires). Rounds up (the square root and the division): the protocol's side.
    /// @param varianceBps2 The realized variance, bps² (σ = sqrt in bps).
    /// @param referenceBps The σ (bps) at which the initial margin is the tiers' own; 0 = no scaling.
    /// @param capBps The most the initial margin is scaled, bps.
    function initialMultiplierBps(uint256 varianceBps2, uint256 referenceBps, uint256 capBps)
        internal
        pure
        returns (uint256 m)
    {
        if (referenceBps == 0) return BPS;
        m = Math.ceilDiv(Math.sqrt(varianceBps2, Math.Rounding.Ceil) * BPS, referenceBps);
        if (m > capBps) m = capBps;
        if (m < BPS) m = BPS;
    }
}
