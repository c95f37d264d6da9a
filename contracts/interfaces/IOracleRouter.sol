// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Health of a market's oracle, as the pool acts on it.
/// @dev Normal: at least `minFeeds` fresh feeds agree (lie within `maxDeviationBps` of the median of all fresh
/// feeds), the price is the median of those agreeing feeds (outliers dropped, see `IOracleRouter.refresh`), and
/// the jump breaker is not tripped: trading allowed.
/// ReduceOnly: a fresh price exists but (a) fewer than `minFeeds` fresh feeds agree (too few fresh feeds, or no
/// cluster of `minFeeds` within tolerance: the price is then the median of all fresh feeds), or (b) the price
/// jumped by more than `jumpThresholdBps` from the last stored price in this refresh or less than
/// `breakerCooldown` seconds ago: no opens; closes and liquidations go on at this price.
/// Halted: no fresh valid feed at all: the price is unusable (the last stored price is carried over).
enum OracleStatus {
    Normal,
    ReduceOnly,
    Halted
}

/// @notice Why a feed reading was ignored (see `IOracleRouter.FeedIgnored`).
enum FeedFailure {
    None,
    /// The call reverted, ran out of its gas cap, or tried to write state.
    CallFailed,
    /// The call returned anything but exactly 160 bytes (5 words).
    BadReturnSize,
    /// answer <= 0.
    NonPositiveAnswer,
    /// answer, scaled to 18 decimals, does not fit in uint128.
    AnswerTooLarge,
    /// updatedAt == 0.
    ZeroTimestamp,
    /// updatedAt > block.timestamp.
    FutureTimestamp,
    /// block.timestamp - updatedAt > maxAge.
    Stale,
    /// Fresh and valid, but farther than `maxDeviationBps` from the median of all fresh feeds, and dropped from
    /// the price because at least `minFeeds` other fresh feeds agree. (A feed that disagrees while too few agree
    /// is not dropped: the market turns ReduceOnly instead, priced at the median of all fresh feeds.)
    Outlier
}

/// @title IOracleRouter
/// @notice Prices each market at the median of several Chainlink-style feeds, ignoring stale or malformed
/// feeds, dropping a fresh outlier while enough feeds agree, and reports an explicit `OracleStatus` (too few
/// agreeing feeds, and jump circuit breaker).
/// @dev Prices are 18-decimal fixed point (WAD), at most `type(uint128).max`.
/// Reading a feed is valid iff a `staticcall` with a gas cap of `FEED_CALL_GAS` succeeds, returns exactly
/// 160 bytes, answer > 0, 0 < updatedAt <= block.timestamp and block.timestamp - updatedAt <= maxAge.
interface IOracleRouter {
    /// @notice Per-market oracle parameters. Packed into one storage slot by the router.
    /// @param maxAge A reading older than this (seconds) is stale and ignored. In [1 minute, 2 days].
    /// @param minFeeds Fewer agreeing fresh feeds than this makes the market ReduceOnly. In [1, number of feeds].
    /// With a majority (e.g. 2 of 3, 3 of 5) one wrong minority feed is dropped and trading goes on; with all
    /// feeds (n of n) any disagreement or stale feed makes the market ReduceOnly.
    /// @param maxDeviationBps The disagreement tolerance: a fresh feed farther than this fraction of the median
    /// of all fresh feeds from it disagrees (an outlier). In [10, 5000].
    /// @param jumpThresholdBps A median this far (bps of the last stored price) from the last stored price
    /// trips the breaker. In [50, 9000].
    /// @param breakerCooldown Seconds the market stays ReduceOnly after the breaker trips. At most 1 day;
    /// with 0 only the tripping observation itself is ReduceOnly.
    struct MarketOracleConfig {
        uint32 maxAge;
        uint16 minFeeds;
        uint16 maxDeviationBps;
        uint16 jumpThresholdBps;
        uint32 breakerCooldown;
    }

    /* ERRORS */

