// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouterTestBase} from "./OracleRouter.t.sol";

/// @notice The oracle's index integral (`cumulativePrice`): each stored price times the seconds it stayed stored,
/// whoever refreshed and however often.
contract OracleRouterCumulativeTest is OracleRouterTestBase {
    function test_cumulativePrice_zeroBeforeTheFirstRefresh_andAtIt() public {
        assertEq(router.cumulativePrice(MARKET), 0, "never observed");
        router.refresh(MARKET);
        assertEq(router.cumulativePrice(MARKET), 0, "the first price has been held for no time yet");
        _nextBlock(10);
        assertEq(router.cumulativePrice(MARKET), P_WAD * 10, "carried to now at the stored price");
    }

    function test_cumulativePrice_eachPriceWeightedByTheSecondsItWasStored() public {
        router.refresh(MARKET);
        _nextBlock(30);
        _setAll(2100e8);
        router.refresh(MARKET);
        _nextBlock(45);
        _setAll(1900e8);
        router.refresh(MARKET);
        _nextBlock(5);
        assertEq(router.cumulativePrice(MARKET), P_WAD * 30 + 2100e18 * 45 + 1900e18 * 5);
    }

    function test_cumulativePrice_viewEqualsWhatARefreshNowReturns() public {
        router.refresh(MARKET);
        _nextBlock(77);
        _setAll(2300e8); // a breaker trip: the new price still only counts from now
        uint256 shown = router.cumulativePrice(MARKET);
        (uint256 price, OracleStatus status, uint256 cumulative,) = router.refreshCumulative(MARKET);
        assertEq(cumulative, shown, "the view predicts the refresh");
        assertEq(cumulative, P_WAD * 77);
        assertEq(price, 2300e18);
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
    }

    function test_cumulativePrice_sameBlockRefreshesCountNothingTwice() public {
        router.refresh(MARKET);
        _nextBlock(20);
        router.refresh(MARKET);
        (,, uint256 first,) = router.refreshCumulative(MARKET);
        (,, uint256 second,) = router.refreshCumulative(MARKET);
        assertEq(first, P_WAD * 20);
        assertEq(second, first, "a cached refresh adds nothing");
    }

    function test_cumulativePrice_haltedCarriesTheLastPrice() public {
        router.refresh(MARKET);
        _nextBlock(MAX_AGE + 1); // every feed stale
        (, OracleStatus status) = router.refresh(MARKET);
        assertEq(uint8(status), uint8(OracleStatus.Halted));
        _nextBlock(10);
        assertEq(router.cumulativePrice(MARKET), P_WAD * (MAX_AGE + 11));
    }

    /// @dev Refreshing more or less often changes nothing while the price holds: the integral is path-independent.
    function testFuzz_cumulativePrice_independentOfHowOftenItIsRefreshed(uint8 refreshes, uint16 gap) public {
        router.refresh(MARKET);
        uint256 start = block.timestamp;
        uint256 n = bound(refreshes, 0, 20);
        uint256 dt = bound(gap, 1, 100);
        for (uint256 i; i < n; ++i) {
            _nextBlock(dt);
            _setAll(P); // fresh rounds, same price
            router.refresh(MARKET);
        }
        _nextBlock(dt);
        assertEq(router.cumulativePrice(MARKET), P_WAD * (block.timestamp - start));
    }
}
