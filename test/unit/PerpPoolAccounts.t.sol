// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth} from "../../contracts/interfaces/IPerpTypes.sol";
import {TradingFixture} from "../utils/TradingFixture.sol";

/// @notice Deposits, withdrawals, operators and isolated sub-accounts (RISK 12).
contract PerpPoolAccountsTest is TradingFixture {
    /* DEPOSIT */

    function test_deposit_creditsCollateralInWadAndPullsTokens() public {
        usdc.mint(alice, 1_234_567_891);
        vm.startPrank(alice);
        usdc.approve(address(pool), 1_234_567_891);
        vm.expectEmit(address(pool));
        emit IPerpPool.MarginDeposited(alice, 0, 1_234_567_891);
        pool.depositMargin(0, 1_234_567_891);
        vm.stopPrank();
        assertEq(pool.account(alice, 0).collateral, 1_234_567_891e12, "1 token unit = 1e12 WAD, exact");
        assertEq(usdc.balanceOf(address(pool)), 1_234_567_891);
        assertEq(usdc.balanceOf(alice), 0);
    }

    function test_deposit_revertsWhen_amountIsZero() public {
        vm.prank(alice);
        vm.expectRevert(IPerpPool.ZeroAmount.selector);
        pool.depositMargin(0, 0);
    }

    /* WITHDRAW */

    function test_withdraw_flatAccount_paysAnyRecipientExactly() public {
        _deposit(alice, 0, 1000e6);
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 400e6, carol);
        assertEq(usdc.balanceOf(carol), 400e6);
        assertEq(pool.account(alice, 0).collateral, 600e18);
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 600e6, alice);
        assertEq(pool.account(alice, 0).collateral, 0);
        assertEq(usdc.balanceOf(address(pool)), 0, "deposit then withdraw is exact, nothing left behind");
    }

    function test_withdraw_revertsWhen_moreThanCollateral() public {
        _deposit(alice, 0, 1000e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientCollateral.selector, 1000.000001e18, 1000e18));
        pool.withdrawMargin(alice, 0, 1000.000001e6, alice);
    }

    function test_withdraw_revertsWhen_zeroAmountOrZeroRecipient() public {
        _deposit(alice, 0, 1000e6);
        vm.startPrank(alice);
        vm.expectRevert(IPerpPool.ZeroAmount.selector);
        pool.withdrawMargin(alice, 0, 0, alice);
        vm.expectRevert(IPerpPool.ZeroAddress.selector);
        pool.withdrawMargin(alice, 0, 1e6, address(0));
        vm.stopPrank();
    }

    function test_withdraw_revertsWhen_callerIsNotOwnerNorOperator() public {
        _deposit(alice, 0, 1000e6);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.withdrawMargin(alice, 0, 1e6, bob);
    }

    /* OPERATORS */

    function test_operator_canTradeAndWithdrawForOwnerUntilRevoked() public {
        _deposit(alice, 0, 10_000e6);
        vm.prank(alice);
        vm.expectEmit(address(pool));
        emit IPerpPool.OperatorSet(alice, bob, true);
        pool.setOperator(bob, true);
        assertTrue(pool.isOperator(alice, bob));

        vm.startPrank(bob);
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        pool.withdrawMargin(alice, 0, 100e6, alice);
        vm.stopPrank();
        assertEq(pool.position(alice, 0, ETH).size, 1e18, "the trade is on the owner's account");
        assertEq(pool.position(bob, 0, ETH).size, 0);
        assertEq(usdc.balanceOf(alice), 100e6);

        vm.prank(alice);
        pool.setOperator(bob, false);
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.withdrawMargin(alice, 0, 1e6, bob);
        vm.stopPrank();
    }

    function test_operator_ofOneOwnerCannotActForAnother() public {
        _deposit(carol, 0, 1000e6);
        vm.prank(alice);
        pool.setOperator(bob, true);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, carol));
        pool.trade(carol, 0, ETH, 1e18, type(uint256).max, block.timestamp);
    }

    /* SUB-ACCOUNTS */

    function test_subAccount_cannotUseCrossAccountCollateral() public {
        _deposit(alice, 0, 100_000e6);
        // Sub-account 1 is empty: its trade is margined by its own (zero) collateral only.
        (uint256 quote,) = _quoteBuy(ETH, 1e18);
        int256 v = -int256(_fee(quote)) + int256(ETH_PRICE) - int256(quote);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, uint256(200e18)));
        pool.trade(alice, 1, ETH, 1e18, type(uint256).max, block.timestamp);
    }

    function test_subAccounts_areSeparateFromCrossAccount() public {
        _deposit(alice, 0, 5000e6);
        _deposit(alice, 1, 1000e6);
        assertEq(pool.account(alice, 1).collateral, 1000e18);
        _tradeSub(alice, 1, ETH, 4e18);
        _trade(alice, BTC, 0.1e18);

        assertEq(pool.position(alice, 1, ETH).size, 4e18);
        assertEq(pool.position(alice, 0, ETH).size, 0, "the isolated position is not in the cross account");
        assertEq(pool.position(alice, 1, BTC).size, 0);
        assertEq(pool.account(alice, 1).marketMask, 1 << ETH);
        assertEq(pool.account(alice, 0).marketMask, 1 << BTC);

        // ETH falls 12 %: only the isolated account loses; the cross account's value does not move.
        int256 crossBefore = _value(alice);
        _nextBlockPrice(ETH, 1760e18);
        assertEq(_value(alice), crossBefore, "cross account untouched by the isolated loss");
        AccountHealth memory iso = lens.accountHealth(alice, 1);
        assertLt(iso.value, int256(iso.maintenanceRequirement), "the isolated account alone is under water");
        assertTrue(iso.liquidatable);
        assertFalse(_health(alice).liquidatable);

        // The cross account's collateral cannot be withdrawn through the isolated one, and vice versa.
        int256 isoCol = pool.account(alice, 1).collateral;
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.InsufficientCollateral.selector, uint256(1000e18), uint256(isoCol))
        );
        pool.withdrawMargin(alice, 1, 1000e6, alice);
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 4000e6, alice);
    }

    /* RISK 12: INITIAL MARGIN ON WITHDRAWAL */

    function test_withdraw_revertsWhen_belowInitialMarginEvenAboveMaintenance() public {
        _deposit(alice, 0, 1000e6);
        _buy(alice, ETH, 4e18); // 8,000 notional: initial 800, maintenance 400
        AccountHealth memory h = _health(alice);
        assertEq(h.initialRequirement, 800e18);
        assertEq(h.maintenanceRequirement, 400e18);
        // Largest withdrawal that keeps value >= initial: collateral + pnl - 800 (~188.8 USDC).
        int256 headroom = h.collateral + h.unrealizedPnl - 800e18;
        assertGt(headroom, 188e18);
        assertLt(headroom, 189e18);

        int256 v = h.collateral - 189e18 + h.unrealizedPnl;
        assertGt(v, int256(h.maintenanceRequirement), "maintenance alone would allow it");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, uint256(800e18)));
        pool.withdrawMargin(alice, 0, 189e6, alice);

        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 188e6, alice);
        assertGe(_value(alice), int256(_health(alice).initialRequirement));
    }

    function test_withdraw_excludesPaperGains() public {
        _deposit(alice, 0, 1000e6);
        _buy(alice, ETH, 4e18);
        _nextBlockPrice(ETH, 2200e18); // +10 %: about +800 of paper profit
        AccountHealth memory h = _health(alice);
        assertGt(h.unrealizedPnl, 790e18);
        assertEq(h.initialRequirement, 880e18);
        // Counting the gain, ~900 could leave; without it only collateral - 880 (~112).
        int256 v = h.collateral - 113e18;
        assertGt(v + h.unrealizedPnl, int256(h.initialRequirement), "would pass if paper gains counted");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, uint256(880e18)));
        pool.withdrawMargin(alice, 0, 113e6, alice);
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 111e6, alice);
    }

    /// @dev Paper profit in one market must not offset a real loss in another (Mango): the withdrawal check
    /// counts every position's loss and none of any position's gain.
    function test_withdraw_revertsWhen_paperGainInOneMarketOffsetsLossInAnother() public {
        _deposit(alice, 0, 20_000e6);
        _buy(alice, ETH, 20e18); // ~40k notional long
        _sell(alice, BTC, 0.5e18); // ~30k notional short
        _nextBlockPrice(ETH, 2200e18); // long gains ~3.9k
        _setPrice(BTC, 66_000e18); // short loses ~3k
        AccountHealth memory h = _health(alice);
        int256 loss = _negativePnl(alice, 0);
        assertLt(loss, -3000e18);
        assertGt(h.unrealizedPnl, 0, "net paper PnL is positive");
        // Netted (the fixture's default grid): the broken-correlation row ETH -5 %, BTC +1 % binds, 4,400 + 0.2 x 3,300.
        assertEq(h.initialRequirement, 4400e18 + 660e18);

        // 12,000 leaves collateral - 12,000 + loss (~4.9k) < 5,060 initial; the ETH gain must not cover it.
        int256 v = h.collateral - 12_000e18 + loss;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, uint256(5060e18)));
        pool.withdrawMargin(alice, 0, 12_000e6, alice);
    }

    /* DEFERRED PROFIT */

    function test_settleProfit_paysDeferredProfitOnlyOnceLossesAreCollected() public {
        _deposit(alice, 0, 10_000e6);
        _deposit(bob, 0, 100_000e6);
        _buy(alice, ETH, 10e18);
        _buy(bob, ETH, 40e18); // lifts the mark
        int256 colBefore = _collateral(alice);
        (uint256 pnlPool,,) = pool.pools();
        assertEq(pnlPool, 0, "no loss collected yet");
        _close(alice, ETH); // realizes a profit nobody has paid yet
        uint256 deferred = pool.account(alice, 0).unsettledProfit;
        assertGt(deferred, 0, "profit waits, visibly");
        assertLt(_collateral(alice), colBefore, "only the fee left the collateral");

        assertEq(pool.settleProfit(alice, 0), 0, "nothing collected, nothing paid");

        _close(bob, ETH); // bob's loss is collected into the pnl pool
        (pnlPool,,) = pool.pools();
        assertGe(pnlPool, deferred, "the curve is path independent: bob's loss covers alice's profit");
        int256 colMid = _collateral(alice);
        assertEq(pool.settleProfit(alice, 0), deferred);
        assertEq(pool.account(alice, 0).unsettledProfit, 0);
        assertEq(_collateral(alice), colMid + int256(deferred));
        assertEq(pool.settleProfit(alice, 0), 0, "paid once");
    }
}