    /// @notice The market has no feeds configured.
    error UnknownMarket(uint256 marketId);
    /// @notice `setFeeds` got 0 or more than `MAX_FEEDS` feeds.
    error InvalidFeedCount(uint256 count, uint256 max);
    /// @notice `setFeeds` got the zero address at `index`.
    error ZeroFeedAddress(uint256 index);
    /// @notice `setFeeds` got `feed` twice.
    error DuplicateFeed(address feed);
    /// @notice `feed.decimals()` reverted or did not return one word.
    error FeedDecimalsUnreadable(address feed);
    /// @notice `feed.decimals()` is above 18.
    error FeedDecimalsTooHigh(address feed, uint256 decimals);
    /// @notice A config field is outside its hard-coded bounds; `field` is the struct member name.
    error ConfigOutOfBounds(string field, uint256 value);
    /// @notice Too little gas left to give the next feed its full `FEED_CALL_GAS`.
    /// @dev Without this check a caller could starve honest feeds of gas and store a degraded observation.
    error InsufficientGasForFeed(uint256 gasLeft, uint256 required);

    /* EVENTS */

    /// @notice The feeds of `marketId` were replaced.
    event FeedsSet(uint256 indexed marketId, address[] feeds);
    /// @notice The oracle config of `marketId` was replaced.
    event OracleConfigSet(uint256 indexed marketId, MarketOracleConfig config);
    /// @notice A full (not cached) `refresh` stored a new observation. Emitted on every full refresh, so at
    /// most once per market per block.
    event OracleRefreshed(uint256 indexed marketId, uint256 priceWad, OracleStatus status);
    /// @notice The stored status changed. Emitted on every transition. The first observation of a market
    /// is compared against `Normal` (the zero value), so a first Normal observation emits nothing.
    event OracleStatusChanged(uint256 indexed marketId, OracleStatus from, OracleStatus to);
    /// @notice The jump breaker tripped: `newPriceWad` moved beyond `jumpThresholdBps` from `lastPriceWad`.
    event BreakerTripped(uint256 indexed marketId, uint256 lastPriceWad, uint256 newPriceWad);
    /// @notice A feed reading was ignored during `refresh` (one event per ignored feed): invalid, stale, or
    /// dropped as an `Outlier`.
    event FeedIgnored(uint256 indexed marketId, address indexed feed, FeedFailure reason);

    /* ORACLE */

    /// @notice Reads the feeds of `marketId`, takes the median of the fresh valid ones (WAD) after dropping
    /// outliers, applies the jump breaker, stores the observation and returns it.
    /// @dev The outlier rule, over the fresh valid readings sorted by price (ties by feed index):
    /// 1. m = the median of all fresh readings (even count: the average of the middle two, rounded down);
    /// 2. a reading p with |p - m| * 10_000 > maxDeviationBps * m is an outlier; the others agree;
    /// 3. if at least `minFeeds` readings agree, the price is the median of the agreeing ones and each outlier
    ///    is reported as `FeedIgnored(.., Outlier)`; otherwise the price is m and the status ReduceOnly.
    /// So with 2k + 1 fresh feeds of which k + 1 lie within the tolerance of each other (spread <= tolerance
    /// of their smallest), any k others, however wrong, cannot move the price outside the k + 1's range, and the
    /// market stays Normal when k + 1 >= minFeeds. With two feeds, both agree iff each is within tolerance of
    /// their average. The price always lies within [min, max] of the fresh readings it was taken from.
    /// Then the breaker: a price farther than `jumpThresholdBps` from the last stored price trips it (ReduceOnly
    /// for `breakerCooldown`). Costs O(n^2) for n <= MAX_FEEDS feeds (insertion sort) plus one pass.
    /// If an observation was already stored at this block.timestamp, returns it without reading the
    /// feeds (one SLOAD), even if feeds changed since.
    /// Never reverts for any feed behaviour. Reverts only with `UnknownMarket`, or `InsufficientGasForFeed`
    /// when the caller did not forward enough gas to give every feed its full gas cap.
    /// Warning: with status Halted the returned price is the last stored price (0 if none) and MUST NOT be
    /// used to price anything.
    /// @return priceWad The median (or the carried-over price when Halted), 18 decimals.
    /// @return status The oracle status.
    function refresh(uint256 marketId) external returns (uint256 priceWad, OracleStatus status);

