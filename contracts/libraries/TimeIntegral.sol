// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TimeIntegral
/// @notice Cumulative time integrals kept modulo 2^128 (as Uniswap v2's price accumulators): never reset, read only
/// as the difference of two readings, which is exact while the integral over the span stays below 2^128 (a WAD
/// price below 1e27 for 10,000 years, below 1e30 for 10). The pool's mark integral, and the oracle's index
/// integral read modulo 2^128.
library TimeIntegral {
    /// @notice `integral` carried `dt` seconds further at `value` per second, modulo 2^128.
    function carry(uint256 integral, uint256 value, uint256 dt) internal pure returns (uint128) {
        // forge-lint: disable-next-line(unsafe-typecast) modulo 2^128 by design: only differences are read
        return uint128(integral + value * dt);
    }

    /// @notice Mean over `elapsed` seconds of a quantity whose integral went from `atStart` to `atEnd` (both read
    /// modulo 2^128). Rounds down; 0 for an empty span.
    function meanDown(uint256 atEnd, uint256 atStart, uint256 elapsed) internal pure returns (uint256) {
        if (elapsed == 0) return 0;
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast) the modular difference of two 128-bit readings
            return uint256(uint128(uint128(atEnd) - uint128(atStart))) / elapsed;
        }
    }
}
