// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";

/// @notice The default scenario grid of ts/deploy/riskGrid.ts (DEFAULT_RISK_GRID, DEFAULT_FLOOR_BPS), row for row:
/// test/ts/riskGrid.test.ts reads this file and fails when the two differ. Calibration: docs/risk-grid.md.
/// Columns: 0 = ETH, 1 = BTC, 2..7 = uncalibrated markets; a move of 50 = one tier-0 maintenance move (5 %).
library DefaultRiskGrid {
    /// @notice The floor φ: no netted book posts less than half of its additive requirement.
    uint256 internal constant FLOOR_BPS = 5000;
    uint256 internal constant ROWS = 28;

    function scenarios() internal pure returns (IRiskEngine.Scenario[] memory s) {
        s = new IRiskEngine.Scenario[](ROWS);
        s[0] = _row(100, [int8(-50), -50, -50, -50, -50, -50, -50, -50]); // broad -1
        s[1] = _row(100, [int8(50), 50, 50, 50, 50, 50, 50, 50]); // broad +1
        s[2] = _row(100, [int8(-50), 0, 0, 0, 0, 0, 0, 0]); // ETH alone -1
        s[3] = _row(100, [int8(50), 0, 0, 0, 0, 0, 0, 0]); // ETH alone +1
        s[4] = _row(100, [int8(0), -50, 0, 0, 0, 0, 0, 0]); // BTC alone -1
        s[5] = _row(100, [int8(0), 50, 0, 0, 0, 0, 0, 0]); // BTC alone +1
        s[6] = _row(100, [int8(-50), 10, 0, 0, 0, 0, 0, 0]); // ETH -1, BTC +0.2
        s[7] = _row(100, [int8(50), -10, 0, 0, 0, 0, 0, 0]); // ETH +1, BTC -0.2
        s[8] = _row(100, [int8(10), -50, 0, 0, 0, 0, 0, 0]); // BTC -1, ETH +0.2
        s[9] = _row(100, [int8(-10), 50, 0, 0, 0, 0, 0, 0]); // BTC +1, ETH -0.2
        s[10] = _row(50, [int8(-100), -100, -100, -100, -100, -100, -100, -100]); // tail: all -2
        s[11] = _row(50, [int8(100), 100, 100, 100, 100, 100, 100, 100]); // tail: all +2
        s[12] = _row(50, [int8(-100), -50, 0, 0, 0, 0, 0, 0]); // tail: ETH -2, BTC -1
        s[13] = _row(50, [int8(100), 50, 0, 0, 0, 0, 0, 0]); // tail: ETH +2, BTC +1
        s[14] = _row(50, [int8(-50), -100, 0, 0, 0, 0, 0, 0]); // tail: BTC -2, ETH -1
        s[15] = _row(50, [int8(50), 100, 0, 0, 0, 0, 0, 0]); // tail: BTC +2, ETH +1
        s[16] = _row(100, [int8(0), 0, -50, 0, 0, 0, 0, 0]); // market 2 alone -1
        s[17] = _row(100, [int8(0), 0, 50, 0, 0, 0, 0, 0]); // market 2 alone +1
        s[18] = _row(100, [int8(0), 0, 0, -50, 0, 0, 0, 0]); // market 3 alone -1
        s[19] = _row(100, [int8(0), 0, 0, 50, 0, 0, 0, 0]); // market 3 alone +1
        s[20] = _row(100, [int8(0), 0, 0, 0, -50, 0, 0, 0]); // market 4 alone -1
        s[21] = _row(100, [int8(0), 0, 0, 0, 50, 0, 0, 0]); // market 4 alone +1
        s[22] = _row(100, [int8(0), 0, 0, 0, 0, -50, 0, 0]); // market 5 alone -1
        s[23] = _row(100, [int8(0), 0, 0, 0, 0, 50, 0, 0]); // market 5 alone +1
        s[24] = _row(100, [int8(0), 0, 0, 0, 0, 0, -50, 0]); // market 6 alone -1
        s[25] = _row(100, [int8(0), 0, 0, 0, 0, 0, 50, 0]); // market 6 alone +1
        s[26] = _row(100, [int8(0), 0, 0, 0, 0, 0, 0, -50]); // market 7 alone -1
        s[27] = _row(100, [int8(0), 0, 0, 0, 0, 0, 0, 50]); // market 7 alone +1
    }

    function _row(uint8 weightPct, int8[8] memory moves) private pure returns (IRiskEngine.Scenario memory) {
        return IRiskEngine.Scenario({weightPct: weightPct, moves: moves});
    }
}
