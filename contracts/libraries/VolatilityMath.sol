// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// TEMP (replaced by the vol branch)
library VolatilityMath {
    function initialMultiplierBps(uint256 varianceBps2, uint256 referenceBps, uint256 capBps)
        internal
        pure
        returns (uint256 m)
    {
        if (referenceBps == 0) return 10_000;
        m = Math.ceilDiv(Math.sqrt(varianceBps2, Math.Rounding.Ceil) * 10_000, referenceBps);
        if (m < 10_000) m = 10_000;
        if (m > capBps) m = capBps;
    }
}
