// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FeedFailure, IOracleRouter, OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {HostileFeed, HostileMode} from "../utils/HostileFeeds.sol";
import {OracleRouterTestBase} from "./OracleRouter.t.sol";

/// @notice RISK-TESTS.md, oracle items 1-4.
contract OracleRouterRiskTest is OracleRouterTestBase {
    uint256 internal constant FUZZ_MARKET = 2;

    SettableFeed[7] internal pool;
    HostileFeed internal hostile;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 7; ++i) {
            pool[i] = _newFeed(8, P);
        }
        hostile = new HostileFeed(8, P, block.timestamp);
    }

    /// @dev Market 3: feedA, feedB honest at P, plus `hostile`; minFeeds 2.
    function _marketWithHostile() internal returns (uint256 marketId) {
        marketId = 3;
        _setFeeds(marketId, _list(address(feedA), address(feedB), address(hostile)), _cfg(2));
    }

    /* 1. STALE FEEDS */

    function test_risk1_staleFeedIsIgnored_evenAtAnExtremeValue() public {
        feedA.setRound(1e8, block.timestamp - MAX_AGE - 1); // stale at 1 (vs 2,000)
        feedB.setAnswer(2000e8);
        feedC.setAnswer(2010e8);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 2005e18, "median of the two fresh feeds");
        assertEq(uint8(status), uint8(OracleStatus.Normal));
    }

    function test_risk1_tooFewFreshFeeds_isReduceOnly() public {
        feedA.setRound(P, block.timestamp - MAX_AGE - 1);
        feedB.setRound(P, block.timestamp - MAX_AGE - 1);
        (, OracleStatus status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
    }

    function test_risk1_allFeedsStale_isHalted_andNeverPricedAtStaleValue() public {
        router.refresh(MARKET); // last good price 2,000
        _nextBlock(MAX_AGE + 1);
        feedA.setRound(1e8, block.timestamp - MAX_AGE - 1);
        feedB.setRound(1e8, block.timestamp - MAX_AGE - 1);
        feedC.setRound(1e8, block.timestamp - MAX_AGE - 1);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
        assertEq(price, P_WAD, "carried-over price, never the stale 1");
    }

    function test_risk1_feedFrozenForever_goesStaleAfterMaxAge() public {
        // Liquity-style frozen feed: the answer never changes and its timestamp never moves.
        router.refresh(MARKET);
        _nextBlock(MAX_AGE);
        feedB.setAnswer(P);
        feedC.setAnswer(P);
        (, OracleStatus status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "exactly maxAge old is still fresh");
        _nextBlock(1);
        feedB.setAnswer(P);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedA), FeedFailure.Stale);
        (, status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "two of three still fresh");
    }

    /* 2. FEED STUCK AT ITS CLAMP (LUNA) */

    /// @dev feedA reports its min clamp 0.1 while the market (feedB, feedC) falls 5 % per step (below the 10 %
    /// jump threshold); returns the last status and the market's last price (8 decimals).
    function _fallBelowMinClamp() internal returns (uint256 price, OracleStatus status, int256 market) {
        int256 clamp = 0.1e8;
        _setAll(clamp);
        router.refresh(MARKET);
        market = clamp;
        for (uint256 i; i < 3; ++i) {
            _nextBlock(60);
            market = market * 95 / 100;
            feedA.setAnswer(clamp);
            feedB.setAnswer(market);
            feedC.setAnswer(market);
            (price, status) = router.refresh(MARKET);
        }
    }

    function test_risk2_feedStuckAtMinClamp_isDroppedAsOutlier_andThePriceFollowsTheMarket() public {
        (uint256 price, OracleStatus status, int256 market) = _fallBelowMinClamp();
        assertEq(price, uint256(market) * 1e10, "priced by the two agreeing feeds, never the clamp");
        assertEq(uint8(status), uint8(OracleStatus.Normal), "two of three agree: minFeeds met");
        assertEq(router.breakerTrippedAt(MARKET), 0, "no jump involved");
    }

    function test_risk2_feedStuckAtMinClamp_withEveryFeedRequired_tripsOnDisagreement() public {
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        (uint256 price, OracleStatus status, int256 market) = _fallBelowMinClamp();
        assertEq(price, uint256(market) * 1e10, "the median is the market");
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "disagreement beyond 2 % with 3 of 3 required");
        assertEq(router.breakerTrippedAt(MARKET), 0, "no jump involved");
    }

    /// @notice The limit of any median: a majority of feeds stuck together outvotes the minority. Requiring every
    /// feed (minFeeds = n) is how a market trades availability for catching it.
    function test_risk2_majorityStuckAtClamp_outvotesTheMinority_unlessEveryFeedIsRequired() public {
        feedA.setAnswer(0.1e8); // clamp
        feedB.setAnswer(0.1e8); // clamp
        feedC.setAnswer(0.001e8); // the real market
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedC), FeedFailure.Outlier);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 0.1e18, "the median is the clamp");
        assertEq(uint8(status), uint8(OracleStatus.Normal), "two agreeing feeds meet minFeeds = 2");

        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        _nextBlock(1);
        (price, status) = router.refresh(MARKET);
        assertEq(price, 0.1e18);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "with 3 of 3 required the market cannot open");
    }

    function test_risk2_feedStuckAtMaxClamp_isDropped_priceWithinTheAgreeingFeeds() public {
        router.refresh(MARKET);
        _nextBlock(60);
        feedA.setAnswer(2000e8); // stuck at its max clamp
        feedB.setAnswer(2080e8);
        feedC.setAnswer(2090e8);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedA), FeedFailure.Outlier);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 2085e18, "median of 2,080 and 2,090");
        assertEq(uint8(status), uint8(OracleStatus.Normal));

        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        _nextBlock(1);
        (price, status) = router.refresh(MARKET);
        assertEq(price, 2080e18, "too few agree: the median of all");
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
    }

    /* 3. MALFORMED FEEDS: THE ROUTER NEVER REVERTS */

    function _assertHostileIgnored(FeedFailure reason) internal {
        uint256 marketId = 3;
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(marketId, address(hostile), reason);
        (uint256 price, OracleStatus status) = router.refresh(marketId);
        assertEq(price, P_WAD, "priced by the honest feeds");
        assertEq(uint8(status), uint8(OracleStatus.Normal), "two honest feeds suffice");
        (uint256 peekPrice,) = router.peek(marketId);
        assertEq(peekPrice, P_WAD, "peek survives too");
    }

    function _setHostile(HostileMode mode, uint256 size) internal {
        _marketWithHostile();
        hostile.setMode(mode, size);
    }

    function test_risk3_revertingFeed_isIgnored() public {
        _setHostile(HostileMode.Revert, 0);
        _assertHostileIgnored(FeedFailure.CallFailed);
    }

    function test_risk3_feedRevertingWithHugeData_isIgnored() public {
        _setHostile(HostileMode.RevertHugeData, 100_000);
        _assertHostileIgnored(FeedFailure.CallFailed);
    }

    function test_risk3_feedReturningHugeData_isIgnored() public {
        _setHostile(HostileMode.HugeReturn, 20_000);
        _assertHostileIgnored(FeedFailure.BadReturnSize);
    }

    function test_risk3_returndataBomb_isIgnored() public {
        _setHostile(HostileMode.ReturnBomb, 10_000_000);
        _assertHostileIgnored(FeedFailure.CallFailed);
    }

    function test_risk3_shortReturndata_isIgnored() public {
        _setHostile(HostileMode.ShortReturn, 0);
        _assertHostileIgnored(FeedFailure.BadReturnSize);
    }

    function test_risk3_longReturndata_isIgnored() public {
        _setHostile(HostileMode.LongReturn, 0);
        _assertHostileIgnored(FeedFailure.BadReturnSize);
    }

    function test_risk3_emptyReturndata_isIgnored() public {
        _setHostile(HostileMode.EmptyReturn, 0);
        _assertHostileIgnored(FeedFailure.BadReturnSize);
    }

    function test_risk3_feedWithoutCodeAnyMore_isIgnored() public {
        _marketWithHostile();
        vm.etch(address(hostile), "");
        _assertHostileIgnored(FeedFailure.BadReturnSize);
    }

    function test_risk3_gasBurningFeed_isIgnored_andCostsAtMostItsCap() public {
        _setHostile(HostileMode.BurnGas, 0);
        uint256 before = gasleft();
        _assertHostileIgnored(FeedFailure.CallFailed);
        assertLt(before - gasleft(), 2 * router.FEED_CALL_GAS() + 100_000, "refresh + peek bounded");
    }

    function test_risk3_invalidOpcodeFeed_isIgnored() public {
        _setHostile(HostileMode.InvalidOpcode, 0);
        _assertHostileIgnored(FeedFailure.CallFailed);
    }

    function test_risk3_stateWritingFeed_isIgnored() public {
        _setHostile(HostileMode.WriteState, 0);
        _assertHostileIgnored(FeedFailure.CallFailed);
    }

    function test_risk3_zeroAnswer_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(0, block.timestamp);
        _assertHostileIgnored(FeedFailure.NonPositiveAnswer);
    }

    function test_risk3_negativeAnswer_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(-1, block.timestamp);
        _assertHostileIgnored(FeedFailure.NonPositiveAnswer);
    }

    function test_risk3_minInt256Answer_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(type(int256).min, block.timestamp);
        _assertHostileIgnored(FeedFailure.NonPositiveAnswer);
    }

    function test_risk3_zeroTimestamp_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(P, 0);
        _assertHostileIgnored(FeedFailure.ZeroTimestamp);
    }

    function test_risk3_futureTimestamp_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(P, block.timestamp + 1);
        _assertHostileIgnored(FeedFailure.FutureTimestamp);
    }

    function test_risk3_maxUint256Timestamp_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(P, type(uint256).max);
        _assertHostileIgnored(FeedFailure.FutureTimestamp);
    }

    function test_risk3_answerTooLargeForWad_isIgnored() public {
        _marketWithHostile();
        hostile.setRound(type(int256).max, block.timestamp);
        _assertHostileIgnored(FeedFailure.AnswerTooLarge);
    }

    function test_risk3_answerAtUint128Limit_isAccepted_oneAboveIsIgnored() public {
        SettableFeed eighteen = _newFeed(18, int256(uint256(type(uint128).max)));
        _setFeeds(4, _list(address(eighteen)), _cfg(1));
        (uint256 price,) = router.refresh(4);
        assertEq(price, type(uint128).max);
        _nextBlock(1);
        eighteen.setAnswer(int256(uint256(type(uint128).max)) + 1);
        (, OracleStatus status) = router.refresh(4);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
    }

    function test_risk3_everyFeedMalformed_isHalted_neverReverts() public {
        HostileMode[7] memory modes = [
            HostileMode.Revert,
            HostileMode.RevertHugeData,
            HostileMode.HugeReturn,
            HostileMode.ReturnBomb,
            HostileMode.BurnGas,
            HostileMode.WriteState,
            HostileMode.InvalidOpcode
        ];
        uint256[7] memory sizes = [uint256(0), 100_000, 20_000, 10_000_000, 0, 0, 0];
        address[] memory list = new address[](7);
        for (uint256 i; i < 7; ++i) {
            HostileFeed h = new HostileFeed(8, P, block.timestamp);
            h.setMode(modes[i], sizes[i]);
            list[i] = address(h);
        }
        _setFeeds(5, list, _cfg(2));
        // A plain external call with a tx-sized gas budget: it must return, not revert.
        (uint256 price, OracleStatus status) = router.refresh{gas: 600_000}(5);
        assertEq(price, 0);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
        (price, status) = router.peek{gas: 600_000}(5);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
    }

    function test_risk3_malformedValues_viaSettableFeed_areIgnored() public {
        // Same checks through the production-shaped feed: negative, zero timestamp, future timestamp.
        feedA.setRound(-5e8, block.timestamp);
        feedB.setRound(P, 0);
        feedC.setRound(P, block.timestamp + 100);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 0);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
    }

    /* 4. JUMPS AND DISAGREEMENT: STATES AND PRICE RANGE */

    function test_risk4_jumpBeyondThreshold_reduceOnly_thenRecoversAfterCooldown() public {
        router.refresh(MARKET);
        _nextBlock(12);
        _setAll(2600e8); // +30 %
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 2600e18);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
        _nextBlock(COOLDOWN - 1);
        _setAll(2600e8);
        (, status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "still cooling down");
        _nextBlock(1);
        (, status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "recovered at the new level");
    }

    function test_risk4_noMajorityWithinTolerance_reduceOnly_atTheMedianOfAll() public {
        feedA.setAnswer(1950e8);
        feedB.setAnswer(2000e8);
        feedC.setAnswer(2050e8); // A and C 2.5 % from the median: only B agrees, 2 required
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
    }

    struct Model {
        uint256 lastPrice;
        uint256 trippedAt;
    }

    /// @dev Sets `n` pool feeds (market FUZZ_MARKET) to random prices and ages; returns the fresh prices (WAD).
    function _randomRound(uint256 seed, uint256 n, uint256 basePrice8)
        internal
        returns (uint256[] memory fresh, uint256 freshCount)
    {
        fresh = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            // Half within +-1 % of the base (a cluster that agrees), some within +-25 %, some anywhere in [1, 1e20].
            uint256 kind = r % 8;
            uint256 price = kind == 0
                ? bound(r >> 8, 1, 1e20)
                : kind < 4
                    ? bound(r >> 8, basePrice8 * 3 / 4, basePrice8 * 5 / 4)
                    : bound(r >> 8, basePrice8 * 99 / 100, basePrice8 * 101 / 100);
            uint256 age = (r >> 128) % 4 == 0 ? bound(r >> 130, MAX_AGE + 1, 3 * MAX_AGE) : (r >> 130) % (MAX_AGE + 1);
            pool[i].setRound(int256(price), block.timestamp - age);
            if (age <= MAX_AGE) fresh[freshCount++] = price * 1e10;
        }
    }

    function _min(uint256[] memory xs, uint256 n) internal pure returns (uint256 m) {
        m = type(uint256).max;
        for (uint256 i; i < n; ++i) {
            if (xs[i] < m) m = xs[i];
        }
    }

    function _max(uint256[] memory xs, uint256 n) internal pure returns (uint256 m) {
        for (uint256 i; i < n; ++i) {
            if (xs[i] > m) m = xs[i];
        }
    }

    /// @dev Reference outlier rule (IOracleRouter.refresh), without sorting: agreeing = within the tolerance of
    /// the median of all; their median when at least `minFeeds` agree, else the median of all.
    function _refAggregate(uint256[] memory xs, uint256 n, uint256 minFeeds, uint256 toleranceBps)
        internal
        pure
        returns (uint256 price, bool agree)
    {
        uint256 m = _refMedian(xs, n);
        uint256[] memory kept = new uint256[](n);
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint256 d = xs[i] > m ? xs[i] - m : m - xs[i];
            if (d * 10_000 <= toleranceBps * m) kept[count++] = xs[i];
        }
        if (count < minFeeds) return (m, false);
        return (_refMedian(kept, count), true);
    }

    /// @dev Reference median by counting.
    function _refMedian(uint256[] memory xs, uint256 n) internal pure returns (uint256) {
        uint256 lo = _kth(xs, n, (n - 1) / 2);
        uint256 hi = _kth(xs, n, n / 2);
        return (lo + hi) / 2;
    }

    function _kth(uint256[] memory xs, uint256 n, uint256 k) internal pure returns (uint256) {
        for (uint256 i; i < n; ++i) {
            uint256 less;
            uint256 lessOrEqual;
            for (uint256 j; j < n; ++j) {
                if (xs[j] < xs[i]) ++less;
                if (xs[j] <= xs[i]) ++lessOrEqual;
            }
            if (less <= k && k < lessOrEqual) return xs[i];
        }
        revert("unreachable");
    }

    /// @dev Asserts the price lies within the fresh range and follows the reference rule; returns whether
    /// enough feeds agree.
    function _assertPrice(uint256 price, uint256[] memory fresh, uint256 k, uint256 minFeeds, uint256 toleranceBps)
        internal
        pure
        returns (bool agree)
    {
        assertGe(price, _min(fresh, k), "price >= min fresh");
        assertLe(price, _max(fresh, k), "price <= max fresh");
        uint256 refPrice;
        (refPrice, agree) = _refAggregate(fresh, k, minFeeds, toleranceBps);
        assertEq(price, refPrice, "median of the agreeing feeds, or of all when too few agree");
    }

    /// @notice Over a random sequence of rounds (random prices, ages, time steps): the price always lies
    /// within [min, max] of the fresh feeds, equals the median of the agreeing ones (of all when too few
    /// agree), is never a stale-only value, and the status matches a reference model of the documented state
    /// machine.
    function test_fuzz_risk4_priceWithinFreshRange_andStatusMatchesModel(uint256 seed, uint256 n, uint16 minFeeds)
        public
    {
        n = bound(n, 1, 7);
        minFeeds = uint16(bound(minFeeds, 1, n));
        address[] memory list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = address(pool[i]);
        }
        IOracleRouter.MarketOracleConfig memory c = _cfg(minFeeds);
        _setFeeds(FUZZ_MARKET, list, c);

        Model memory m;
        uint256 base8 = bound(seed, 1e6, 1e12);
        for (uint256 step; step < 6; ++step) {
            uint256 stepSeed = uint256(keccak256(abi.encode(seed, step)));
            _nextBlock(bound(stepSeed, 1, 2 * COOLDOWN));
            (uint256[] memory fresh, uint256 k) = _randomRound(stepSeed >> 32, n, base8);

            (uint256 price, OracleStatus status) = router.refresh(FUZZ_MARKET);

            if (k == 0) {
                assertEq(uint8(status), uint8(OracleStatus.Halted), "no fresh feed -> Halted");
                assertEq(price, m.lastPrice, "Halted carries the last price");
                continue;
            }
            bool reduceOnly = !_assertPrice(price, fresh, k, minFeeds, c.maxDeviationBps);
            if (m.lastPrice != 0) {
                uint256 move = price > m.lastPrice ? price - m.lastPrice : m.lastPrice - price;
                if (move * 10_000 > uint256(c.jumpThresholdBps) * m.lastPrice) {
                    m.trippedAt = block.timestamp;
                    reduceOnly = true;
                }
            }
            if (m.trippedAt != 0 && block.timestamp < m.trippedAt + c.breakerCooldown) reduceOnly = true;
            assertEq(uint8(status), uint8(reduceOnly ? OracleStatus.ReduceOnly : OracleStatus.Normal), "status");
            assertEq(router.breakerTrippedAt(FUZZ_MARKET), m.trippedAt, "trippedAt");
            m.lastPrice = price;
        }
    }
}
