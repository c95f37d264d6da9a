// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheLpEconomicsBase} from "./TrancheBoost.t.sol";

/// @notice An expired junior request reads as nothing claimable (it was a panic once the head skipped past it, which
/// blanked the Earn page's gate panel).
contract TrancheExitGateExpiredViewTest is TrancheLpEconomicsBase {
    function test_claimableNow_afterTheWindowExpired_returnsZeroNotARevert() public {
        uint256 shares = _deposit(alice, 100e6);
        _deposit(bob, 100e6);
        tailRisk.setFloor(50e6, true);
        uint256 unlock = _request(alice, shares);
        vm.warp(unlock + 10 days);
        (uint256 claimable, uint256 requested,) = vault.claimableNow(alice);
        assertEq(claimable, 0);
        assertEq(requested, 100e6);
        vault.advanceExitQueue(8);
        (claimable, requested,) = vault.claimableNow(alice);
        assertEq(claimable, 0);
    }
}
