// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITrancheExitGate
/// @notice Coverage-gated junior exits (DESIGN "LP economics"): a junior claim may not leave junior below
/// `ITailRiskOracle.juniorExitFloor()`. Requests queue FIFO in request order; capacity = net assets − assets of claims
/// still settling − floor; a request is claimable for min(its assets, capacity − live requests ahead of it), so a
/// claim made while coverage is thin takes the claimable part (prorated) and the rest keeps its place. While any part
/// is held back the claim window does not run out. Senior exits are never gated (the senior vault has no gate).
/// @dev As built, the queue counts SHARES (the views convert to assets at today's price, rounded down): a share's
/// value moves with the tranche, so "capacity" = priced shares − shares of claims settling − the shares the floor is
/// worth (rounded up), and a request may start leaving with min(its shares, capacity − shares queued ahead of it).
/// Counting assets at request instead would overcount every request after a loss and hold the last LP back forever,
/// even with no floor. With no oracle (or a zero floor) nothing is ever held back. The claimed part's cap is the
/// request's assets pro rata, rounded down; the rest keeps its assets, shares and place.
/// Claim window while gated: a claim that is held back (wholly or in part) restarts the request's window at that
/// moment (`withdrawRequest`'s third value becomes the window's start), so the window never runs out while the LP
/// keeps claiming at least once per `claimWindow`; a request left unclaimed past its window expires as before
/// (cancel and request again) and stops counting in the queue.
/// "Ahead" never undercounts: dead requests (cancelled, fully claimed, expired) are skipped at the head of the
/// queue, at most 4 per claim or view, any number by `advanceExitQueue`; until skipped they count
/// (a conservative overcount, cleared once every live request ahead of them has left), but never beyond the escrow
/// of the other open requests: cancelled requests cannot hold anyone back, and with a zero floor nothing is.
interface ITrancheExitGate {
    /// @notice A claim found nothing claimable: the request keeps its place.
    /// `claim` then returns (0, 0) and the request's claim window restarts (see above).
    event ClaimGated(address indexed owner, uint256 requestedAssets, uint256 aheadAssets, uint256 capacity);

    /// @notice The gate now: the floor (`ITailRiskOracle.juniorExitFloor()`, 0 without an oracle), the capacity above
    /// it (assets that may still start leaving, before the queue) and the assets queued (from the head, an upper
    /// bound while dead requests wait to be skipped). Senior: (0, totalAssets(), 0).
    function exitGate() external view returns (uint256 floor, uint256 capacity, uint256 queuedAssets);
    /// @notice `owner`'s request: what a claim takes now (the cap of the claimable part: what `claim` then returns as
    /// `assetsCap`, the cooldown aside; 0 once the window expired), what is left of the request (its assets at
    /// request), and the assets queued ahead of it. "62 % claimable now" is claimableAssets / requestedAssets.
    /// All zero without a request; senior: (requested, requested, 0).
    function claimableNow(address owner)
        external
        view
        returns (uint256 claimableAssets, uint256 requestedAssets, uint256 aheadAssets);
    /// @notice Permissionless: skips up to `maxSteps` dead requests at the head of the queue (never a live one).
    /// @return skipped The requests skipped.
    function advanceExitQueue(uint256 maxSteps) external returns (uint256 skipped);
}
