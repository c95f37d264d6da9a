// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {
    FundingForecast,
    FundingParams,
    FundingSnapshot,
    MarketConfig,
    MarketView
} from "../../contracts/interfaces/IPerpTypes.sol";
import {MarginMath} from "../../contracts/libraries/MarginMath.sol";
import {FundingPolicyFixture} from "../utils/FundingPolicyFixture.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice The funding policy in the pool (RISK 80, 82, 83, and 14, 15 under the new rules): every charge within the cap
/// and one change step whatever the mark, the index and the keeper do; the extreme cap at the next update; the lens's
/// "most it can be" never exceeded; the setters' bounds.
contract PerpPoolFundingPolicyTest is FundingPolicyFixture {
    address internal trader = makeAddr("trader");
    uint256 internal t0;

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        _deposit(alice, 0, 1_000_000e6);
        _deposit(bob, 0, 1_000_000e6);
        _deposit(carol, 0, 1_000_000e6);
        _deposit(trader, 0, 5_000_000e6);
    }

    /* RISK 80 / 83: ANY PATH */

    struct Step {
        int256 ethSize; // the trader's ETH trade mid-period
        int256 btcSize;
        int256 ethJumpBps; // index moves, at most 10 % each (below the 15 % breaker)
        int256 btcJumpBps;
        uint256 gap; // intervals until the update, 1..10
        uint256 readAt; // when in the period the forecast is read
        bool siblingFirst; // BTC updates just before ETH (a fresh sibling for the blend)
    }

    struct Path {
        uint256 eth;
        uint256 btc;
        uint256 updates;
        uint256 kickers;
        uint256 steps; // updates that moved the charge by a full step
    }

    /// @dev Low kicker threshold (1 % of tranche capital = 40 ETH of net) so the kicker is reached on the paths.
    function _pathParams() internal pure returns (FundingParams memory p) {
        p = _defaultParams();
        p.kickerThresholdBps = 100;
    }

    function _jump(uint256 price, uint256 base, int256 bps) internal pure returns (uint256) {
        bps = bound(bps, -1000, 1000);
        price = uint256(int256(price) * (10_000 + bps) / 10_000);
        if (price < base / 2) price = base / 2;
        if (price > base * 2) price = base * 2;
        return price / 1e10 * 1e10;
    }

    /// @dev One period of a path: trades and index jumps mid-period, the forecast read at a random time, the update
    /// after `gap` intervals. Checks every update's charge against the cap, the change limit and the forecast.
    function _period(Step memory s, Path memory path) internal {
        uint256 start = lens.marketView(ETH).lastFundingUpdate;
        uint256 gap = bound(s.gap, 1, 10) * INTERVAL;
        FundingSnapshot memory prev = pool.fundingSnapshot(ETH);
        // The forecast at a random second of the period (before or after the trades).
        uint256 readAt = start + 1 + bound(s.readAt, 0, gap - 1);
        uint256 mid = start + gap / 2;
        FundingForecast memory early;
        bool readEarly = readAt <= mid;
        if (readEarly) {
            _warpFresh(readAt, path.eth, path.btc);
            early = lens.fundingForecast(ETH);
        }
        path.eth = _jump(path.eth, ETH_PRICE, s.ethJumpBps);
        path.btc = _jump(path.btc, BTC_PRICE, s.btcJumpBps);
        _warpFresh(mid > block.timestamp ? mid : block.timestamp + 1, path.eth, path.btc);
        _tryTrade(trader, ETH, bound(s.ethSize, -100e18, 100e18));
        _tryTrade(trader, BTC, bound(s.btcSize, -5e18, 5e18));
        if (!readEarly) {
            _warpFresh(readAt > block.timestamp ? readAt : block.timestamp, path.eth, path.btc);
            early = lens.fundingForecast(ETH);
        }
        _warpFresh(start + gap > block.timestamp ? start + gap : block.timestamp, path.eth, path.btc);
        if (s.siblingFirst && lens.marketView(BTC).nextFundingUpdate <= block.timestamp) _update(BTC);
        FundingForecast memory now_ = lens.fundingForecast(ETH);
        Update memory u = _update(ETH);
        ++path.updates;

        // RISK 80: within the cap that applies, one step from the last charge, except toward zero.
        assertLe(_abs(u.charged), u.capEffective, "|charged| <= the cap that applies");
        assertTrue(u.capEffective == CAP || u.capEffective == CAP / 2, "the normal or the extreme cap");
        bool vouched = lens.marketView(ETH).oracleStatus == 0;
        bool withinStep = _abs(u.charged - prev.charged) <= STEP;
        bool cappedDown = _abs(prev.charged) > u.capEffective
            && u.charged == (prev.charged > 0 ? int256(u.capEffective) : -int256(u.capEffective));
        assertTrue(withinStep || cappedDown || (!vouched && u.charged == 0), "one step, or down to the cap, or off");
        if (_abs(u.charged - prev.charged) == STEP) ++path.steps;
        assertEq(u.ratePerSecond, _rateOf(u.charged, u.twapIndex), "the rate is the charge, toward zero");
        assertLe(_abs(u.kicker), 50_000 * 1e4, "|kicker| <= kickerMax");
        if (u.kicker != 0) ++path.kickers;
        assertEq(pool.fundingSnapshot(ETH).charged, u.charged, "the snapshot keeps the charge");

        // RISK 83: what the lens published at any time in the period bounds the update.
        assertLe(_abs(u.charged), early.maxNextPremium, "|charged| <= the forecast's maxNextPremium");
        assertLe(_abs(u.kicker), early.kickerMaxPremium, "|kicker| <= the forecast's kickerMaxPremium");
        assertEq(early.chargedPremium, prev.charged, "the forecast shows the charge in force");
        // Read in the update's block, the forecast is the update.
        assertEq(now_.next.charged, u.charged, "forecast == update: charged");
        assertEq(now_.next.kicker, u.kicker, "forecast == update: kicker");
        assertEq(now_.next.ratePerSecond, u.ratePerSecond, "forecast == update: rate");
    }

    function _walk(Step[6] memory steps) internal returns (Path memory path) {
        _policyOn(_pathParams());
        path.eth = ETH_PRICE;
        path.btc = BTC_PRICE;
        // An honest book both sides, and a first period.
        _trade(alice, ETH, 30e18);
        _trade(bob, ETH, -20e18);
        _trade(alice, BTC, 1e18);
        _trade(bob, BTC, -1e18);
        for (uint256 i; i < steps.length; ++i) {
            _period(steps[i], path);
        }
    }

    /// @dev RISK 80 and 83 for any premium path, update gaps of 1 to 10 intervals and index jumps up to 10 %.
    function testFuzz_anyPath_chargeWithinCapAndOneStep_forecastNeverExceeded(Step[6] memory steps) public {
        _walk(steps);
    }

    /// @dev The bounds are not vacuous: a path pushed to the cap and back reaches full steps, the cap and the kicker.
    function test_pushedPath_reachesStepsCapAndKicker() public {
        Step[6] memory steps;
        for (uint256 i; i < 6; ++i) {
            steps[i].ethSize = i < 3 ? int256(90e18) : -int256(90e18);
            steps[i].gap = 1;
            steps[i].siblingFirst = true;
        }
        Path memory path = _walk(steps);
        assertEq(path.updates, 6);
        assertGe(path.steps, 3, "the change limit binds");
        assertGt(path.kickers, 0, "the kicker is reached");
    }

    /* RISK 82: THE EXTREME CAP AT THE NEXT UPDATE */

    /// @dev The charge sits at the cap (mark far above the index, four updates); the index jumps `jumpBps` (3-14 %,
    /// below the breaker) some time into a period: the variance crosses extremeVolBps^2 and the very next update
    /// charges at most the extreme cap, whichever way the index jumped.
    function testFuzz_extremeVolatility_nextUpdateChargesAtMostExtremeCap(int256 jumpBps, uint256 jumpAt) public {
        _policyOn(_defaultParams());
        _trade(alice, ETH, 60e18); // mark ~1.2 % over the index: premium at the cap
        for (uint256 i = 1; i <= 4; ++i) {
            _warpFresh(t0 + i * INTERVAL, ETH_PRICE, BTC_PRICE);
            _update(ETH);
        }
        assertEq(pool.fundingSnapshot(ETH).charged, int256(CAP), "setup: charging the cap");
        assertLe(lens.marketView(ETH).realizedVarianceBps2, 15_000 * 15_000, "setup: calm");

        uint256 jump = bound(_abs(jumpBps), 300, 1400);
        uint256 price = jumpBps < 0 ? ETH_PRICE * (10_000 - jump) / 10_000 : ETH_PRICE * (10_000 + jump) / 10_000;
        _warpFresh(t0 + 4 * INTERVAL + bound(jumpAt, 1, INTERVAL), price, BTC_PRICE);
        oracle.refresh(ETH);
        assertGt(lens.marketView(ETH).realizedVarianceBps2, 15_000 * 15_000, "setup: the variance crossed");
        assertEq(lens.fundingForecast(ETH).next.capEffective, CAP / 2, "the lens shows the tighter cap at once");

        _warpFresh(t0 + 5 * INTERVAL > block.timestamp ? t0 + 5 * INTERVAL : block.timestamp, price, BTC_PRICE);
        Update memory u = _update(ETH);
        assertEq(u.capEffective, CAP / 2, "the extreme cap applies");
        assertLe(_abs(u.charged), CAP / 2, "the next update charges at most the extreme cap");
        assertLe(_abs(lens.marketView(ETH).fundingRate), uint256(_rateOf(int256(CAP / 2), u.twapIndex)));
    }

    /* RISK 15 UNDER THE NEW RULES */

    /// @dev Premium at the cap, charge at its target (four steps), a kicker in force (threshold 0.5 % of capital): ten
    /// missed intervals and one update == ten updates.
    function test_steadyState_tenMissedIntervalsEqualTenUpdates() public {
        FundingParams memory p = _defaultParams();
        p.kickerThresholdBps = 50;
        _policyOn(p);
        _trade(alice, ETH, 60e18);
        _trade(bob, ETH, -20e18); // net 40 ETH = 80,000: 1 % of the tranches' 8 M, twice the threshold
        for (uint256 i = 1; i <= 5; ++i) {
            _warpFresh(t0 + i * INTERVAL, ETH_PRICE, BTC_PRICE);
            _update(ETH);
        }
        FundingSnapshot memory s = pool.fundingSnapshot(ETH);
        assertEq(s.charged, int256(CAP), "setup: at the target");
        MarketView memory start = lens.marketView(ETH);
        assertEq(start.fundingKicker, _rateOf(50_000 * 1e4, ETH_PRICE), "setup: the full kicker");

        uint256 snap = vm.snapshotState();
        for (uint256 i = 6; i <= 15; ++i) {
            _warpFresh(t0 + i * INTERVAL, ETH_PRICE, BTC_PRICE);
            _update(ETH);
        }
        MarketView memory ten = lens.marketView(ETH);
        (,, int256 netTen) = pool.pools();
        uint256 kickerTen = pool.kickerPaid();

        vm.revertToState(snap);
        _warpFresh(t0 + 15 * INTERVAL, ETH_PRICE, BTC_PRICE);
        _update(ETH);
        MarketView memory one = lens.marketView(ETH);
        (,, int256 netOne) = pool.pools();

        assertEq(one.cumFundingLong, ten.cumFundingLong, "longs charged the same");
        assertEq(one.cumFundingShort, ten.cumFundingShort, "shorts credited the same");
        assertEq(one.fundingRate, ten.fundingRate, "same rate");
        assertEq(one.fundingKicker, ten.fundingKicker, "same kicker");
        assertEq(pool.kickerPaid(), kickerTen, "same kicker paid to the tranches");
        assertApproxEqAbs(netOne, netTen, 20, "backstop flow equal within rounding");
        uint256 charged = uint256(one.cumFundingLong - start.cumFundingLong);
        assertEq(charged, uint256(start.fundingRate + start.fundingKicker) * 10 * INTERVAL, "capped per period");
    }

    function test_missedUpdates_moveTheChargeOneStepOnly() public {
        _policyOn(_defaultParams());
        _trade(alice, ETH, 60e18); // premium at the cap from the start
        _warpFresh(t0 + 10 * INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory u = _update(ETH);
        assertEq(u.premium, int256(CAP));
        assertEq(u.charged, int256(STEP), "ten intervals late: still one step");
        assertEq(u.ratePerSecond, _rateOf(int256(STEP), ETH_PRICE));
    }

    /* RISK 14 UNDER THE NEW RULES */

    /// @dev Each snapshot publishes its market's crowding net (what persisted since the update before), so a position
    /// held only around a sibling's update counts nowhere either.
    function test_transientPositionOnSibling_aroundItsUpdate_cannotCreateTheKicker() public {
        uint256 start = block.timestamp;
        _deposit(carol, 0, 1_000_000e6);
        FundingParams memory p = _defaultParams();
        p.kickerThresholdBps = 100; // 80,000 of group net
        _policyOn(p);
        _trade(alice, ETH, 30e18); // 60,000 of persisting net long on ETH: under the threshold
        _warpFresh(start + INTERVAL, ETH_PRICE, BTC_PRICE);
        _update(ETH);
        _update(BTC);
        _warpFresh(start + 2 * INTERVAL - 1, ETH_PRICE, BTC_PRICE);
        _buy(carol, BTC, 3e18); // 180,000 on BTC, one second before BTC's update
        _warpFresh(start + 2 * INTERVAL, ETH_PRICE, BTC_PRICE);
        _update(BTC);
        _close(carol, BTC); // gone right after it
        assertEq(pool.fundingSnapshot(BTC).netNotional, 0, "BTC's crowding net: nothing persisted");
        assertEq(_update(ETH).kicker, 0, "a position held only around the sibling's update does not crowd the group");
    }

    function test_transientPositionAroundUpdate_barelyMovesRate_noKicker() public {
        FundingParams memory p = _defaultParams();
        p.kickerThresholdBps = 100; // 80,000 of net: carol's 90 ETH (180,000) would cross it
        _policyOn(p);
        _trade(alice, ETH, 10e18);
        _trade(bob, ETH, -10e18);
        _warpFresh(t0 + INTERVAL, ETH_PRICE, BTC_PRICE);
        _update(ETH);
        uint256 mark0 = _mark(ETH);
        _warpFresh(t0 + 2 * INTERVAL - 1, ETH_PRICE, BTC_PRICE);
        uint256 snap = vm.snapshotState();
        _warpFresh(t0 + 2 * INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory honest = _update(ETH);

        vm.revertToState(snap);
        int256 carolBefore = _balance(carol);
        _buy(carol, ETH, 90e18); // +1.8 % mark for one second
        uint256 pumped = _mark(ETH);
        _warpFresh(t0 + 2 * INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory skewed = _update(ETH);
        _close(carol, ETH);
        // 1 s of 600 at the pumped mark: the premium moves by at most (pumped - mark0) / 600 of the index.
        uint256 maxShift = (pumped - mark0) * 1e12 / ETH_PRICE / INTERVAL + 2;
        assertLe(_abs(skewed.charged - honest.charged), maxShift, "time weighting dilutes the transient mark");
        assertEq(skewed.kicker, 0, "held at one update only: no crowding");
        assertLt(_balance(carol), carolBefore, "the manipulator pays fees and price impact");
        _warpFresh(t0 + 3 * INTERVAL, ETH_PRICE, BTC_PRICE);
        assertEq(_update(ETH).kicker, 0, "gone at the next update: still none");
    }

    function test_positionHeldAcrossTwoUpdates_crowds() public {
        FundingParams memory p = _defaultParams();
        p.kickerThresholdBps = 100;
        _policyOn(p);
        _warpFresh(t0 + INTERVAL, ETH_PRICE, BTC_PRICE);
        _buy(carol, ETH, 90e18);
        assertEq(_update(ETH).kicker, 0, "first update: not persisted yet");
        _warpFresh(t0 + 2 * INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory u = _update(ETH);
        // 180,000 of 8,000,000 = 225 bps over a 100 bps threshold: more than twice it, the full kicker.
        assertEq(u.kicker, 50_000 * 1e4, "persisted net crowds: longs pay the kicker");
        assertEq(u.kickerPerSecond, _rateOf(u.kicker, u.twapIndex));
    }

    function test_positionOpenedInTheUpdateBlock_hasNoEffect() public {
        FundingParams memory p = _defaultParams();
        p.kickerThresholdBps = 100;
        _policyOn(p);
        _trade(alice, ETH, 10e18);
        _trade(bob, ETH, -10e18);
        uint256 snap = vm.snapshotState();
        _warpFresh(t0 + INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory honest = _update(ETH);
        vm.revertToState(snap);
        _warpFresh(t0 + INTERVAL, ETH_PRICE, BTC_PRICE);
        _buy(carol, ETH, 90e18);
        Update memory u = _update(ETH);
        assertEq(u.charged, honest.charged, "a mark set in the update's own block has zero weight");
        assertEq(u.kicker, 0);
        _close(carol, ETH);
    }

    /* GROUP BLEND IN THE POOL */

    function test_blend_freshSiblingCounts_staleSiblingDoesNot() public {
        _policyOn(_defaultParams());
        _trade(alice, ETH, 10e18);
        _trade(bob, ETH, -10e18); // ETH's mark back near the index
        _trade(carol, BTC, 4e18); // BTC's mark ~1.6 % over: its premium at the cap
        _warpFresh(t0 + INTERVAL, ETH_PRICE, BTC_PRICE);
        Update memory b = _update(BTC);
        assertEq(b.premium, int256(CAP));
        Update memory a = _update(ETH);
        assertGt(a.blended, a.premium, "BTC measured after ETH's last update: blended in");
        _warpFresh(t0 + 2 * INTERVAL, ETH_PRICE, BTC_PRICE);
        a = _update(ETH);
        assertEq(a.blended, a.premium, "BTC's measurement was already blended once: stale");
    }

    /* SETTERS */

    function test_setFundingParams_derivesCapAndKeepsGroup() public {
        _groupEthBtc();
        FundingParams memory p = _defaultParams();
        p.capE8 = 1; // ignored: derived
        p.group = 9; // ignored: kept
        vm.expectEmit(address(pool));
        FundingParams memory stored = _defaultParams();
        stored.capE8 = 500_000;
        (stored.group, stored.siblingCount, stored.siblings) = (GROUP, 1, uint24(BTC));
        emit IPerpPool.FundingParamsSet(ETH, stored);
        _setParams(ETH, p);
        FundingParams memory got = pool.fundingParams(ETH);
        assertEq(got.capE8, 500_000, "10 % x (10 % - 5 %)");
        assertEq(got.group, GROUP, "group kept");
        assertEq(got.siblingCount, 1);
        assertEq(got.siblings, uint24(BTC));
    }

    function test_setFundingParams_revertsWhen_notOwner() public {
        FundingParams memory p = _defaultParams();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        pool.setFundingParams(ETH, p);
        uint256[] memory ids = new uint256[](2);
        ids[1] = BTC;
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        pool.setFundingGroup(GROUP, ids);
    }

    function _expectOutOfBounds(FundingParams memory p, bytes32 name, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, name, value));
        _setParams(ETH, p);
    }

    function test_setFundingParams_revertsWhen_outOfBounds() public {
        FundingParams memory p = _defaultParams();
        p.capMultipleBps = 10_001;
        _expectOutOfBounds(p, "capMultipleBps", 10_001);
        p = _defaultParams();
        p.maxChangeBps = 10_001;
        _expectOutOfBounds(p, "maxChangeBps", 10_001);
        p = _defaultParams();
        p.extremeVolBps = 999;
        _expectOutOfBounds(p, "extremeVolBps", 999);
        p.extremeVolBps = 100_001;
        _expectOutOfBounds(p, "extremeVolBps", 100_001);
        p = _defaultParams();
        p.extremeCapBps = 999;
        _expectOutOfBounds(p, "extremeCapBps", 999);
        p.extremeCapBps = 10_001;
        _expectOutOfBounds(p, "extremeCapBps", 10_001);
        p = _defaultParams();
        p.blendWeightBps = 5001;
        _expectOutOfBounds(p, "blendWeightBps", 5001);
        p = _defaultParams();
        p.kickerThresholdBps = 50_001;
        _expectOutOfBounds(p, "kickerThresholdBps", 50_001);
        p = _defaultParams();
        p.kickerMaxE8 = 100_001;
        _expectOutOfBounds(p, "kickerMaxE8", 100_001);
        p = _defaultParams();
        p.kickerThresholdBps = 0;
        _expectOutOfBounds(p, "kickerMaxE8", 50_000);
    }

    function test_setFundingParams_boundsAccepted() public {
        FundingParams memory p;
        _setParams(ETH, p); // all zero: legacy
        assertEq(pool.fundingParams(ETH).capE8, 0);
        p.capMultipleBps = 10_000;
        p.maxChangeBps = 10_000;
        p.extremeVolBps = 100_000;
        p.extremeCapBps = 10_000;
        p.blendWeightBps = 4000; // 4000 x 500,000 = 2 x 10 bps x 1e8: the fee bound exactly
        p.kickerThresholdBps = 50_000;
        p.kickerMaxE8 = 100_000;
        _setParams(ETH, p);
        assertEq(pool.fundingParams(ETH).capE8, 500_000, "100 % x 5 % is above maxPremiumBps: 50 bps");
        p.extremeVolBps = 0;
        p.extremeCapBps = 0; // unchecked without an extreme threshold
        _setParams(ETH, p);
    }

    function test_setFundingParams_revertsWhen_blendWorthMoreThanTwoFees() public {
        FundingParams memory p = _defaultParams();
        p.blendWeightBps = 4001; // 4001 x 50 bps > 2 x 10 bps
        _expectOutOfBounds(p, "blendWeightBps", 4001);
        p.capMultipleBps = 500; // a 25 bps cap: 4001 x 25 bps < 2 x 10 bps
        _setParams(ETH, p);
        assertEq(pool.fundingParams(ETH).capE8, 250_000);
    }

    function test_setMarketConfig_rederivesCap_andChecksTheBlendAgainstTheFee() public {
        _setParams(ETH, _defaultParams());
        MarketConfig memory c = _config(ETH);
        MarginMath.Tier[3] memory tiers;
        tiers[0] = MarginMath.Tier({notionalCap: 100_000e18, initialBps: 800, maintenanceBps: 500});
        tiers[1] = MarginMath.Tier({notionalCap: 1_000_000e18, initialBps: 2000, maintenanceBps: 1000});
        tiers[2] = MarginMath.Tier({notionalCap: 100_000_000e18, initialBps: 3300, maintenanceBps: 1650});
        c.tiers = MarginMath.packTiers(tiers);
        _setConfig(ETH, c);
        assertEq(pool.fundingParams(ETH).capE8, 300_000, "10 % x (8 % - 5 %)");
        c.maxPremiumBps = 20;
        _setConfig(ETH, c);
        assertEq(pool.fundingParams(ETH).capE8, 200_000, "maxPremiumBps binds");
        // 3000 x 20 bps = 2 x 3 bps: a fee of 2 bps makes the blend worth more than two fees.
        c.feeBps = 2;
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, bytes32("blendWeightBps"), 3000)
        );
        _setConfig(ETH, c);
    }

    function test_setFundingGroup_listsSiblings_dissolves() public {
        _setParams(ETH, _defaultParams());
        _groupEthBtc();
        assertEq(pool.fundingParams(ETH).siblings, uint24(BTC));
        assertEq(pool.fundingParams(BTC).siblings, uint24(ETH));
        assertEq(pool.fundingParams(BTC).group, GROUP);
        assertEq(pool.fundingParams(ETH).blendWeightBps, 3000, "the policy is kept");
        vm.prank(admin);
        pool.setFundingGroup(GROUP, new uint256[](0));
        assertEq(pool.fundingParams(ETH).group, 0, "dissolved");
        assertEq(pool.fundingParams(ETH).siblingCount, 0);
        assertEq(pool.fundingParams(BTC).siblings, 0);
        assertEq(pool.fundingParams(ETH).blendWeightBps, 3000, "the policy is kept");
    }

    function _expectGroupInvalid(uint8 group, uint256[] memory ids, uint256 arg) internal {
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.FundingGroupInvalid.selector, arg));
        vm.prank(admin);
        pool.setFundingGroup(group, ids);
    }

    function test_setFundingGroup_revertsWhen_invalid() public {
        _listMarket(2, 10_000e18, 100e18);
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (ETH, BTC);
        _expectGroupInvalid(0, ids, 0);
        uint256[] memory one = new uint256[](1);
        _expectGroupInvalid(GROUP, one, 1);
        _expectGroupInvalid(GROUP, new uint256[](5), 5);
        (ids[0], ids[1]) = (ETH, ETH);
        _expectGroupInvalid(GROUP, ids, ETH);
        _groupEthBtc();
        (ids[0], ids[1]) = (2, BTC);
        _expectGroupInvalid(2, ids, BTC); // BTC is in group 1
        (ids[0], ids[1]) = (2, 7);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.UnknownMarket.selector, 7));
        vm.prank(admin);
        pool.setFundingGroup(3, ids);
    }
}
