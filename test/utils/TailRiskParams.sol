// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";

/// @notice The tail-risk oracle's deployment defaults (SPEC-21; ts/deploy/config.ts `tailRisk`): m = 2×, share in
/// [50 %, 90 %], 5 % a post, 15 % a day, fresh for 2 days, exits keep 1.5× the stressed loss, reference shock -20 %.
function defaultTailRiskParams() pure returns (ITailRiskOracle.Params memory) {
    return ITailRiskOracle.Params({
        multiplierBps: 20_000,
        minShareBps: 5000,
        maxShareBps: 9000,
        maxStepBps: 500,
        maxDailyBps: 1500,
        maxAge: 2 days,
        coverageMultipleBps: 15_000,
        referenceShockBps: -2000
    });
}
