// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITrancheExitGate
/// @notice Coverage-gated junior exits (DESIGN "LP economics"): a junior claim may not leave junior below
/// `ITailRiskOracle.juniorExitFloor()`. Requests queue FIFO in request order; capacity = net assets − assets of claims
/// still settling − floor; a request is claimable for min(its assets, capacity − live requests ahead of it), so a
/// claim made while coverage is thin takes the claimable part (prorated) and the rest keeps its place. While any part
/// is held back the claim window does not run out. Senior exits are never gated (the senior vault has no gate).
interface ITrancheExitGate {
    /// @notice A claim found nothing claimable: the request keeps its place.
    event ClaimGated(address indexed owner, uint256 requestedAssets, uint256 aheadAssets, uint256 capacity);

    /// @notice The gate now: the floor, the capacity above it, and the assets of live requests queued.
    function exitGate() external view returns (uint256 floor, uint256 capacity, uint256 queuedAssets);
    /// @notice `owner`'s request: what is claimable now, what it asked for, and the live requests ahead of it.
    /// "62 % claimable now" is claimableAssets / requestedAssets.
    function claimableNow(address owner)
        external
        view
        returns (uint256 claimableAssets, uint256 requestedAssets, uint256 aheadAssets);
}
