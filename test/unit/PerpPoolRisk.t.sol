// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth, MarketConfig, MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {TradingFixture} from "../utils/TradingFixture.sol";

/// @notice RISK-TESTS 5-9 and 11: oracle pumps, open-pump-close, colluding mark pushes, sandwiches,
/// same-block round trips, and negative equity.
contract PerpPoolRiskTest is TradingFixture {
    address internal dave = makeAddr("dave");

    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
        _deposit(carol, 0, 100_000e6);
    }

    /* RISK 5: INDEX PUMPED 10x */

    function test_pumpedIndex_paperProfitCannotBeWithdrawn() public {
        _deposit(dave, 0, 500e6);
        _buy(dave, ETH, 1e18);
        _walkIndex(ETH, 10 * ETH_PRICE);
        assertEq(lens.marketView(ETH).oracleStatus, 0, "pumped in steps: the oracle stays Normal");
        AccountHealth memory h = lens.accountHealth(dave, 0);
        assertGt(h.unrealizedPnl, 17_999e18, "~18k of paper profit on 500 of margin");
        assertEq(h.initialRequirement, 2000e18);
        // Not even 1 USDC leaves: the gain is excluded and the requirement grew with the index.
        vm.prank(dave);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, h.collateral - 1e18, uint256(2000e18))
        );
        pool.withdrawMargin(dave, 0, 1e6, dave);
    }

    function test_pumpedIndex_paperProfitCountsAsMarginOnlyAtHaircut() public {
        _deposit(dave, 0, 500e6);
        _buy(dave, ETH, 1e18);
        _walkIndex(ETH, 10 * ETH_PRICE);
        int256 col = _collateral(dave);
        int256 ethPnl = _health(dave).unrealizedPnl;
        uint256 haircutBps = 10_000 - pool.PROFIT_AS_MARGIN_BPS();

        // 1.3 BTC (78k notional, 7.8k initial) fits with the whole paper gain but not with half of it.
        (uint256 q,) = _quoteBuy(BTC, 1.3e18);
        int256 btcPnl = 78_000e18 - int256(q);
        int256 haircut = int256((uint256(ethPnl) * haircutBps + 9999) / 10_000);
        int256 v = col - int256(_fee(q)) + ethPnl + btcPnl - haircut;
        uint256 required = 2000e18 + 7800e18;
        assertGt(col - int256(_fee(q)) + ethPnl + btcPnl, int256(required), "would pass at 100 %");
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.InsufficientMargin.selector, v, required));
        pool.trade(dave, 0, BTC, 1.3e18, type(uint256).max, block.timestamp);

        // 1 BTC (6k initial) fits within the haircut gain.
        _buy(dave, BTC, 1e18);
        assertEq(pool.position(dave, 0, BTC).size, 1e18);
    }

    function test_pumpedIndex_openInterestCapBoundsThePaperGain() public {
        MarketConfig memory c = _config(ETH);
        c.oiCapBps = 100; // 1 % of 8M capital: 80k notional per side
        _setConfig(ETH, c);
        _buy(alice, ETH, 40e18); // the whole long cap at 2,000
        _walkIndex(ETH, 10 * ETH_PRICE);

        // At the pumped index the cap is 4 ETH: nobody adds longs (nor walks the curve up to the index).
        assertEq(lens.marketView(ETH).openInterestCapBase, 4e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.OpenInterestCapExceeded.selector, ETH, 41e18, 4e18));
        pool.trade(bob, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        // The longs' total paper gain is bounded by capped notional x the pump.
        assertLe(_health(alice).unrealizedPnl, 80_000e18 * 9);

        // And the gain cannot be realized on the curve: selling moves the mark further from the index.
        (, uint256 markAfter) = _quoteSell(ETH, 40e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.PriceBandExceeded.selector, markAfter, 20_000e18, 500));
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
    }

    /* RISK 6: REPEATED OPEN-PUMP-CLOSE */

    function test_openPumpClose_repeatedAgainstOracleMoves_isUnprofitable() public {
        uint256 juniorBefore = junior.totalAssets();
        uint256 seniorBefore = senior.totalAssets();
        int256 start = _balance(alice);
        int256 last = start;
        for (uint256 i; i < 5; ++i) {
            vm.warp(block.timestamp + 1);
            _buy(alice, ETH, 50e18);
            _nextBlockPrice(ETH, 2080e18); // index +4 %, within the band
            _close(alice, ETH); // closes at the curve, not at the pumped index
            _nextBlockPrice(ETH, ETH_PRICE);
            int256 now_ = _balance(alice);
            assertLt(now_, last, "every round loses");
            last = now_;
        }
        assertLe(last, start - 5 * 2 * 100e18, "at least the fees on 5 round trips of ~100k notional");
        assertEq(junior.totalAssets(), juniorBefore, "LPs lose nothing");
        assertEq(senior.totalAssets(), seniorBefore);
    }

    function test_openPumpClose_colludingPairLosesTogether() public {
        int256 start = _balance(alice) + _balance(bob);
        for (uint256 i; i < 3; ++i) {
            vm.warp(block.timestamp + 1);
            _buy(alice, ETH, 50e18);
            _nextBlockPrice(ETH, 2080e18);
            _buy(bob, ETH, 80e18); // walks the mark toward the pumped index
            _close(alice, ETH); // alice sells into it at a profit
            _nextBlockPrice(ETH, ETH_PRICE);
            _close(bob, ETH); // bob eats the way back down
        }
        pool.settleProfit(alice, 0);
        int256 end = _balance(alice) + _balance(bob);
        assertLt(end, start, "the curve is path independent: together they pay fees and rounding");
        (uint256 base, uint256 quote) = _reserves(ETH);
        assertEq(base, 10_000e18, "the curve is back where it started");
        assertGe(quote, 20_000_000e18);
        address[] memory accounts = new address[](2);
        (accounts[0], accounts[1]) = (alice, bob);
        _assertSolvent(accounts);
    }

    /* RISK 7: COLLUDING ACCOUNTS PUSHING THE MARK */

    function test_trade_revertsWhen_singleTradeExceedsBlockMoveLimit() public {
        (, uint256 markAfter) = _quoteBuy(ETH, 150e18); // +3 %: inside the 5 % band, over the 2 % move
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.BlockMoveLimitExceeded.selector, markAfter, ETH_PRICE, uint256(200))
        );
        pool.trade(alice, 0, ETH, 150e18, type(uint256).max, block.timestamp);
    }

    function test_trade_revertsWhen_colludingTradesInOneBlockExceedMoveLimit() public {
        _buy(alice, ETH, 60e18); // +1.2 %
        (, uint256 markAfter) = _quoteBuy(ETH, 60e18); // +2.4 % from the block's first mark
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.BlockMoveLimitExceeded.selector, markAfter, ETH_PRICE, uint256(200))
        );
        pool.trade(bob, 0, ETH, 60e18, type(uint256).max, block.timestamp);
        vm.warp(block.timestamp + 1);
        _buy(bob, ETH, 60e18); // a new block re-anchors the limit
        assertEq(_mark(ETH), markAfter);
    }

    function test_priceBand_stopsOpenReduceAndCloseThatPushTheMarkAway() public {
        _sell(carol, ETH, 60e18); // carol short, mark -1.2 %
        // Three blocks of colluding buys walk the mark up 4.3 %, each within the per-block limit.
        vm.warp(block.timestamp + 1);
        _buy(alice, ETH, 90e18);
        vm.warp(block.timestamp + 1);
        _buy(bob, ETH, 90e18);
        vm.warp(block.timestamp + 1);
        _buy(alice, ETH, 90e18);
        uint256 mark = _mark(ETH);
        assertGt(mark, 2080e18);
        assertLt(mark, 2100e18);
        vm.warp(block.timestamp + 1);

        // Open: one more push past +5 %.
        (, uint256 m40) = _quoteBuy(ETH, 40e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.PriceBandExceeded.selector, m40, ETH_PRICE, uint256(500)));
        pool.trade(bob, 0, ETH, 40e18, type(uint256).max, block.timestamp);
        // Reduce: carol buying back 40 of her short pushes the same way.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.PriceBandExceeded.selector, m40, ETH_PRICE, uint256(500)));
        pool.trade(carol, 0, ETH, 40e18, type(uint256).max, block.timestamp);
        // Close: all 60.
        (, uint256 m60) = _quoteBuy(ETH, 60e18);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.PriceBandExceeded.selector, m60, ETH_PRICE, uint256(500)));
        pool.closePosition(carol, 0, ETH, type(uint256).max, block.timestamp);
        // Trades that bring the mark back toward the index always pass.
        _close(alice, ETH);
        assertLt(_mark(ETH), mark);
        // Next block: carol's buy-back now moves the mark less than the per-block limit from its block start.
        vm.warp(block.timestamp + 1);
        _close(carol, ETH);
        assertEq(pool.position(carol, 0, ETH).size, 0);
    }

    /* RISK 8: SLIPPAGE, DEADLINE, SANDWICH */

    function test_sandwich_exactLimitMakesVictimRevert_andAttackerRoundTripLoses() public {
        int256 attackerStart = _balance(alice);
        (uint256 fair,) = _quoteBuy(ETH, 50e18);
        _buy(alice, ETH, 20e18); // front-run
        (uint256 worse,) = _quoteBuy(ETH, 50e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SlippageExceeded.selector, worse, fair));
        pool.trade(bob, 0, ETH, 50e18, fair, block.timestamp);
        _close(alice, ETH); // back-run
        assertLt(_balance(alice), attackerStart, "without a victim the sandwich is a losing round trip");
    }

    function testFuzz_sandwich_attackerGainNeverExceedsVictimSlippage(uint256 front, uint256 toleranceBps) public {
        front = bound(front, 1e15, 45e18);
        toleranceBps = bound(toleranceBps, 0, 100);
        (uint256 fair,) = _quoteBuy(ETH, 50e18);
        uint256 limit = fair + fair * toleranceBps / 10_000;
        int256 attackerStart = _balance(alice);

        _buy(alice, ETH, front);
        vm.prank(bob);
        try pool.trade(bob, 0, ETH, 50e18, limit, block.timestamp) returns (uint256 paid) {
            _close(alice, ETH);
            pool.settleProfit(alice, 0);
            int256 gain = _balance(alice) - attackerStart;
            assertLe(paid, limit, "the victim never pays above its bound");
            assertLe(gain, int256(paid - fair), "the attacker takes at most the victim's accepted slippage");
        } catch (bytes memory reason) {
            assertEq(bytes4(reason), IPerpPool.SlippageExceeded.selector);
            _close(alice, ETH);
            assertLt(_balance(alice), attackerStart, "a failed sandwich loses");
        }
    }

    /// @dev RISK 8 for liquidation: a step settles at the index and never touches the curve, so there is nothing
    /// to sandwich: a front-runner who moves the mark neither changes the liquidation's price nor gains from it.
    function test_liquidate_cannotBeSandwiched_settlesAtTheIndexWhateverTheMark() public {
        _deposit(dave, 0, 3000e6);
        _trade(dave, ETH, 12e18);
        _walkIndex(ETH, 1800e18);
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, 1800e18);
        assertTrue(lens.accountHealth(dave, 0).liquidatable, "setup: dave is due");
        (uint256 base0, uint256 quote0) = _reserves(ETH);

        _sell(alice, ETH, 20e18); // the front-runner moves the mark (toward the index: allowed)
        (uint256 base1, uint256 quote1) = _reserves(ETH);
        int256 frontRunnerValue = lens.accountHealth(alice, 0).value;
        vm.prank(liquidator);
        int256 transferred = pool.liquidate(dave, 0, type(uint256).max);

        assertEq(transferred, 3e18, "one step of the long");
        assertEq(pool.position(address(0), 0, ETH).openNotional, int256(3 * 1800e18), "at the index, not the mark");
        (uint256 base2, uint256 quote2) = _reserves(ETH);
        assertEq(base2, base1, "the liquidation did not trade the curve");
        assertEq(quote2, quote1);
        assertGt(base1, base0, "the front-run moved the mark");
        assertLt(quote1, quote0);
        assertEq(lens.accountHealth(alice, 0).value, frontRunnerValue, "nothing for the front-runner to take");
    }

    /* RISK 9: SAME-BLOCK OPEN-THEN-CLOSE */

    function testFuzz_openThenCloseSameBlock_neverGains(uint256 size, bool isLong) public {
        size = bound(size, 1e15, 90e18);
        (uint256 base0, uint256 quote0) = _reserves(ETH);
        int256 col0 = _collateral(alice);
        (uint256 pnl0, uint256 prem0,) = pool.pools();

        _trade(alice, ETH, isLong ? int256(size) : -int256(size));
        _close(alice, ETH);

        int256 col1 = _collateral(alice);
        (uint256 pnl1, uint256 prem1,) = pool.pools();
        (uint256 base1, uint256 quote1) = _reserves(ETH);
        assertLt(col1, col0, "a round trip always costs at least the fee");
        assertEq(pool.account(alice, 0).unsettledProfit, 0, "and never books a profit");
        assertEq(col0 - col1, int256((pnl1 - pnl0) + (prem1 - prem0)), "every wei lost is accounted for");
        assertEq(base1, base0);
        assertGe(quote1, quote0, "the curve keeps the rounding");
        assertGe(base1 * quote1, base0 * quote0, "k never decreases");
        MarketState memory m = pool.marketState(ETH);
        assertEq(m.longOpenInterest, 0);
        assertEq(m.shortOpenInterest, 0);
    }

    /* RISK 11: NEGATIVE EQUITY GOES THROUGH LIQUIDATION */

    function test_trade_revertsWhen_reduceOrCloseLeavesNegativeEquity() public {
        _deposit(dave, 0, 850e6);
        _buy(dave, ETH, 4e18); // 10x: 8,000 notional on ~840 of margin
        _nextBlockPrice(ETH, 1760e18); // -12 %, under the breaker
        _deposit(bob, 0, 400_000e6);
        _sell(bob, ETH, 650e18); // the curve follows the index (toward it: always allowed)
        assertLt(_value(dave), 0, "dave is under water at the index");

        int256 col = _collateral(dave);
        int256 openNotional = pool.position(dave, 0, ETH).openNotional;
        (uint256 received,) = _quoteSell(ETH, 4e18);
        int256 v = col + int256(received) - openNotional - int256(_fee(received));
        assertLt(v, 0);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NegativeEquity.selector, v));
        pool.closePosition(dave, 0, ETH, 0, block.timestamp);
        vm.prank(dave);
        vm.expectPartialRevert(IPerpPool.NegativeEquity.selector);
        pool.trade(dave, 0, ETH, -2e18, 0, block.timestamp);

        // Only a liquidation closes it, and the loss enters the waterfall.
        uint256 juniorBefore = junior.totalAssets();
        _liquidate(dave);
        assertEq(pool.position(dave, 0, ETH).size, 0);
        assertEq(_collateral(dave), 0, "the bad debt left the account");
        assertLt(junior.totalAssets(), juniorBefore, "junior paid it");
    }
}
