// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {IPerpPool} from "../../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketView} from "../../../contracts/interfaces/IPerpTypes.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Drives funding with fixed positions: time passes, the index wanders within +-4 %, anyone updates
/// funding, and a round-tripper opens and closes in one call from its own isolated sub-account.
contract FundingHandler is CommonBase, StdUtils {
    uint256 internal constant MARKETS = 2;
    uint96 internal constant TRIP_SUB = 7;

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    address public immutable tripper;
    SettableFeed[3][MARKETS] internal _feeds;
    uint256[MARKETS] internal _basePrice;
    uint256[MARKETS] internal _price;

    /// @notice Accrual steps so far (each may book up to 2 wei less than the exact flow).
    uint256 public accruals;
    /// @notice Seconds elapsed since setup.
    uint256 public elapsed;
    uint256 public roundTrips;
    uint256 public roundTripGains;
    uint256 public rateCapViolations;

    constructor(PerpPool pool_, PerpLens lens_, address tripper_, SettableFeed[3][MARKETS] memory feeds_) {
        pool = pool_;
        lens = lens_;
        tripper = tripper_;
        for (uint256 m; m < MARKETS; ++m) {
            _feeds[m] = feeds_[m];
            (, int256 answer,,,) = feeds_[m][0].latestRoundData();
            _basePrice[m] = uint256(answer);
            _price[m] = uint256(answer);
        }
    }

    function warp(uint256 seconds_) external {
        seconds_ = bound(seconds_, 1, 1 hours);
        vm.warp(block.timestamp + seconds_);
        elapsed += seconds_;
        // Feeds keep publishing (no staleness in this suite: that is the oracle suite's business).
        for (uint256 m; m < MARKETS; ++m) {
            _post(m, _price[m]);
        }
    }

    function moveIndex(uint256 marketSeed, int256 bps) external {
        uint256 m = marketSeed % MARKETS;
        bps = bound(bps, -300, 300);
        uint256 p = _price[m] * uint256(10_000 + bps) / 10_000;
        uint256 lo = _basePrice[m] * 96 / 100;
        uint256 hi = _basePrice[m] * 104 / 100;
        p = p < lo ? lo : p > hi ? hi : p;
        vm.warp(block.timestamp + 1); // the router caches one observation per block
        elapsed += 1;
        _price[m] = p;
        _post(m, p);
        // Keep the other market's feeds as fresh as this one's.
        _post((m + 1) % MARKETS, _price[(m + 1) % MARKETS]);
    }

    function updateFunding(uint256 marketSeed) external {
        uint256 m = marketSeed % MARKETS;
        MarketView memory v = lens.marketView(m);
        if (block.timestamp < v.nextFundingUpdate) return;
        vm.recordLogs();
        pool.updateFunding(m);
        ++accruals;
        MarketConfig memory c = pool.marketConfig(m);
        int256 rate = pool.marketState(m).fundingRate;
        // The rate is capped against the period's time-weighted index, which the update reports in its event.
        uint256 cap = _twapIndexOfUpdate() * c.maxPremiumBps / 10_000 / c.fundingPeriod;
        if ((rate >= 0 ? uint256(rate) : uint256(-rate)) > cap) ++rateCapViolations;
    }

    /// @dev Open then close in one call; only when the mark sits well inside the band, so both legs are allowed.
    function roundTrip(uint256 marketSeed, int256 sizeSeed) external {
        uint256 m = marketSeed % MARKETS;
        MarketView memory v = lens.marketView(m);
        uint256 dist = v.markPrice > v.indexPrice ? v.markPrice - v.indexPrice : v.indexPrice - v.markPrice;
        if (dist * 100 > v.indexPrice * 4) return;
        uint256 maxSize = v.baseReserve / 500; // at most ~0.4 % price impact
        int256 size = int256(bound(uint256(sizeSeed), 1e15, maxSize));
        if (sizeSeed < 0) size = -size;
        int256 before = pool.account(tripper, TRIP_SUB).collateral;
        vm.startPrank(tripper);
        pool.trade(tripper, TRIP_SUB, m, size, size > 0 ? type(uint256).max : 0, block.timestamp);
        pool.closePosition(tripper, TRIP_SUB, m, size > 0 ? 0 : type(uint256).max, block.timestamp);
        vm.stopPrank();
        ++accruals;
        ++roundTrips;
        int256 afterTrip = pool.account(tripper, TRIP_SUB).collateral;
        uint256 deferred = pool.account(tripper, TRIP_SUB).unsettledProfit;
        if (afterTrip + int256(deferred) > before) ++roundTripGains;
    }

    function _post(uint256 m, uint256 answer) internal {
        for (uint256 i; i < 3; ++i) {
            _feeds[m][i].setAnswer(int256(answer));
        }
    }

    function _twapIndexOfUpdate() internal returns (uint256 twapIndex) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.FundingUpdated.selector) {
                (,, twapIndex,,) = abi.decode(logs[i].data, (int256, uint256, uint256, int256, int256));
            }
        }
    }
}
