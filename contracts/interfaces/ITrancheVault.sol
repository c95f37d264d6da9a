// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title ITrancheVault
/// @notice One ERC-4626 vault per risk tranche (junior, senior) over the collateral token. LPs deposit
/// collateral and receive shares; the backstop streams premium in (`addPremium`) and draws bad-debt losses out
/// (`coverLoss`). Exits go request -> cooldown -> claim so that LPs cannot run ahead of a known loss.
/// @dev Accounting:
/// - `totalAssets() = asset.balanceOf(vault) - unvestedPremium()` (saturating at zero). Tokens donated directly
///   to the vault count at once; the 6-decimal virtual-share offset makes a donation cost the donor more than
///   it can take from a later depositor.
/// - Premium vests linearly over `premiumStreamDuration()`; a new `addPremium` restarts one full-duration stream
///   for (unvested remainder + new amount), so a deposit placed just before it earns only its time-weighted share.
/// - The standard ERC-4626 exits `withdraw`/`redeem` always revert `UseRequestWithdraw()` and
///   `maxWithdraw`/`maxRedeem` return 0. Exit with `requestWithdraw` -> wait `cooldown()` -> `claim` within
///   `claimWindow()`.
/// - Escrowed shares (held by the vault itself while a request is open) stay in `totalSupply()` and keep
///   absorbing losses; the claim pays `min(assetsAtRequest, value now)`, so cooldown gains stay with the LPs
///   who remain.
/// - A wiped tranche (see `isWiped`) refuses deposits: nobody buys the old LPs' losses at a price near zero.
/// - Rounding is in the vault's favour everywhere (shares out floor, assets in ceil, claims floor).
interface ITrancheVault is IERC4626 {
    /* ERRORS */

    /// @notice The caller is not the backstop.
    error NotBackstop(address caller);
    /// @notice The constructor got a zero backstop address.
    error ZeroBackstop();
    /// @notice The constructor got a cooldown outside [MIN_COOLDOWN, MAX_COOLDOWN].
    error InvalidCooldown(uint64 cooldown);
    /// @notice The constructor got a claim window outside [MIN_CLAIM_WINDOW, MAX_CLAIM_WINDOW].
    error InvalidClaimWindow(uint64 claimWindow);
    /// @notice The constructor got a premium stream duration outside [MIN_STREAM_DURATION, MAX_STREAM_DURATION].
    error InvalidPremiumStreamDuration(uint64 premiumStreamDuration);
    /// @notice `withdraw` and `redeem` are disabled: exits go through `requestWithdraw` and `claim`.
    error UseRequestWithdraw();
    /// @notice The tranche is wiped (see `isWiped`): deposits and mints are locked.
    error TrancheWiped();
    /// @notice `requestWithdraw(0)`.
    error ZeroShares();
    /// @notice The owner already has an open request; cancel it (or claim it) first.
    error WithdrawRequestPending(address owner, uint256 shares, uint64 unlockTime);
    /// @notice The owner has no open withdraw request.
    error NoWithdrawRequest(address owner);
    /// @notice `claim` before the request's unlock time.
    error CooldownActive(uint64 unlockTime);
    /// @notice `claim` after `unlockTime + claimWindow`; the owner must `cancelWithdraw` and request again.
    error ClaimWindowExpired(uint64 deadline);
    /// @notice `coverLoss` to the zero address.
    error ZeroRecipient();

    /* EVENTS */

    /// @notice Premium was pulled from the backstop; the whole unvested balance now vests linearly until `streamEnd`.
    /// @param assets The premium added by this call.
    /// @param streamEnd The timestamp at which all unvested premium is vested.
    event PremiumAdded(uint256 assets, uint64 streamEnd);
    /// @notice The backstop drew a loss from the tranche.
    /// @param assets The amount asked for.
    /// @param paid The amount paid (`< assets` only when the vault ran dry).
    /// @param to The receiver of the payment.
    event LossCovered(uint256 assets, uint256 paid, address indexed to);
    /// @notice `owner` escrowed `shares` into the vault to exit after the cooldown.
    event WithdrawRequested(address indexed owner, uint256 shares, uint256 assetsAtRequest, uint64 unlockTime);
    /// @notice `owner` claimed a request: `shares` were burned and `assets` paid to `owner`.
    event WithdrawClaimed(address indexed owner, uint256 shares, uint256 assets);
    /// @notice `owner` cancelled a request: `shares` were returned to `owner`.
    event WithdrawCancelled(address indexed owner, uint256 shares);

