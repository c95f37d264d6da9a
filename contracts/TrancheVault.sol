// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheVault
/// @notice ERC-4626 vault for one risk tranche: premium streams in, losses are drawn out by the backstop, exits go
/// request -> cooldown -> claim. See {ITrancheVault} for the full behaviour.
/// @dev Deployment: the backstop address is a constructor argument (immutable). When the backstop itself needs the
/// vault addresses, the deployer precomputes the backstop's address (CREATE nonce or CREATE2) before deploying the
/// vaults. No initializer, no owner.
///
/// Storage (hot paths touch one slot each):
/// - `_requests[owner]`: one slot per open request (uint128 shares | uint40 unlockTime | uint88 assetsAtRequest).
///   uint88 holds 3e26 asset units (3e20 USDC); uint40 seconds last until the year 36812.
/// - `_stream`: one slot (uint128 unvested at checkpoint | uint64 start | uint64 end).
/// - `_totals`: one slot (uint128 premium received | uint128 loss covered), touched by the backstop only.
///
/// Escrow sentinel: the constructor mints `ESCROW_SENTINEL_SHARES` (1 share wei) to the vault itself, locked
/// forever. The vault's own share balance (sentinel + escrowed requests) and `totalSupply()` therefore never return
/// to zero, so neither the first deposit nor an escrow pays a 20k zero-to-nonzero storage write (measured: without
/// it the first-ever deposit costs ~111k and the first request ~83k gas). The sentinel can never be redeemed, so
/// every price computation leaves it out (`_pricedSupply()`): prices are exactly OpenZeppelin's for the LPs'
/// shares.
contract TrancheVault is ITrancheVault, ERC4626, ReentrancyGuardTransient {
    using SafeCast for uint256;
    using Math for uint256;

    /* CONSTANTS */

    uint64 public constant MIN_COOLDOWN = 1 hours;
    uint64 public constant MAX_COOLDOWN = 30 days;
    uint64 public constant MIN_CLAIM_WINDOW = 1 hours;
    uint64 public constant MAX_CLAIM_WINDOW = 7 days;
    uint64 public constant MIN_STREAM_DURATION = 1 hours;
    uint64 public constant MAX_STREAM_DURATION = 30 days;

    /// @notice Virtual-share offset (decimals of shares = asset decimals + 6) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = 6;
    /// @notice The tranche counts as wiped when the share price is below 1 / WIPED_PRICE_FACTOR of the initial price.
    uint256 public constant WIPED_PRICE_FACTOR = 1e6;
    /// @notice Share wei minted to the vault itself at construction and never moved (see contract NatSpec).
    uint256 public constant ESCROW_SENTINEL_SHARES = 1;

    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;

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

    struct WithdrawRequestSlot {
        uint128 shares;
        uint40 unlockTime;
        uint88 assetsAtRequest;
    }

    /// @dev Linear vesting of `amount` from `start` to `end`; `amount` is the unvested premium at `start`.
    struct PremiumStream {
        uint128 amount;
        uint64 start;
        uint64 end;
    }

    struct Totals {
        uint128 premiumReceived;
        uint128 lossCovered;
    }

    mapping(address owner => WithdrawRequestSlot) internal _requests;
    PremiumStream internal _stream;
    Totals internal _totals;

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
    /// @dev Token balance minus unvested premium, saturating at zero.
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return _totalAssets(_unvestedPremiumUp(_stream));
    }

    /// @inheritdoc ITrancheVault
    function unvestedPremium() external view returns (uint256) {
        return _unvestedPremiumUp(_stream);
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
    function isWiped() public view returns (bool) {
        return _isWiped(totalAssets(), _pricedSupply());
    }

    /// @inheritdoc ITrancheVault
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime)
    {
        WithdrawRequestSlot memory r = _requests[owner];
        return (r.shares, r.assetsAtRequest, r.unlockTime);
    }

    /* DEPOSITS */

    /// @inheritdoc IERC4626
    /// @dev 0 while the tranche is wiped.
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return isWiped() ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    /// @dev 0 while the tranche is wiped.
    function maxMint(address) public view override(ERC4626, IERC4626) returns (uint256) {
        return isWiped() ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    /// @dev Reverts `TrancheWiped()` while the tranche is wiped. Shares rounded down.
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        (uint256 totalAssets_, uint256 pricedSupply) = _requireNotWiped();
        shares = _toSharesDown(assets, totalAssets_, pricedSupply);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    /// @dev Reverts `TrancheWiped()` while the tranche is wiped. Assets rounded up.
    function mint(uint256 shares, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        (uint256 totalAssets_, uint256 pricedSupply) = _requireNotWiped();
        assets = _toAssetsUp(shares, totalAssets_, pricedSupply);
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
        WithdrawRequestSlot memory open = _requests[msg.sender];
        if (open.shares != 0) revert WithdrawRequestPending(msg.sender, open.shares, open.unlockTime);
        if (shares == 0) revert ZeroShares();

        uint256 assetsAtRequest = previewRedeem(shares);
        unlockTime = block.timestamp + cooldown;
        // Escrow first: reverts ERC20InsufficientBalance before any downcast can.
        _transfer(msg.sender, address(this), shares);
        _requests[msg.sender] = WithdrawRequestSlot({
            shares: shares.toUint128(), unlockTime: unlockTime.toUint40(), assetsAtRequest: assetsAtRequest.toUint88()
        });

        emit WithdrawRequested(msg.sender, shares, assetsAtRequest, uint64(unlockTime));
    }

    /// @inheritdoc ITrancheVault
    function claim() external nonReentrant returns (uint256 assets) {
        WithdrawRequestSlot memory r = _requests[msg.sender];
        if (r.shares == 0) revert NoWithdrawRequest(msg.sender);
        if (block.timestamp < r.unlockTime) revert CooldownActive(r.unlockTime);
        uint64 deadline = uint64(r.unlockTime) + claimWindow;
        if (block.timestamp > deadline) revert ClaimWindowExpired(deadline);

        // Losses during the cooldown apply, gains do not.
        assets = Math.min(r.assetsAtRequest, previewRedeem(r.shares));

        delete _requests[msg.sender];
        _burn(address(this), r.shares);
        emit WithdrawClaimed(msg.sender, r.shares, assets);
        emit Withdraw(msg.sender, msg.sender, msg.sender, assets, r.shares);
        if (assets != 0) SafeERC20.safeTransfer(IERC20(asset()), msg.sender, assets);
    }

    /// @inheritdoc ITrancheVault
    function cancelWithdraw() external nonReentrant {
        uint256 shares = _requests[msg.sender].shares;
        if (shares == 0) revert NoWithdrawRequest(msg.sender);
        delete _requests[msg.sender];
        _transfer(address(this), msg.sender, shares);
        emit WithdrawCancelled(msg.sender, shares);
    }

    /* BACKSTOP */

    /// @inheritdoc ITrancheVault
    /// @dev Pulls before writing the stream (as OpenZeppelin's `_deposit` does): a token hook firing during the
    /// pull sees the old, consistent state; the reentrancy lock blocks any state change from it.
    function addPremium(uint256 assets) external nonReentrant onlyBackstop {
        if (assets == 0) return;
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(this), assets);

        uint64 end = uint64(block.timestamp) + premiumStreamDuration;
        _stream = PremiumStream({
            amount: (_unvestedPremiumUp(_stream) + assets).toUint128(), start: uint64(block.timestamp), end: end
        });
        _totals.premiumReceived += assets.toUint128();

        emit PremiumAdded(assets, end);
    }

    /// @inheritdoc ITrancheVault
    function coverLoss(uint256 assets, address to) external nonReentrant onlyBackstop returns (uint256 paid) {
        if (to == address(0)) revert ZeroRecipient();
        if (assets == 0) return 0;

        PremiumStream memory s = _stream;
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        uint256 unvested = Math.min(_unvestedPremiumUp(s), balance);
        uint256 vested = balance - unvested;
        paid = Math.min(assets, balance);

        // Vested assets first; the rest comes out of the running stream, which keeps its end time.
        if (paid > vested) {
            _stream = PremiumStream({
                amount: uint128(unvested - (paid - vested)), start: uint64(block.timestamp), end: s.end
            });
        }
        _totals.lossCovered += paid.toUint128();

        emit LossCovered(assets, paid, to);
        if (paid != 0) SafeERC20.safeTransfer(IERC20(asset()), to, paid);
    }

    /* SHARE TRANSFERS */

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

    /* INTERNAL */

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset).
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return assets.mulDiv(_pricedSupply() + VIRTUAL_SHARES, totalAssets() + 1, rounding);
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset).
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return shares.mulDiv(totalAssets() + 1, _pricedSupply() + VIRTUAL_SHARES, rounding);
    }

    /// @dev Supply that prices are computed on: every share but the never-redeemable escrow sentinel.
    function _pricedSupply() private view returns (uint256) {
        return totalSupply() - ESCROW_SENTINEL_SHARES;
    }

    /// @return totalAssets_ `totalAssets()`
    /// @return pricedSupply `_pricedSupply()`
    function _requireNotWiped() private view returns (uint256 totalAssets_, uint256 pricedSupply) {
        totalAssets_ = totalAssets();
        pricedSupply = _pricedSupply();
        if (_isWiped(totalAssets_, pricedSupply)) revert TrancheWiped();
    }

    /// @dev LP shares outstanding and the price below 1 / WIPED_PRICE_FACTOR of the initial one.
    function _isWiped(uint256 totalAssets_, uint256 pricedSupply) private pure returns (bool) {
        return pricedSupply != 0 && totalAssets_ * VIRTUAL_SHARES * WIPED_PRICE_FACTOR < pricedSupply;
    }

    function _totalAssets(uint256 unvested) private view returns (uint256) {
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        return balance > unvested ? balance - unvested : 0;
    }

    /// @dev Rounds up: a premium wei counts in `totalAssets()` only once it has fully vested.
    function _unvestedPremiumUp(PremiumStream memory s) private view returns (uint256) {
        if (block.timestamp >= s.end) return 0;
        return uint256(s.amount).mulDiv(s.end - block.timestamp, s.end - s.start, Math.Rounding.Ceil);
    }

    function _toSharesDown(uint256 assets, uint256 totalAssets_, uint256 pricedSupply) private pure returns (uint256) {
        return assets.mulDiv(pricedSupply + VIRTUAL_SHARES, totalAssets_ + 1, Math.Rounding.Floor);
    }

    function _toAssetsUp(uint256 shares, uint256 totalAssets_, uint256 pricedSupply) private pure returns (uint256) {
        return shares.mulDiv(totalAssets_ + 1, pricedSupply + VIRTUAL_SHARES, Math.Rounding.Ceil);
    }
}
