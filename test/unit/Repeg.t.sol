// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketState, MarketView} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice `repeg`: a time-weighted trigger (no single block can set it off), a bounded move toward the index and
/// never past it, once per funding period, its cost or gain booked to the backstop within a budget, evented; and
/// the lens's `repegDue` says exactly when it runs.
contract RepegTest is PoolFixture {
    uint256 internal constant MAX_MOVE_BPS = 200; // defaultConfig
    uint256 internal constant THRESHOLD_BPS = 50; // defaultConfig.maxPremiumBps
    uint256 internal constant WINDOW = 10 minutes; // RepegMath.MIN_WINDOW

    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 1_000_000e6);
        _deposit(bob, 0, 1_000_000e6);
        // A period after the listing's (a market cannot repeg in its first), mark and index agreeing: rate 0.
        _at(block.timestamp + 601, ETH_PRICE);
        pool.updateFunding(ETH);
        assertEq(pool.marketState(ETH).fundingRate, 0, "setup: no funding runs");
    }

    /* HELPERS */

    /// @dev Warps to `t` and has every feed answer `price` in a fresh round.
    function _at(uint256 t, uint256 price) internal {
        vm.warp(t);
        _setPrice(ETH, price);
    }

    /// @dev The index falls to `index` one second into the period (the keeper's refresh sees it), then nobody trades
    /// for `wait` seconds.
    function _crashAndWait(uint256 index, uint256 wait) internal {
        _at(block.timestamp + 1, index);
        oracle.refresh(ETH);
        _at(block.timestamp + wait, index);
    }

    function _net() internal view returns (int256 net) {
        (,, net) = pool.pools();
    }

    function _budget() internal view returns (uint256) {
        return pool.backstopCapital() * 1e12 * 10 / 10_000;
    }

    /// @dev What `RepegNotDue` reports now, from the lens's time-weighted prices.
    function _notDue() internal view returns (bytes memory) {
        MarketView memory v = lens.marketView(ETH);
        uint256 gap = v.twapMark > v.twapIndex ? v.twapMark - v.twapIndex : v.twapIndex - v.twapMark;
        uint256 elapsed = block.timestamp - pool.marketState(ETH).periodStart;
        return abi.encodeWithSelector(IPerpPool.RepegNotDue.selector, ETH, gap * 10_000 / v.twapIndex, elapsed);
    }

    function _repegLogged() internal returns (uint256 markBefore, uint256 markAfter, int256 gain) {
        vm.recordLogs();
        uint256 returned = pool.repeg(ETH);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.Repegged.selector) {
                (markBefore, markAfter, gain) = abi.decode(logs[i].data, (uint256, uint256, int256));
            }
        }
        assertEq(returned, markAfter, "returns the evented mark");
    }

    /* THE TRIGGER */

    function test_repeg_whenTheMarkStayedAwayOverTheWindow_movesTowardTheIndexByTheMaxMove() public {
        _crashAndWait(1880e18, 20 minutes);
        MarketView memory v = lens.marketView(ETH);
        assertTrue(v.repegDue, "the lens shows it due");
        assertGt(v.twapMark, v.twapIndex * (10_000 + THRESHOLD_BPS) / 10_000, "setup: gap beyond the funding cap");

        (uint256 markBefore, uint256 markAfter,) = _repegLogged();

        assertEq(markBefore, v.markPrice);
        uint256 target = markBefore - markBefore * MAX_MOVE_BPS / 10_000;
        assertApproxEqRel(markAfter, target, 1e9, "moved by the max move (to rounding)");
        assertGt(markAfter, 1880e18, "still above the index");
        assertEq(lens.marketView(ETH).markPrice, markAfter);
        assertFalse(lens.marketView(ETH).repegDue, "done for this period");
    }

    function test_repeg_neverMovesPastTheIndex() public {
        _crashAndWait(1985e18, 20 minutes); // 0.75 % below: beyond the cap, within one max move
        (, uint256 markAfter,) = _repegLogged();
        assertLe(markAfter, 1985e18, "lands on the index");
        assertApproxEqAbs(markAfter, 1985e18, 1e6, "to the rounding of one quote-reserve wei");
    }

    function test_repeg_revertsWhen_theMoveIsOnlyInThisBlock() public {
        _at(block.timestamp + 20 minutes, ETH_PRICE);
        _setPrice(ETH, 1700e18); // the index falls 15 % in this block: the time-weighted gap is still 0
        oracle.refresh(ETH);
        assertFalse(lens.marketView(ETH).repegDue);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
    }

    function test_repeg_revertsWhen_theWindowIsShorterThanTheMinimum() public {
        _crashAndWait(1700e18, WINDOW - 2); // a large gap, measured over less than the window
        assertFalse(lens.marketView(ETH).repegDue);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);
        _at(block.timestamp + 1, 1700e18); // the period's window is now exactly the minimum
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
        uint256 quiet = lens.marketView(ETH).twapIndex;
        vm.revertToState(start);

        _crashAndWait(1880e18, 0);
        for (uint256 i; i < 20; ++i) {
            _at(block.timestamp + 1 minutes, 1880e18);
            oracle.refresh(ETH);
        }
        assertEq(lens.marketView(ETH).twapIndex, quiet, "the same time-weighted index");
        assertTrue(lens.marketView(ETH).repegDue);
        pool.repeg(ETH);
    }

    function test_repeg_oncePerFundingPeriod() public {
        _crashAndWait(1880e18, 20 minutes);
        pool.repeg(ETH);
        _at(block.timestamp + 5 minutes, 1880e18);
        vm.expectRevert(_notDue());
        pool.repeg(ETH);

        pool.updateFunding(ETH); // a new period: the gap must be measured over a new window
        _at(block.timestamp + WINDOW, 1880e18);
        assertTrue(lens.marketView(ETH).repegDue, "due again once the new window shows the gap");
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

    /// @dev Traders net short: the move would pay them more than the budget, so it shrinks to cost at most the
    /// budget, which the backstop's net flow pays.
    function test_repeg_netShortTradersGain_costBoundedByTheBudget_theMoveShrinks() public {
        for (uint256 i; i < 4; ++i) {
            _trade(bob, ETH, -60e18); // 240 ETH short, in steps the per-block limit allows
            _at(block.timestamp + 1, ETH_PRICE);
        }
        _crashAndWait(1700e18, 20 minutes);
        uint256 budget = _budget();
        assertEq(lens.marketView(ETH).repegBudget, budget, "the lens shows the budget");
        MarketState memory m = pool.marketState(ETH);
        uint256 n = uint256(m.shortOpenInterest) - m.longOpenInterest;
        uint256 markBefore = lens.marketView(ETH).markPrice;
        uint256 fullTarget = markBefore - markBefore * MAX_MOVE_BPS / 10_000;
        uint256 fullDq = m.quoteReserve - m.baseReserve * fullTarget / 1e18;
        assertGt(fullDq * n / (m.baseReserve - n), budget, "setup: the full move would cost more than the budget");
        int256 netBefore = _net();

        (, uint256 markAfter, int256 gain) = _repegLogged();

        assertGt(gain, 0);
        assertLe(uint256(gain), budget, "never more than the budget");
        assertApproxEqRel(uint256(gain), budget, 1e14, "the move shrank to use the budget");
        assertGt(markAfter, fullTarget, "moved less than the max move");
        assertLt(markAfter, markBefore);
        assertEq(netBefore - _net(), gain, "the backstop pays it");
    }

    /* THE LENS PREDICTS THE POOL */

    function testFuzz_repeg_lensDueExactlyWhenTheRepegRuns(uint256 dropBps, uint256 wait, bool keeperInBlock) public {
        dropBps = bound(dropBps, 0, 1400);
        wait = bound(wait, 0, 50 minutes);
        uint256 index = ETH_PRICE * (10_000 - dropBps) / 10_000 / 1e10 * 1e10;
        _crashAndWait(index, wait);
        if (keeperInBlock) oracle.refresh(ETH);
        bool due = lens.marketView(ETH).repegDue;
        try pool.repeg(ETH) {
            assertTrue(due, "ran although the lens said not due");
        } catch (bytes memory reason) {
            assertFalse(due, "reverted although the lens said due");
            assertEq(bytes4(reason), IPerpPool.RepegNotDue.selector);
        }
        if (due) assertFalse(lens.marketView(ETH).repegDue, "once per period");
    }
}
