// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketState, MarketView, PositionView} from "../../contracts/interfaces/IPerpTypes.sol";
import {FundingMath} from "../../contracts/libraries/FundingMath.sol";
import {TradingFixture} from "../utils/TradingFixture.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice `updateFunding`: rate from the time-weighted mark, cap, sides, backstop flow (RISK 13-16).
contract PerpPoolFundingTest is TradingFixture {
    uint256 internal constant INTERVAL = 10 minutes;
    uint256 internal constant PERIOD = 1 hours;
    /// @dev 50 bps of 2,000 per period, per second.
    int256 internal constant CAP_RATE = int256(uint256(10e18) / PERIOD);
    uint256 internal t0;

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
        _deposit(carol, 0, 100_000e6);
    }

    /// @dev Warps to `t`, refreshes every ETH feed at the index, and updates funding.
    function _updateAt(uint256 t, uint256 index) internal {
        vm.warp(t);
        _setPrice(ETH, index);
        pool.updateFunding(ETH);
    }

    function _rate() internal view returns (int256) {
        return lens.marketView(ETH).fundingRate;
    }

    function _owed(address who) internal view returns (int256) {
        PositionView[] memory ps = lens.positions(who, 0);
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].marketId == ETH) return ps[i].fundingOwed;
        }
        return 0;
    }

    /* RATE */

    function test_updateFunding_setsRateFromTwapMark() public {
        _buy(alice, ETH, 10e18);
        uint256 mark = _mark(ETH);
        // The premium in 1e-12 of the index (toward zero), then back to quote per base per second (toward zero).
        int256 premium = int256((mark - ETH_PRICE) * 1e12 / ETH_PRICE);
        int256 expected = premium * int256(ETH_PRICE) / int256(1e12 * PERIOD);
        assertLt(expected, CAP_RATE, "below the cap");
        vm.warp(t0 + INTERVAL);
        vm.expectEmit(address(pool));
        emit IPerpPool.FundingUpdated(ETH, expected, 0, mark, ETH_PRICE, premium, premium, premium, 0, 50e8);
        pool.updateFunding(ETH);
        assertEq(_rate(), expected);
        assertEq(lens.marketView(ETH).lastFundingUpdate, t0 + INTERVAL);
    }

    function test_updateFunding_twapWeightsEachMarkByItsDuration() public {
        _buy(alice, ETH, 10e18);
        uint256 mark1 = _mark(ETH);
        vm.warp(t0 + 300);
        _buy(bob, ETH, 10e18);
        uint256 mark2 = _mark(ETH);
        vm.warp(t0 + INTERVAL);
        pool.updateFunding(ETH);
        uint256 twap = (mark1 * 300 + mark2 * 300) / INTERVAL;
        // The premium in 1e-12 of the index (toward zero), then back to quote per base per second (toward zero).
        int256 premium = int256((twap - ETH_PRICE) * 1e12 / ETH_PRICE);
        assertEq(_rate(), premium * int256(ETH_PRICE) / int256(1e12 * PERIOD));
        assertLt(uint256(_rate()) * PERIOD, mark2 - ETH_PRICE, "not the spot mark at the update");
    }

    function test_updateFunding_rateCappedAtMaxPremium() public {
        _buy(alice, ETH, 90e18); // mark ~1.8 % above index, cap 0.5 %
        vm.warp(t0 + INTERVAL);
        pool.updateFunding(ETH);
        assertEq(_rate(), CAP_RATE);
        _sell(bob, ETH, 180e18); // mark ~1.8 % below
        vm.warp(t0 + 2 * INTERVAL);
        pool.updateFunding(ETH);
        assertEq(_rate(), -CAP_RATE, "capped both ways");
    }

    function test_updateFunding_zeroRateWhenOracleNotNormal() public {
        _buy(alice, ETH, 90e18);
        vm.warp(t0 + INTERVAL);
        feeds[ETH][0].setAnswer(2100e8); // two feeds 5 % either side of the median: too few agree, ReduceOnly
        feeds[ETH][1].setAnswer(1900e8);
        feeds[ETH][2].setAnswer(2000e8);
        pool.updateFunding(ETH);
        assertEq(_rate(), 0, "no funding against an index the oracle does not vouch for");
    }

    /* SIDES AND BACKSTOP FLOW */

    function test_funding_longsPayShortsWhenMarkAboveIndex() public {
        _buy(alice, ETH, 20e18);
        _sell(bob, ETH, 10e18);
        _updateAt(t0 + INTERVAL, ETH_PRICE);
        int256 rate = _rate();
        assertGt(rate, 0, "mark above index: positive rate");
        _updateAt(t0 + 2 * INTERVAL, ETH_PRICE);
        uint256 charge = uint256(rate) * INTERVAL;
        MarketView memory v = lens.marketView(ETH);
        assertEq(v.cumFundingLong, int256(charge));
        assertEq(v.cumFundingShort, int256(charge), "more longs than shorts: shorts get the full credit");
        assertEq(_owed(alice), int256((20e18 * charge + 1e18 - 1) / 1e18), "long pays, rounded up");
        assertEq(_owed(bob), -int256(10e18 * charge / 1e18), "short receives, rounded down");
        // Paid on the next trade: alice's collateral drops by what she owes (plus the fee).
        int256 before = _collateral(alice);
        (uint256 q,) = _quoteBuy(ETH, 1e18);
        int256 owed = _owed(alice);
        _buy(alice, ETH, 1e18);
        assertEq(_collateral(alice), before - owed - int256(_fee(q)));
        assertEq(_owed(alice), 0);
    }

    function test_funding_backstopEarnsTheImbalanceWhenPayersOutweigh() public {
        _buy(alice, ETH, 20e18);
        _sell(bob, ETH, 10e18);
        _updateAt(t0 + INTERVAL, ETH_PRICE);
        uint256 charge = uint256(_rate()) * INTERVAL;
        _updateAt(t0 + 2 * INTERVAL, ETH_PRICE);
        (,, int256 net) = pool.pools();
        int256 expected = int256(20e18 * charge / 1e18) - int256((10e18 * charge + 1e18 - 1) / 1e18);
        assertEq(net, expected);
        assertGt(net, 0);
    }

    function test_funding_backstopPaysTheImbalanceBoundedByBudget() public {
        // The index 5 % under the mark for the whole period: longs pay, but there are five times more shorts to
        // credit. (The listing block priced the market at 2,000: the measured period starts at the next update.)
        _updateAt(t0 + INTERVAL, 1900e18);
        assertEq(_rate(), 0, "setup: mark and index agreed over the listing's period");
        _sell(bob, ETH, 50e18);
        _buy(alice, ETH, 10e18);
        assertEq(lens.marketView(ETH).indexPrice, 1900e18, "setup: the period starts at the lower index");
        _updateAt(t0 + 2 * INTERVAL, 1900e18);
        int256 rate = _rate();
        assertEq(rate, int256(uint256(9.5e18) / PERIOD), "capped at 50 bps of the index");
        _updateAt(t0 + 3 * INTERVAL, 1900e18);
        uint256 budget = uint256(_config(ETH).fundingBudgetPerSecond) * INTERVAL;
        (,, int256 net) = pool.pools();
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(rate, 0, INTERVAL, 10e18, 50e18, budget);
        assertEq(net, flow);
        assertGe(net, -int256(budget), "the backstop pays at most its budget");
        assertLt(net, 0);
        MarketView memory v = lens.marketView(ETH);
        assertEq(v.cumFundingLong, dLong, "longs pay in full");
        assertEq(v.cumFundingShort, dShort);
        assertLt(dShort, dLong, "shorts' credit is cut to what payers and budget cover");
    }

    /// @dev The index falls and only a keeper's oracle refresh sees it; nobody trades until the update. The
    /// time-weighted index switches when the oracle saw the move, not at the pool's next accrual, and the update
    /// uses exactly what the lens showed a moment before it.
    function test_funding_indexMoveSeenOnlyByTheOracle_countsFromWhenTheOracleSawIt() public {
        vm.warp(t0 + 1); // the pool accrues (and records the index) after its listing block
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        uint256 seenAt = t0 + 120;
        vm.warp(seenAt);
        _setPrice(ETH, 1900e18);
        oracle.refresh(ETH);

        vm.warp(t0 + INTERVAL);
        uint256 shown = lens.marketView(ETH).twapIndex;
        vm.recordLogs();
        pool.updateFunding(ETH);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 used;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.FundingUpdated.selector) {
                (,,, used,,,,,) = abi.decode(
                    logs[i].data, (int256, int256, uint256, uint256, int256, int256, int256, int256, uint256)
                );
            }
        }
        uint256 expected = (ETH_PRICE * 120 + 1900e18 * (INTERVAL - 120)) / INTERVAL;
        assertEq(used, expected, "2,000 until the oracle saw 1,900, then 1,900");
        assertEq(used, shown, "what the lens showed is what funding used");
    }

    /// @dev Several index moves between two pool accruals, each seen only by a keeper's refresh, the last one in
    /// the update's own block: every one counts from when the oracle saw it (the oracle integrates the index, so no
    /// observation is lost to a consumer that accrues less often than the oracle is refreshed).
    function test_funding_manyOracleOnlyMoves_lastInTheUpdatesBlock_eachCountsFromWhenSeen() public {
        vm.warp(t0 + 1);
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        vm.warp(t0 + 100);
        _setPrice(ETH, 1950e18);
        oracle.refresh(ETH);
        vm.warp(t0 + 250);
        _setPrice(ETH, 1900e18);
        oracle.refresh(ETH);
        vm.warp(t0 + 400);
        _setPrice(ETH, 1990e18);
        oracle.refresh(ETH);
        vm.warp(t0 + INTERVAL);
        _setPrice(ETH, 1700e18);
        oracle.refresh(ETH); // the keeper's refresh lands first in the update's block

        vm.recordLogs();
        pool.updateFunding(ETH);
        uint256 used = _twapIndexLogged();
        uint256 expected = (ETH_PRICE * 100 + 1950e18 * 150 + 1900e18 * 150 + 1990e18 * (INTERVAL - 400)) / INTERVAL;
        assertEq(used, expected, "each price weighted by the seconds the oracle held it; the new one by none yet");
    }

    function _twapIndexLogged() internal returns (uint256 used) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.FundingUpdated.selector) {
                (,,, used,,,,,) = abi.decode(
                    logs[i].data, (int256, int256, uint256, uint256, int256, int256, int256, int256, uint256)
                );
            }
        }
    }

    /* RISK 16: SECOND UPDATE IN THE SAME BLOCK */

    function test_updateFunding_revertsWhen_notDue() public {
        vm.warp(t0 + INTERVAL - 1);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.FundingNotDue.selector, t0 + INTERVAL));
        pool.updateFunding(ETH);
    }

    function test_updateFunding_revertsWhen_secondUpdateInSameBlock() public {
        _buy(alice, ETH, 20e18);
        _sell(bob, ETH, 10e18);
        _updateAt(t0 + INTERVAL, ETH_PRICE);
        _updateAt(t0 + 2 * INTERVAL, ETH_PRICE);
        MarketView memory before = lens.marketView(ETH);
        (,, int256 netBefore) = pool.pools();
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.FundingNotDue.selector, t0 + 3 * INTERVAL));
        pool.updateFunding(ETH);
        MarketView memory afterV = lens.marketView(ETH);
        (,, int256 netAfter) = pool.pools();
        assertEq(afterV.cumFundingLong, before.cumFundingLong, "no double charge");
        assertEq(afterV.cumFundingShort, before.cumFundingShort, "no double credit");
        assertEq(netAfter, netBefore);
    }

    /* RISK 15: TEN MISSED PERIODS == TEN UPDATES */

    function test_updateFunding_tenMissedIntervalsEqualTenUpdates() public {
        _buy(alice, ETH, 60e18); // capped premium
        _sell(bob, ETH, 20e18);
        _updateAt(t0 + INTERVAL, ETH_PRICE);
        int256 rate = _rate();
        assertEq(rate, CAP_RATE);
        MarketView memory start = lens.marketView(ETH);

        uint256 snap = vm.snapshotState();
        for (uint256 i = 2; i <= 11; ++i) {
            _updateAt(t0 + i * INTERVAL, ETH_PRICE);
        }
        MarketView memory tenUpdates = lens.marketView(ETH);
        (,, int256 netTen) = pool.pools();

        vm.revertToState(snap);
        _updateAt(t0 + 11 * INTERVAL, ETH_PRICE);
        MarketView memory oneUpdate = lens.marketView(ETH);
        (,, int256 netOne) = pool.pools();

        assertEq(oneUpdate.cumFundingLong, tenUpdates.cumFundingLong, "longs charged the same");
        assertEq(oneUpdate.cumFundingShort, tenUpdates.cumFundingShort, "shorts credited the same");
        assertApproxEqAbs(netOne, netTen, 20, "backstop flow equal within rounding");
        assertEq(oneUpdate.fundingRate, tenUpdates.fundingRate);
        // Capped per period: ten intervals charge exactly ten capped intervals, never more.
        uint256 charged = uint256(oneUpdate.cumFundingLong - start.cumFundingLong);
        assertEq(charged, uint256(rate) * 10 * INTERVAL);
        assertLe(charged * PERIOD, 10e18 * 10 * INTERVAL, "<= 50 bps of the index per period");
    }

    /* RISK 14: A TRANSIENT POSITION CANNOT SKEW THE RATE */

    function test_updateFunding_transientPositionOneSecondBeforeBarelyMovesRate() public {
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        uint256 mark0 = _mark(ETH);
        vm.warp(t0 + INTERVAL - 1);
        uint256 snap = vm.snapshotState();
        vm.warp(t0 + INTERVAL);
        pool.updateFunding(ETH);
        int256 honest = _rate();

        vm.revertToState(snap);
        vm.warp(t0 + INTERVAL - 1);
        int256 carolBefore = _balance(carol);
        _buy(carol, ETH, 90e18); // +1.8 % mark, held for one second
        uint256 pumped = _mark(ETH);
        vm.warp(t0 + INTERVAL);
        pool.updateFunding(ETH);
        int256 skewed = _rate();
        _close(carol, ETH);

        // The pumped mark weighs 1 s of 600: the rate moves by at most (pumped - mark0) / 600 per period.
        uint256 maxShift = (pumped - mark0) / INTERVAL / PERIOD + 1;
        assertLe(uint256(skewed - honest), maxShift, "time weighting dilutes the transient mark");
        assertLt(skewed, CAP_RATE / 10, "far below the capped rate a spot mark would give");
        assertLt(_balance(carol), carolBefore, "and the manipulator pays fees and price impact");
    }

    function test_updateFunding_positionOpenedInTheUpdateBlockHasNoEffect() public {
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        uint256 snap = vm.snapshotState();
        vm.warp(t0 + INTERVAL);
        pool.updateFunding(ETH);
        int256 honest = _rate();

        vm.revertToState(snap);
        vm.warp(t0 + INTERVAL);
        _buy(carol, ETH, 90e18);
        pool.updateFunding(ETH);
        assertEq(_rate(), honest, "a mark set in the update's own block has zero weight");
        _close(carol, ETH);
    }

    /* RISK 13: ZERO-SUM */

    function test_funding_isZeroSum_remainderNeverGoesToATrader() public {
        _buy(alice, ETH, 30e18);
        _sell(bob, ETH, 10e18);
        _sell(carol, ETH, 5e18);
        _updateAt(t0 + INTERVAL, ETH_PRICE);
        for (uint256 i = 2; i <= 4; ++i) {
            _updateAt(t0 + i * INTERVAL, ETH_PRICE);
        }
        MarketState memory m = pool.marketState(ETH);
        int256 owedA = _owed(alice);
        int256 owedB = _owed(bob);
        int256 owedC = _owed(carol);
        (,, int256 net) = pool.pools();
        assertGt(owedA, 0, "the long pays");
        assertLt(owedB, 0, "the shorts receive");
        assertLt(owedC, 0);
        // Exact amounts (WAD^2) vs what each position owes: payers round up, receivers round down.
        assertGe(owedA * 1e18, 30e18 * int256(m.cumFundingLong));
        assertLe(-owedB * 1e18, 10e18 * int256(m.cumFundingShort));
        int256 sum = owedA + owedB + owedC;
        // Traders pay net at least what the backstop booked; the difference is rounding dust kept by the pool.
        assertGe(sum, net, "paid - received >= backstop share: no remainder to traders");
        assertLe(sum - net, 3 + 2 * 3, "within one wei per position and two per accrual");
    }
}