    /// @notice `refresh`, also returning the realized variance of the stored observation (`realizedVariance`).
    /// @return priceWad as `refresh`
    /// @return status as `refresh`
    /// @return varianceBps2 as `realizedVariance` after this refresh
    function observe(uint256 marketId) external returns (uint256 priceWad, OracleStatus status, uint256 varianceBps2);

    /// @notice `refresh`, also returning `cumulativePrice` and `realizedVariance` as of now (after this refresh).
    /// @return priceWad as `refresh`
    /// @return status as `refresh`
    /// @return cumulative as `cumulativePrice`
    /// @return varianceBps2 as `realizedVariance`
    function refreshCumulative(uint256 marketId)
        external
        returns (uint256 priceWad, OracleStatus status, uint256 cumulative, uint256 varianceBps2);

    /// @notice The index's realized volatility as of the last stored observation: an annualized variance in bps²
    /// (σ in bps, squared: σ = 80 % reads 64,000,000), at most `type(uint40).max`. 0 before two priced observations.
    /// @dev Each newly stored observation (at most one per block) updates it with `VolatilityMath.nextVariance`
    /// from the last stored price to the new one over the seconds between them: a move counts as its squared
    /// simple return annualized over a one-hour window (`VOL_WINDOW`), and the variance decays linearly over
    /// that window in calm (a gap longer than the window keeps only the last move, annualized over the gap).
    /// A Halted observation (no fresh feed: the last price carried over) keeps the variance unchanged, so a halt
    /// neither resets nor decays it; the next fresh observation counts the whole move since the last price.
    /// `setFeeds` keeps it. Unlike `peek`, it does not include a refresh now: `observe` stores and returns that.
    function realizedVariance(uint256 marketId) external view returns (uint256 varianceBps2);

    /// @notice The index integral of `marketId`: the sum over time of the stored price (WAD) times the seconds it
    /// was stored, carried to now at the last stored price (what a refresh now would record before storing the
    /// new observation). The time-weighted index over [t0, t1] is the difference of two readings divided by
    /// t1 - t0, whoever refreshed in between and however often: no observation is lost to a consumer that
    /// accrues less often than the oracle is refreshed. Starts at the first refresh (0 before it); a Halted
    /// observation carries the last price on.
    function cumulativePrice(uint256 marketId) external view returns (uint256 cumulative);

    /// @notice Same computation as `refresh`, but stores and emits nothing. The jump breaker is evaluated
    /// against the stored last price and trip time. Does not use the same-block cache.
    /// @dev Reverts with `UnknownMarket` for a market without feeds.
    function peek(uint256 marketId) external view returns (uint256 priceWad, OracleStatus status);

    /// @notice The last stored observation.
    /// @return priceWad The stored price (WAD). Unusable when `status` is Halted.
    /// @return status The stored status.
    /// @return timestamp block.timestamp of the refresh that stored it; 0 if the market was never refreshed.
    function lastObservation(uint256 marketId)
        external
        view
        returns (uint256 priceWad, OracleStatus status, uint64 timestamp);

    /// @notice When the jump breaker last tripped for `marketId` (0 if never).
    function breakerTrippedAt(uint256 marketId) external view returns (uint64);

    /// @notice The feeds of `marketId` (empty for an unknown market).
    function feeds(uint256 marketId) external view returns (address[] memory);

    /// @notice The oracle config of `marketId` (all zero for an unknown market).
    function config(uint256 marketId) external view returns (MarketOracleConfig memory);

    /// @notice Replaces the feeds and config of `marketId`. Owner only.
    /// @dev 1..MAX_FEEDS feeds, no duplicates, no zero address; each feed's decimals (<= 18) is read once
    /// and cached. Config bounds as documented on `MarketOracleConfig`, else `ConfigOutOfBounds`.
    /// The stored observation (last price, breaker trip time) is kept: the jump breaker still compares the
    /// new feeds against the last price. Emits `FeedsSet` and `OracleConfigSet`.
    function setFeeds(uint256 marketId, address[] calldata feeds, MarketOracleConfig calldata cfg) external;
}
