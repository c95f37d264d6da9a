// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title ITrancheVault
/// @notice One ERC-4626 vault per risk tranche (junior, senior) over the collateral token. LPs deposit
/// collateral and receive shares; the backstop streams premium in (`addPremium`), restores repaid advances
/// (`restoreCapital`) and draws losses out (`coverLoss`). Exits go request -> cooldown -> claim so that LPs cannot
/// run ahead of a known loss.
/// @dev Accounting:
/// - `grossAssets() = asset.balanceOf(vault) - unvestedPremium()` and
///   `totalAssets() = grossAssets() - visibleLoss()` (both saturating at zero), where `visibleLoss()` is this
///   tranche's part of the backstop inventory's unrealized loss (`IBackstop.visibleLoss`, junior first). Every
///   price (deposits, mints, requests, claims, cancels, previews, `capital()`) is taken at `totalAssets()`, so
///   nobody exits or buys ahead of a loss the chain already shows. While the backstop reports the loss as
///   unknown, `totalAssets()` is 0, max* are 0 and deposit/mint/request/claim/cancel revert `VisibleLossUnknown()`.
/// - Tokens donated directly to the vault count at once; the 6-decimal virtual-share offset makes a donation cost
///   the donor more than it can take from a later depositor. Restored capital (`restoreCapital`) counts at once.
/// - Premium vests linearly: a payout at time t vests until `(t / D + 2) * D` (D = `premiumStreamDuration()`), i.e.
///   over between D and 2D seconds, on its own ramp. A later payout never moves an earlier payout's end, so
///   anyone calling `distributePremium` cannot slow what is already streaming, and a deposit placed just before a
///   payout earns only its time-weighted share of it.
/// - The standard ERC-4626 exits `withdraw`/`redeem` always revert `UseRequestWithdraw()` and
///   `maxWithdraw`/`maxRedeem` return 0. Exit with `requestWithdraw` -> wait `cooldown()` -> `claim` within
///   `claimWindow()`.
/// - A request is not a free option: escrowed shares (held by the vault itself while a request is open) stay in
///   `totalSupply()`, keep bearing every loss, and earn nothing. The claim pays `min(assetsAtRequest, value now)`;
///   a cancel returns only shares worth at most `assetsAtRequest` at the price of the cancel and burns the rest
///   (their gain goes to the LPs who stayed). Escrowed shares count in `IBackstop.capital()` until claimed.
/// - Wiped and restarted (RISK 30, 56): see `isWiped`. A tranche whose price fell below the floor locks its
///   deposits while it still holds anything above the floor; once what it holds (premium included) is below the
///   floor and no visible loss reaches it, the next deposit starts a new share epoch: every old share is written
///   off (reads as 0: the old holders keep what was left, nothing), what was left (dust below the floor) streams
///   into the new epoch like premium, and new LPs buy at the initial price. Nobody buys old losses at ~0.
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
    /// @notice `deposit`/`mint` for the vault itself: its own balance is escrow only, such shares would be stuck.
    error InvalidReceiver(address receiver);
    /// @notice The backstop cannot tell the visible loss now (its inventory-loss source reverted): nothing is priced.
    error VisibleLossUnknown();

    /* EVENTS */

    /// @notice Premium was pulled from the backstop; it vests linearly until `streamEnd`.
    /// @param assets The premium added by this call.
    /// @param streamEnd The timestamp at which this payout (and every earlier one) is fully vested.
    event PremiumAdded(uint256 assets, uint64 streamEnd);
    /// @notice A repaid advance was pulled from the backstop and counts in `totalAssets()` at once.
    event CapitalRestored(uint256 assets);
    /// @notice A wiped tranche restarted at the initial price: `writtenOffShares` LP shares of the previous epoch now
    /// read as 0; `forfeitedAssets` (everything the vault held, all below the floor) streams into the new epoch.
    event TrancheRestarted(uint32 indexed epoch, uint256 writtenOffShares, uint256 forfeitedAssets);
    /// @notice The backstop drew a loss from the tranche.
    /// @param assets The amount asked for.
    /// @param paid The amount paid (`< assets` only when the vault ran dry).
    /// @param to The receiver of the payment.
    event LossCovered(uint256 assets, uint256 paid, address indexed to);
    /// @notice `owner` escrowed `shares` into the vault to exit after the cooldown.
    event WithdrawRequested(address indexed owner, uint256 shares, uint256 assetsAtRequest, uint64 unlockTime);
    /// @notice `owner` claimed a request: `shares` were burned and `assets` paid to `owner`.
    event WithdrawClaimed(address indexed owner, uint256 shares, uint256 assets);
    /// @notice `owner` cancelled a request: `returned` shares went back to `owner`, `burned` (the escrow's gain
    /// since the request) were burned for the remaining LPs.
    event WithdrawCancelled(address indexed owner, uint256 returned, uint256 burned);

    /* BACKSTOP */

    /// @notice The backstop contract allowed to add premium and draw losses. Immutable, set in the constructor.
    function backstop() external view returns (address);

    /// @notice Backstop-only. Pulls `assets` of the asset token from the backstop (which must have approved the
    /// vault) and streams them into `totalAssets()` linearly until `(now / D + 2) * D`, D = `premiumStreamDuration()`
    /// (between D and 2D from now). Premium already streaming keeps its end: nothing vests later than promised.
    /// @dev `assets == 0` is a no-op (no transfer, no event), so a backstop that splits premium by weight never
    /// reverts on a rounded-down zero share.
    /// @param assets The premium to add, in asset units.
    function addPremium(uint256 assets) external;

    /// @notice Backstop-only. Pulls `assets` (a repaid profit advance this tranche paid) from the backstop and
    /// counts them in `totalAssets()` at once, as restored capital, not streamed premium. Emits `CapitalRestored`.
    /// @dev `assets == 0` is a no-op.
    function restoreCapital(uint256 assets) external;

    /// @notice Backstop-only. Pays up to `assets` to `to` at once out of the vault's token balance, vested assets
    /// first, then unvested premium (which is then taken out of the running stream). Lowers the share price.
    /// Emits `LossCovered`.
    /// @dev `assets == 0` is a no-op returning 0 (no event).
    /// @param assets The loss to cover, in asset units.
    /// @param to The receiver of the payment (not zero).
    /// @return paid `assets`, or the whole token balance if that is smaller.
    function coverLoss(uint256 assets, address to) external returns (uint256 paid);

    /* EXITS */

    /// @notice Starts an exit: escrows `shares` from the caller into the vault (they stay in `totalSupply()`, keep
    /// absorbing losses and earn nothing), records `assetsAtRequest = previewRedeem(shares)` (net of the visible
    /// loss) and `unlockTime = block.timestamp + cooldown()`.
    /// @dev One open request per owner: a second request while one is open reverts `WithdrawRequestPending`
    /// (cancel first, then request the new total; the cooldown restarts). Reverts `ZeroShares` for 0,
    /// `VisibleLossUnknown` while the loss is unknown, and with OpenZeppelin's `ERC20InsufficientBalance` when the
    /// caller holds fewer shares. A request of an earlier epoch (written off by a restart) no longer counts.
    /// @param shares The shares to escrow.
    /// @return unlockTime The first timestamp at which `claim` succeeds.
    function requestWithdraw(uint256 shares) external returns (uint256 unlockTime);

    /// @notice Completes the caller's exit: burns the escrowed shares and pays
    /// `min(assetsAtRequest, convertToAssets(shares))` (rounded down) to the caller, both net of the visible loss.
    /// Losses during the cooldown (realized or visible) apply, gains do not: the difference stays with the
    /// remaining LPs. A claim never pays more than the holder's share of `totalAssets()`.
    /// @dev Claimable while `unlockTime <= block.timestamp <= unlockTime + claimWindow()`. Reverts
    /// `NoWithdrawRequest` without a request, `CooldownActive(unlockTime)` before, and
    /// `ClaimWindowExpired(unlockTime + claimWindow())` after the window (then cancel and request again).
    /// Reverts `VisibleLossUnknown` while the loss is unknown.
    /// Emits `WithdrawClaimed` and the ERC-4626 `Withdraw(owner, owner, owner, assets, shares)`.
    /// @return assets The amount paid.
    function claim() external returns (uint256 assets);

    /// @notice Cancels the caller's request, at any time. What a cancel costs: the holder gets back
    /// `min(shares, convertToShares(assetsAtRequest))` (rounded down), i.e. shares worth at most what the escrowed
    /// shares were worth at the request. If the price rose meanwhile (premium, donations, restored capital), the
    /// excess shares are burned and their value stays with the LPs who did not leave; if it fell, every share
    /// comes back and the loss was borne. The holder also loses the cooldown time already served.
    /// @dev Reverts `NoWithdrawRequest` without a request, `VisibleLossUnknown` while the loss is unknown. Emits
    /// `WithdrawCancelled(owner, returned, burned)`.
    /// @return returned The shares given back to the caller.
    function cancelWithdraw() external returns (uint256 returned);

    /// @notice What `cancelWithdraw` by `owner` would do now: the shares it would give back and burn (0, 0 without
    /// a request of the current epoch or while the visible loss is unknown). The SDK shows it as the cancel cost.
    function previewCancel(address owner) external view returns (uint256 returned, uint256 burned);

    /// @notice The open withdraw request of `owner` (all zero when none, or when it belongs to an earlier epoch).
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

    /// @notice Cumulative amount pulled by `restoreCapital` (repaid advances).
    function totalCapitalRestored() external view returns (uint256);

    /// @notice Token balance minus unvested premium (saturating): `totalAssets()` before the visible loss.
    function grossAssets() external view returns (uint256);

    /// @notice This tranche's part of the visible loss: `grossAssets() - totalAssets()` (all of it when unknown).
    function visibleLoss() external view returns (uint256);

    /// @notice The share epoch: starts at 0 and increases by one at each restart of a wiped tranche; shares and
    /// requests of an earlier epoch read as 0.
    function epoch() external view returns (uint32);

    /// @notice True when LP shares are outstanding but the share price has fallen below one millionth of the
    /// initial price (`totalAssets() * 10**(decimalsOffset + 6) < LP shares`, computed without overflow), which
    /// includes `totalAssets() == 0`. LP shares are `totalSupply()` minus a 1-wei sentinel locked in the vault.
    /// Deposits and mints (and `maxDeposit`/`maxMint`, which then return 0) are LOCKED, reverting `TrancheWiped()`:
    /// - while wiped and the vault still holds at least the floor amount (`ceil(LP shares / 1e12)`, unvested
    ///   premium included) or any visible loss reaches it: that value belongs to the old shares and may lift the
    ///   price back above the floor;
    /// - whenever the visible loss reaching this tranche exceeds its gross assets (new money would pay it).
    /// While wiped with everything held below the floor and no visible loss reaching it, the next deposit RESTARTS
    /// the tranche (`TrancheRestarted`, see `epoch`) and is priced at the initial price (`previewDeposit` shows it).
    function isWiped() external view returns (bool);
}
