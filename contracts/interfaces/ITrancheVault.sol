// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title ITrancheVault
/// @notice One ERC-4626 vault per risk tranche (junior, senior) over the collateral token. LPs deposit
/// collateral and receive shares; the backstop streams premium in (`addPremium`), restores repaid advances
/// (`restoreCapital`) and draws losses out (`coverLoss`). Exits go request -> cooldown -> claim -> settlement ->
/// `settleClaim`, so that LPs cannot run ahead of a loss the chain already shows, nor of one it is about to realize.
/// @dev Accounting:
/// - `grossAssets() = asset.balanceOf(vault) - unvestedPremium()` (saturating) and
///   `totalAssets() = grossAssets() - visibleLoss() + receivable()`, where `visibleLoss()` is this tranche's part
///   of the pool's backstop-inventory loss (`IInventoryLossSource.backstopInventoryLoss`, read from `lossSource()`
///   directly, split junior first: senior bears what junior's gross assets do not cover) and `receivable()` is the
///   profit advance this tranche paid and is still owed (`IBackstop.advances()`). Every price (deposits, mints,
///   requests, claims, settlements, cancels, previews, `capital()`) is taken at `totalAssets()`, so nobody exits or
///   buys ahead of a loss the chain already shows. While the loss source reverts the loss is unknown:
///   `totalAssets()` is 0, max* are 0 and deposit/mint/request/claim/settleClaim/cancel revert
///   `VisibleLossUnknown()`.
/// - Advances are tranche value (RISK 64): a profit draw (`coverLoss` followed by the backstop's advance record)
///   moves tokens out and the same amount into `receivable()`; its repayment (`restoreCapital`) moves it back. With
///   no unvested premium drawn, neither moves the share price, so nobody gains by depositing ahead of a repayment.
///   (An advance larger than the vested assets takes unvested premium, which then counts at once as receivable.)
/// - Tokens donated directly to the vault count at once; the 6-decimal virtual-share offset makes a donation cost
///   the donor more than it can take from a later depositor.
/// - Premium vests linearly: a payout at time t vests until `(t / D + 2) * D` (D = `premiumStreamDuration()`), i.e.
///   over between D and 2D seconds, on its own ramp. A later payout never moves an earlier payout's end, so
///   anyone calling `distributePremium` cannot slow what is already streaming, and a deposit placed just before a
///   payout earns only its time-weighted share of it.
/// - The standard ERC-4626 exits `withdraw`/`redeem` always revert `UseRequestWithdraw()` and
///   `maxWithdraw`/`maxRedeem` return 0. Exit with `requestWithdraw` -> wait `cooldown()` -> `claim` within
///   `claimWindow()` -> wait `settlementDelay()` -> `settleClaim(owner)` (anyone may call it; it pays the owner).
/// - A request is not a free option: escrowed shares (held by the vault itself while a request or a claim is open)
///   stay in `totalSupply()`, keep bearing every loss, and earn nothing. The payout is
///   `min(assetsAtRequest, value at the claim, value at the settlement)`; a cancel returns only shares worth at
///   most `assetsAtRequest` at the price of the cancel and burns the rest (their gain goes to the LPs who stayed).
///   Escrowed shares count in `IBackstop.capital()` until settled.
/// - Wiped and restarted (RISK 30, 56, 64): see `isWiped`. A tranche whose price fell below the floor locks its
///   deposits while it still holds anything above the floor, receivable included, or any visible loss reaches it (a
///   visible loss can still reverse: it belongs to the old shares). Once what it holds and is owed is below the
///   floor and no visible loss reaches it, the next deposit starts a new share epoch: every old share is written
///   off, what was left (dust below the floor) streams into the new epoch like premium, a dust receivable is
///   written off too (its repayment, if it ever comes, streams in like premium), and new LPs buy at the initial
///   price. Nobody buys old losses at ~0 and nobody inherits an old receivable.
/// - Written-off shares stay ERC-20 correct: a holder's old-epoch balance keeps reading in `balanceOf` (and
///   `totalSupply()`, which is always the sum of the balances) until it is burned with a
///   `Transfer(holder, address(0), amount)`: on the holder's next share movement, or by anyone through
///   `burnWrittenOff(holder)`. It is worth nothing, cannot be transferred and does not count in the share price
///   (`writtenOffSupply()`); the escrow of the old epoch's open requests is burned at the restart, with its event.
/// - Rounding is in the vault's favour everywhere (shares out floor, assets in ceil, claims floor).
interface ITrancheVault is IERC4626 {
    /// @notice Constructor parameters besides the asset, name and symbol.
    /// @param backstop The backstop: the only caller of `addPremium`/`restoreCapital`/`coverLoss`, and where
    /// `receivable()` is read (`IBackstop.advances()`).
    /// @param lossSource The pool (`IInventoryLossSource`) whose backstop-inventory loss the vault reads directly;
    /// `address(0)` for a tranche behind no inventory (visible loss 0 forever). Probed once in the constructor, as
    /// `Backstop.initialize` probes the pool: a source that does not answer then is not tracked (`lossSource() == 0`).
    /// @param junior `address(0)` for the junior tranche; for the senior tranche, the junior vault whose gross
    /// assets absorb the visible loss first.
    /// @param cooldown Seconds from `requestWithdraw` to the first `claim`, in [MIN_COOLDOWN, MAX_COOLDOWN].
    /// @param claimWindow Seconds after the unlock time during which `claim` may start, in [MIN_CLAIM_WINDOW,
    /// MAX_CLAIM_WINDOW].
    /// @param settlementDelay Seconds from `claim` to `settleClaim`, in [MIN_SETTLEMENT_DELAY,
    /// MAX_SETTLEMENT_DELAY]; must exceed the time the keeper takes to liquidate an insolvent account.
    /// @param premiumStreamDuration D, in [MIN_STREAM_DURATION, MAX_STREAM_DURATION].
    struct Config {
        address backstop;
        address lossSource;
        address junior;
        uint64 cooldown;
        uint64 claimWindow;
        uint64 settlementDelay;
        uint64 premiumStreamDuration;
    }

