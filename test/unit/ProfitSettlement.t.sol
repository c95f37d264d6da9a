// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Profit is paid only out of losses actually collected (Drift v1, May 2022: RISK-TESTS 34).
contract ProfitSettlementTest is PoolFixture {
    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
        // Alice buys first, Bob buys after her at a higher mark; the index stays at 2,000 throughout.
        _trade(alice, ETH, 90e18);
        vm.warp(block.timestamp + 1);
        _trade(bob, ETH, 90e18);
        vm.warp(block.timestamp + 1);
    }

    function test_closeInProfit_defersProfitWhileLossesAreUncollected() public {
        int256 collateralBefore = _collateral(alice);
        vm.expectEmit(true, true, false, false, address(pool));
        emit IPerpPool.ProfitDeferred(alice, 0, 0);
        _close(alice, ETH);
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        assertGt(deferred, 1000e18, "alice realized a profit of over 1,000");
        assertLt(_collateral(alice), collateralBefore, "nothing was paid: only the closing fee left collateral");
        (uint256 pnlPool,,) = pool.pools();
        assertEq(pnlPool, 0, "no loss has been collected yet");
    }

    function test_deferredProfit_cannotBeWithdrawn() public {
        _close(alice, ETH);
        uint256 col = uint256(_collateral(alice));
        uint256 available = col / 1e12;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientCollateral.selector, (available + 1) * 1e12, col));
        pool.withdrawMargin(alice, 0, available + 1, alice);
    }

    function test_deferredProfit_isPaidOnceTheLoserCloses() public {
        _close(alice, ETH);
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        vm.warp(block.timestamp + 1);
        _close(bob, ETH);
        (uint256 pnlPool,,) = pool.pools();
        assertGe(pnlPool, deferred, "bob's loss covers alice's profit: the curve rounds against traders");
        uint256 paid = pool.settleProfit(alice, 0);
        assertEq(paid, deferred);
        assertEq(pool.account(alice, 0).unsettledProfit, 0);
        // And now it is withdrawable.
        uint256 all = uint256(_collateral(alice)) / 1e12;
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, all, alice);
        assertGt(usdc.balanceOf(alice), 100_000e6, "alice ends with more than she deposited");
        address[] memory accounts = new address[](2);
        (accounts[0], accounts[1]) = (alice, bob);
        _assertSolvent(accounts);
    }

    function test_deferredProfit_countsTowardMaintenanceButNotWithdrawal() public {
        _close(alice, ETH);
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        assertEq(lens.accountHealth(alice, 0).value, _collateral(alice) + int256(deferred));
    }

    function test_loss_firstCancelsTheAccountsOwnDeferredProfit() public {
        _close(alice, ETH);
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        // Alice shorts and the mark rises against her (Bob buys more): her loss nets against her own claim first.
        vm.warp(block.timestamp + 1);
        _trade(alice, ETH, -50e18);
        vm.warp(block.timestamp + 1);
        _trade(bob, ETH, 60e18);
        vm.warp(block.timestamp + 1);
        (uint256 poolBefore,,) = pool.pools();
        _close(alice, ETH);
        (uint256 poolAfter,,) = pool.pools();
        assertLt(pool.account(alice, 0).unsettledProfit, deferred, "the loss reduced her deferred profit");
        assertEq(poolAfter, poolBefore, "netting moves no money through the pnl pool");
    }

    function test_settleProfit_drawsOnTheBackstopWithinTheCap_andRepaysItFromLaterLosses() public {
        vm.prank(admin);
        pool.setProfitDrawCap(1000); // 10 % of backstop capital may be advanced
        _close(alice, ETH);
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        uint256 juniorBefore = junior.totalAssets();
        assertEq(junior.grossAssets(), juniorBefore);

        uint256 paid = pool.settleProfit(alice, 0);
        assertEq(paid, deferred, "the backstop advanced all of it (well within 10 % of 8M)");
        (uint256 totalDeferred, uint256 advance,) = pool.profitLedger();
        assertEq(totalDeferred, 0);
        assertGe(advance, deferred, "the advance is recorded (token rounding up)");
        assertLt(advance - deferred, 1e12);
        assertEq(juniorBefore - junior.grossAssets(), advance / 1e12, "junior advanced it: first loss");
        assertEq(junior.totalAssets(), juniorBefore, "as a receivable: its value unchanged (RISK 64)");

        // Bob's loss is collected later; the advance goes back to junior, which paid it, as restored capital (RISK 54).
        vm.warp(block.timestamp + 1);
        _close(bob, ETH);
        uint256 restoredBefore = junior.totalCapitalRestored();
        vm.expectEmit(address(pool));
        emit IPerpPool.BackstopAdvanceRepaid(advance);
        pool.distributePremium();
        (, uint256 advanceAfter,) = pool.profitLedger();
        assertEq(advanceAfter, 0, "repaid in full");
        assertEq(junior.totalCapitalRestored() - restoredBefore, advance / 1e12, "restored to junior, not premium");
        assertEq(senior.totalCapitalRestored(), 0, "senior advanced nothing and gets nothing back");
        (uint256 owedJunior, uint256 owedSenior) = backstop.advances();
        assertEq(owedJunior + owedSenior, 0);
    }

    function test_settleProfit_withoutADrawCap_neverTouchesTheBackstop() public {
        _close(alice, ETH);
        uint256 juniorBefore = junior.totalAssets();
        assertEq(pool.settleProfit(alice, 0), 0);
        assertEq(junior.totalAssets(), juniorBefore);
    }

    function test_setProfitDrawCap_isBoundedAndOwnerOnly() public {
        vm.prank(admin);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, bytes32("profitDrawCapBps"), 2001)
        );
        pool.setProfitDrawCap(2001);
        vm.prank(alice);
        vm.expectRevert();
        pool.setProfitDrawCap(100);
    }
}
