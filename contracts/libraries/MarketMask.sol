// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title MarketMask
/// @notice An account's open markets as a bitmask: bit i set = a position in market i.
library MarketMask {
    /// @notice Index of the lowest set bit. `mask` must be non-zero.
    function lowest(uint256 mask) internal pure returns (uint256 i) {
        uint256 isolated = mask & (~mask + 1);
        while (isolated > 1) {
            isolated >>= 1;
            ++i;
        }
    }

    /// @notice Number of set bits.
    function count(uint256 mask) internal pure returns (uint256 n) {
        for (; mask != 0; mask &= mask - 1) {
            ++n;
        }
    }
}
