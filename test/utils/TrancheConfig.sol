// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";

/// @dev The default settlement delay of the fixtures (the deploy config's default too).
uint64 constant SETTLEMENT_DELAY = 10 minutes;

/// @notice A tranche vault's constructor config with the fixtures' default settlement delay.
function trancheConfig(
    address backstop,
    address lossSource,
    address junior,
    uint64 cooldown,
    uint64 window,
    uint64 stream
) pure returns (ITrancheVault.Config memory) {
    return ITrancheVault.Config({
        backstop: backstop,
        lossSource: lossSource,
        junior: junior,
        cooldown: cooldown,
        claimWindow: window,
        settlementDelay: SETTLEMENT_DELAY,
        premiumStreamDuration: stream
    });
}
