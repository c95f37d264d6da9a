// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITailRiskOracle
/// @notice The junior tranche's measured tail risk on chain, and what follows from it (DESIGN "LP economics"):
/// - the junior's share of premium = clamp(m · ES99(junior, 1 day) / junior capital, lo, hi), from a figure a
///   risk steward posts with the seed, block, path count and hash of the `perp risk report` that produced it
///   (`perp risk verify` reproduces it byte for byte); each post moves the share by at most `maxStepBps`, and the
///   share moves by at most `maxDailyBps` from where it stood at the start of the current 24-hour window;
/// - the junior exit floor: c × the junior's stressed loss: the larger of the posted ES99 and the stress view's loss at
///   the deployment's reference shock (posted alongside it) while the figure is fresh, then that stress loss alone for
///   at most `GATE_FIGURE_MAX_AGE`;
/// - the boost multiplier: the largest clamp(σ/σ_ref, 1, cap) over the listed markets, with σ the oracle's realized
///   volatility and σ_ref, cap each market's `volReferenceBps`, `volCapBps` (the measure the risk engine scales
///   initial margin by).
/// While no figure is posted, or the last is older than `maxAge`, the split falls back to the backstop's capital
/// rule (`IBackstop.juniorWeight` × capital, the rule before [5/6]); `splitShare` says which applies.
/// @dev Parameters change through the owner, which a deployment makes the `IRiskTimelock`.
interface ITailRiskOracle {
    /// @notice What the steward posts: the report's figures and the inputs that reproduce it.
    struct Post {
        uint128 juniorEs99; // expected shortfall at 99 % of the junior's loss over the report's horizon (asset units)
        uint128 juniorCapital; // the junior's capital in the report's book (asset units)
        uint128 stressLoss; // the lens stress view's junior loss at the reference shock, at `blockNumber`
        uint64 blockNumber; // the block whose book the report read
        uint64 seed; // the report's seed
        uint32 paths; // the report's path count
        bytes32 reportHash; // keccak256 of the report's report.json bytes
    }

    /// @notice The stored figure: the post plus what the chain made of it.
    struct Figure {
        uint128 juniorEs99;
        uint128 juniorCapital;
        uint128 stressLoss;
        uint64 blockNumber;
        uint64 seed;
        uint32 paths;
        uint64 postedAt;
        uint16 targetShareBps; // clamp(m · ES99 / capital, lo, hi)
        uint16 shareBps; // the share after the per-update and per-day bounds
        bytes32 reportHash;
    }

    struct Params {
        uint32 multiplierBps; // m, 10_000 = 1×
        uint16 minShareBps; // lo
        uint16 maxShareBps; // hi
        uint16 maxStepBps; // most one post moves the share
        uint16 maxDailyBps; // most the share moves within a 24-hour window
        uint32 maxAge; // seconds after which a figure no longer sets the split
        uint32 coverageMultipleBps; // c: a junior exit may not leave junior below c × its stressed loss
        int32 referenceShockBps; // the stress view's reference shock (e.g. -2000 for -20 %)
    }

    enum SplitSource {
        CapitalRule, // no fresh figure: juniorWeight × capital
        PostedFigure // the posted, bounded share
    }

    error NotSteward(address caller);
    error InvalidParams();
    /// @notice The post's block is not before this block, is older than the last post's, or is too old to price now.
    error StaleOrFutureBlock(uint256 blockNumber);

    event StewardSet(address indexed steward);
    event ParamsSet(Params params);
    /// @notice A figure was posted: `targetShareBps` is what the figure asks for, `shareBps` what the bounds allowed.
    event FigurePosted(
        uint256 juniorEs99,
        uint256 juniorCapital,
        uint256 stressLoss,
        uint256 indexed blockNumber,
        uint256 seed,
        uint256 paths,
        bytes32 reportHash,
        uint256 targetShareBps,
        uint256 shareBps
    );

    /// @notice How long a stress-view loss keeps gating junior exits once the figure is stale (7 days).
    function GATE_FIGURE_MAX_AGE() external view returns (uint256);

    /// @notice The most blocks a post's `blockNumber` may lie behind the block it is posted in (7,200: a day at 12 s).
    function MAX_POST_LAG_BLOCKS() external view returns (uint256);

    /// @notice The length of the window `maxDailyBps` bounds (24 hours). A window starts at the first post at least
    /// `WINDOW` after the previous window's start; its anchor is the share just before that post.
    function WINDOW() external view returns (uint256);

    /// @notice The current window's start (0 before the first post) and the share then, bps.
    function dayWindow() external view returns (uint256 start, uint256 anchorShareBps);

    /// @notice Whether a figure exists and is at most `maxAge` old (it then sets the split).
    function isFresh() external view returns (bool);

    function pool() external view returns (address);
    function steward() external view returns (address);
    function params() external view returns (Params memory);
    function figure() external view returns (Figure memory);

    /// @notice Steward-only. Posts a report's figure; the share moves toward its target within the bounds.
    /// Reverts `NotSteward`, and `StaleOrFutureBlock` unless last post's block <= p.blockNumber < block.number and
    /// block.number - p.blockNumber <= MAX_POST_LAG_BLOCKS.
    /// @dev The first post sets the share to its target (already in [lo, hi]) and opens the first window. A later post
    /// first opens a new window if `WINDOW` has passed since the current one opened (anchor := the share before it),
    /// then sets share = clamp(clamp(target, anchor ± maxDaily), previous ± maxStep) (`TailRiskMath.boundedShareBps`):
    /// with unchanged parameters both bounds hold; after `setParams` narrowed the day's band the share walks back
    /// into it by at most `maxStep` a post. Returns the new share (bps).
    function post(Post calldata p) external returns (uint256 shareBps);

    /// @notice The junior's share of premium now (bps) and where it comes from; (0, CapitalRule) when no fresh
    /// figure applies (the backstop then uses its weights).
    function splitShare() external view returns (uint256 shareBps, SplitSource source);

    /// @notice c × the junior's stressed loss (asset units), rounded up: the larger of the posted ES99 and the stress
    /// view's loss at the reference shock while the figure is fresh (`fromEs99`: ES99 is the larger), the stress view's
    /// loss while it is younger than `GATE_FIGURE_MAX_AGE`, else 0 (no figure gates exits forever).
    /// @dev Why the larger while fresh: the report's models rarely gap between two keeper blocks, and a gap is what
    /// turns a crash into bad debt (the main job's one-block crash sits above every path of its own report); the
    /// reference shock is such a gap. ES99 alone would open the gate exactly when a gap is the risk.
    function juniorExitFloor() external view returns (uint256 floor, bool fromEs99);

    /// @notice The largest clamp(σ/σ_ref, 1, cap) over the pool's listed markets, bps (10_000 = 1×).
    function boostMultiplierBps() external view returns (uint256);

    /// @notice Pure: the share a figure asks for, clamp(m · es99 / capital, lo, hi), rounded up (capital 0: hi).
    function targetShareBps(uint256 es99, uint256 capital, Params calldata p) external pure returns (uint256);

    function setSteward(address steward_) external;
    function setParams(Params calldata p) external;
}
