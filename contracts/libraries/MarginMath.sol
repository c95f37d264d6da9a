// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title MarginMath
/// @notice Marginal margin tiers and position valuation at the index price.
/// @dev Tiers are packed into one uint256: three tiers of 80 bits, lowest 80 bits first, each
/// `uint48 notionalCap (whole quote units) | uint16 initialBps | uint16 maintenanceBps`.
/// Tiers are marginal, like income-tax brackets: tier 0's ratios apply to the part of a position's notional
/// in [0, cap0], tier 1's to the part in (cap0, cap1], and the last tier's to all of it above cap1 (the last
/// cap only has to exceed the previous one). So a requirement is continuous and non-decreasing in notional:
/// a tiny price move never jumps it by a tier's step. Ratios must be non-decreasing with notional (checked by
/// `validateTiers`), so each extra unit of a larger position gets lower leverage.
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

    /// @notice The ratios (bps) charged on the last unit of `notional` (WAD quote): those of the tier that
    /// contains it (at a cap exactly, the lower tier; above the last-but-one cap, the last tier).
    /// @dev The marginal rate, not the average: `requirements` is the sum over tiers. Shown to traders as the
    /// leverage available on the next unit of a position of this size.
    function marginalRatios(uint256 packed, uint256 notional)
        internal
        pure
        returns (uint256 initialBps, uint256 maintBps)
    {
        for (uint256 i; i < TIER_COUNT; ++i) {
            uint256 word = packed >> (80 * i);
            initialBps = (word >> 48) & type(uint16).max;
            maintBps = (word >> 64) & type(uint16).max;
            if (notional <= (word & type(uint48).max) * FixedPoint.WAD) break;
        }
    }

    /// @notice Initial and maintenance requirements of a position of `notional` (WAD quote): each tier's ratio
    /// on the part of the notional inside that tier, summed, rounded up once.
    /// @dev Exactly ceil(sum_i part_i * ratio_i / 10_000): a full tier's part is a whole number of quote units
    /// (a multiple of 1e18), so its share is exact and only the partial tier rounds. Hence for a >= b:
    /// req(b) <= req(a) <= req(b) + ceil((a - b) * lastRatio / 10_000).
    /// `packed` must pass `validateTiers` (caps increasing), as every listed market's tiers do.
    function requirements(uint256 packed, uint256 notional) internal pure returns (uint256 initial, uint256 maint) {
        uint256 floor; // where the current tier starts (WAD)
        for (uint256 i; i < TIER_COUNT; ++i) {
            uint256 word = packed >> (80 * i);
            uint256 ib = (word >> 48) & type(uint16).max;
            uint256 mb = (word >> 64) & type(uint16).max;
            uint256 cap = (word & type(uint48).max) * FixedPoint.WAD;
            if (notional <= cap || i + 1 == TIER_COUNT) {
                // notional > floor (it lies above the previous cap), and each sum stays <= notional (ratios
                // <= 100 %): no underflow or overflow.
                unchecked {
                    uint256 part = notional - floor;
                    return (initial + part.mulDivUp(ib, FixedPoint.BPS), maint + part.mulDivUp(mb, FixedPoint.BPS));
                }
            }
            // A full tier: (cap - floor) * bps is a multiple of 1e18 * bps, so dividing by 10_000 is exact.
            initial += (cap - floor) * ib / FixedPoint.BPS;
            maint += (cap - floor) * mb / FixedPoint.BPS;
            floor = cap;
        }
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