    /* BACKSTOP */

    /// @notice The backstop contract allowed to add premium and draw losses. Immutable, set in the constructor.
    function backstop() external view returns (address);

    /// @notice Backstop-only. Pulls `assets` of the asset token from the backstop (which must have approved the
    /// vault) and streams them into `totalAssets()` linearly over `premiumStreamDuration()` seconds. The unvested
    /// remainder of earlier premium and the new amount restart one full-duration stream.
    /// @dev `assets == 0` is a no-op (no transfer, no event, the running stream is not restarted), so a backstop
    /// that splits premium by weight never reverts on a rounded-down zero share.
    /// @param assets The premium to add, in asset units.
    function addPremium(uint256 assets) external;

    /// @notice Backstop-only. Pays up to `assets` to `to` at once out of the vault's token balance, vested assets
    /// first, then unvested premium (which is then taken out of the running stream). Lowers the share price.
    /// Emits `LossCovered`.
    /// @dev `assets == 0` is a no-op returning 0 (no event).
    /// @param assets The loss to cover, in asset units.
    /// @param to The receiver of the payment (not zero).
    /// @return paid `assets`, or the whole token balance if that is smaller.
    function coverLoss(uint256 assets, address to) external returns (uint256 paid);

    /* EXITS */

    /// @notice Starts an exit: escrows `shares` from the caller into the vault (they stay in `totalSupply()` and
    /// keep absorbing losses), records `assetsAtRequest = previewRedeem(shares)` and
    /// `unlockTime = block.timestamp + cooldown()`.
    /// @dev One open request per owner: a second request while one is open reverts `WithdrawRequestPending`
    /// (cancel first, then request the new total; the cooldown restarts). Reverts `ZeroShares` for 0, and with
    /// OpenZeppelin's `ERC20InsufficientBalance` when the caller holds fewer shares.
    /// @param shares The shares to escrow.
    /// @return unlockTime The first timestamp at which `claim` succeeds.
    function requestWithdraw(uint256 shares) external returns (uint256 unlockTime);

    /// @notice Completes the caller's exit: burns the escrowed shares and pays
    /// `min(assetsAtRequest, convertToAssets(shares))` (rounded down) to the caller. Losses during the cooldown
    /// apply, gains do not: the difference stays with the remaining LPs.
    /// @dev Claimable while `unlockTime <= block.timestamp <= unlockTime + claimWindow()`. Reverts
    /// `NoWithdrawRequest` without a request, `CooldownActive(unlockTime)` before, and
    /// `ClaimWindowExpired(unlockTime + claimWindow())` after the window (then cancel and request again).
    /// Emits `WithdrawClaimed` and the ERC-4626 `Withdraw(owner, owner, owner, assets, shares)`.
    /// @return assets The amount paid.
    function claim() external returns (uint256 assets);

    /// @notice Returns the caller's escrowed shares to the caller, at any time. Reverts `NoWithdrawRequest`
    /// without a request.
    function cancelWithdraw() external;

    /// @notice The open withdraw request of `owner` (all zero when none).
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime);

    /* PARAMETERS AND VIEWS */

    /// @notice Seconds between `requestWithdraw` and the first possible `claim`.
    function cooldown() external view returns (uint64);

    /// @notice Seconds after the unlock time during which `claim` is possible.
    function claimWindow() external view returns (uint64);

    /// @notice Seconds over which premium vests into `totalAssets()`.
    function premiumStreamDuration() external view returns (uint64);

    /// @notice Premium not yet vested into `totalAssets()`.
    /// @dev Warning: rounds up, so `totalAssets()` never counts a premium wei before it has vested.
    function unvestedPremium() external view returns (uint256);

    /// @notice Cumulative premium pulled by `addPremium`.
    function totalPremiumReceived() external view returns (uint256);

    /// @notice Cumulative amount paid out by `coverLoss`.
    function totalLossCovered() external view returns (uint256);

    /// @notice True when LP shares are outstanding but the share price has fallen below one millionth of the
    /// initial price (`totalAssets() * 10**(decimalsOffset + 6) < LP shares`), which includes `totalAssets() == 0`.
    /// LP shares are `totalSupply()` minus a 1-wei sentinel the implementation may lock in the vault. While wiped, `deposit`/`mint` revert `TrancheWiped()` and
    /// `maxDeposit`/`maxMint` return 0. A dust donation cannot reopen it; premium vesting or a real recapitalisation
    /// (donation) above the floor can.
    function isWiped() external view returns (bool);
}
