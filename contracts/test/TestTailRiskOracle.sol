// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../interfaces/ITailRiskOracle.sol";

/// @notice Test double of the tail-risk oracle's LP-economics reads (`juniorExitFloor`, `boostMultiplierBps`,
/// `splitShare`), each set by hand. Not `ITailRiskOracle` itself: wire it with `ITailRiskOracle(address(double))`.
/// Default: no floor, 1×, the capital rule.
contract TestTailRiskOracle {
    uint256 public floor;
    bool public fromEs99;
    uint256 public boostMultiplierBps = 10_000;

    function setFloor(uint256 floor_, bool fromEs99_) external {
        floor = floor_;
        fromEs99 = fromEs99_;
    }

    function setBoostMultiplierBps(uint256 multiplierBps) external {
        boostMultiplierBps = multiplierBps;
    }

    function juniorExitFloor() external view returns (uint256, bool) {
        return (floor, fromEs99);
    }

    function splitShare() external pure returns (uint256, ITailRiskOracle.SplitSource) {
        return (0, ITailRiskOracle.SplitSource.CapitalRule);
    }
}
