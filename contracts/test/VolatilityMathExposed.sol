// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VolatilityMath} from "../libraries/VolatilityMath.sol";

/// @title VolatilityMathExposed
/// @notice `VolatilityMath`'s internal functions as external views, so the SDK's differential tests can compare
/// `ts/pool/math/volatilityMath.ts` with the library to the wei. Holds no state; tests and local chains only.
contract VolatilityMathExposed {
    /// @notice `VolatilityMath.nextVariance`.
    function nextVariance(uint256 varianceBps2, uint256 lastPrice, uint256 price, uint256 dt)
        external
        pure
        returns (uint256)
    {
        return VolatilityMath.nextVariance(varianceBps2, lastPrice, price, dt);
    }

    /// @notice `VolatilityMath.initialMultiplierBps`.
    function initialMultiplierBps(uint256 varianceBps2, uint256 referenceBps, uint256 capBps)
        external
        pure
        returns (uint256)
    {
        return VolatilityMath.initialMultiplierBps(varianceBps2, referenceBps, capBps);
    }
}