    /* ERRORS */

    /// @notice The caller is not the backstop.
    error NotBackstop(address caller);
    /// @notice The constructor got a zero backstop address.
    error ZeroBackstop();
    /// @notice The constructor got a cooldown outside [MIN_COOLDOWN, MAX_COOLDOWN].
    error InvalidCooldown(uint64 cooldown);
    /// @notice The constructor got a claim window outside [MIN_CLAIM_WINDOW, MAX_CLAIM_WINDOW].
    error InvalidClaimWindow(uint64 claimWindow);
    /// @notice The constructor got a settlement delay outside [MIN_SETTLEMENT_DELAY, MAX_SETTLEMENT_DELAY].
    error InvalidSettlementDelay(uint64 settlementDelay);
    /// @notice The constructor got the vault's own address, or an address without code, as the junior tranche.
    error InvalidJunior(address junior);
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
    /// @notice The owner's claim is settling (`claim` already called): it can be neither claimed again nor
    /// cancelled, only settled from `settleAt` on.
    error ClaimSettling(address owner, uint64 settleAt);
    /// @notice `settleClaim` for an owner whose request has not been claimed yet.
    error ClaimNotStarted(address owner);
    /// @notice `settleClaim` before the claim's settlement time.
    error SettlementPending(address owner, uint64 settleAt);
    /// @notice `settleClaim` would pay more than the vault's vested cash: part of the tranche's value is a receivable
    /// (a profit advance not repaid yet), and this claim's share of it is paid once the advance is repaid.
    error ClaimExceedsLiquidity(uint256 assets, uint256 liquid);
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
    /// @notice A repaid advance was pulled from the backstop (it already counted in `totalAssets()` as receivable).
    event CapitalRestored(uint256 assets);
    /// @notice A wiped tranche restarted at the initial price: the `writtenOffShares` LP shares of the previous epoch
    /// (escrow included) are worth nothing; `forfeitedAssets` (everything the vault held, all below the floor)
    /// streams into the new epoch; `writtenOffReceivable` (a dust advance still owed) no longer counts as value.
    /// Holders' written-off balances are burned, each with its `Transfer` event, on their next touch (see
    /// `burnWrittenOff`); the old escrow is burned at once.
    event TrancheRestarted(
        uint32 indexed epoch, uint256 writtenOffShares, uint256 forfeitedAssets, uint256 writtenOffReceivable
    );
    /// @notice The backstop drew a loss from the tranche.
    /// @param assets The amount asked for.
    /// @param paid The amount paid (`< assets` only when the vault ran dry).
    /// @param to The receiver of the payment.
    event LossCovered(uint256 assets, uint256 paid, address indexed to);
    /// @notice `owner` escrowed `shares` into the vault to exit after the cooldown.
    event WithdrawRequested(address indexed owner, uint256 shares, uint256 assetsAtRequest, uint64 unlockTime);
    /// @notice `owner` claimed a matured request: its `shares` stay escrowed and keep bearing losses until
    /// `settleAt`; the payout will be at most `assetsCap` (= assetsAtRequest).
    event ClaimStarted(address indexed owner, uint256 shares, uint256 assetsCap, uint64 settleAt);
    /// @notice `owner`'s claim was settled: `shares` were burned and `assets` paid to `owner`.
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

