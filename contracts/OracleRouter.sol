// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAggregatorV3} from "./interfaces/IAggregatorV3.sol";
import {FeedFailure, IOracleRouter, OracleStatus} from "./interfaces/IOracleRouter.sol";
import {Median} from "./libraries/Median.sol";
import {VolatilityMath} from "./libraries/VolatilityMath.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title OracleRouter
/// @notice Median of Chainlink-style feeds per market, with staleness, outlier and jump checks.
/// @dev Storage per market: one slot for the observation, one for the config, one per feed.
contract OracleRouter is IOracleRouter, Ownable2Step {
    /* CONSTANTS */

    uint256 public constant MAX_FEEDS = 7;
    /// @notice Gas cap of one feed call.
    uint256 public constant FEED_CALL_GAS = 50_000;
    /// @notice Gas that must be left before a feed call: FEED_CALL_GAS * 64 / 63 plus cold account access
    /// and slack, so that every feed always gets its full cap (see `InsufficientGasForFeed`).
    uint256 public constant MIN_GAS_PER_FEED = 56_000;

    uint256 internal constant BPS = 10_000;
    uint256 internal constant MIN_MAX_AGE = 1 minutes;
    uint256 internal constant MAX_MAX_AGE = 2 days;
    uint256 internal constant MIN_DEVIATION_BPS = 10;
    uint256 internal constant MAX_DEVIATION_BPS = 5000;
    uint256 internal constant MIN_JUMP_BPS = 50;
    uint256 internal constant MAX_JUMP_BPS = 9000;
    uint256 internal constant MAX_COOLDOWN = 1 days;
    /// @dev Selector of `latestRoundData()`.
    bytes4 internal constant LATEST_ROUND_DATA = IAggregatorV3.latestRoundData.selector;

    /* STORAGE */

    /// @dev One slot: 128 + 40 + 8 + 40 + 40 bits. `varianceBps2` is the index's realized variance as of this
    /// observation (VolatilityMath.nextVariance, clamped to uint40).
    struct Observation {
        uint128 priceWad;
        uint40 timestamp;
        OracleStatus status;
        uint40 trippedAt;
        uint40 varianceBps2;
    }

    /// @dev One slot: `MarketOracleConfig` plus the feed count (0 = unknown market).
    struct StoredConfig {
        uint32 maxAge;
        uint16 minFeeds;
        uint16 maxDeviationBps;
        uint16 jumpThresholdBps;
        uint32 breakerCooldown;
        uint8 feedCount;
    }

    /// @dev One slot: the feed and 10 ** (18 - decimals).
    struct StoredFeed {
        address feed;
        uint64 scale;
    }

    mapping(uint256 marketId => Observation) internal _observations;
    mapping(uint256 marketId => StoredConfig) internal _configs;
    mapping(uint256 marketId => StoredFeed[MAX_FEEDS]) internal _feeds;
    /// @dev Sum of each stored price times the seconds it stayed stored, up to the last observation's timestamp
    /// (`cumulativePrice` carries it to now). A second slot: written once per full refresh.
    mapping(uint256 marketId => uint256) internal _cumulativeAtLast;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /* ORACLE */

    /// @inheritdoc IOracleRouter
    function refresh(uint256 marketId) external returns (uint256 priceWad, OracleStatus status) {
        Observation memory obs = _refresh(marketId);
        return (obs.priceWad, obs.status);
    }

    /// @inheritdoc IOracleRouter
    function observe(uint256 marketId) external returns (uint256 priceWad, OracleStatus status, uint256 varianceBps2) {
        Observation memory obs = _refresh(marketId);
        return (obs.priceWad, obs.status, obs.varianceBps2);
    }

    /// @inheritdoc IOracleRouter
    function refreshCumulative(uint256 marketId)
        external
        returns (uint256 priceWad, OracleStatus status, uint256 cumulative, uint256 varianceBps2)
    {
        Observation memory obs = _refresh(marketId);
        // The stored observation is now at block.timestamp, so the stored sum runs to now.
        return (obs.priceWad, obs.status, _cumulativeAtLast[marketId], obs.varianceBps2);
    }

    /// @dev The observation stored at block.timestamp: the one already stored in this block, else a new one.
    function _refresh(uint256 marketId) private returns (Observation memory) {
        Observation memory last = _observations[marketId];
        if (last.timestamp == block.timestamp) return last;

        (Observation memory next, uint256 failures) = _evaluate(marketId, last);
        _observations[marketId] = next;
        if (last.timestamp != 0) {
            _cumulativeAtLast[marketId] += uint256(last.priceWad) * (block.timestamp - last.timestamp);
        }

        if (failures != 0) _emitIgnored(marketId, failures);
        if (next.trippedAt != last.trippedAt) emit BreakerTripped(marketId, last.priceWad, next.priceWad);
        if (next.status != last.status) emit OracleStatusChanged(marketId, last.status, next.status);
        emit OracleRefreshed(marketId, next.priceWad, next.status);
        return next;
    }

    /// @inheritdoc IOracleRouter
    function cumulativePrice(uint256 marketId) external view returns (uint256 cumulative) {
        Observation memory obs = _observations[marketId];
        cumulative = _cumulativeAtLast[marketId];
        if (obs.timestamp != 0) cumulative += uint256(obs.priceWad) * (block.timestamp - obs.timestamp);
    }

    /// @inheritdoc IOracleRouter
    function peek(uint256 marketId) external view returns (uint256 priceWad, OracleStatus status) {
        (Observation memory next,) = _evaluate(marketId, _observations[marketId]);
        return (next.priceWad, next.status);
    }

    /// @inheritdoc IOracleRouter
    function lastObservation(uint256 marketId)
        external
        view
        returns (uint256 priceWad, OracleStatus status, uint64 timestamp)
    {
        Observation memory obs = _observations[marketId];
        return (obs.priceWad, obs.status, obs.timestamp);
    }

    /// @inheritdoc IOracleRouter
    function realizedVariance(uint256 marketId) external view returns (uint256 varianceBps2) {
        return _observations[marketId].varianceBps2;
    }

    /// @inheritdoc IOracleRouter
    function breakerTrippedAt(uint256 marketId) external view returns (uint64) {
        return _observations[marketId].trippedAt;
    }

    /// @inheritdoc IOracleRouter
    function feeds(uint256 marketId) external view returns (address[] memory list) {
        uint256 n = _configs[marketId].feedCount;
        list = new address[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = _feeds[marketId][i].feed;
        }
    }

    /// @inheritdoc IOracleRouter
    function config(uint256 marketId) external view returns (MarketOracleConfig memory) {
        StoredConfig memory c = _configs[marketId];
        return MarketOracleConfig(c.maxAge, c.minFeeds, c.maxDeviationBps, c.jumpThresholdBps, c.breakerCooldown);
    }

    /* ADMIN */

    /// @inheritdoc IOracleRouter
    function setFeeds(uint256 marketId, address[] calldata feedList, MarketOracleConfig calldata cfg)
        external
        onlyOwner
    {
        uint256 n = feedList.length;
        if (n == 0 || n > MAX_FEEDS) revert InvalidFeedCount(n, MAX_FEEDS);
        _checkConfig(cfg, n);

        for (uint256 i; i < n; ++i) {
            address feed = feedList[i];
            if (feed == address(0)) revert ZeroFeedAddress(i);
            for (uint256 j; j < i; ++j) {
                if (feedList[j] == feed) revert DuplicateFeed(feed);
            }
            // forge-lint: disable-next-line(unsafe-typecast) 10 ** 18 < 2 ** 64
            _feeds[marketId][i] = StoredFeed(feed, uint64(10 ** (18 - _readDecimals(feed))));
        }
        // forge-lint: disable-next-line(unsafe-typecast) n <= MAX_FEEDS
        uint8 count = uint8(n);
        _configs[marketId] = StoredConfig(
            cfg.maxAge, cfg.minFeeds, cfg.maxDeviationBps, cfg.jumpThresholdBps, cfg.breakerCooldown, count
        );

        emit FeedsSet(marketId, feedList);
        emit OracleConfigSet(marketId, cfg);
    }

    /* INTERNAL: EVALUATION */

    /// @dev The observation `refresh` would store now, and the failure reason of each feed (8 bits per feed
    /// index, 0 = used).
    function _evaluate(uint256 marketId, Observation memory last)
        internal
        view
        returns (Observation memory next, uint256 failures)
    {
        StoredConfig memory cfg = _configs[marketId];
        uint256 n = cfg.feedCount;
        if (n == 0) revert UnknownMarket(marketId);

        uint256[] memory prices = new uint256[](n);
        uint256 fresh;
        for (uint256 i; i < n; ++i) {
            StoredFeed memory f = _feeds[marketId][i];
            (uint256 reading, FeedFailure failure) = _readFeed(f.feed, f.scale, cfg.maxAge);
            // The feed index rides in the low 8 bits (reading < 2 ** 128), so sorting keeps it with its price.
            if (failure == FeedFailure.None) prices[fresh++] = (reading << 8) | i;
            else failures |= uint256(failure) << (8 * i);
        }

        next.timestamp = uint40(block.timestamp);
        next.trippedAt = last.trippedAt;
        if (fresh == 0) {
            // No fresh price, no news: the last price is carried over and the variance kept as it was (neither
            // decayed nor reset by a halt).
            next.priceWad = last.priceWad;
            next.status = OracleStatus.Halted;
            next.varianceBps2 = last.varianceBps2;
            return (next, failures);
        }

        // Shrink to the fresh readings (memory only shrinks: safe).
        assembly ("memory-safe") {
            mstore(prices, fresh)
        }
        (uint256 price, bool agree, uint256 outliers) = _aggregate(prices, cfg.maxDeviationBps, cfg.minFeeds);
        failures |= outliers;
        // forge-lint: disable-next-line(unsafe-typecast) price <= max fresh price <= type(uint128).max
        next.priceWad = uint128(price);

        bool reduceOnly = !agree;
        uint256 lastPrice = last.priceWad;
        // forge-lint: disable-next-line(unsafe-typecast) nextVariance <= MAX_VARIANCE = type(uint40).max
        next.varianceBps2 =
            uint40(VolatilityMath.nextVariance(last.varianceBps2, lastPrice, price, block.timestamp - last.timestamp));
        if (lastPrice != 0) {
            uint256 move = price > lastPrice ? price - lastPrice : lastPrice - price;
            if (move * BPS > cfg.jumpThresholdBps * lastPrice) {
                next.trippedAt = uint40(block.timestamp);
                reduceOnly = true;
            }
        }
        if (next.trippedAt != 0 && block.timestamp < uint256(next.trippedAt) + cfg.breakerCooldown) reduceOnly = true;

        next.status = reduceOnly ? OracleStatus.ReduceOnly : OracleStatus.Normal;
    }

    /// @dev The outlier rule (documented on `IOracleRouter.refresh`) over `packed` = `price << 8 | feedIndex` of
    /// the fresh feeds (at least one). Sorts `packed` in place and overwrites it.
    /// @return price The median of the agreeing feeds when `agree`, else the median of all fresh feeds.
    /// @return agree At least `minFeeds` fresh feeds lie within `maxDeviationBps` of the median of all.
    /// @return outliers `FeedFailure.Outlier` in the byte of each dropped feed's index (0 unless `agree`).
    function _aggregate(uint256[] memory packed, uint256 maxDeviationBps, uint256 minFeeds)
        internal
        pure
        returns (uint256 price, bool agree, uint256 outliers)
    {
        Median.sortInPlace(packed); // by price, ties by feed index: deterministic
        uint256 n = packed.length;
        uint256 mid = n / 2;
        uint256 median = n % 2 == 1 ? packed[mid] >> 8 : Median.averageDown(packed[mid - 1] >> 8, packed[mid] >> 8);

        uint256 kept;
        // Every price fits in uint128 (`_readFeed`) and median <= max price: no product below overflows.
        unchecked {
            uint256 tolerance = maxDeviationBps * median;
            for (uint256 k; k < n; ++k) {
                uint256 word = packed[k];
                uint256 p = word >> 8;
                uint256 distance = p > median ? p - median : median - p;
                if (distance * BPS > tolerance) outliers |= uint256(FeedFailure.Outlier) << (8 * (word & 0xff));
                else packed[kept++] = p; // kept <= k: overwrites only words already read; stays sorted
            }
        }

        if (kept < minFeeds) return (median, false, 0);
        if (outliers == 0) return (median, true, 0);
        assembly ("memory-safe") {
            mstore(packed, kept)
        }
        return (Median.medianOfSorted(packed), true, outliers);
    }

    /// @dev Reads one feed; never reverts for anything the feed does. Copies at most 160 bytes of returndata.
    function _readFeed(address feed, uint256 scale, uint256 maxAge)
        internal
        view
        returns (uint256 priceWad, FeedFailure failure)
    {
        uint256 gasLeft = gasleft();
        if (gasLeft < MIN_GAS_PER_FEED) revert InsufficientGasForFeed(gasLeft, MIN_GAS_PER_FEED);

        bool ok;
        uint256 size;
        int256 answer;
        uint256 updatedAt;
        bytes4 selector = LATEST_ROUND_DATA;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            ok := staticcall(FEED_CALL_GAS, feed, ptr, 4, 0, 0)
            size := returndatasize()
            if and(ok, eq(size, 160)) {
                returndatacopy(ptr, 0, 160)
                answer := mload(add(ptr, 0x20))
                updatedAt := mload(add(ptr, 0x60))
            }
        }

        if (!ok) return (0, FeedFailure.CallFailed);
        if (size != 160) return (0, FeedFailure.BadReturnSize);
        if (answer <= 0) return (0, FeedFailure.NonPositiveAnswer);
        if (updatedAt == 0) return (0, FeedFailure.ZeroTimestamp);
        if (updatedAt > block.timestamp) return (0, FeedFailure.FutureTimestamp);
        if (block.timestamp - updatedAt > maxAge) return (0, FeedFailure.Stale);
        // answer > 0 here, so the casts below are exact.
        // forge-lint: disable-next-line(unsafe-typecast)
        if (uint256(answer) > type(uint128).max / scale) return (0, FeedFailure.AnswerTooLarge);
        // forge-lint: disable-next-line(unsafe-typecast)
        return (uint256(answer) * scale, FeedFailure.None);
    }

    /// @dev Emits `FeedIgnored` for each non-zero reason byte in `failures`.
    function _emitIgnored(uint256 marketId, uint256 failures) internal {
        for (uint256 i; failures != 0; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast) takes the low byte on purpose
            FeedFailure reason = FeedFailure(uint8(failures));
            if (reason != FeedFailure.None) emit FeedIgnored(marketId, _feeds[marketId][i].feed, reason);
            failures >>= 8;
        }
    }

    /* INTERNAL: ADMIN */

    function _checkConfig(MarketOracleConfig calldata cfg, uint256 feedCount) internal pure {
        if (cfg.maxAge < MIN_MAX_AGE || cfg.maxAge > MAX_MAX_AGE) revert ConfigOutOfBounds("maxAge", cfg.maxAge);
        if (cfg.minFeeds == 0 || cfg.minFeeds > feedCount) revert ConfigOutOfBounds("minFeeds", cfg.minFeeds);
        if (cfg.maxDeviationBps < MIN_DEVIATION_BPS || cfg.maxDeviationBps > MAX_DEVIATION_BPS) {
            revert ConfigOutOfBounds("maxDeviationBps", cfg.maxDeviationBps);
        }
        if (cfg.jumpThresholdBps < MIN_JUMP_BPS || cfg.jumpThresholdBps > MAX_JUMP_BPS) {
            revert ConfigOutOfBounds("jumpThresholdBps", cfg.jumpThresholdBps);
        }
        if (cfg.breakerCooldown > MAX_COOLDOWN) revert ConfigOutOfBounds("breakerCooldown", cfg.breakerCooldown);
    }

    /// @dev `feed.decimals()`, which must return one word <= 18.
    function _readDecimals(address feed) internal view returns (uint256 decimals) {
        (bool ok, bytes memory data) = feed.staticcall(abi.encodeCall(IAggregatorV3.decimals, ()));
        if (!ok || data.length != 32) revert FeedDecimalsUnreadable(feed);
        decimals = abi.decode(data, (uint256));
        if (decimals > 18) revert FeedDecimalsTooHigh(feed, decimals);
    }
}
