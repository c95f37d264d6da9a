// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {PremiumStream, PremiumStreamMath} from "./libraries/PremiumStreamMath.sol";
import {SharePriceMath} from "./libraries/SharePriceMath.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheVault
/// @notice ERC-4626 vault for one risk tranche: premium streams in, losses are drawn out by the backstop, shares are
/// valued net of the loss the chain already shows, exits go request -> cooldown -> claim, and a wiped tranche
/// restarts at a fresh share price. See {ITrancheVault} for the full behaviour.
/// @dev Deployment: the backstop address is a constructor argument (immutable). When the backstop itself needs the
/// vault addresses, the deployer precomputes the backstop's address (CREATE nonce or CREATE2) before deploying the
/// vaults. No initializer, no owner.
///
/// Storage (hot paths touch one slot each):
/// - `_balances[account]`, `_supply`: OpenZeppelin's ERC-20 balances and supply re-implemented with the share epoch
///   packed beside the amount (uint224 amount | uint32 epoch), so a restart writes every old share off in O(1):
///   a balance whose epoch is not the current one reads as 0.
/// - `_requests[owner]`: one slot per open request (uint104 shares | uint40 unlockTime | uint80 assetsAtRequest |
///   uint32 epoch). uint80 holds 1.2e24 asset units (1.2e18 USDC); uint40 seconds last until the year 36812.
/// - `_stream`: one slot, two linear ramps as vesting rates (`PremiumStream`; its math in `PremiumStreamMath`).
/// - `_totals`: one slot (uint128 premium received | uint128 loss covered), touched by the backstop only.
///
/// Escrow sentinel: the constructor (and every restart) puts `ESCROW_SENTINEL_SHARES` (1 share wei) on the vault
/// itself, locked forever. The vault's own share balance and `totalSupply()` therefore never return to zero, so
/// neither the first deposit nor an escrow pays a 20k zero-to-nonzero storage write. The sentinel can never be
/// redeemed, so every price computation leaves it out (`_value().priced`).
contract TrancheVault is ITrancheVault, ERC4626, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using Math for uint256;
    using PremiumStreamMath for PremiumStream;

    /* CONSTANTS */

    uint64 public constant MIN_COOLDOWN = 1 hours;
    uint64 public constant MAX_COOLDOWN = 30 days;
    uint64 public constant MIN_CLAIM_WINDOW = 1 hours;
    uint64 public constant MAX_CLAIM_WINDOW = 7 days;
    uint64 public constant MIN_STREAM_DURATION = 1 hours;
    uint64 public constant MAX_STREAM_DURATION = 30 days;

    /// @notice Virtual-share offset (decimals of shares = asset decimals + 6) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = SharePriceMath.DECIMALS_OFFSET;
    /// @notice The tranche counts as wiped when the share price is below 1 / WIPED_PRICE_FACTOR of the initial price.
    uint256 public constant WIPED_PRICE_FACTOR = SharePriceMath.WIPED_PRICE_FACTOR;
    /// @notice Share wei minted to the vault itself at construction and never moved (see contract NatSpec).
    uint256 public constant ESCROW_SENTINEL_SHARES = 1;

    /* IMMUTABLES */

    /// @inheritdoc ITrancheVault
    address public immutable override backstop;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override cooldown;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override claimWindow;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override premiumStreamDuration;

    /* STORAGE */

    struct ShareSlot {
        uint224 amount;
        uint32 epoch;
    }

    struct WithdrawRequestSlot {
        uint104 shares;
        uint40 unlockTime;
        uint80 assetsAtRequest;
        uint32 epoch;
    }

    struct Totals {
        uint128 premiumReceived;
        uint128 lossCovered;
    }

    /// @dev Everything a price needs, read once.
    struct Value {
        uint256 balance;
        uint256 unvested;
        uint256 gross;
        uint256 reaching;
        uint256 net;
        uint256 priced;
        uint32 epoch;
        bool known;
    }

    mapping(address account => ShareSlot) internal _shareSlots;
    ShareSlot internal _supply;
    mapping(address owner => WithdrawRequestSlot) internal _requests;
    PremiumStream internal _stream;
    Totals internal _totals;
    uint256 internal _capitalRestored;

    /* CONSTRUCTOR */

    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        address backstop_,
        uint64 cooldown_,
        uint64 claimWindow_,
        uint64 premiumStreamDuration_
    ) ERC20(name_, symbol_) ERC4626(asset_) {
        if (backstop_ == address(0)) revert ZeroBackstop();
        if (cooldown_ < MIN_COOLDOWN || cooldown_ > MAX_COOLDOWN) revert InvalidCooldown(cooldown_);
        if (claimWindow_ < MIN_CLAIM_WINDOW || claimWindow_ > MAX_CLAIM_WINDOW) {
            revert InvalidClaimWindow(claimWindow_);
        }
        if (premiumStreamDuration_ < MIN_STREAM_DURATION || premiumStreamDuration_ > MAX_STREAM_DURATION) {
            revert InvalidPremiumStreamDuration(premiumStreamDuration_);
        }
        backstop = backstop_;
        cooldown = cooldown_;
        claimWindow = claimWindow_;
        premiumStreamDuration = premiumStreamDuration_;
        _mint(address(this), ESCROW_SENTINEL_SHARES);
    }

    modifier onlyBackstop() {
        if (msg.sender != backstop) revert NotBackstop(msg.sender);
        _;
    }

    /* ACCOUNTING */

    /// @inheritdoc IERC4626
    /// @dev Token balance minus unvested premium minus this tranche's part of the visible loss, saturating at zero
    /// (0 while the loss is unknown).
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return _value().net;
    }

    /// @inheritdoc ITrancheVault
    function grossAssets() external view returns (uint256) {
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        uint256 unvested = _unvested(_stream);
        return balance > unvested ? balance - unvested : 0;
    }

    /// @inheritdoc ITrancheVault
    function visibleLoss() external view returns (uint256) {
        Value memory v = _value();
        return v.gross - v.net;
    }

    /// @inheritdoc ITrancheVault
    /// @dev Never more than the vault holds: the streams' per-ramp rounding (up) can exceed, by a wei, a balance that a
    /// loss drew down, and the vault values (and covers losses from) at most its balance, as `grossAssets` does.
    function unvestedPremium() external view returns (uint256) {
        return Math.min(_unvested(_stream), IERC20(asset()).balanceOf(address(this)));
    }

    /// @inheritdoc ITrancheVault
    function totalPremiumReceived() external view returns (uint256) {
        return _totals.premiumReceived;
    }

    /// @inheritdoc ITrancheVault
    function totalLossCovered() external view returns (uint256) {
        return _totals.lossCovered;
    }

    /// @inheritdoc ITrancheVault
    function totalCapitalRestored() external view returns (uint256) {
        return _capitalRestored;
    }

    /// @inheritdoc ITrancheVault
    function epoch() external view returns (uint32) {
        return _supply.epoch;
    }

    /// @inheritdoc ITrancheVault
    function isWiped() public view returns (bool) {
        Value memory v = _value();
        return SharePriceMath.priceWiped(v.net, v.priced);
    }

    /// @inheritdoc ITrancheVault
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime)
    {
        WithdrawRequestSlot memory r = _requests[owner];
        if (r.epoch != _supply.epoch) return (0, 0, 0);
        return (r.shares, r.assetsAtRequest, r.unlockTime);
    }

    /* DEPOSITS */

    /// @inheritdoc IERC4626
    /// @dev 0 while deposits are locked (see `ITrancheVault.isWiped`) and for `receiver == vault`.
    function maxDeposit(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return receiver != address(this) && _gate(_value()) != Gate.Locked ? type(uint256).max : 0;
    }

    /// @inheritdoc IERC4626
    /// @dev 0 while deposits are locked (see `ITrancheVault.isWiped`) and for `receiver == vault`.
    function maxMint(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return maxDeposit(receiver);
    }

    /// @inheritdoc IERC4626
    /// @dev At the fresh price when this deposit would restart a wiped tranche.
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        (uint256 net, uint256 priced) = _depositPrice(_value());
        return SharePriceMath.toSharesDown(assets, net, priced);
    }

    /// @inheritdoc IERC4626
    /// @dev At the fresh price when this mint would restart a wiped tranche.
    function previewMint(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        (uint256 net, uint256 priced) = _depositPrice(_value());
        return SharePriceMath.toAssetsUp(shares, net, priced);
    }

    /// @inheritdoc IERC4626
    /// @dev Reverts `InvalidReceiver(vault)`, `VisibleLossUnknown()`, or `TrancheWiped()` while deposits are locked;
    /// restarts a wiped tranche first when it may (see `ITrancheVault.isWiped`). Shares rounded down.
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        (uint256 net, uint256 priced) = _openForDeposit(receiver);
        shares = SharePriceMath.toSharesDown(assets, net, priced);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    /// @dev Same gates as `deposit`. Assets rounded up.
    function mint(uint256 shares, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        (uint256 net, uint256 priced) = _openForDeposit(receiver);
        assets = SharePriceMath.toAssetsUp(shares, net, priced);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /* EXITS */

    /// @inheritdoc IERC4626
    /// @dev Always 0: exits go through `requestWithdraw` and `claim`.
    function maxWithdraw(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @inheritdoc IERC4626
    /// @dev Always 0: exits go through `requestWithdraw` and `claim`.
    function maxRedeem(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @inheritdoc IERC4626
    /// @dev Always reverts `UseRequestWithdraw()`.
    function withdraw(uint256, address, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert UseRequestWithdraw();
    }

    /// @inheritdoc IERC4626
    /// @dev Always reverts `UseRequestWithdraw()`.
    function redeem(uint256, address, address) public pure override(ERC4626, IERC4626) returns (uint256) {
        revert UseRequestWithdraw();
    }

    /// @inheritdoc ITrancheVault
    function requestWithdraw(uint256 shares) external nonReentrant returns (uint256 unlockTime) {
        Value memory v = _value();
        WithdrawRequestSlot memory open = _requests[msg.sender];
        if (open.shares != 0 && open.epoch == v.epoch) {
            revert WithdrawRequestPending(msg.sender, open.shares, open.unlockTime);
        }
        if (shares == 0) revert ZeroShares();
        if (!v.known) revert VisibleLossUnknown();

        uint256 assetsAtRequest = SharePriceMath.toAssetsDown(shares, v.net, v.priced);
        unlockTime = block.timestamp + cooldown;
        // Escrow first: reverts ERC20InsufficientBalance before any downcast can.
        _transfer(msg.sender, address(this), shares);
        _requests[msg.sender] = WithdrawRequestSlot({
            shares: shares.toUint104(),
            unlockTime: unlockTime.toUint40(),
            assetsAtRequest: assetsAtRequest.toUint80(),
            epoch: v.epoch
        });

        emit WithdrawRequested(msg.sender, shares, assetsAtRequest, uint64(unlockTime));
    }

    /// @inheritdoc ITrancheVault
    function claim() external nonReentrant returns (uint256 assets) {
        WithdrawRequestSlot memory r = _requests[msg.sender];
        Value memory v = _value();
        if (r.shares == 0 || r.epoch != v.epoch) revert NoWithdrawRequest(msg.sender);
        if (block.timestamp < r.unlockTime) revert CooldownActive(r.unlockTime);
        uint64 deadline = uint64(r.unlockTime) + claimWindow;
        if (block.timestamp > deadline) revert ClaimWindowExpired(deadline);
        if (!v.known) revert VisibleLossUnknown();

        // Losses during the cooldown (realized or visible) apply, gains do not.
        assets = Math.min(r.assetsAtRequest, SharePriceMath.toAssetsDown(r.shares, v.net, v.priced));

        delete _requests[msg.sender];
        _burn(address(this), r.shares);
        emit WithdrawClaimed(msg.sender, r.shares, assets);
        emit Withdraw(msg.sender, msg.sender, msg.sender, assets, r.shares);
        if (assets != 0) SafeERC20.safeTransfer(IERC20(asset()), msg.sender, assets);
    }

    /// @inheritdoc ITrancheVault
    function cancelWithdraw() external nonReentrant returns (uint256 returned) {
        WithdrawRequestSlot memory r = _requests[msg.sender];
        Value memory v = _value();
        if (r.shares == 0 || r.epoch != v.epoch) revert NoWithdrawRequest(msg.sender);
        if (!v.known) revert VisibleLossUnknown();

        // Shares worth at most assetsAtRequest come back; the escrow's gain since the request is burned.
        returned = SharePriceMath.sharesToReturn(r.shares, r.assetsAtRequest, v.net, v.priced);
        uint256 burned = r.shares - returned;
        delete _requests[msg.sender];
        if (burned != 0) _burn(address(this), burned);
        if (returned != 0) _transfer(address(this), msg.sender, returned);
        emit WithdrawCancelled(msg.sender, returned, burned);
    }

    /// @inheritdoc ITrancheVault
    function previewCancel(address owner) external view returns (uint256 returned, uint256 burned) {
        WithdrawRequestSlot memory r = _requests[owner];
        Value memory v = _value();
        if (r.shares == 0 || r.epoch != v.epoch || !v.known) return (0, 0);
        returned = SharePriceMath.sharesToReturn(r.shares, r.assetsAtRequest, v.net, v.priced);
        burned = r.shares - returned;
    }

    /* BACKSTOP */

    /// @inheritdoc ITrancheVault
    /// @dev Pulls before writing the stream (as OpenZeppelin's `_deposit` does): a token hook firing during the
    /// pull sees the old, consistent state; the reentrancy lock blocks any state change from it.
    function addPremium(uint256 assets) external nonReentrant onlyBackstop {
        if (assets == 0) return;
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(this), assets);
        uint64 end = _streamAdd(assets);
        _totals.premiumReceived += assets.toUint128();
        emit PremiumAdded(assets, end);
    }

    /// @inheritdoc ITrancheVault
    function restoreCapital(uint256 assets) external nonReentrant onlyBackstop {
        if (assets == 0) return;
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(this), assets);
        _capitalRestored += assets;
        emit CapitalRestored(assets);
    }

    /// @inheritdoc ITrancheVault
    function coverLoss(uint256 assets, address to) external nonReentrant onlyBackstop returns (uint256 paid) {
        if (to == address(0)) revert ZeroRecipient();
        if (assets == 0) return 0;

        uint256 balance = IERC20(asset()).balanceOf(address(this));
        PremiumStream memory st = _stream;
        uint256 unvested = Math.min(_unvested(st), balance);
        uint256 vested = balance - unvested;
        paid = Math.min(assets, balance);

        // Vested assets first; the rest comes out of the stream (latest-vesting ramp first), no end moves.
        if (paid > vested) _stream = st.cover(paid - vested, premiumStreamDuration);
        _totals.lossCovered += paid.toUint128();

        emit LossCovered(assets, paid, to);
        if (paid != 0) SafeERC20.safeTransfer(IERC20(asset()), to, paid);
    }

    /* SHARES (ERC-20 with epochs) */

    /// @inheritdoc IERC20
    /// @dev 0 for shares of an earlier epoch (written off by a restart).
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        ShareSlot memory b = _shareSlots[account];
        return b.epoch == _supply.epoch ? b.amount : 0;
    }

    /// @inheritdoc IERC20
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return _supply.amount;
    }

    /// @inheritdoc IERC20
    /// @dev Reverts `ERC20InvalidReceiver(vault)` when sending shares to the vault: its own balance is escrow only.
    function transfer(address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transfer(to, value);
    }

    /// @inheritdoc IERC20
    /// @dev Reverts `ERC20InvalidReceiver(vault)` when sending shares to the vault: its own balance is escrow only.
    function transferFrom(address from, address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transferFrom(from, to, value);
    }

    /// @dev OpenZeppelin's `_update` over the epoch-tagged slots: a balance of an earlier epoch counts as 0 and is
    /// overwritten with the current epoch on its next write.
    function _update(address from, address to, uint256 value) internal override {
        ShareSlot memory s = _supply;
        if (from == address(0)) {
            s.amount = (uint256(s.amount) + value).toUint224();
        } else {
            ShareSlot memory f = _shareSlots[from];
            uint256 fromBalance = f.epoch == s.epoch ? f.amount : 0;
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            _shareSlots[from] = ShareSlot({amount: uint224(fromBalance - value), epoch: s.epoch});
        }
        if (to == address(0)) {
            s.amount -= uint224(value); // value <= a balance <= supply
        } else {
            ShareSlot memory t = _shareSlots[to];
            uint256 toBalance = t.epoch == s.epoch ? t.amount : 0;
            // Cannot overflow: toBalance + value <= supply, checked above for a mint.
            _shareSlots[to] = ShareSlot({amount: uint224(toBalance + value), epoch: s.epoch});
        }
        if (from == address(0) || to == address(0)) _supply = s;
        emit Transfer(from, to, value);
    }

    /* INTERNAL: VALUATION */

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset), at the net value.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        Value memory v = _value();
        return SharePriceMath.toShares(assets, v.net, v.priced, rounding);
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset), at the net value.
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        Value memory v = _value();
        return SharePriceMath.toAssets(shares, v.net, v.priced, rounding);
    }

    /// @dev Gross = balance - unvested premium; net = gross - min(visible loss reaching this tranche, gross), or 0
    /// while the loss is unknown; priced = every current-epoch share but the never-redeemable sentinel.
    function _value() internal view returns (Value memory v) {
        v.balance = IERC20(asset()).balanceOf(address(this));
        v.unvested = _unvested(_stream);
        v.gross = v.balance > v.unvested ? v.balance - v.unvested : 0;
        (v.reaching, v.known) = IBackstop(backstop).visibleLossReaching(address(this));
        if (v.known) v.net = v.gross > v.reaching ? v.gross - v.reaching : 0;
        ShareSlot memory s = _supply;
        v.priced = s.amount - ESCROW_SENTINEL_SHARES;
        v.epoch = s.epoch;
    }

    enum Gate {
        Open,
        Restart,
        Locked
    }

    /// @dev Open: deposits at the current price. Restart: the tranche is wiped and everything it holds (premium
    /// included) is below the floor, with no visible loss reaching it: the next deposit starts a new epoch.
    /// Locked: the loss is unknown, the visible loss exceeds the tranche (new money would pay it), or the price is
    /// wiped while the tranche still holds something above the floor (unvested premium or a visible loss that
    /// belongs to the old shares).
    function _gate(Value memory v) private pure returns (Gate) {
        if (!v.known || v.reaching > v.gross) return Gate.Locked;
        if (!SharePriceMath.priceWiped(v.net, v.priced)) return Gate.Open;
        if (v.reaching == 0 && v.balance < SharePriceMath.floor(v.priced)) return Gate.Restart;
        return Gate.Locked;
    }

    /// @dev The price a deposit gets now: after a restart no LP share is left and everything held is unvested.
    function _depositPrice(Value memory v) private pure returns (uint256 net, uint256 priced) {
        return _gate(v) == Gate.Restart ? (0, 0) : (v.net, v.priced);
    }

    function _openForDeposit(address receiver) private returns (uint256 net, uint256 priced) {
        if (receiver == address(this)) revert InvalidReceiver(receiver);
        Value memory v = _value();
        if (!v.known) revert VisibleLossUnknown();
        Gate gate = _gate(v);
        if (gate == Gate.Locked) revert TrancheWiped();
        if (gate == Gate.Open) return (v.net, v.priced);
        _restart(v);
        return (0, 0);
    }

    /// @dev Writes every share of the current epoch off (the vault's own slot restarts with the sentinel) and
    /// streams what was left (all below the floor) into the new epoch like premium.
    function _restart(Value memory v) private {
        uint32 next = v.epoch + 1;
        _supply = ShareSlot({amount: uint224(ESCROW_SENTINEL_SHARES), epoch: next});
        _shareSlots[address(this)] = ShareSlot({amount: uint224(ESCROW_SENTINEL_SHARES), epoch: next});
        if (v.gross != 0) _streamAdd(v.gross);
        emit TrancheRestarted(next, v.priced, v.balance);
    }

    /* INTERNAL: PREMIUM STREAM */

    /// @dev Adds `assets` to the ramp ending at `(now / D + 2) * D`; returns that end.
    function _streamAdd(uint256 assets) private returns (uint64) {
        PremiumStream memory s = _stream.add(assets, premiumStreamDuration);
        _stream = s;
        return s.farEnd;
    }

    function _unvested(PremiumStream memory s) private view returns (uint256) {
        return s.unvested(premiumStreamDuration);
    }
}