    /// @notice Backstop-only. Pulls `assets` (a repaid profit advance this tranche paid) from the backstop. They
    /// already counted in `totalAssets()` as `receivable()` (the backstop lowers `advances()` first), so the share
    /// price does not move. The part repaying a receivable written off by a restart streams in like premium.
    /// Emits `CapitalRestored`.
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
    /// @dev One open request per owner: a second request while one is open (or while its whole claim settles)
    /// reverts `WithdrawRequestPending` (cancel first, then request the new total; the cooldown restarts). A request
    /// beside the settled part of a prorated junior claim is allowed. Escrowing stops the shares' boost points
    /// (`ITrancheBoost`). A junior request joins the exit queue (`ITrancheExitGate`). Reverts `ZeroShares` for 0,
    /// `VisibleLossUnknown` while the loss is unknown, and with OpenZeppelin's `ERC20InsufficientBalance` when the
    /// caller holds fewer shares. A request of an earlier epoch (written off by a restart) no longer counts.
    /// @param shares The shares to escrow.
    /// @return unlockTime The first timestamp at which `claim` succeeds.
    function requestWithdraw(uint256 shares) external returns (uint256 unlockTime);

    /// @notice Step one of the caller's exit (RISK 63): starts the settlement. The escrowed shares stay in the vault
    /// and keep bearing every loss until `settleAt = now + settlementDelay()`; from then `settleClaim` pays
    /// `min(assetsCap, their value then)` with `assetsCap = assetsAtRequest` (no gain above the request's value).
    /// The cap is not lowered to the value at the claim: a claim made ahead of a liquidation would then keep the
    /// premium vesting during the delay up to its share of the deficit, which one made after it does not.
    /// Why two steps: the chain cannot list the insolvent accounts nobody has liquidated yet, so a claim cannot
    /// price their deficit. It does not have to: the keeper liquidates a deficit the chain shows within a few blocks,
    /// less than `settlementDelay()`, and that liquidation draws the deficit from this tranche while the claimed
    /// shares are still in it, so they bear their pro-rata part. Claiming before or after that liquidation
    /// therefore pays the same (to the rounding of each path; forge fuzz and the no-free-lunch campaign's CL-1).
    /// Junior (`ITrancheExitGate`): the claim takes only what the coverage gate allows now, in request order: all of
    /// the request, a prorated part (its shares pro rata, its cap the request's assets pro rata, rounded down; the
    /// rest stays requested at the same place), or nothing (`ClaimGated`, returns (0, 0), no revert). A claim that
    /// holds anything back restarts the request's claim window (`withdrawRequest`'s `unlockTime` becomes now), so the
    /// window never runs out while the LP keeps claiming. A part claimed while another part of the owner's settles
    /// joins it (one claim, settling at the later time). Senior: never held back.
    /// @dev Callable while `unlockTime <= block.timestamp <= unlockTime + claimWindow()`. Reverts
    /// `NoWithdrawRequest` without a request, `ClaimSettling` when already claimed, `CooldownActive(unlockTime)`
    /// before, and `ClaimWindowExpired(unlockTime + claimWindow())` after the window (then cancel and request
    /// again). Reverts `VisibleLossUnknown` while the loss is unknown. Emits `ClaimStarted`.
    /// @return assetsCap The most the settlement of the part claimed now will pay (0 when held back).
    /// @return settleAt The first timestamp at which `settleClaim(msg.sender)` succeeds (0 when held back).
    function claim() external returns (uint256 assetsCap, uint64 settleAt);

