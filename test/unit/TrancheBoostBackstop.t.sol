// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {TestTailRiskOracle} from "../../contracts/test/TestTailRiskOracle.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice The boost and the exit gate wired through the real backstop: `setLpEconomics` feeds each tranche's pot
/// from the premium, and both vaults read the oracle through `IBackstop.tailRiskOracle()`.
contract TrancheBoostBackstopTest is PoolFixture {
    TestTailRiskOracle internal tailRisk = new TestTailRiskOracle();

    function setUp() public override {
        super.setUp();
        backstop.setLpEconomics(ITailRiskOracle(address(tailRisk)), 2000);
        _deposit(bob, 0, 100_000e6);
        _trade(bob, ETH, -5e18);
        vm.warp(block.timestamp + 1 days);
    }

    function test_distributePremium_paysEachTranchesBoostShareIntoItsPot() public {
        uint256 juniorStreamed = junior.totalPremiumReceived();
        uint256 seniorStreamed = senior.totalPremiumReceived();
        pool.distributePremium();
        uint256 juniorPart = junior.totalPremiumReceived() - juniorStreamed + junior.boostPot();
        uint256 seniorPart = senior.totalPremiumReceived() - seniorStreamed + senior.boostPot();
        assertGt(junior.boostPot(), 0);
        assertGt(senior.boostPot(), 0);
        assertEq(junior.boostPot(), juniorPart * 2000 / 10_000, "20 % of junior's part");
        assertEq(senior.boostPot(), seniorPart * 2000 / 10_000, "20 % of senior's part");
        // The only holders: each LP takes its whole pot.
        vm.warp(block.timestamp + 1);
        uint256 pot = junior.boostPot();
        vm.prank(juniorLp);
        assertEq(junior.claimBoost(), pot);
    }

    function test_exitGate_readsTheBackstopsOracle_juniorOnly() public {
        tailRisk.setFloor(junior.totalAssets(), true); // nothing above the floor
        uint256 jShares = junior.balanceOf(juniorLp);
        uint256 sShares = senior.balanceOf(seniorLp);
        vm.prank(juniorLp);
        uint256 juniorUnlock = junior.requestWithdraw(jShares);
        vm.prank(seniorLp);
        uint256 seniorUnlock = senior.requestWithdraw(sShares);
        vm.warp(juniorUnlock);
        (uint256 floor,,) = junior.exitGate();
        assertEq(floor, tailRisk.floor());
        vm.prank(juniorLp);
        (uint256 juniorCap,) = junior.claim();
        assertEq(juniorCap, 0, "junior held back at the floor");
        vm.warp(seniorUnlock);
        vm.prank(seniorLp);
        (uint256 seniorCap,) = senior.claim();
        assertGt(seniorCap, 0, "senior is never gated by junior's floor");
    }

    function test_refreshBoost_readsTheBackstopsOracle() public {
        tailRisk.setBoostMultiplierBps(24_000);
        junior.refreshBoost();
        senior.refreshBoost();
        assertEq(junior.boostMultiplierBps(), 24_000);
        assertEq(senior.boostMultiplierBps(), 24_000);
    }
}
