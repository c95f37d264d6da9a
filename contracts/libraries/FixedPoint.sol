// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title FixedPoint
/// @notice 18-decimal fixed point ("WAD") arithmetic with the rounding direction in every name.
/// @dev Operands are bounded by the protocol to < 2^128 (reserves, sizes, notionals, prices are uint128/int128
/// in storage), so `x * y` cannot overflow 256 bits and plain checked arithmetic is exact; an overflow reverts.
/// "Down"/"Up" round toward zero/away from zero for unsigned values; "Floor"/"Ceil" round toward -inf/+inf for
/// signed values. Callers pick the direction that favours the protocol.
library FixedPoint {
    uint256 internal constant WAD = 1e18;
    int256 internal constant IWAD = 1e18;
    uint256 internal constant BPS = 10_000;

    error DivisionByZero();

    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        if (d == 0) revert DivisionByZero();
        return x * y / d;
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256 z) {
        if (d == 0) revert DivisionByZero();
        z = x * y;
        unchecked {
            z = z / d + (z % d == 0 ? 0 : 1);
        }
    }

    function wMulDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return x * y / WAD;
    }

    function wMulUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, y, WAD);
    }

    function wDivDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivDown(x, WAD, y);
    }

    function wDivUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, WAD, y);
    }

    /// @notice x * y / d rounded toward negative infinity. Reverts if the result does not fit in int256.
    function mulDivFloor(int256 x, uint256 y, uint256 d) internal pure returns (int256) {
        return
            x >= 0 ? SafeCast.toInt256(mulDivDown(uint256(x), y, d)) : -SafeCast.toInt256(mulDivUp(uint256(-x), y, d));
    }

    /// @notice x * y / d rounded toward positive infinity. Reverts if the result does not fit in int256.
    function mulDivCeil(int256 x, uint256 y, uint256 d) internal pure returns (int256) {
        return
            x >= 0 ? SafeCast.toInt256(mulDivUp(uint256(x), y, d)) : -SafeCast.toInt256(mulDivDown(uint256(-x), y, d));
    }

    function abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }

    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}
