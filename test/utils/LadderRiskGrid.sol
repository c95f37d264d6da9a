// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";

/// @notice A valid grid for the liquidation tests (not the calibrated default): broad moves of every column together
/// (±1 requirement), idiosyncratic moves of markets 0 and 1 alone (±1), the two moving half a requirement in opposite
/// directions (broken correlation), and a tail of every column together at ±2 weighted 50 %. Floor 20 %. A hedged
/// 0/1 book nets to about half its additive requirement; each column alone costs exactly its standalone one.
library LadderRiskGrid {
    uint256 internal constant FLOOR_BPS = 2000;

    function deploy() internal returns (RiskEngine) {
        return new RiskEngine(rows(), FLOOR_BPS);
    }

    function rows() internal pure returns (IRiskEngine.Scenario[] memory g) {
        g = new IRiskEngine.Scenario[](10);
        g[0] = _all(100, 50);
        g[1] = _all(100, -50);
        g[2] = _pair(50, 0);
        g[3] = _pair(-50, 0);
        g[4] = _pair(0, 50);
        g[5] = _pair(0, -50);
        g[6] = _pair(25, -25);
        g[7] = _pair(-25, 25);
        g[8] = _all(50, 100);
        g[9] = _all(50, -100);
    }

    function _all(uint8 weightPct, int8 move) private pure returns (IRiskEngine.Scenario memory s) {
        s.weightPct = weightPct;
        for (uint256 c; c < 8; ++c) {
            s.moves[c] = move;
        }
    }

    function _pair(int8 move0, int8 move1) private pure returns (IRiskEngine.Scenario memory s) {
        s.weightPct = 100;
        s.moves[0] = move0;
        s.moves[1] = move1;
    }
}
