// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";

/// @notice Scenario grids for tests: a hand-made ETH/BTC grid (markets 0 and 1) and random valid grids.
library RiskGrids {
    /// @notice Broad +-1 for all eight columns, ETH-led and BTC-led drops and rallies, a broken correlation of
    /// +-0.5 each way, and +-2 tail rows at 50 %. A delta-hedged pair of equal requirements posts one standalone
    /// requirement (the broken-correlation rows): half the additive sum.
    function ethBtc() internal pure returns (IRiskEngine.Scenario[] memory g) {
        g = new IRiskEngine.Scenario[](10);
        g[0] = _all(100, 50);
        g[1] = _all(100, -50);
        g[2] = _pair(100, -50, -20);
        g[3] = _pair(100, 50, 20);
        g[4] = _pair(100, -35, -50);
        g[5] = _pair(100, 35, 50);
        g[6] = _pair(100, -25, 25);
        g[7] = _pair(100, 25, -25);
        g[8] = _all(50, -100);
        g[9] = _all(50, 100);
    }

    /// @notice A random valid grid: up to 30 random rows (weights 1..100, moves clamped to one requirement) plus the
    /// two broad rows that make every column standalone-exact.
    function random(uint256 seed, uint256 rows) internal pure returns (IRiskEngine.Scenario[] memory g) {
        rows = rows % 31;
        g = new IRiskEngine.Scenario[](rows + 2);
        g[0] = _all(100, 50);
        g[1] = _all(100, -50);
        for (uint256 k; k < rows; ++k) {
            seed = uint256(keccak256(abi.encode(seed, k)));
            uint256 w = 1 + seed % 100;
            g[k + 2].weightPct = uint8(w);
            int256 limit = int256(5000 / w); // |w * move| <= 5000
            if (limit > 127) limit = 127;
            for (uint256 c; c < 8; ++c) {
                int256 m = int256(uint256(uint8(seed >> (8 * (c + 1))))) - 128; // -128..127
                if (m > limit) m = limit;
                if (m < -limit) m = -limit;
                g[k + 2].moves[c] = int8(m);
            }
        }
    }

    function _all(uint8 weight, int8 move) private pure returns (IRiskEngine.Scenario memory s) {
        s.weightPct = weight;
        for (uint256 c; c < 8; ++c) {
            s.moves[c] = move;
        }
    }

    function _pair(uint8 weight, int8 eth, int8 btc) private pure returns (IRiskEngine.Scenario memory s) {
        s.weightPct = weight;
        s.moves[0] = eth;
        s.moves[1] = btc;
    }
}