    /// @notice Step two: pays `owner`'s claim, `min(assetsCap, convertToAssets(shares))` (rounded down, net of the
    /// visible loss), to `owner`, and burns the escrowed shares. Permissionless (a keeper may settle for the LP):
    /// the caller chooses only the moment. No upper deadline: the shares bear every loss until then, and the cap
    /// blocks every gain above the request's value (it stays with the LPs who did not leave).
    /// @dev Reverts `NoWithdrawRequest(owner)` without a claim of the current epoch, `ClaimNotStarted(owner)`
    /// before `claim`, `SettlementPending(owner, settleAt)` before `settleAt`, `VisibleLossUnknown` while the loss
    /// is unknown, `ClaimExceedsLiquidity` while the payout exceeds the vault's vested cash (its value counts a
    /// receivable; the claim stays settleable, with no deadline, and settles once the advance is repaid). Emits `WithdrawClaimed` and the ERC-4626 `Withdraw(msg.sender, owner, owner, assets, shares)`.
    /// @return assets The amount paid to `owner`.
    function settleClaim(address owner) external returns (uint256 assets);

    /// @notice Cancels the caller's request, at any time before `claim`. What a cancel costs: the holder gets back
    /// `min(shares, convertToShares(assetsAtRequest))` (rounded down), i.e. shares worth at most what the escrowed
    /// shares were worth at the request. If the price rose meanwhile (premium, donations, restored capital), the
    /// excess shares are burned and their value stays with the LPs who did not leave; if it fell, every share
    /// comes back and the loss was borne. The holder also loses the cooldown time already served.
    /// A claim that is settling cannot be cancelled (`ClaimSettling`): the claim is a commitment a keeper may
    /// settle at any time from `settleAt`, and a cancel racing it would turn the settlement delay into an option to
    /// stay or leave after seeing what the delay brought.
    /// @dev Reverts `NoWithdrawRequest` without a request, `ClaimSettling` once claimed, `VisibleLossUnknown`
    /// while the loss is unknown. Emits `WithdrawCancelled(owner, returned, burned)`.
    /// @return returned The shares given back to the caller.
    function cancelWithdraw() external returns (uint256 returned);

    /// @notice What `cancelWithdraw` by `owner` would do now: the shares it would give back and burn (0, 0 without
    /// a request of the current epoch, once claimed, or while the visible loss is unknown). The SDK shows it as the cancel cost.
    function previewCancel(address owner) external view returns (uint256 returned, uint256 burned);

