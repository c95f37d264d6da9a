// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpLens} from "../../contracts/interfaces/IPerpLens.sol";
import {AccountHealth, Coverage, StressResult} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice The liquidation stack and coverage views read the same numbers the pool acts on.
contract PerpLensTest is PoolFixture {
    address[] internal owners;
    uint96[] internal subIds;

    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 10_000e6);
        _deposit(bob, 0, 100_000e6);
        _deposit(carol, 0, 100_000e6);
        _trade(alice, ETH, 40e18); // ~8x long
        vm.warp(block.timestamp + 1);
        _trade(bob, ETH, -10e18); // short: gains in a crash
        vm.warp(block.timestamp + 1);
        _trade(carol, BTC, 1e18); // another market: untouched by an ETH shock
        (owners, subIds) = (new address[](3), new uint96[](3));
        (owners[0], owners[1], owners[2]) = (alice, bob, carol);
    }

    function test_stressTest_valuesEachAccountAsTheLensWouldAtTheShockedIndex() public {
        StressResult memory r = lens.stressTest(ETH, -3000, owners, subIds);
        assertEq(r.shockedIndex, ETH_PRICE * 7000 / 10_000);
        // Move the index to exactly the shocked level (in steps under the jump breaker) and compare.
        for (uint256 p = ETH_PRICE; p > r.shockedIndex;) {
            p = p * 88 / 100 < r.shockedIndex ? r.shockedIndex : p * 88 / 100;
            vm.warp(block.timestamp + 10 minutes);
            _setPrice(ETH, p);
            _setPrice(BTC, BTC_PRICE);
        }
        for (uint256 i; i < 3; ++i) {
            AccountHealth memory h = lens.accountHealth(owners[i], 0);
            // Funding accrued during the walk is the only difference: compare at the shocked index itself.
            assertApproxEqAbs(h.value, r.accounts[i].value, 1e18, "value at the shocked index");
            assertEq(h.liquidatable, r.accounts[i].liquidatable, "liquidatable at the shocked index");
        }
        assertTrue(r.accounts[0].liquidatable, "the 8x long falls");
        assertGt(r.accounts[0].badDebt, 0, "and leaves bad debt");
        assertFalse(r.accounts[1].liquidatable, "the short gains");
        assertFalse(r.accounts[2].liquidatable, "BTC is not shocked");
        assertEq(r.liquidatableCount, 1);
    }

    function test_stressTest_splitsTheBadDebtDownTheWaterfall() public view {
        StressResult memory r = lens.stressTest(ETH, -3000, owners, subIds);
        assertEq(r.totalBadDebt, r.accounts[0].badDebt);
        assertEq(r.juniorCapital, 2_000_000e18);
        assertEq(r.seniorCapital, 6_000_000e18);
        assertEq(r.juniorLoss, r.totalBadDebt, "junior takes all of a loss smaller than it");
        assertEq(r.seniorLoss, 0, "senior pays nothing while junior has assets");
        assertEq(r.socialized, 0);
    }

    function test_stressTest_withJuniorGone_seniorPays() public {
        vm.startPrank(juniorLp);
        junior.requestWithdraw(junior.balanceOf(juniorLp));
        vm.warp(block.timestamp + junior.cooldown());
        (, uint64 settleAt) = junior.claim();
        vm.stopPrank();
        vm.warp(settleAt);
        junior.settleClaim(juniorLp);
        StressResult memory r = lens.stressTest(ETH, -5000, owners, subIds);
        assertEq(r.juniorCapital, 0);
        assertEq(r.juniorLoss, 0);
        assertEq(r.seniorLoss + r.socialized, r.totalBadDebt, "with junior gone, senior pays");
    }

    function test_stressTest_revertsOnImpossibleShockOrMismatchedLists() public {
        vm.expectRevert(abi.encodeWithSelector(IPerpLens.InvalidShock.selector, int256(-10_000)));
        lens.stressTest(ETH, -10_000, owners, subIds);
        vm.expectRevert(abi.encodeWithSelector(IPerpLens.LengthMismatch.selector, 3, 2));
        lens.stressTest(ETH, -1000, owners, new uint96[](2));
        vm.expectRevert(abi.encodeWithSelector(IPerpLens.UnknownMarket.selector, 9));
        lens.stressTest(9, -1000, owners, subIds);
    }

    function test_coverage_isTrancheCapitalOverOpenInterestNotional() public view {
        Coverage memory c = lens.coverage();
        uint256 oi = 50e18 * 2000 + 1e18 * 60_000; // 40 long + 10 short ETH, 1 long BTC, at index
        assertEq(c.openInterestNotional, oi);
        assertEq(c.coverageBps, (c.juniorCapital + c.seniorCapital) * 10_000 / c.openInterestNotional);
    }
}
