// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketState, MarketView} from "../../contracts/interfaces/IPerpTypes.sol";
import {RepegFixture} from "../utils/RepegFixture.sol";

/// @notice `repeg`: a time-weighted trigger over its own window (no single block can set it off), a step toward the
/// index of 3/4 of a round trip's fees, never past it, once per timestamp and every block while due, its cost or
/// gain booked to the backstop within a budget, evented; and the lens's `repegDue` says exactly when it runs.
contract RepegTest is RepegFixture {
    /* THE TRIGGER AND THE STEP */

    function test_repeg_whenTheMarkStayedAwayOverTheWindow_stepsByThreeQuartersOfARoundTripsFees() public {
        _crashAndWait(1880e18, 20 minutes);
        MarketView memory v = lens.marketView(ETH);
        assertTrue(v.repegDue, "the lens shows it due");
        assertGt(v.repegTwapMark, v.repegTwapIndex * (10_000 + THRESHOLD_BPS) / 10_000, "setup: gap beyond the cap");

        (uint256 markBefore, uint256 markAfter,) = _repegLogged();

        assertEq(markBefore, v.markPrice);
        uint256 target = markBefore - markBefore * STEP_BPS_X2 / 20_000;
        assertGe(markAfter, target, "never more than the step");
        assertApproxEqAbs(markAfter, target, 1, "the step, to the rounding of one quote-reserve wei");
        assertEq(lens.marketView(ETH).markPrice, markAfter);
        assertFalse(lens.marketView(ETH).repegDue, "once per timestamp");
    }

    function test_repeg_oncePerTimestamp_everyBlockWhileDue() public {
        _crashAndWait(1880e18, 20 minutes);
        pool.repeg(ETH);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
        for (uint256 i; i < 5; ++i) {
            _at(block.timestamp + 1, 1880e18);
            assertTrue(lens.marketView(ETH).repegDue, "due again the next second");
            pool.repeg(ETH);
        }
    }

    /// @dev The stop rule: steps run until the mark is within the funding cap of the index, never beyond it.
    function test_repeg_stopsOnceTheMarkIsWithinTheFundingCap_neverOvershoots() public {
        _crashAndWait(1880e18, 20 minutes);
        uint256 steps;
        while (lens.marketView(ETH).repegDue) {
            uint256 before = _mark();
            pool.repeg(ETH);
            assertLt(_mark(), before, "each step moves toward the index");
            assertGe(_mark(), 1880e18, "never past it");
            ++steps;
            _at(block.timestamp + BLOCK, 1880e18);
        }
        assertGt(steps, 30, "small steps");
        assertLe(_mark(), 1880e18 * (10_000 + THRESHOLD_BPS) / 10_000, "within the funding cap");
        assertGt(_mark(), 1880e18 * (10_000 + THRESHOLD_BPS - STEP_BPS_X2 / 2 - 1) / 10_000, "by at most a step");
        _at(block.timestamp + 1 hours, 1880e18);
        assertFalse(lens.marketView(ETH).repegDue, "and stays done");
    }

    /// @dev The trigger reads the block's first mark: a trade in this block that pushes the mark back beyond the cap
    /// cannot make a step due (no one can switch a step on for a position held on the side it favours); from the
    /// next block on, that mark is the block's first, and the keeper steps as usual.
    function test_repeg_aTradeInThisBlock_cannotMakeAStepDue_theNextBlockCan() public {
        _crashAndWait(1880e18, 20 minutes);
        while (lens.marketView(ETH).repegDue) {
            pool.repeg(ETH);
            _at(block.timestamp + BLOCK, 1880e18);
        }
        _trade(alice, ETH, 40e18); // away from the index, beyond the cap
        assertGt(_mark(), 1880e18 * (10_000 + THRESHOLD_BPS) / 10_000, "setup: the mark is beyond the cap now");
        assertFalse(lens.marketView(ETH).repegDue, "the lens: not due in the block of the push");
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
        _at(block.timestamp + BLOCK, 1880e18);
        assertTrue(lens.marketView(ETH).repegDue, "due once the pushed mark starts a block");
        pool.repeg(ETH);
    }

    /// @dev With a step larger than the cap (a high fee), the last step lands on the index, not past it.
    function test_repeg_neverMovesPastTheIndex() public {
        _setConfig(100, 1000, 50, 10 minutes); // a step of 150 bps
        _crashAndWait(1976e18, 20 minutes); // 1.2 % below: beyond the cap, within one step
        (, uint256 markAfter,) = _repegLogged();
        assertEq(markAfter, 1976e18, "lands on the index, to the wei");
    }

    function test_repeg_revertsWhen_theMoveIsOnlyInThisBlock() public {
        _at(block.timestamp + 20 minutes, ETH_PRICE);
        _setPrice(ETH, 1700e18); // the index falls 15 % in this block: the time-weighted gap is still 0
        oracle.refresh(ETH);
        assertFalse(lens.marketView(ETH).repegDue);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
    }

    /// @dev A gap is averaged over the whole window (at least REPEG_MIN_WINDOW): one block of a 15 % gap is not
    /// enough; a few blocks are, once the average exceeds the cap.
    function test_repeg_revertsWhen_theGapLastedTooShortForTheWindowsAverage() public {
        _crashAndWait(1700e18, BLOCK);
        MarketView memory v = lens.marketView(ETH);
        assertGe(block.timestamp - v.repegWindowStart, WINDOW, "the window is never shorter than the minimum");
        assertFalse(v.repegDue);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
        _at(block.timestamp + 5 * BLOCK, 1700e18);
        assertTrue(lens.marketView(ETH).repegDue);
        pool.repeg(ETH);
    }

    function test_repeg_revertsWhen_theGapIsWithinTheFundingCap() public {
        _crashAndWait(1992e18, 20 minutes); // 0.4 %: funding can close it
        assertFalse(lens.marketView(ETH).repegDue);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
    }

    /// @dev The oracle integrates the index itself: a keeper refreshing every minute, and once more in the repeg's
    /// own block, changes neither the time-weighted index nor the trigger.
    function test_repeg_afterKeeperRefreshes_evenInItsOwnBlock_sameTriggerAsWithout() public {
        uint256 start = vm.snapshotState();
        _crashAndWait(1880e18, 20 minutes);
        uint256 quiet = lens.marketView(ETH).repegTwapIndex;
        vm.revertToState(start);

        _crashAndWait(1880e18, 0);
        for (uint256 i; i < 20; ++i) {
            _at(block.timestamp + 1 minutes, 1880e18);
            oracle.refresh(ETH);
        }
        assertEq(lens.marketView(ETH).repegTwapIndex, quiet, "the same time-weighted index");
        assertTrue(lens.marketView(ETH).repegDue);
        pool.repeg(ETH);
    }

    function test_repeg_revertsWhen_theOracleIsHalted() public {
        _crashAndWait(1880e18, 20 minutes);
        vm.warp(block.timestamp + 1 hours + 1); // every feed stale: halted
        assertFalse(lens.marketView(ETH).repegDue, "the lens says not due");
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.OracleHalted.selector, ETH));
        pool.repeg(ETH);
    }

    function test_repeg_revertsWhen_theBreakerCoolsDown_runsAfterIt() public {
        _crashAndWait(1880e18, 20 minutes);
        _setPrice(ETH, 1500e18); // a 20 % jump trips the breaker: ReduceOnly for the cooldown
        oracle.refresh(ETH);
        assertFalse(lens.marketView(ETH).repegDue, "the lens says not due");
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, uint8(OracleStatus.ReduceOnly)));
        pool.repeg(ETH);

        _at(block.timestamp + 5 minutes, 1500e18); // the cooldown is over
        assertTrue(lens.marketView(ETH).repegDue);
        pool.repeg(ETH);
    }

    /* WHAT IT COSTS, AND WHO PAYS */

    /// @dev Traders net long: moving the curve down lowers their closeout value, and the backstop's net flow gains
    /// exactly that, rounded against the traders.
    function test_repeg_netLongTradersLose_theBackstopGainsExactlyThat() public {
        _trade(alice, ETH, 60e18);
        _trade(bob, ETH, -10e18);
        _crashAndWait(1880e18, 20 minutes);
        MarketState memory m = pool.marketState(ETH);
        int256 netBefore = _net();

        (,, int256 gain) = _repegLogged();

        uint256 n = uint256(m.longOpenInterest) - m.shortOpenInterest;
        uint256 dq = m.quoteReserve - pool.marketState(ETH).quoteReserve;
        assertEq(gain, -int256(dq * n / (m.baseReserve + n)), "the traders' loss, rounded down");
        assertLt(gain, 0);
        assertEq(_net() - netBefore, -gain, "booked to the backstop's net flow");
    }

    /// @dev Traders net short: the step would pay them more than the budget, so it shrinks to cost at most the
    /// budget, which the backstop's net flow pays. (A 1 % fee makes the step 1.5 %, larger than this budget.)
    function test_repeg_netShortTradersGain_costBoundedByTheBudget_theStepShrinks() public {
        MarketConfig memory c = defaultConfig();
        (c.feeBps, c.maxMoveBps, c.bandBps) = (100, 1000, 1000);
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
        for (uint256 i; i < 5; ++i) {
            _trade(bob, ETH, -60e18); // 300 ETH short, in steps the per-block limit allows
            _at(block.timestamp + 1, ETH_PRICE);
        }
        _crashAndWait(1700e18, 20 minutes);
        uint256 budget = _budget();
        assertEq(lens.marketView(ETH).repegBudget, budget, "the lens shows the budget");
        MarketState memory m = pool.marketState(ETH);
        uint256 n = uint256(m.shortOpenInterest) - m.longOpenInterest;
        uint256 markBefore = _mark();
        uint256 fullTarget = markBefore - markBefore * 150 / 10_000;
        uint256 fullDq = m.quoteReserve - m.baseReserve * fullTarget / 1e18;
        assertGt(fullDq * n / (m.baseReserve - n), budget, "setup: the full step would cost more than the budget");
        int256 netBefore = _net();

        (, uint256 markAfter, int256 gain) = _repegLogged();

        assertGt(gain, 0);
        assertLe(uint256(gain), budget, "never more than the budget");
        assertApproxEqRel(uint256(gain), budget, 1e14, "the step shrank to use the budget");
        assertGt(markAfter, fullTarget, "moved less than the full step");
        assertLt(markAfter, markBefore);
        assertEq(netBefore - _net(), gain, "the backstop pays it");
    }

    /* THE STEP'S BOUNDS, FOR ANY ALLOWED PARAMETERS */

    /// @dev For any fee, move limit, cap and gap (either side): one step moves the mark toward the index by at most
    /// min(1.5 x fee, maxMove) of it (less than a round trip's fees), never past the index, once per timestamp.
    function testFuzz_repeg_stepWithinTheRoundTripBound_neverPastTheIndex_oncePerTimestamp(
        uint256 feeBps,
        uint256 maxMoveBps,
        uint256 thresholdBps,
        uint256 gapBps,
        bool up
    ) public {
        feeBps = bound(feeBps, 1, 100);
        maxMoveBps = bound(maxMoveBps, 10, 1000);
        thresholdBps = bound(thresholdBps, 1, 500);
        gapBps = bound(gapBps, thresholdBps * 2 + 1, 1400);
        _setConfig(feeBps, maxMoveBps, thresholdBps, 10 minutes);
        uint256 index = (up ? ETH_PRICE * (10_000 + gapBps) : ETH_PRICE * (10_000 - gapBps)) / 10_000 / 1e10 * 1e10;
        _crashAndWait(index, 20 minutes);
        if (!lens.marketView(ETH).repegDue) return; // the gap is measured over the window: may not show yet

        (uint256 markBefore, uint256 markAfter,) = _repegLogged();

        uint256 moved = markAfter > markBefore ? markAfter - markBefore : markBefore - markAfter;
        uint256 bound_ = markBefore * (3 * feeBps < 2 * maxMoveBps ? 3 * feeBps : 2 * maxMoveBps) / 20_000;
        assertLe(moved, bound_, "a step never exceeds its bound");
        assertLt(moved * 10_000, markBefore * 2 * feeBps, "less than a round trip's fees");
        assertGt(moved, 0, "it moves");
        if (up) assertLe(markAfter, index, "never past the index (up)");
        else assertGe(markAfter, index, "never past the index (down)");
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
    }

    /* THE LENS PREDICTS THE POOL */

    /// @dev Whatever happened before (the index move, waits, funding updates, trades, earlier steps, a keeper's
    /// refresh in the block), the lens says due exactly when `repeg` acts.
    function testFuzz_repeg_lensDueExactlyWhenTheRepegRuns(
        uint256 dropBps,
        uint256 wait,
        uint256 fundingAt,
        int256 tradeSize,
        bool stepBefore,
        bool keeperInBlock
    ) public {
        dropBps = bound(dropBps, 0, 1400);
        wait = bound(wait, 0, 50 minutes);
        uint256 index = ETH_PRICE * (10_000 - dropBps) / 10_000 / 1e10 * 1e10;
        _crashAndWait(index, bound(fundingAt, 0, wait));
        if (block.timestamp >= lens.marketView(ETH).nextFundingUpdate) pool.updateFunding(ETH);
        _at(block.timestamp + wait - bound(fundingAt, 0, wait), index);
        tradeSize = bound(tradeSize, -50e18, 50e18);
        if (tradeSize > -1e15 && tradeSize < 1e15) tradeSize = 0;
        if (tradeSize != 0) {
            vm.prank(alice);
            // Beyond the price band: no trade.
            try pool.trade(alice, 0, ETH, tradeSize, tradeSize > 0 ? type(uint256).max : 0, block.timestamp) {} catch {}
        }
        if (stepBefore && lens.marketView(ETH).repegDue) {
            pool.repeg(ETH);
            _at(block.timestamp + 1, index);
        }
        if (keeperInBlock) oracle.refresh(ETH);
        bool due = lens.marketView(ETH).repegDue;
        try pool.repeg(ETH) {
            assertTrue(due, "ran although the lens said not due");
        } catch (bytes memory reason) {
            assertFalse(due, "reverted although the lens said due");
            assertEq(bytes4(reason), IPerpPool.RepegNotDue.selector);
        }
        if (due) assertFalse(lens.marketView(ETH).repegDue, "once per timestamp");
    }
}
