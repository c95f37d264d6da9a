// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {
    AccountHealth,
    MarketConfig,
    MarketState,
    MarketView,
    PositionView
} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The liquidation ladder (RISK 17, 20, 22, 8): only below maintenance, a bounded fraction of the largest
/// risk per step, full close when insolvent, penalty split credited internally, paused while the oracle is not Normal.
contract LiquidationTest is LiquidationBase {
    uint256 internal constant ALICE_MARGIN = 10_000e6;
    int256 internal constant ALICE_SIZE = 45e18; // ~90k notional at 2,000: ~9x leverage

    /// @dev Alice long 45 ETH on 10k, the index down to 1,850 with the mark following: below maintenance, solvent.
    function _aliceLiquidatable() internal {
        _openPosition(alice, ETH, ALICE_MARGIN, ALICE_SIZE);
        _crashTo(ETH, 1850e18);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertTrue(h.liquidatable, "setup: liquidatable");
        assertGt(h.value, 0, "setup: solvent");
    }

    /* ONLY BELOW MAINTENANCE */

    function test_liquidate_revertsWhen_accountHealthy() public {
        _openPosition(alice, ETH, ALICE_MARGIN, 10e18);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertGt(h.value, int256(h.maintenanceRequirement));

        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        _liqLong(alice);
    }

    function test_liquidate_revertsWhen_noPositionAndNoDebt() public {
        _deposit(carol, 0, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, int256(1000e18), 0));
        vm.prank(liquidator);
        pool.liquidate(carol, 0, type(uint256).max);
    }

    function test_liquidate_revertsWhen_exactlyAtMaintenance_succeedsOneWeiBelow() public {
        _aliceLiquidatable();
        AccountHealth memory h = lens.accountHealth(alice, 0);
        int256 atMaintenance = _collateral(alice) + (int256(h.maintenanceRequirement) - h.value);
        _setCollateral(alice, 0, atMaintenance);
        h = lens.accountHealth(alice, 0);
        assertEq(h.value, int256(h.maintenanceRequirement), "value == maintenance");
        assertFalse(h.liquidatable);

        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        _liqLong(alice);

        _setCollateral(alice, 0, atMaintenance - 1);
        assertTrue(lens.accountHealth(alice, 0).liquidatable);
        assertGt(_liqLong(alice), 0, "transfers part of the long (signed as the account's position)");
    }

    function test_liquidate_belowMaintenance_closesOneFractionAndImprovesHealth() public {
        _aliceLiquidatable();
        AccountHealth memory before = lens.accountHealth(alice, 0);
        uint256 step = uint256(ALICE_SIZE) * 2500 / 10_000; // liquidationFractionBps, exact here

        int256 closed = _liqLong(alice);

        assertEq(closed, int256(step), "one fraction of the position, signed as the account's position");
        assertEq(pool.position(alice, 0, ETH).size, ALICE_SIZE - int256(step));
        AccountHealth memory afterStep = lens.accountHealth(alice, 0);
        assertGt(
            afterStep.value - int256(afterStep.maintenanceRequirement),
            before.value - int256(before.maintenanceRequirement),
            "margin surplus improved (RISK 17)"
        );
    }

    /* BIGGEST RISK FIRST, STEP BY STEP */

    /// @dev Alice: cross account long 20 ETH (40k) and 1 BTC (60k); BTC falls to 53,000, so BTC carries the
    /// larger maintenance requirement.
    function _crossAccountLiquidatable() internal {
        _deposit(alice, 0, 11_000e6);
        _trade(alice, ETH, 20e18);
        _trade(alice, BTC, 1e18);
        _crashTo(BTC, 53_000e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable, "setup: liquidatable");
    }

    function _largestMaintenanceMarket(address who) internal view returns (uint256 best) {
        PositionView[] memory ps = lens.positions(who, 0);
        uint256 largest;
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].maintenanceRequirement > largest) {
                (largest, best) = (ps[i].maintenanceRequirement, ps[i].marketId);
            }
        }
    }

    function test_liquidate_transfersTheSameFractionOfEveryUsablePosition() public {
        _crossAccountLiquidatable();
        assertEq(_largestMaintenanceMarket(alice), BTC, "setup: BTC is the largest risk");

        vm.recordLogs();
        int256 returned = _liqLong(alice);
        LiquidationLog[] memory legs = _legs(vm.getRecordedLogs());

        assertEq(legs.length, 2, "one Liquidated event per leg");
        assertEq(legs[0].marketId, BTC, "the largest requirement first");
        assertEq(legs[0].sizeClosed, 0.25e18, "25% of 1 BTC, signed as the long it was");
        assertEq(legs[1].marketId, ETH);
        assertEq(legs[1].sizeClosed, 5e18, "25% of 20 ETH: the same fraction");
        assertEq(returned, 0.25e18, "returns the base moved in the largest-requirement market");
        assertEq(pool.position(alice, 0, BTC).size, 0.75e18);
        assertEq(pool.position(alice, 0, ETH).size, 15e18);
        for (uint256 i; i < 2; ++i) {
            assertEq(legs[i].penalty, _abs(legs[i].quoteDelta) * 250 / 10_000, "2.5% of each leg's notional");
        }
    }

    function test_liquidate_repeatsProportionalStepsUntilAboveMaintenance() public {
        _crossAccountLiquidatable();
        _crashTo(BTC, 52_000e18); // deeper: one step is not enough

        uint256 steps;
        while (lens.accountHealth(alice, 0).liquidatable) {
            int256 eth = pool.position(alice, 0, ETH).size;
            int256 btc = pool.position(alice, 0, BTC).size;
            vm.recordLogs();
            _liqLong(alice);
            LiquidationLog[] memory legs = _legs(vm.getRecordedLogs());
            assertEq(legs.length, 2, "both positions every step");
            assertEq(pool.position(alice, 0, ETH).size, eth - (eth * 2500 + 9999) / 10_000, "ETH: ceil 25%");
            assertEq(pool.position(alice, 0, BTC).size, btc - (btc * 2500 + 9999) / 10_000, "BTC: ceil 25%");
            ++steps;
            assertLt(steps, 30, "ladder terminates");
        }

        assertGt(steps, 1, "a ladder, not a cliff");
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertGe(h.value, int256(h.maintenanceRequirement), "back above maintenance");
        assertGt(pool.position(alice, 0, BTC).size, 0, "not closed out");
        assertGt(pool.position(alice, 0, ETH).size, 0, "not closed out");
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        _liqLong(alice);
    }

    /// @dev Every `Liquidated` event of the logs, in order.
    function _legs(Vm.Log[] memory logs) internal pure returns (LiquidationLog[] memory legs) {
        uint256 n;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.Liquidated.selector) ++n;
        }
        legs = new LiquidationLog[](n);
        n = 0;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IPerpPool.Liquidated.selector) continue;
            LiquidationLog memory l = legs[n++];
            l.marketId = uint256(logs[i].topics[3]);
            (, l.sizeClosed, l.indexPrice, l.penalty, l.reward, l.quoteDelta, l.realizedPnl,) =
                abi.decode(logs[i].data, (address, int256, uint256, uint256, uint256, int256, int256, int256));
        }
    }

    /* INSOLVENT */

    function test_liquidate_insolventAccount_closedFullyInOneStep() public {
        _openPosition(alice, ETH, ALICE_MARGIN, ALICE_SIZE);
        _crashTo(ETH, 1700e18);
        assertLt(_value(alice), 0, "setup: insolvent");

        (LiquidationLog memory l, BadDebt memory d) = _liquidateLogged(alice);

        assertEq(l.sizeClosed, ALICE_SIZE, "whole position");
        assertEq(pool.position(alice, 0, ETH).size, 0);
        assertEq(pool.account(alice, 0).marketMask, 0);
        assertEq(_collateral(alice), 0, "debt written off into the waterfall");
        assertTrue(d.found, "BadDebtResolved");
        assertEq(d.juniorPaid, d.badDebt, "junior (2M) covers it");
        assertEq(l.penalty, 0, "no penalty out of negative collateral");
    }

    /* PENALTY */

    function test_liquidate_splitsPenalty_liquidatorCreditedInternally() public {
        _aliceLiquidatable();
        int256 colBefore = _collateral(alice);
        (, uint256 premiumBefore,) = pool.pools();
        uint256 poolTokens = usdc.balanceOf(address(pool));

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        uint256 quote = _abs(l.quoteDelta);
        uint256 penalty = quote * 250 / 10_000;
        uint256 reward = penalty * 4000 / 10_000;
        assertEq(l.penalty, penalty, "2.5% of closed notional");
        assertEq(l.reward, reward, "40% of the penalty");
        assertEq(_collateral(liquidator), int256(reward), "credited to the liquidator's cross account");
        assertEq(usdc.balanceOf(liquidator), 0, "nothing pushed");
        assertEq(usdc.balanceOf(address(pool)), poolTokens, "no token left the pool");
        (, uint256 premiumAfter,) = pool.pools();
        assertEq(premiumAfter - premiumBefore, penalty - reward, "the rest is backstop premium");
        assertEq(_collateral(alice), colBefore + l.realizedPnl - int256(penalty), "target pays realized loss + penalty");

        // The credit is real money: the liquidator withdraws it.
        uint256 tokens = reward / 1e12;
        vm.prank(liquidator);
        pool.withdrawMargin(liquidator, 0, tokens, liquidator);
        assertEq(usdc.balanceOf(liquidator), tokens);
    }

    /* NO DUST (RISK 20) */

    function test_fuzz_liquidate_neverLeavesDust(uint256 maxBase) public {
        MarketConfig memory c = defaultConfig();
        c.minPositionBase = 10e18;
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
        _openPosition(alice, ETH, 2650e6, 12e18);
        _crashTo(ETH, 1850e18);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertTrue(h.liquidatable && h.value > 0, "setup: liquidatable, solvent");
        // Any cap: the step's fraction is maxBase / held exactly when the cap binds.
        maxBase = bound(maxBase, 1, 20e18);

        vm.prank(liquidator);
        int256 closed = pool.liquidate(alice, 0, maxBase);

        int256 remaining = pool.position(alice, 0, ETH).size;
        assertEq(remaining, 12e18 - closed, "the transfer is signed as the account's position");
        assertEq(pool.position(address(0), 0, ETH).size, closed, "the backstop account took exactly that");
        assertTrue(remaining == 0 || remaining >= 10e18, "closed fully or at least the minimum size");
        if (maxBase < 12e18) assertLe(_abs(closed), maxBase, "never more than asked unless closing fully");
        else assertEq(remaining, 0, "a 25% step would leave dust: closes fully");
    }

    /// @dev A cap below one basis point of the position still moves exactly the cap (the fraction is maxBase / held,
    /// not whole basis points); only a zero cap moves nothing.
    function test_liquidate_movesExactlyATinyCap_andNothingOnlyForZero() public {
        _aliceLiquidatable();
        vm.expectRevert(IPerpPool.NothingToLiquidate.selector);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, 0);
        vm.prank(liquidator);
        assertEq(pool.liquidate(alice, 0, 1), 1, "one wei");
        vm.prank(liquidator);
        uint256 cap = uint256(ALICE_SIZE) / 10_000 - 1;
        assertEq(pool.liquidate(alice, 0, cap), int256(cap), "below one basis point");
    }

    /* FRONT-RUN BY A TOP-UP (RISK 22) */

    function test_liquidateIfUnhealthy_returnsZeroAfterTargetTopsUp() public {
        _aliceLiquidatable();
        _deposit(alice, 0, 5000e6); // the target front-runs the keeper
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertFalse(h.liquidatable);

        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        _liqLong(alice);

        vm.prank(liquidator);
        int256 closed = pool.liquidateIfUnhealthy(alice, 0, type(uint256).max);
        assertEq(closed, 0);
        assertEq(pool.position(alice, 0, ETH).size, ALICE_SIZE, "nothing closed");
        assertEq(_collateral(liquidator), 0, "no reward");
    }

    function test_liquidateIfUnhealthy_liquidatesWhenUnhealthy() public {
        _aliceLiquidatable();
        vm.prank(liquidator);
        int256 closed = pool.liquidateIfUnhealthy(alice, 0, type(uint256).max);
        assertEq(closed, ALICE_SIZE / 4);
    }

    /* ORACLE NOT NORMAL (RISK 50) */

    /// @dev A -16 % print trips the jump breaker: the market is reduce-only, no account may open, yet the
    /// liquidation runs at the median, and the oracle refresh it makes is what records the trip (it does not
    /// revert, so nothing rolls the observation back).
    function test_liquidate_runsDuringReduceOnly_andRecordsTheBreakerTripItself() public {
        _openPosition(alice, ETH, ALICE_MARGIN, 30e18);
        _deposit(bob, 0, 10_000e6);
        vm.warp(block.timestamp + 12);
        _setIndex(ETH, 1680e18);
        (uint256 peeked, OracleStatus peekedStatus) = oracle.peek(ETH);
        assertEq(uint8(peekedStatus), uint8(OracleStatus.ReduceOnly), "setup: the jump trips the breaker");
        assertEq(peeked, 1680e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable, "setup: liquidatable at the new median");

        // A trade that observes the jump reverts, and its refresh is rolled back with it: not recorded.
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, uint8(OracleStatus.ReduceOnly)));
        _trade(bob, ETH, 1e18);
        assertEq(oracle.breakerTrippedAt(ETH), 0, "a reverted trade records nothing");

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        assertGt(l.sizeClosed, 0, "liquidated in reduce-only");
        assertEq(l.indexPrice, 1680e18, "at the median");
        assertEq(oracle.breakerTrippedAt(ETH), block.timestamp, "the liquidation recorded the trip");
        (, OracleStatus status, uint64 at) = oracle.lastObservation(ETH);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
        assertEq(at, block.timestamp);

        // The cooldown runs from the liquidation's block: Normal again one cooldown later, no standalone refresh.
        vm.warp(block.timestamp + oracle.config(ETH).breakerCooldown);
        _refreshFeeds();
        (, status) = oracle.peek(ETH);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "cooldown started by the liquidation");
    }

    /* NO SLIPPAGE BOUND, NO DEADLINE: NOTHING ON THE CURVE TO PROTECT (RISK 8, 48) */

    /// @dev A second account buys the mark up to the band's edge in the liquidation's block (the per-block limit
    /// spent): the step still settles at exactly the index, and the curve does not move.
    function test_liquidate_needsNoSlippageBound_andTheMarkCannotBlockIt() public {
        _aliceLiquidatable();
        vm.warp(block.timestamp + 12);
        _refreshFeeds();
        _deposit(bob, 0, 1_000_000e6);
        _trade(bob, ETH, 95e18); // ~1.9 % up from the index: most of the block's 2 % move limit
        (uint256 baseBefore, uint256 quoteBefore) =
            (pool.marketState(ETH).baseReserve, pool.marketState(ETH).quoteReserve);

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        uint256 step = uint256(ALICE_SIZE) / 4;
        assertEq(l.sizeClosed, int256(step));
        assertEq(l.indexPrice, 1850e18);
        assertEq(l.quoteDelta, -int256(step * 1850), "the account sold at the index, rounded down");
        assertEq(pool.marketState(ETH).baseReserve, baseBefore, "no curve trade");
        assertEq(pool.marketState(ETH).quoteReserve, quoteBefore, "no curve trade");
        assertEq(pool.position(address(0), 0, ETH).size, int256(step), "the backstop account holds it");
        assertEq(pool.position(address(0), 0, ETH).openNotional, int256(step * 1850), "entered at the index");
    }

    /// @dev A keeper's transaction carries no deadline because no price is at stake: mined blocks later, after
    /// the index moved again, it settles at the index of the block it lands in.
    function test_liquidate_landingLate_settlesAtTheIndexOfItsOwnBlock() public {
        _aliceLiquidatable();
        uint256 signedAt = block.timestamp;
        _crashTo(ETH, 1820e18);
        assertGt(block.timestamp, signedAt);

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        assertEq(l.indexPrice, 1820e18, "the index when mined");
        assertEq(l.quoteDelta, -int256(uint256(l.sizeClosed) * 1820));
        assertEq(l.penalty, uint256(-l.quoteDelta) * 250 / 10_000, "penalty on the index notional");
    }

    /* THE KEEPER'S BATCH */

    function test_liquidateMany_liquidatesDueAccounts_skipsHealthyAndBackstopWithoutReverting() public {
        _openPosition(alice, ETH, 12_000e6, ALICE_SIZE); // liquidatable, solvent at 1,760
        _openPosition(bob, ETH, 20_000e6, 10e18); // healthy
        _openPosition(carol, ETH, 5000e6, 20e18); // insolvent at 1,760
        _crashTo(ETH, 1760e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable && _value(alice) > 0, "setup: alice due, solvent");
        assertLt(_value(carol), 0, "setup: carol insolvent");
        bytes32[] memory ids = new bytes32[](5);
        ids[0] = pool.accountId(alice, 0);
        ids[1] = pool.accountId(bob, 0);
        ids[2] = pool.accountId(address(0), 0); // the backstop account: skipped
        ids[3] = pool.accountId(carol, 0);
        ids[4] = pool.accountId(makeAddr("nobody"), 7); // empty: skipped

        vm.prank(liquidator);
        uint256 n = pool.liquidateMany(ids);

        assertEq(n, 2, "alice and carol");
        assertEq(pool.position(alice, 0, ETH).size, ALICE_SIZE - ALICE_SIZE / 4, "one step for alice");
        assertEq(pool.position(bob, 0, ETH).size, 10e18, "bob untouched");
        assertEq(pool.position(carol, 0, ETH).size, 0, "carol insolvent: everything");
        assertEq(_collateral(carol), 0, "carol's bad debt resolved in the batch");
        assertEq(pool.position(address(0), 0, ETH).size, ALICE_SIZE / 4 + 20e18, "the backstop took both");
        assertGt(_collateral(liquidator), 0, "rewards credited");
    }

    /* THE ACCRUAL A TRANSFER NEEDS */

    /// @dev Alice liquidatable with a funding rate running (longs pay) and the index unchanged since the last accrual.
    function _liquidatableWithFundingRunning() internal {
        _aliceLiquidatable();
        _dragMarkTo(ETH, 1870e18);
        vm.warp(block.timestamp + 601);
        _refreshFeeds();
        pool.updateFunding(ETH);
        assertGt(pool.marketState(ETH).fundingRate, 0, "setup: longs pay");
        vm.warp(block.timestamp + 30);
        _refreshFeeds();
        oracle.refresh(ETH);
    }

    function test_liquidate_sameIndexNoNetting_timeWeightedPricesAndFundingAsOfNowUnchanged() public {
        _liquidatableWithFundingRunning();
        MarketView memory before = lens.marketView(ETH);
        uint256 accruedAt = pool.marketState(ETH).lastAccrual;
        int256 owed = lens.positions(alice, 0)[0].fundingOwed;
        assertGt(owed, 0, "setup: alice owes funding since the update");
        int256 notional0 = pool.position(alice, 0, ETH).openNotional;

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        MarketView memory afterwards = lens.marketView(ETH);
        assertEq(afterwards.twapMark, before.twapMark, "time-weighted mark");
        assertEq(afterwards.twapIndex, before.twapIndex, "time-weighted index");
        assertEq(afterwards.cumFundingLong, before.cumFundingLong, "long funding index as of now");
        assertEq(afterwards.cumFundingShort, before.cumFundingShort, "short funding index as of now");
        assertEq(afterwards.longOpenInterest, before.longOpenInterest, "the backstop took the long: OI unchanged");
        assertEq(pool.marketState(ETH).lastAccrual, accruedAt, "nothing needed accruing: no slot written for it");
        // The account settled the funding it owed as of now, in the step's realized PnL (with the leg's PnL: the
        // index value received minus the cost basis the step released).
        int256 basis = notional0 - pool.position(alice, 0, ETH).openNotional;
        assertEq(l.realizedPnl, -l.quoteDelta - basis - owed, "funding as of now settled in the step");
        assertEq(lens.positions(alice, 0)[0].fundingOwed, 0, "alice owes no funding after the step");
        assertEq(pool.position(address(0), 0, ETH).fundingEntry, afterwards.cumFundingLong, "inventory enters now");
    }

    function test_liquidate_afterAnIndexMove_accruesNothing_theOracleTimesTheMove() public {
        _liquidatableWithFundingRunning();
        vm.warp(block.timestamp + 12);
        _setIndex(ETH, 1840e18);
        oracle.refresh(ETH);
        MarketState memory m0 = pool.marketState(ETH);
        uint256 shown = lens.marketView(ETH).twapIndex;

        _liqLong(alice);

        assertEq(pool.marketState(ETH).lastAccrual, m0.lastAccrual, "no accrual: no slot written for it");
        assertEq(lens.marketView(ETH).twapIndex, shown, "the time-weighted index still counts the move from its block");
        uint256 elapsed = block.timestamp - m0.periodStart;
        assertEq(
            shown, (oracle.cumulativePrice(ETH) - m0.periodStartCumulativeIndex) / elapsed, "from the oracle's integral"
        );
    }
}
