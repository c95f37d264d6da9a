// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketView, Position} from "../../contracts/interfaces/IPerpTypes.sol";
import {TradingFixture} from "../utils/TradingFixture.sol";

/// @notice `trade` and `closePosition`: position bookkeeping, fees, guards and the risk gates.
contract PerpPoolTradesTest is TradingFixture {
    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
    }

    /* OPEN, INCREASE, REDUCE, CLOSE, FLIP */

    function test_trade_opensLong_atCurveQuote_andChargesFeeOnNotional() public {
        (uint256 q, uint256 markAfter) = _quoteBuy(ETH, 5e18);
        uint256 fee = _fee(q);
        vm.expectEmit(address(pool));
        emit IPerpPool.PositionChanged(alice, 0, ETH, 5e18, int256(q), 5e18, int256(q), 0, fee, markAfter);
        assertEq(_buy(alice, ETH, 5e18), q);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, 5e18);
        assertEq(p.openNotional, int256(q));
        assertEq(_collateral(alice), 100_000e18 - int256(fee), "only the fee leaves collateral");
        (, uint256 premium,) = pool.pools();
        assertEq(premium, fee, "the fee becomes backstop premium");
        assertEq(lens.marketView(ETH).longOpenInterest, 5e18);
        assertEq(pool.account(alice, 0).marketMask, 1 << ETH);
    }

    function test_trade_opensShort_receivingCurveQuote() public {
        (uint256 q,) = _quoteSell(ETH, 5e18);
        assertEq(_sell(alice, ETH, 5e18), q);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, -5e18);
        assertEq(p.openNotional, -int256(q));
        assertEq(lens.marketView(ETH).shortOpenInterest, 5e18);
        assertEq(_collateral(alice), 100_000e18 - int256(_fee(q)));
    }

    function test_trade_increase_addsSizeAndNotional() public {
        uint256 q1 = _buy(alice, ETH, 5e18);
        uint256 q2 = _buy(alice, ETH, 3e18);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, 8e18);
        assertEq(p.openNotional, int256(q1 + q2));
        assertGt(q2 * 5, q1 * 3, "the second buy pays a higher average price");
    }

    function test_trade_reduceThenClose_realizesExactlyTheQuotesNet() public {
        uint256 q1 = _buy(alice, ETH, 10e18);
        int256 colBefore = _collateral(alice);
        (uint256 q2,) = _quoteSell(ETH, 4e18);
        _sell(alice, ETH, 4e18);
        int256 closedShare = int256((q1 * 4 + 9) / 10); // ceil: against the trader
        // The first 4 sold come off the top of the curve, above the average entry: a profit on paper...
        int256 realized = int256(q2) - closedShare;
        assertGt(realized, 0);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, 6e18);
        assertEq(p.openNotional, int256(q1) - closedShare);
        // ...which nobody has paid yet: it waits as unsettled profit, and only the fee leaves collateral.
        assertEq(pool.account(alice, 0).unsettledProfit, uint256(realized));
        assertEq(_collateral(alice), colBefore - int256(_fee(q2)));

        (uint256 q3,) = _quoteSell(ETH, 6e18);
        _close(alice, ETH);
        int256 total = int256(q2 + q3) - int256(q1);
        assertLt(total, 0, "the round trip as a whole loses");
        // The closing loss first cancels the unsettled profit, then is collected from collateral.
        assertEq(pool.account(alice, 0).unsettledProfit, 0);
        assertEq(_collateral(alice), colBefore - int256(_fee(q2)) - int256(_fee(q3)) + total);
        (uint256 pnlPool,,) = pool.pools();
        assertEq(pnlPool, uint256(-total), "exactly the net loss is collected for winners");
    }

    function test_closePosition_flattensAndFreesTheMarketSlot() public {
        _buy(alice, ETH, 10e18);
        (uint256 q,) = _quoteSell(ETH, 10e18);
        vm.prank(alice);
        assertEq(pool.closePosition(alice, 0, ETH, q, block.timestamp), q);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, 0);
        assertEq(p.openNotional, 0);
        assertEq(pool.account(alice, 0).marketMask, 0);
        assertEq(lens.marketView(ETH).longOpenInterest, 0);
        assertLt(_collateral(alice), 100_000e18, "a round trip never gains");
    }

    function test_closePosition_revertsWhen_noPosition() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NoPosition.selector, ETH));
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
    }

    function test_trade_flipsLongToShort_inTwoLegs() public {
        uint256 qOpen = _buy(alice, ETH, 5e18);
        (uint256 qClose,) = _quoteSell(ETH, 5e18);
        // The second leg prices on the reserves after the first.
        (uint256 base, uint256 quote) = _reserves(ETH);
        uint256 k = base * quote;
        uint256 b1 = base + 5e18;
        uint256 q1 = (k + b1 - 1) / b1;
        uint256 b2 = b1 + 3e18;
        uint256 q2 = (b1 * q1 + b2 - 1) / b2;
        uint256 qNew = q1 - q2;
        int256 colBefore = _collateral(alice);

        assertEq(_sell(alice, ETH, 8e18), qClose + qNew);
        Position memory p = pool.position(alice, 0, ETH);
        assertEq(p.size, -3e18);
        assertEq(p.openNotional, -int256(qNew), "the new side's notional is its own leg only");
        int256 realized = int256(qClose) - int256(qOpen);
        assertEq(_collateral(alice), colBefore + realized - int256(_fee(qClose + qNew)));
        MarketView memory v = lens.marketView(ETH);
        assertEq(v.longOpenInterest, 0);
        assertEq(v.shortOpenInterest, 3e18);
    }

    function test_trade_revertsWhen_zeroSizeOrUnknownMarket() public {
        vm.startPrank(alice);
        vm.expectRevert(IPerpPool.ZeroAmount.selector);
        pool.trade(alice, 0, ETH, 0, 0, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.UnknownMarket.selector, 5));
        pool.trade(alice, 0, 5, 1e18, type(uint256).max, block.timestamp);
        vm.stopPrank();
    }

    function test_trade_revertsWhen_callerNotAuthorized() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
    }

    /* SLIPPAGE AND DEADLINE (RISK 8) */

    function test_trade_revertsWhen_buyCostsMoreThanLimit() public {
        (uint256 q,) = _quoteBuy(ETH, 5e18);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SlippageExceeded.selector, q, q - 1));
        pool.trade(alice, 0, ETH, 5e18, q - 1, block.timestamp);
        assertEq(pool.trade(alice, 0, ETH, 5e18, q, block.timestamp), q, "the exact quote is accepted");
        vm.stopPrank();
    }

    function test_trade_revertsWhen_sellReceivesLessThanLimit() public {
        (uint256 q,) = _quoteSell(ETH, 5e18);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SlippageExceeded.selector, q, q + 1));
        pool.trade(alice, 0, ETH, -5e18, q + 1, block.timestamp);
        assertEq(pool.trade(alice, 0, ETH, -5e18, q, block.timestamp), q);
        vm.stopPrank();
    }

    function test_closePosition_revertsWhen_slippageExceeded() public {
        _buy(alice, ETH, 5e18);
        (uint256 q,) = _quoteSell(ETH, 5e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SlippageExceeded.selector, q, q + 1));
        pool.closePosition(alice, 0, ETH, q + 1, block.timestamp);
    }

    function test_tradeAndClose_revertWhen_deadlinePassed() public {
        _buy(alice, ETH, 5e18);
        uint256 deadline = block.timestamp - 1;
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DeadlinePassed.selector, deadline, block.timestamp));
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, deadline);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DeadlinePassed.selector, deadline, block.timestamp));
        pool.closePosition(alice, 0, ETH, 0, deadline);
        vm.stopPrank();
    }

    /* OPEN INTEREST CAPS */

    function test_trade_revertsWhen_absoluteOpenInterestCapExceeded() public {
        MarketConfig memory c = _config(ETH);
        c.maxOpenInterestBase = 50e18;
        _setConfig(ETH, c);
        _buy(alice, ETH, 40e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.OpenInterestCapExceeded.selector, ETH, 60e18, 50e18));
        pool.trade(bob, 0, ETH, 20e18, type(uint256).max, block.timestamp);
        _sell(bob, ETH, 20e18); // the cap is per side
        assertEq(lens.marketView(ETH).shortOpenInterest, 20e18);
    }

    function test_trade_revertsWhen_capitalBasedOpenInterestCapExceeded() public {
        MarketConfig memory c = _config(ETH);
        c.oiCapBps = 100; // notional per side <= 1 % of 8M backstop capital = 80k = 40 ETH at 2,000
        _setConfig(ETH, c);
        assertEq(pool.backstopCapital(), 8_000_000e6);
        assertEq(lens.marketView(ETH).openInterestCapBase, 40e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.OpenInterestCapExceeded.selector, ETH, 41e18, 40e18));
        pool.trade(alice, 0, ETH, 41e18, type(uint256).max, block.timestamp);
        _buy(alice, ETH, 40e18);
    }

    function test_trade_reducingIsAllowedAboveTheCap() public {
        _buy(alice, ETH, 40e18);
        MarketConfig memory c = _config(ETH);
        c.maxOpenInterestBase = 10e18;
        _setConfig(ETH, c);
        _sell(alice, ETH, 5e18);
        assertEq(pool.position(alice, 0, ETH).size, 35e18, "risk can always come down");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.OpenInterestCapExceeded.selector, ETH, 36e18, 10e18));
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
    }

    /* TIERED MARGIN */

    function test_trade_revertsWhen_biggerPositionNeedsTheHigherTiersRatioOnItsExcess() public {
        _deposit(carol, 0, 17_000e6);
        // 75 ETH = 150k notional at index: 10 % of the first 100k + 20 % of the 50k above = 20k (marginal
        // tiers), though 10 % of the whole would only need 15k.
        (uint256 q,) = _quoteBuy(ETH, 75e18);
        int256 v = 17_000e18 - int256(_fee(q)) + (150_000e18 - int256(q));
        assertGt(v, 15_000e18, "enough for the first tier's ratio");
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, uint256(20_000e18)));
        pool.trade(carol, 0, ETH, 75e18, type(uint256).max, block.timestamp);
        // 50 ETH = 100k notional stays in tier 1 (10 %).
        _buy(carol, ETH, 50e18);
        assertEq(_health(carol).initialRequirement, 10_000e18);
    }

    /* ORACLE GATES AND PAUSE */

    function test_trade_opensRevertReduceOnly_closesWork_whenOracleUnhealthy() public {
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        // Two of three feeds 5 % either side of the median (> 2 % tolerance): only one agrees, two are required,
        // so the market turns ReduceOnly (a single outlier would be dropped instead).
        vm.warp(block.timestamp + 1);
        feeds[ETH][0].setAnswer(2100e8);
        _setPriceOf(1, 1900e8);
        _setPriceOf(2, 2000e8);
        assertEq(lens.marketView(ETH).oracleStatus, 1);

        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, 1));
        pool.trade(carol, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        vm.stopPrank();
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, 1));
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, 1));
        pool.trade(alice, 0, ETH, -15e18, 0, block.timestamp); // a flip opens new risk
        pool.trade(alice, 0, ETH, -4e18, 0, block.timestamp); // reduce
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
        vm.stopPrank();
        _close(bob, ETH);
        assertEq(pool.position(alice, 0, ETH).size, 0);
        assertEq(pool.position(bob, 0, ETH).size, 0);
    }

    function test_trade_opensRevertPaused_closesAndWithdrawalsWork() public {
        _buy(alice, ETH, 10e18);
        vm.prank(admin);
        pool.setPaused(true);
        vm.startPrank(alice);
        vm.expectRevert(IPerpPool.Paused.selector);
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        vm.expectRevert(IPerpPool.Paused.selector);
        pool.trade(alice, 0, BTC, -1e17, 0, block.timestamp);
        pool.trade(alice, 0, ETH, -4e18, 0, block.timestamp);
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
        pool.withdrawMargin(alice, 0, 1000e6, alice);
        vm.stopPrank();
        assertEq(pool.position(alice, 0, ETH).size, 0);
        assertEq(usdc.balanceOf(alice), 1000e6);
    }

    function test_setPaused_revertsWhen_notGuardianNorOwner() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, alice, admin));
        pool.setPaused(true);
    }

    /* DUST */

    function test_trade_revertsWhen_positionWouldBeDust() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DustPosition.selector, int256(1e14), uint256(1e15)));
        pool.trade(alice, 0, ETH, 1e14, type(uint256).max, block.timestamp);
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DustPosition.selector, int256(5e14), uint256(1e15)));
        pool.trade(alice, 0, ETH, -0.9995e18, 0, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DustPosition.selector, int256(-5e14), uint256(1e15)));
        pool.trade(alice, 0, ETH, -1.0005e18, 0, block.timestamp);
        vm.stopPrank();
    }

    function _setPriceOf(uint256 feed, int256 answer) internal {
        feeds[ETH][feed].setAnswer(answer);
    }
}
