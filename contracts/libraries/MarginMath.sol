// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title MarginMath
/// @notice Tiered margin ratios and position valuation at the index price.
/// @dev Tiers are packed into one uint256: up to three tiers of 80 bits, lowest 80 bits first, each
/// `uint48 notionalCap (whole quote units) | uint16 initialBps | uint16 maintenanceBps`. A position whose
/// notional is <= a tier's cap uses that tier; above the last cap the last tier applies. Ratios must be
/// non-decreasing with notional (checked by `validateTiers`), so larger positions get lower leverage.
library MarginMath {
    using FixedPoint for uint256;

    uint256 internal constant TIER_COUNT = 3;

    error InvalidTiers();

    struct Tier {
        uint256 notionalCap; // in WAD quote
        uint256 initialBps;
        uint256 maintenanceBps;
    }

    function packTiers(Tier[3] memory tiers) internal pure returns (uint256 packed) {
        for (uint256 i; i < TIER_COUNT; ++i) {
            uint256 cap = tiers[i].notionalCap / FixedPoint.WAD;
            if (cap > type(uint48).max || tiers[i].initialBps > type(uint16).max) revert InvalidTiers();
            if (tiers[i].maintenanceBps > type(uint16).max) revert InvalidTiers();
            packed |= (cap | (tiers[i].initialBps << 48) | (tiers[i].maintenanceBps << 64)) << (80 * i);
        }
    }

    function unpackTier(uint256 packed, uint256 i) internal pure returns (Tier memory t) {
        uint256 word = packed >> (80 * i);
        t.notionalCap = (word & type(uint48).max) * FixedPoint.WAD;
        t.initialBps = (word >> 48) & type(uint16).max;
        t.maintenanceBps = (word >> 64) & type(uint16).max;
    }

    /// @notice Reverts unless: 0 < maintenance < initial <= 100 %, caps strictly increasing, ratios non-decreasing.
    function validateTiers(uint256 packed) internal pure {
        Tier memory prev;
        for (uint256 i; i < TIER_COUNT; ++i) {
            Tier memory t = unpackTier(packed, i);
            if (t.maintenanceBps == 0 || t.maintenanceBps >= t.initialBps || t.initialBps > FixedPoint.BPS) {
                revert InvalidTiers();
            }
            if (i > 0 && (t.notionalCap <= prev.notionalCap || t.initialBps < prev.initialBps)) revert InvalidTiers();
            if (i > 0 && t.maintenanceBps < prev.maintenanceBps) revert InvalidTiers();
            prev = t;
        }
    }

    /// @notice Initial and maintenance ratios (bps) for a position of `notional` (WAD quote).
    function ratiosFor(uint256 packed, uint256 notional) internal pure returns (uint256 initialBps, uint256 maintBps) {
        for (uint256 i; i < TIER_COUNT; ++i) {
            uint256 word = packed >> (80 * i);
            initialBps = (word >> 48) & type(uint16).max;
            maintBps = (word >> 64) & type(uint16).max;
            if (notional <= (word & type(uint48).max) * FixedPoint.WAD) break;
        }
    }

    /// @notice Initial and maintenance requirements for a position of `notional`, rounded up.
    function requirements(uint256 packed, uint256 notional) internal pure returns (uint256 initial, uint256 maint) {
        (uint256 ib, uint256 mb) = ratiosFor(packed, notional);
        initial = notional.mulDivUp(ib, FixedPoint.BPS);
        maint = notional.mulDivUp(mb, FixedPoint.BPS);
    }

    /// @notice Notional of `size` base at `price`, rounded up (requirements grow with it).
    function notionalUp(int256 size, uint256 price) internal pure returns (uint256) {
        return FixedPoint.abs(size).wMulUp(price);
    }

    /// @notice Unrealized PnL of a position valued at `price`: size * price - openNotional, rounded toward -inf.
    function unrealizedPnl(int256 size, int256 openNotional, uint256 price) internal pure returns (int256) {
        return FixedPoint.mulDivFloor(size, price, FixedPoint.WAD) - openNotional;
    }
}
