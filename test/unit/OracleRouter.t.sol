// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleRouter} from "../../contracts/OracleRouter.sol";
import {IAggregatorV3} from "../../contracts/interfaces/IAggregatorV3.sol";
import {FeedFailure, IOracleRouter, OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {HostileFeed, HostileMode, NoDecimalsFeed, TooManyDecimalsFeed} from "../utils/HostileFeeds.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Test, Vm} from "forge-std/Test.sol";

/// @notice Shared fixture: market 1 priced by three 8-decimal SettableFeeds at 2,000.
abstract contract OracleRouterTestBase is Test {
    uint256 internal constant MARKET = 1;
    int256 internal constant P = 2000e8; // 8-decimal feed answer
    uint256 internal constant P_WAD = 2000e18;
    uint32 internal constant MAX_AGE = 1 hours;
    uint32 internal constant COOLDOWN = 30 minutes;

    address internal owner = makeAddr("owner");
    address internal stranger = makeAddr("stranger");

    OracleRouter internal router;
    SettableFeed internal feedA;
    SettableFeed internal feedB;
    SettableFeed internal feedC;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        router = new OracleRouter(owner);
        feedA = _newFeed(8, P);
        feedB = _newFeed(8, P);
        feedC = _newFeed(8, P);
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(2));
    }

    /* HELPERS */

    function _cfg(uint16 minFeeds) internal pure returns (IOracleRouter.MarketOracleConfig memory) {
        return IOracleRouter.MarketOracleConfig({
            maxAge: MAX_AGE,
            minFeeds: minFeeds,
            maxDeviationBps: 200, // 2 %
            jumpThresholdBps: 1000, // 10 %
            breakerCooldown: COOLDOWN
        });
    }

    function _newFeed(uint8 decimals, int256 answer) internal returns (SettableFeed feed) {
        feed = new SettableFeed(address(this), decimals);
        feed.setAnswer(answer);
    }

    function _setFeeds(uint256 marketId, address[] memory list, IOracleRouter.MarketOracleConfig memory cfg) internal {
        vm.prank(owner);
        router.setFeeds(marketId, list, cfg);
    }

    function _list(address a) internal pure returns (address[] memory l) {
        l = new address[](1);
        l[0] = a;
    }

    function _list(address a, address b, address c) internal pure returns (address[] memory l) {
        l = new address[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    /// @dev Moves to the next block (1 s later) so `refresh` takes the full path.
    function _nextBlock(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
    }

    function _setAll(int256 answer) internal {
        feedA.setAnswer(answer);
        feedB.setAnswer(answer);
        feedC.setAnswer(answer);
    }

    function _refresh() internal returns (uint256 price, OracleStatus status) {
        return router.refresh(MARKET);
    }

    function _assertObservation(uint256 price, OracleStatus status) internal {
        (uint256 p, OracleStatus s) = router.refresh(MARKET);
        assertEq(p, price, "price");
        assertEq(uint8(s), uint8(status), "status");
        (uint256 sp, OracleStatus ss, uint64 t) = router.lastObservation(MARKET);
        assertEq(sp, price, "stored price");
        assertEq(uint8(ss), uint8(status), "stored status");
        assertEq(t, block.timestamp, "stored timestamp");
    }
}

contract OracleRouterTest is OracleRouterTestBase {
    /* CONSTRUCTION AND ADMIN */

    function test_constructor_setsOwner() public view {
        assertEq(router.owner(), owner);
    }

    function test_setFeeds_storesFeedsAndConfig() public view {
        address[] memory list = router.feeds(MARKET);
        assertEq(list.length, 3);
        assertEq(list[0], address(feedA));
        assertEq(list[2], address(feedC));
        IOracleRouter.MarketOracleConfig memory c = router.config(MARKET);
        assertEq(c.maxAge, MAX_AGE);
        assertEq(c.minFeeds, 2);
        assertEq(c.maxDeviationBps, 200);
        assertEq(c.jumpThresholdBps, 1000);
        assertEq(c.breakerCooldown, COOLDOWN);
    }

    function test_setFeeds_emitsFeedsSetAndConfigSet() public {
        address[] memory list = _list(address(feedB));
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedsSet(7, list);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleConfigSet(7, _cfg(1));
        _setFeeds(7, list, _cfg(1));
    }

    function test_setFeeds_replacesFeedsOfExistingMarket() public {
        _setFeeds(MARKET, _list(address(feedB)), _cfg(1));
        address[] memory list = router.feeds(MARKET);
        assertEq(list.length, 1);
        assertEq(list[0], address(feedB));
    }

    function test_setFeeds_revertsWhen_notOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        router.setFeeds(MARKET, _list(address(feedA)), _cfg(1));
    }

    function test_setFeeds_revertsWhen_noFeeds() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.InvalidFeedCount.selector, 0, 7));
        _setFeeds(2, new address[](0), _cfg(1));
    }

    function test_setFeeds_revertsWhen_moreThanSevenFeeds() public {
        address[] memory list = new address[](8);
        for (uint256 i; i < 8; ++i) {
            list[i] = address(_newFeed(8, P));
        }
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.InvalidFeedCount.selector, 8, 7));
        _setFeeds(2, list, _cfg(1));
    }

    function test_setFeeds_acceptsSevenFeeds() public {
        address[] memory list = new address[](7);
        for (uint256 i; i < 7; ++i) {
            list[i] = address(_newFeed(8, P));
        }
        _setFeeds(2, list, _cfg(7));
        (uint256 price, OracleStatus status) = router.refresh(2);
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.Normal));
    }

    function test_setFeeds_revertsWhen_zeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.ZeroFeedAddress.selector, 1));
        _setFeeds(2, _list(address(feedA), address(0), address(feedC)), _cfg(1));
    }

    function test_setFeeds_revertsWhen_duplicateFeed() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.DuplicateFeed.selector, address(feedA)));
        _setFeeds(2, _list(address(feedA), address(feedB), address(feedA)), _cfg(1));
    }

    function test_setFeeds_revertsWhen_decimalsAbove18() public {
        address bad = address(new TooManyDecimalsFeed());
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.FeedDecimalsTooHigh.selector, bad, 19));
        _setFeeds(2, _list(bad), _cfg(1));
    }

    function test_setFeeds_revertsWhen_decimalsUnreadable() public {
        address bad = address(new NoDecimalsFeed());
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.FeedDecimalsUnreadable.selector, bad));
        _setFeeds(2, _list(bad), _cfg(1));
    }

    function test_setFeeds_revertsWhen_feedHasNoCode() public {
        address eoa = makeAddr("eoa");
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.FeedDecimalsUnreadable.selector, eoa));
        _setFeeds(2, _list(eoa), _cfg(1));
    }

    function test_setFeeds_revertsWhen_configOutOfBounds() public {
        address[] memory list = _list(address(feedA), address(feedB), address(feedC));
        IOracleRouter.MarketOracleConfig memory c;

        c = _cfg(2);
        c.maxAge = 59;
        _expectBounds("maxAge", 59, list, c);
        c.maxAge = 2 days + 1;
        _expectBounds("maxAge", 2 days + 1, list, c);

        c = _cfg(0);
        _expectBounds("minFeeds", 0, list, c);
        c = _cfg(4);
        _expectBounds("minFeeds", 4, list, c);

        c = _cfg(2);
        c.maxDeviationBps = 9;
        _expectBounds("maxDeviationBps", 9, list, c);
        c.maxDeviationBps = 5001;
        _expectBounds("maxDeviationBps", 5001, list, c);

        c = _cfg(2);
        c.jumpThresholdBps = 49;
        _expectBounds("jumpThresholdBps", 49, list, c);
        c.jumpThresholdBps = 9001;
        _expectBounds("jumpThresholdBps", 9001, list, c);

        c = _cfg(2);
        c.breakerCooldown = 1 days + 1;
        _expectBounds("breakerCooldown", 1 days + 1, list, c);
    }

    function test_setFeeds_acceptsConfigAtBounds() public {
        address[] memory list = _list(address(feedA), address(feedB), address(feedC));
        _setFeeds(2, list, IOracleRouter.MarketOracleConfig(1 minutes, 1, 10, 50, 0));
        _setFeeds(2, list, IOracleRouter.MarketOracleConfig(2 days, 3, 5000, 9000, 1 days));
        assertEq(router.config(2).maxAge, 2 days);
    }

    function _expectBounds(
        string memory field,
        uint256 value,
        address[] memory list,
        IOracleRouter.MarketOracleConfig memory c
    ) internal {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.ConfigOutOfBounds.selector, field, value));
        _setFeeds(2, list, c);
    }

    function test_ownership_transferIsTwoStep() public {
        vm.prank(owner);
        router.transferOwnership(stranger);
        assertEq(router.owner(), owner);
        vm.prank(stranger);
        router.acceptOwnership();
        assertEq(router.owner(), stranger);
    }

    /* UNKNOWN MARKET AND EMPTY VIEWS */

    function test_refresh_revertsWhen_unknownMarket() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.UnknownMarket.selector, 99));
        router.refresh(99);
    }

    function test_peek_revertsWhen_unknownMarket() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRouter.UnknownMarket.selector, 99));
        router.peek(99);
    }

    function test_views_emptyForUnknownMarket() public view {
        assertEq(router.feeds(99).length, 0);
        assertEq(router.config(99).maxAge, 0);
        (uint256 p, OracleStatus s, uint64 t) = router.lastObservation(99);
        assertEq(p, 0);
        assertEq(uint8(s), 0);
        assertEq(t, 0);
    }

    /* PRICE */

    function test_refresh_returnsMedianOfOddCount() public {
        feedA.setAnswer(2010e8);
        feedB.setAnswer(1990e8);
        feedC.setAnswer(2001e8);
        _assertObservation(2001e18, OracleStatus.Normal);
    }

    function test_refresh_returnsAverageOfMiddleTwoForEvenCount_roundedDown() public {
        SettableFeed d = _newFeed(18, 0);
        address[] memory list = new address[](4);
        (list[0], list[1], list[2], list[3]) = (address(feedA), address(feedB), address(feedC), address(d));
        _setFeeds(2, list, _cfg(4));
        feedA.setAnswer(1990e8);
        feedB.setAnswer(2000e8);
        feedC.setAnswer(2010e8);
        d.setAnswer(2000e18 + 1); // middle two: 2000e18 and 2000e18 + 1
        (uint256 price,) = router.refresh(2);
        assertEq(price, 2000e18);
    }

    function test_refresh_normalizesDecimalsToWad() public {
        SettableFeed six = _newFeed(6, 2000e6);
        SettableFeed eighteen = _newFeed(18, 2000e18);
        SettableFeed zero = _newFeed(0, 2000);
        address[] memory list = _list(address(six), address(eighteen), address(zero));
        _setFeeds(2, list, _cfg(3));
        (uint256 price, OracleStatus status) = router.refresh(2);
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.Normal));
    }

    function test_refresh_storesObservationAndEmitsRefreshed() public {
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleRefreshed(MARKET, P_WAD, OracleStatus.Normal);
        _assertObservation(P_WAD, OracleStatus.Normal);
    }

    function test_refresh_emitsFeedIgnoredWithReason() public {
        feedB.setRound(P, block.timestamp - MAX_AGE - 1);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedB), FeedFailure.Stale);
        router.refresh(MARKET);
    }

    function test_refresh_ignoresStaleFeed() public {
        feedC.setRound(9000e8, block.timestamp - MAX_AGE - 1);
        feedA.setAnswer(2000e8);
        feedB.setAnswer(2002e8);
        _assertObservation(2001e18, OracleStatus.Normal);
    }

    function test_refresh_acceptsFeedExactlyMaxAgeOld() public {
        feedA.setRound(P, block.timestamp - MAX_AGE);
        feedB.setRound(P, block.timestamp - MAX_AGE);
        feedC.setRound(P, block.timestamp - MAX_AGE);
        _assertObservation(P_WAD, OracleStatus.Normal);
    }

    /* SAME-BLOCK CACHE */

    function test_refresh_sameBlock_returnsCachedObservationWithoutReadingFeeds() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _setAll(5000e8);
        feedA.setRound(1, 1); // would be stale
        vm.expectCall(address(feedA), abi.encodeCall(IAggregatorV3.latestRoundData, ()), 0);
        vm.expectCall(address(feedB), abi.encodeCall(IAggregatorV3.latestRoundData, ()), 0);
        vm.expectCall(address(feedC), abi.encodeCall(IAggregatorV3.latestRoundData, ()), 0);
        vm.recordLogs();
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.Normal));
        assertEq(vm.getRecordedLogs().length, 0, "cached path emits nothing");
    }

    function test_refresh_sameBlock_cachedPathCostsUnder5kGas() public {
        router.refresh(MARKET);
        uint256 before = gasleft();
        router.refresh(MARKET);
        assertLt(before - gasleft(), 5000);
    }

    function test_refresh_nextBlock_readsFeedsAgain() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(1);
        _setAll(2050e8);
        _assertObservation(2050e18, OracleStatus.Normal);
    }

    function test_refresh_revertsWhen_callerStarvesFeedsOfGas() public {
        vm.expectPartialRevert(IOracleRouter.InsufficientGasForFeed.selector);
        router.refresh{gas: 40_000}(MARKET);
    }

    /* PEEK */

    function test_peek_matchesRefreshAndStoresNothing() public {
        feedA.setAnswer(2010e8);
        (uint256 pp, OracleStatus ps) = router.peek(MARKET);
        (,, uint64 t) = router.lastObservation(MARKET);
        assertEq(t, 0, "peek stored nothing");
        (uint256 rp, OracleStatus rs) = router.refresh(MARKET);
        assertEq(pp, rp);
        assertEq(uint8(ps), uint8(rs));
    }

    function test_peek_evaluatesJumpAgainstStoredPrice() public {
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(2500e8);
        (uint256 price, OracleStatus status) = router.peek(MARKET);
        assertEq(price, 2500e18);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
        assertEq(router.breakerTrippedAt(MARKET), 0, "peek does not trip");
    }

    function test_peek_ignoresSameBlockCache() public {
        router.refresh(MARKET);
        feedA.setAnswer(2010e8);
        feedB.setAnswer(2010e8);
        (uint256 price,) = router.peek(MARKET);
        assertEq(price, 2010e18);
    }

    /* STATE TRANSITIONS */

    function test_transition_normalToReduceOnly_whenTooFewFreshFeeds() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(MAX_AGE); // A and B go stale at MAX_AGE + 1
        feedC.setAnswer(P);
        _nextBlock(1);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.Normal, OracleStatus.ReduceOnly);
        _assertObservation(P_WAD, OracleStatus.ReduceOnly);
    }

    function test_refresh_dropsOneOutlier_andStaysNormal_whenMinFeedsStillAgree() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(1);
        feedA.setAnswer(2050e8); // (2050 - 2000) / 2000 = 2.5 % > 2 % of the median
        vm.recordLogs();
        _assertObservation(P_WAD, OracleStatus.Normal);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "FeedIgnored and OracleRefreshed, no status change");
        assertEq(logs[0].topics[0], IOracleRouter.FeedIgnored.selector);
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(address(feedA)))), "the outlier");
        assertEq(abi.decode(logs[0].data, (uint8)), uint8(FeedFailure.Outlier));
    }

    function test_refresh_pricesAtTheMedianOfTheAgreeingFeeds_notOfAll() public {
        feedA.setAnswer(1990e8);
        feedB.setAnswer(2000e8); // median of all
        feedC.setAnswer(2100e8); // 5 % above it: dropped
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedC), FeedFailure.Outlier);
        _assertObservation(1995e18, OracleStatus.Normal);
    }

    function test_transition_normalToReduceOnly_whenTooFewFeedsAgree() public {
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(1);
        feedA.setAnswer(2050e8); // two of three agree, three required
        vm.recordLogs();
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.Normal, OracleStatus.ReduceOnly);
        _assertObservation(P_WAD, OracleStatus.ReduceOnly);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != IOracleRouter.FeedIgnored.selector, "not dropped: nothing to drop it for");
        }
    }

    function test_refresh_feedExactlyAtTheTolerance_agrees_oneUnitBeyond_isAnOutlier() public {
        feedA.setAnswer(2040e8); // (2040 - 2000) * 10000 == 200 * 2000
        vm.recordLogs();
        _assertObservation(P_WAD, OracleStatus.Normal);
        assertEq(vm.getRecordedLogs().length, 1, "only OracleRefreshed: nothing dropped");
        _nextBlock(1);
        feedA.setAnswer(2040e8 + 1);
        feedB.setAnswer(P);
        feedC.setAnswer(P);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(MARKET, address(feedA), FeedFailure.Outlier);
        _assertObservation(P_WAD, OracleStatus.Normal);
    }

    function test_refresh_twoFreshFeedsBeyondTolerance_isReduceOnly_atTheirAverage() public {
        feedA.setRound(P, block.timestamp - MAX_AGE - 1); // stale: leaves B and C
        feedB.setAnswer(2000e8);
        feedC.setAnswer(2100e8); // each 2.4 % from their average 2,050
        _assertObservation(2050e18, OracleStatus.ReduceOnly);
    }

    function test_refresh_twoFreshFeedsWithinTolerance_isNormal() public {
        feedA.setRound(P, block.timestamp - MAX_AGE - 1);
        feedB.setAnswer(2000e8);
        feedC.setAnswer(2080e8); // each 1.96 % from their average 2,040
        _assertObservation(2040e18, OracleStatus.Normal);
    }

    function test_transition_normalToReduceOnly_whenPriceJumps() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(1);
        _setAll(2201e8); // +10.05 % > 10 %
        vm.expectEmit(address(router));
        emit IOracleRouter.BreakerTripped(MARKET, P_WAD, 2201e18);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.Normal, OracleStatus.ReduceOnly);
        _assertObservation(2201e18, OracleStatus.ReduceOnly);
        assertEq(router.breakerTrippedAt(MARKET), block.timestamp);
    }

    function test_refresh_downwardJumpAlsoTrips() public {
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(1799e8);
        _assertObservation(1799e18, OracleStatus.ReduceOnly);
    }

    function test_refresh_moveAtThresholdDoesNotTrip() public {
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(2200e8); // exactly +10 %
        _assertObservation(2200e18, OracleStatus.Normal);
    }

    function test_transition_reduceOnlyToNormal_afterCooldown() public {
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(2500e8);
        _assertObservation(2500e18, OracleStatus.ReduceOnly);
        uint256 trippedAt = block.timestamp;

        _nextBlock(COOLDOWN - 1);
        _setAll(2500e8);
        _assertObservation(2500e18, OracleStatus.ReduceOnly); // still cooling down

        _nextBlock(1);
        assertEq(block.timestamp, trippedAt + COOLDOWN);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.ReduceOnly, OracleStatus.Normal);
        _assertObservation(2500e18, OracleStatus.Normal); // the new level is the reference
    }

    function test_refresh_newJumpDuringCooldownRestartsIt() public {
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(2500e8);
        router.refresh(MARKET);
        _nextBlock(COOLDOWN - 10);
        _setAll(3000e8); // +20 % from 2500
        _assertObservation(3000e18, OracleStatus.ReduceOnly);
        _nextBlock(20); // past the first cooldown, inside the second
        _setAll(3000e8);
        _assertObservation(3000e18, OracleStatus.ReduceOnly);
        _nextBlock(COOLDOWN);
        _setAll(3000e8);
        _assertObservation(3000e18, OracleStatus.Normal);
    }

    function test_refresh_zeroCooldown_onlyTrippingObservationIsReduceOnly() public {
        IOracleRouter.MarketOracleConfig memory c = _cfg(2);
        c.breakerCooldown = 0;
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), c);
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(2500e8);
        _assertObservation(2500e18, OracleStatus.ReduceOnly);
        _nextBlock(1);
        _assertObservation(2500e18, OracleStatus.Normal);
    }

    function test_transition_normalToHalted_whenNoFreshFeed_returnsLastPrice() public {
        _assertObservation(P_WAD, OracleStatus.Normal);
        _nextBlock(MAX_AGE + 1);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.Normal, OracleStatus.Halted);
        _assertObservation(P_WAD, OracleStatus.Halted);
    }

    function test_refresh_haltedWithoutHistoryReturnsZero() public {
        _nextBlock(MAX_AGE + 1);
        _assertObservation(0, OracleStatus.Halted);
    }

    function test_transition_haltedToNormal_whenFeedsRecoverAtSameLevel() public {
        router.refresh(MARKET);
        _nextBlock(MAX_AGE + 1);
        _assertObservation(P_WAD, OracleStatus.Halted);
        _nextBlock(1);
        _setAll(2010e8);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.Halted, OracleStatus.Normal);
        _assertObservation(2010e18, OracleStatus.Normal);
    }

    function test_transition_haltedToReduceOnly_whenFeedsRecoverAtNewLevel() public {
        router.refresh(MARKET);
        _nextBlock(MAX_AGE + 1);
        router.refresh(MARKET);
        _nextBlock(1);
        _setAll(3000e8);
        _assertObservation(3000e18, OracleStatus.ReduceOnly);
        assertEq(router.breakerTrippedAt(MARKET), block.timestamp);
    }

    function test_transition_haltedToReduceOnly_whenOneFeedRecovers() public {
        router.refresh(MARKET);
        _nextBlock(MAX_AGE + 1);
        router.refresh(MARKET);
        _nextBlock(1);
        feedA.setAnswer(P);
        _assertObservation(P_WAD, OracleStatus.ReduceOnly);
    }

    function test_transition_reduceOnlyToHalted() public {
        feedA.setRound(P, block.timestamp - MAX_AGE - 1);
        feedB.setRound(P, block.timestamp - MAX_AGE - 1);
        _assertObservation(P_WAD, OracleStatus.ReduceOnly);
        _nextBlock(MAX_AGE + 1);
        vm.expectEmit(address(router));
        emit IOracleRouter.OracleStatusChanged(MARKET, OracleStatus.ReduceOnly, OracleStatus.Halted);
        _assertObservation(P_WAD, OracleStatus.Halted);
    }

    function test_transition_reduceOnlyToNormal_whenFeedsAgreeAgain() public {
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        feedA.setAnswer(2100e8);
        _assertObservation(P_WAD, OracleStatus.ReduceOnly);
        _nextBlock(1);
        feedA.setAnswer(P);
        _assertObservation(P_WAD, OracleStatus.Normal);
    }

    function test_refresh_singleFreshFeedIsNormalWhenMinFeedsIsOne() public {
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(1));
        feedA.setRound(P, block.timestamp - MAX_AGE - 1);
        feedB.setRound(P, block.timestamp - MAX_AGE - 1);
        _assertObservation(P_WAD, OracleStatus.Normal);
    }

    function test_refresh_firstNormalObservationEmitsNoStatusChange() public {
        vm.recordLogs();
        router.refresh(MARKET);
        assertEq(vm.getRecordedLogs().length, 1, "only OracleRefreshed");
    }

    function test_setFeeds_keepsLastPriceAsJumpReference() public {
        router.refresh(MARKET);
        SettableFeed other = _newFeed(8, 4000e8);
        _setFeeds(MARKET, _list(address(other)), _cfg(1));
        _nextBlock(1);
        other.setAnswer(4000e8);
        _assertObservation(4000e18, OracleStatus.ReduceOnly);
    }
}
