// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarginMath} from "../libraries/MarginMath.sol";

/// @title MarginMathExposed
/// @notice `MarginMath`'s internal functions as external views, so the SDK's differential tests can compare
/// `ts/pool/math/marginMath.ts` with the library to the wei. Holds no state; tests and local chains only.
contract MarginMathExposed {
    /// @notice `MarginMath.requirements`.
    function requirements(uint256 packed, uint256 notional) external pure returns (uint256 initial, uint256 maint) {
        return MarginMath.requirements(packed, notional);
    }

    /// @notice `MarginMath.marginalRatios`.
    function marginalRatios(uint256 packed, uint256 notional)
        external
        pure
        returns (uint256 initialBps, uint256 maintBps)
    {
        return MarginMath.marginalRatios(packed, notional);
    }

    /// @notice `MarginMath.validateTiers` (reverts `InvalidTiers`).
    function validateTiers(uint256 packed) external pure {
        MarginMath.validateTiers(packed);
    }
}
