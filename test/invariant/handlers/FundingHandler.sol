// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {IPerpPool} from "../../../contracts/interfaces/IPerpPool.sol";
import {
    FundingParams,
    MarketConfig,
    MarketState,
    MarketView,
    PositionView
} from "../../../contracts/interfaces/IPerpTypes.sol";
import {FundingMath} from "../../../contracts/libraries/FundingMath.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Drives funding with the policy on (cap, change limit, group blend, crowding kicker): time passes, the index
/// wanders within +-4 %, anyone updates funding, a crowder piles onto the long side of both markets (the kicker), and
/// a round-tripper opens and closes in one call from its own isolated sub-account. Mirrors every accrual
/// (`FundingMath.accrue` on the state before the call) so the suite can decompose the booked flow to the wei.
contract FundingHandler is CommonBase, StdUtils {
    uint256 internal constant MARKETS = 2;
    uint96 internal constant TRIP_SUB = 7;

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    address public immutable tripper;
    address public immutable crowder;
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
    /// @notice Funding the crowder's trades settled (its positions' owed at each trade), WAD.
    int256 public settledFunding;
    /// @notice The flow every accrual so far booked to the backstop (rate imbalance and kicker), per the mirror.
    int256 public mirroredFlow;
    /// @notice The kicker's part of it.
    uint256 public mirroredKicker;
    uint256 public kickerUpdates; // updates that set a kicker
    uint256 public crowdTrades;

    constructor(
        PerpPool pool_,
        PerpLens lens_,
        address tripper_,
        address crowder_,
        SettableFeed[3][MARKETS] memory feeds_
    ) {
        pool = pool_;
        lens = lens_;
        tripper = tripper_;
        crowder = crowder_;
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
        MarketState[MARKETS] memory before = _states();
        vm.recordLogs();
        pool.updateFunding(m);
        _mirror(before);
        ++accruals;
        MarketConfig memory c = pool.marketConfig(m);
        FundingParams memory p = pool.fundingParams(m);
        Update memory u = _updateLogged();
        // The policy's cap (capE8, or maxPremiumBps without one), tightened in an extreme session.
        uint256 cap = p.capE8 != 0 ? uint256(p.capE8) * 1e4 : uint256(c.maxPremiumBps) * 1e8;
        uint256 rateCap = u.capEffective * u.twapIndex / (1e12 * uint256(c.fundingPeriod));
        int256 rate = pool.marketState(m).fundingRate;
        if (u.capEffective > cap || _abs(u.charged) > u.capEffective || _abs(rate) > rateCap) ++rateCapViolations;
        if (_abs(u.kicker) > uint256(p.kickerMaxE8) * 1e4) ++rateCapViolations;
        if (u.kicker != 0) ++kickerUpdates;
    }

    /// @dev The crowder adds to its long on `m` (or trims it when `sizeSeed` < 0, never below flat): the group's net
    /// grows long until the kicker charges the longs. Only while the mark is well inside the band and the per-block
    /// move limit, so the trade is allowed.
    function crowd(uint256 marketSeed, int256 sizeSeed) external {
        uint256 m = marketSeed % MARKETS;
        MarketView memory v = lens.marketView(m);
        if (v.oracleStatus != 0) return;
        if (v.markPrice * 1000 > v.indexPrice * 1025 || v.markPrice * 1000 < v.indexPrice * 975) return;
        int256 held = pool.position(crowder, 0, m).size;
        uint256 maxStep = v.baseReserve / 200; // ~1 % price impact
        int256 size = int256(bound(_abs(sizeSeed), v.baseReserve / 10_000, maxStep));
        if (sizeSeed < 0) {
            if (held <= 0) return;
            uint256 cut = _min(uint256(size), uint256(held));
            // No dust left behind (the pool refuses it): a remainder under the minimum goes too.
            if (uint256(held) - cut < pool.marketConfig(m).minPositionBase) cut = uint256(held);
            size = -int256(cut);
        } else if (uint256(held) + uint256(size) > v.baseReserve / 20) {
            return; // at most 5 % of the curve in all
        }
        vm.warp(block.timestamp + 1); // its own block (the per-block move limit)
        elapsed += 1;
        _post(0, _price[0]);
        _post(1, _price[1]);
        settledFunding += _owedOf(crowder, m);
        MarketState[MARKETS] memory before = _states();
        vm.prank(crowder);
        pool.trade(crowder, 0, m, size, size > 0 ? type(uint256).max : 0, block.timestamp);
        _mirror(before);
        ++accruals;
        ++crowdTrades;
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
        MarketState[MARKETS] memory states = _states();
        vm.startPrank(tripper);
        pool.trade(tripper, TRIP_SUB, m, size, size > 0 ? type(uint256).max : 0, block.timestamp);
        pool.closePosition(tripper, TRIP_SUB, m, size > 0 ? 0 : type(uint256).max, block.timestamp);
        vm.stopPrank();
        _mirror(states);
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

    /// @notice `IPerpPool.FundingUpdated`'s data.
    struct Update {
        int256 ratePerSecond;
        int256 kickerPerSecond;
        uint256 twapMark;
        uint256 twapIndex;
        int256 premium;
        int256 blended;
        int256 charged;
        int256 kicker;
        uint256 capEffective;
    }

    function _updateLogged() internal returns (Update memory u) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.FundingUpdated.selector) u = abi.decode(logs[i].data, (Update));
        }
    }

    function _states() internal view returns (MarketState[MARKETS] memory s) {
        for (uint256 m; m < MARKETS; ++m) {
            s[m] = pool.marketState(m);
        }
    }

    /// @dev Each market the call accrued: what `FundingMath.accrue` books for the seconds since its last accrual at
    /// the rate, kicker and open interest before the call (the pool accrues before it changes any of them).
    function _mirror(MarketState[MARKETS] memory before) internal {
        for (uint256 m; m < MARKETS; ++m) {
            uint256 last = pool.marketState(m).lastAccrual;
            if (last == before[m].lastAccrual) continue;
            uint256 dt = last - before[m].lastAccrual;
            uint256 budget = uint256(pool.marketConfig(m).fundingBudgetPerSecond) * dt;
            (,, int256 flow, uint256 kickerFlow) = FundingMath.accrue(
                before[m].fundingRate,
                before[m].fundingKicker,
                dt,
                before[m].longOpenInterest,
                before[m].shortOpenInterest,
                budget
            );
            mirroredFlow += flow;
            mirroredKicker += kickerFlow;
        }
    }

    function _owedOf(address owner, uint256 m) internal view returns (int256) {
        PositionView[] memory ps = lens.positions(owner, 0);
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].marketId == m) return ps[i].fundingOwed;
        }
        return 0;
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-(x + 1)) + 1;
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
