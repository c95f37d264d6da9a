// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ITrancheBoost
/// @notice Boost points for staying through volatile windows (DESIGN "LP economics"). Shares not in a withdrawal
/// request accrue points in volatility-seconds: Δt × clamp(σ/σ_ref, 1, cap) per share, the multiplier being the
/// `ITailRiskOracle.boostMultiplierBps()` stored at the last `refreshBoost` (it applies from then on). A fixed part
/// of every premium the backstop pays (`IBackstop.boostShareBps`) goes into the boost pot instead of the share price;
/// the pot is paid by points: a claim takes pot × its points / all points not yet claimed, and spends its points.
/// Curve-gauge style checkpoints on every share movement: a deposit earns from its block, a request stops the
/// escrowed shares' points, shares moved carry no points (what the sender accrued stays the sender's).
/// @dev Points are shares × bps-seconds (exact integers): Σ holders' `boostPoints` == `totalBoostPoints` exactly, at
/// every moment. The multiplier is clamped to [1×, 100×] (`BoostMath.MAX_MULTIPLIER_BPS`) and changes only at `refreshBoost`
/// (anyone may call it; it applies from then on, to every holder alike). Escrowed shares (a request or a settling
/// claim) earn nothing; shares written off by a restart earn up to the restart and never after (their points stay
/// claimable). The pot is held in the vault's token balance but is not tranche value (`grossAssets` leaves it out, so
/// depositing before a boost payout buys none of it); it bears losses after vested assets and unvested premium
/// (`coverLoss`), never the points. Conservation: `boostPot()` + Σ `BoostClaimed` assets == Σ `BoostPremiumAdded`
/// assets − what `coverLoss` took from the pot.
interface ITrancheBoost {
    error NothingToClaim(address owner);

    event BoostMultiplierSet(uint256 multiplierBps);
    event BoostPremiumAdded(uint256 assets);
    event BoostClaimed(address indexed owner, uint256 points, uint256 assets);

    /// @notice The volatility index: ∫ multiplier dt since deployment (bps-seconds), as of now.
    function volatilityIndex() external view returns (uint256);
    /// @notice The multiplier accruing now (bps), stored at the last `refreshBoost`.
    function boostMultiplierBps() external view returns (uint256);
    /// @notice Permissionless: accrues the index to now, then stores the oracle's multiplier for what follows.
    function refreshBoost() external returns (uint256 multiplierBps);
    /// @notice `owner`'s unclaimed points, accrued to now.
    function boostPoints(address owner) external view returns (uint256);
    /// @notice Every holder's unclaimed points, accrued to now.
    function totalBoostPoints() external view returns (uint256);
    /// @notice The boost premium not claimed yet (asset units).
    function boostPot() external view returns (uint256);
    /// @notice What `claimBoost` would pay `owner` now: pot × points / total points, rounded down.
    function claimableBoost(address owner) external view returns (uint256);
    /// @notice Pays the caller its share of the pot and spends its points. Emits `BoostClaimed(owner, points, assets)`.
    /// @dev Reverts `NothingToClaim` without points, and also when the share rounds down to 0 (the points are kept:
    /// they are never spent for nothing).
    function claimBoost() external returns (uint256 assets);
    /// @notice Backstop-only. Pulls `assets + boostAssets`: `assets` streams into the share price as premium
    /// (exactly as `ITrancheVault.addPremium`), `boostAssets` joins the boost pot. Both 0: a no-op.
    function addBoostedPremium(uint256 assets, uint256 boostAssets) external;
}
