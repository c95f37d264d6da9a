// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FeedFailure, IOracleRouter, OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {Median} from "../../contracts/libraries/Median.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {OracleRouterTestBase} from "./OracleRouter.t.sol";
import {Vm} from "forge-std/Test.sol";

/// @notice The outlier rule (IOracleRouter.refresh): a fresh feed beyond the tolerance is dropped while enough
/// feeds agree, so one stuck or wrong feed does not freeze a market (RISK-TESTS.md 49).
contract OracleRouterOutliersTest is OracleRouterTestBase {
    uint256 internal constant FIVE = 5;

    SettableFeed[7] internal pool;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 7; ++i) {
            pool[i] = _newFeed(8, P);
        }
    }

    function _five(uint16 minFeeds) internal {
        address[] memory list = new address[](5);
        for (uint256 i; i < 5; ++i) {
            list[i] = address(pool[i]);
        }
        _setFeeds(FIVE, list, _cfg(minFeeds));
    }

    /// @dev The feeds reported as `Outlier` in the recorded logs, as a bitmask of pool/feedA..C positions.
    function _outliers(Vm.Log[] memory logs, address[] memory feedList) internal pure returns (uint256 mask) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IOracleRouter.FeedIgnored.selector) continue;
            if (abi.decode(logs[i].data, (uint8)) != uint8(FeedFailure.Outlier)) continue;
            address feed = address(uint160(uint256(logs[i].topics[2])));
            for (uint256 j; j < feedList.length; ++j) {
                if (feedList[j] == feed) mask |= 1 << j;
            }
        }
    }

    /* RISK 49: ONE FEED STUCK FRESH WHILE THE OTHERS CRASH */

    /// @notice feedA keeps reporting 2,000 with a fresh timestamp while feedB and feedC fall to 1,400 over
    /// 24 h, 12.5 per half hour (well below the 10 % jump threshold), feedC 0.1 % above feedB: the market
    /// stays Normal at the falling median all along, and feedA is reported as an outlier from the moment it
    /// lies beyond 2 % of the median.
    function test_risk49_oneFeedStuckFresh_whileTwoFall_staysNormal_atTheFallingMedian() public {
        router.refresh(MARKET);
        address[] memory list = _list(address(feedA), address(feedB), address(feedC));
        uint256 outlierSteps;
        for (uint256 step = 1; step <= 48; ++step) {
            _nextBlock(30 minutes);
            int256 b = P - int256(step) * 12.5e8;
            int256 c = b * 1001 / 1000;
            feedA.setRound(P, block.timestamp); // stuck, but fresh
            feedB.setRound(b, block.timestamp);
            feedC.setRound(c, block.timestamp);

            vm.recordLogs();
            (uint256 price, OracleStatus status) = router.refresh(MARKET);
            uint256 reported = _outliers(vm.getRecordedLogs(), list);

            uint256 bw = uint256(b) * 1e10;
            uint256 cw = uint256(c) * 1e10;
            // The median of all three is feedC; feedA is dropped once 2,000 is beyond 2 % of it.
            bool stuckIsOutlier = (P_WAD - cw) * 10_000 > 200 * cw;
            assertEq(price, stuckIsOutlier ? Median.averageDown(bw, cw) : cw, "the falling median");
            assertEq(uint8(status), uint8(OracleStatus.Normal), "never frozen");
            assertEq(reported, stuckIsOutlier ? 1 : 0, "only the stuck feed, only beyond the tolerance");
            if (stuckIsOutlier) ++outlierSteps;
        }
        assertEq(router.breakerTrippedAt(MARKET), 0, "no step trips the breaker");
        assertGt(outlierSteps, 40, "the stuck feed is dropped for most of the crash");
        (uint256 last,,) = router.lastObservation(MARKET);
        assertEq(last, Median.averageDown(1400e18, 1400e18 * 1001 / 1000), "ends at 1,400.7");
    }

    function test_risk49_twoFeedsDisagreeing_noMajority_isReduceOnly() public {
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(2));
        feedA.setRound(P, block.timestamp - MAX_AGE - 1); // stale: only two fresh feeds
        feedB.setAnswer(2000e8);
        feedC.setAnswer(1400e8);
        vm.recordLogs();
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 1700e18, "the median of the two, within their range");
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "neither can be told from the other");
        assertEq(_outliers(vm.getRecordedLogs(), _list(address(feedA), address(feedB), address(feedC))), 0);
    }

    function test_risk49_fiveFeeds_twoOutliersOnOppositeSides_isNormal_atTheMedianOfThree() public {
        _five(3);
        pool[0].setAnswer(2500e8);
        pool[1].setAnswer(2004e8);
        pool[2].setAnswer(1996e8);
        pool[3].setAnswer(2010e8);
        pool[4].setAnswer(1200e8);
        vm.recordLogs();
        (uint256 price, OracleStatus status) = router.refresh(FIVE);
        assertEq(price, 2004e18, "median of 1,996, 2,004 and 2,010");
        assertEq(uint8(status), uint8(OracleStatus.Normal));
        address[] memory list = router.feeds(FIVE);
        assertEq(_outliers(vm.getRecordedLogs(), list), (1 << 0) | (1 << 4), "both outliers reported");
    }

    function test_risk49_fiveFeeds_twoOutliersOnTheSameSide_isNormal() public {
        _five(3);
        pool[0].setAnswer(2000e8);
        pool[1].setAnswer(2600e8);
        pool[2].setAnswer(2010e8);
        pool[3].setAnswer(2700e8);
        pool[4].setAnswer(1990e8);
        (uint256 price, OracleStatus status) = router.refresh(FIVE);
        assertEq(price, 2000e18);
        assertEq(uint8(status), uint8(OracleStatus.Normal));
    }

    function test_risk49_fiveFeeds_threeOutliers_isReduceOnly() public {
        _five(3);
        pool[0].setAnswer(1800e8);
        pool[1].setAnswer(1900e8);
        pool[2].setAnswer(2000e8);
        pool[3].setAnswer(2010e8);
        pool[4].setAnswer(2200e8);
        (uint256 price, OracleStatus status) = router.refresh(FIVE);
        assertEq(price, 2000e18, "the median of all five");
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "only 2,000 and 2,010 agree; 3 required");
    }

    function test_risk49_outlierDroppedAndStaleIgnored_inTheSameRefresh() public {
        _five(3);
        pool[0].setRound(P, block.timestamp - MAX_AGE - 1);
        pool[3].setAnswer(3000e8);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(FIVE, address(pool[0]), FeedFailure.Stale);
        vm.expectEmit(address(router));
        emit IOracleRouter.FeedIgnored(FIVE, address(pool[3]), FeedFailure.Outlier);
        (uint256 price, OracleStatus status) = router.refresh(FIVE);
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "three of four fresh agree");
    }

    function test_risk49_breakerStillComparesTheAgreedPriceWithTheLastStoredPrice() public {
        router.refresh(MARKET);
        _nextBlock(60);
        feedA.setAnswer(P); // stuck
        feedB.setAnswer(1700e8); // -15 %: a jump
        feedC.setAnswer(1700e8);
        vm.expectEmit(address(router));
        emit IOracleRouter.BreakerTripped(MARKET, P_WAD, 1700e18);
        (uint256 price, OracleStatus status) = router.refresh(MARKET);
        assertEq(price, 1700e18);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly), "the jump breaker still trips");
        _nextBlock(COOLDOWN);
        feedA.setAnswer(P);
        feedB.setAnswer(1700e8);
        feedC.setAnswer(1700e8);
        (, status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Normal), "after the cooldown, Normal with the stuck feed dropped");
    }

    function test_peek_reportsTheOutlierRuleLikeRefresh() public {
        feedA.setAnswer(2500e8);
        (uint256 pp, OracleStatus ps) = router.peek(MARKET);
        (uint256 rp, OracleStatus rs) = router.refresh(MARKET);
        assertEq(pp, P_WAD);
        assertEq(pp, rp);
        assertEq(uint8(ps), uint8(OracleStatus.Normal));
        assertEq(uint8(ps), uint8(rs));
    }

    /* PROPERTY: A MINORITY CANNOT MOVE THE PRICE */

    /// @notice n fresh feeds of which a strict majority h lie within a band whose spread is within the tolerance
    /// of its low end, and the others anywhere in [1, 1e20]: the price stays within the majority's range, the
    /// market is Normal whenever h >= minFeeds (first observation: no breaker).
    function testFuzz_honestMajority_boundsThePrice_whateverTheMinorityReports(uint256 seed, uint256 n, uint16 minFeeds)
        public
    {
        n = bound(n, 1, 7);
        uint256 h = n / 2 + 1;
        minFeeds = uint16(bound(minFeeds, 1, n));
        address[] memory list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = address(pool[i]);
        }
        _setFeeds(9, list, _cfg(minFeeds));

        uint256 low = bound(seed, 1e6, 1e12); // 8 decimals
        uint256 high = low + low * 200 / 10_000; // spread = 2 % of the low end
        uint256 lo = type(uint256).max;
        uint256 hi;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            // Exactly h honest feeds: the first h indices after a seeded rotation.
            bool honest = (i + seed % n) % n < h;
            uint256 price = honest ? bound(r, low, high) : bound(r, 1, 1e20);
            pool[i].setAnswer(int256(price));
            if (honest) {
                if (price < lo) lo = price;
                if (price > hi) hi = price;
            }
        }

        (uint256 priceWad, OracleStatus status) = router.refresh(9);
        assertGe(priceWad, lo * 1e10, "price >= the majority's min");
        assertLe(priceWad, hi * 1e10, "price <= the majority's max");
        if (h >= minFeeds) assertEq(uint8(status), uint8(OracleStatus.Normal), "Normal with enough honest feeds");
    }
}
