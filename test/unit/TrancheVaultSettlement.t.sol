// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";

/// @notice RISK 63 on the review's fixture (2 M junior, 6 M senior, ETH 2,000): a claim ordered ahead of the
/// liquidation of an insolvent account bears its deficit, because the claimed shares stay in the tranche for the
/// settlement delay, longer than the keeper takes to liquidate.
contract TrancheVaultSettlementTest is LiquidationBase {
    address internal leaver = makeAddr("leaver");

    function _setUpInsolvency(uint256 target) internal {
        _lpDeposit(leaver, junior, 2_000_000e6);
        _openPosition(alice, ETH, 10_000e6, 45e18);
        uint256 shares = junior.balanceOf(leaver);
        vm.prank(leaver);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        _refreshFeeds();
        _crashTo(ETH, target);
    }

    function _claimThenLiquidate() internal returns (uint256) {
        vm.prank(leaver);
        (, uint64 settleAt) = junior.claim();
        _liqLong(alice); // the keeper, within a few blocks
        vm.warp(settleAt);
        _refreshFeeds();
        return junior.settleClaim(leaver);
    }

    function _liquidateThenClaim() internal returns (uint256) {
        _liqLong(alice);
        vm.prank(leaver);
        (, uint64 settleAt) = junior.claim();
        vm.warp(settleAt);
        _refreshFeeds();
        return junior.settleClaim(leaver);
    }

    function testFuzz_risk63_claimBeforeOrAfterTheLiquidationOfAnInsolventAccount_paysTheSame(uint256 target) public {
        target = bound(target, 1500e18, 1760e18) / 1e10 * 1e10;
        _setUpInsolvency(target);
        uint256 juniorBefore = junior.totalAssets();

        uint256 snap = vm.snapshotState();
        uint256 before = _claimThenLiquidate();
        uint256 juniorLost = juniorBefore - (junior.totalAssets() + before);
        vm.revertToState(snap);
        uint256 afterIt = _liquidateThenClaim();

        assertGt(juniorLost, 0, "the liquidation realized a deficit on junior");
        assertApproxEqAbs(before, afterIt, 2, "claiming before or after the liquidation pays the same");
        assertLt(before, 2_000_000e6, "the claim bore its part of the deficit");
    }
}