    /// @notice The open, not yet claimed, withdraw request of `owner` (all zero when none, once claimed, or when it
    /// belongs to an earlier epoch). After a junior claim held part of it back: what is left, and `unlockTime` is the
    /// start of its renewed claim window (the moment of that claim).
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime);

    /// @notice The claim of `owner` that is settling (all zero when none, or when it belongs to an earlier epoch).
    /// @return shares The escrowed shares.
    /// @return assetsCap The most the settlement pays.
    /// @return settleAt The first timestamp at which `settleClaim(owner)` succeeds.
    function pendingClaim(address owner) external view returns (uint256 shares, uint256 assetsCap, uint64 settleAt);

    /// @notice What `settleClaim(owner)` would pay now (0 without a settling claim or while the loss is unknown;
    /// the amount it will pay at `settleAt` if nothing changes meanwhile).
    function previewSettle(address owner) external view returns (uint256 assets);

    /* WRITTEN-OFF SHARES */

    /// @notice Burns `holder`'s written-off balance (shares of an earlier epoch, worth nothing) with
    /// `Transfer(holder, address(0), amount)`; anyone may call it (indexers, wallets). A no-op returning 0 when
    /// the holder has none.
    /// @return burned The shares burned.
    function burnWrittenOff(address holder) external returns (uint256 burned);

    /// @notice Written-off shares not yet burned (counted in `totalSupply()`, never in the share price).
    function writtenOffSupply() external view returns (uint256);

    /// @notice The part of `balanceOf(holder)` that is written off (0 for a holder of the current epoch).
    function writtenOffBalance(address holder) external view returns (uint256);

    /* PARAMETERS AND VIEWS */

    /// @notice Seconds between `requestWithdraw` and the first possible `claim`.
    function cooldown() external view returns (uint64);

    /// @notice Seconds after the unlock time during which `claim` is possible.
    function claimWindow() external view returns (uint64);

    /// @notice Seconds from `claim` to the first possible `settleClaim`.
    function settlementDelay() external view returns (uint64);

    /// @notice Where the visible loss is read (`address(0)`: none, or a source that did not answer at construction).
    function lossSource() external view returns (address);

    /// @notice The junior vault for a senior tranche, `address(0)` for the junior tranche itself.
    function juniorTranche() external view returns (address);

    /// @notice The profit advance this tranche paid and is still owed, as counted in `totalAssets()` (what the
    /// backstop records, less a dust receivable written off by a restart).
    function receivable() external view returns (uint256);

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

    /// @notice This tranche's part of the visible loss: `min(visible loss reaching it, grossAssets())`
    /// (`grossAssets()` when unknown).
    function visibleLoss() external view returns (uint256);

    /// @notice The share epoch: starts at 0 and increases by one at each restart of a wiped tranche; shares of an
    /// earlier epoch are written off (see `burnWrittenOff`), requests of an earlier epoch read as none.
    function epoch() external view returns (uint32);

    /// @notice True when LP shares are outstanding but the share price has fallen below one millionth of the
    /// initial price (`totalAssets() * 10**(decimalsOffset + 6) < LP shares`, computed without overflow), which
    /// includes `totalAssets() == 0`. LP shares are `totalSupply()` minus `writtenOffSupply()` and minus a 1-wei
    /// sentinel locked in the vault. `totalAssets()` includes `receivable()`: a tranche still owed more than the
    /// floor is not wiped.
    /// Deposits and mints (and `maxDeposit`/`maxMint`, which then return 0) are LOCKED, reverting `TrancheWiped()`:
    /// - while wiped and the vault still holds, or is owed, at least the floor amount (`ceil(LP shares / 1e12)`;
    ///   token balance, unvested premium included, plus `receivable()`) or any visible loss reaches it: that value
    ///   belongs to the old shares, and a visible loss may reverse and lift the price back above the floor;
    /// - whenever the visible loss reaching this tranche exceeds its gross assets (new money would pay it).
    /// While wiped with everything held below the floor and no visible loss reaching it, the next deposit RESTARTS
    /// the tranche (`TrancheRestarted`, see `epoch`) and is priced at the initial price (`previewDeposit` shows it).
    function isWiped() external view returns (bool);
}
