// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "../interfaces/ITrancheVault.sol";
import {SharePriceMath} from "../libraries/SharePriceMath.sol";
import {TrancheShares} from "./TrancheShares.sol";
import {TrancheValue} from "./TrancheValue.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheExits
/// @notice The tranche's withdrawal queue: request -> cooldown -> claim (within the claim window) -> settlement
/// delay -> `settleClaim`. Escrowed shares sit in the vault's own balance, keep bearing every loss and earn nothing;
/// the payout is min(assetsAtRequest, value at the claim, value at the settlement). See `ITrancheVault.claim` for
/// why the settlement delay makes a claim bear the deficit of an account nobody had liquidated yet (RISK 63).
/// @dev One slot per owner: uint104 shares | uint40 time | uint80 assets | uint24 epoch | bool claimed, where
/// (time, assets) are (unlockTime, assetsAtRequest) before the claim and (settleAt, assetsCap) after it. uint80
/// holds 1.2e24 asset units (1.2e18 USDC); uint40 seconds last until the year 36812; a request made after 2^24
/// restarts reverts (SafeCast) rather than alias an old epoch.
abstract contract TrancheExits is TrancheShares, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint64 public constant MIN_COOLDOWN = 1 hours;
    uint64 public constant MAX_COOLDOWN = 30 days;
    uint64 public constant MIN_CLAIM_WINDOW = 1 hours;
    uint64 public constant MAX_CLAIM_WINDOW = 7 days;
    /// @notice A settlement delay must outlast the keeper's liquidation of an account the chain shows insolvent
    /// (a few blocks); one minute is the least, one day the most (the LP's money is not held hostage).
    uint64 public constant MIN_SETTLEMENT_DELAY = 1 minutes;
    uint64 public constant MAX_SETTLEMENT_DELAY = 1 days;

    /// @inheritdoc ITrancheVault
    uint64 public immutable override cooldown;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override claimWindow;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override settlementDelay;

    struct RequestSlot {
        uint104 shares;
        uint40 time;
        uint80 assets;
        uint24 epoch;
        bool claimed;
    }

    mapping(address owner => RequestSlot) internal _requests;

    constructor(uint64 cooldown_, uint64 claimWindow_, uint64 settlementDelay_) {
        if (cooldown_ < MIN_COOLDOWN || cooldown_ > MAX_COOLDOWN) revert InvalidCooldown(cooldown_);
        if (claimWindow_ < MIN_CLAIM_WINDOW || claimWindow_ > MAX_CLAIM_WINDOW) {
            revert InvalidClaimWindow(claimWindow_);
        }
        if (settlementDelay_ < MIN_SETTLEMENT_DELAY || settlementDelay_ > MAX_SETTLEMENT_DELAY) {
            revert InvalidSettlementDelay(settlementDelay_);
        }
        cooldown = cooldown_;
        claimWindow = claimWindow_;
        settlementDelay = settlementDelay_;
    }

    /// @dev The tranche's value now (implemented by the vault).
    function _value() internal view virtual returns (TrancheValue memory);

    /* ERC-4626 EXITS: DISABLED */

    /// @inheritdoc IERC4626
    /// @dev Always 0: exits go through `requestWithdraw`, `claim` and `settleClaim`.
    function maxWithdraw(address) public pure override(ERC4626, IERC4626) returns (uint256) {
        return 0;
    }

    /// @inheritdoc IERC4626
    /// @dev Always 0: exits go through `requestWithdraw`, `claim` and `settleClaim`.
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

    /* QUEUE */

    /// @inheritdoc ITrancheVault
    function requestWithdraw(uint256 shares) external nonReentrant returns (uint256 unlockTime) {
        TrancheValue memory v = _value();
        RequestSlot memory open = _requests[msg.sender];
        if (_live(open, v.epoch)) revert WithdrawRequestPending(msg.sender, open.shares, open.time);
        if (shares == 0) revert ZeroShares();
        if (!v.known) revert VisibleLossUnknown();

        uint256 assetsAtRequest = SharePriceMath.toAssetsDown(shares, v.net, v.priced);
        unlockTime = block.timestamp + cooldown;
        // Escrow first: reverts ERC20InsufficientBalance before any downcast can.
        _transfer(msg.sender, address(this), shares);
        _requests[msg.sender] = RequestSlot({
            shares: shares.toUint104(),
            time: unlockTime.toUint40(),
            assets: assetsAtRequest.toUint80(),
            epoch: uint256(v.epoch).toUint24(),
            claimed: false
        });

        emit WithdrawRequested(msg.sender, shares, assetsAtRequest, uint64(unlockTime));
    }

    /// @inheritdoc ITrancheVault
    function claim() external nonReentrant returns (uint256 assetsCap, uint64 settleAt) {
        RequestSlot memory r = _requests[msg.sender];
        TrancheValue memory v = _value();
        if (!_live(r, v.epoch)) revert NoWithdrawRequest(msg.sender);
        if (r.claimed) revert ClaimSettling(msg.sender, r.time);
        if (block.timestamp < r.time) revert CooldownActive(r.time);
        uint64 deadline = uint64(r.time) + claimWindow;
        if (block.timestamp > deadline) revert ClaimWindowExpired(deadline);
        if (!v.known) revert VisibleLossUnknown();

        // The cap stays the request's value: the payout is min(cap, value at settlement), so losses up to the
        // settlement apply (a deficit liquidated during the delay included) and no gain above the request does.
        // Capping at the value now instead would hand a claim made ahead of a liquidation the premium that vests
        // during the delay (up to its share of the deficit), which a claim made after it does not get (RISK 63).
        assetsCap = r.assets;
        settleAt = uint64(block.timestamp) + settlementDelay;
        r.time = uint40(settleAt);
        r.claimed = true;
        _requests[msg.sender] = r;
        emit ClaimStarted(msg.sender, r.shares, assetsCap, settleAt);
    }

    /// @inheritdoc ITrancheVault
    function settleClaim(address owner) external nonReentrant returns (uint256 assets) {
        RequestSlot memory r = _requests[owner];
        TrancheValue memory v = _value();
        if (!_live(r, v.epoch)) revert NoWithdrawRequest(owner);
        if (!r.claimed) revert ClaimNotStarted(owner);
        if (block.timestamp < r.time) revert SettlementPending(owner, r.time);
        if (!v.known) revert VisibleLossUnknown();

        // Losses during the settlement delay apply (a deficit liquidated meanwhile included), gains do not.
        assets = Math.min(r.assets, SharePriceMath.toAssetsDown(r.shares, v.net, v.priced));
        // The value may count a receivable: pay only out of vested cash (never the unvested premium of the stayers).
        if (assets > v.gross) revert ClaimExceedsLiquidity(assets, v.gross);
        delete _requests[owner];
        _burn(address(this), r.shares);
        emit WithdrawClaimed(owner, r.shares, assets);
        emit Withdraw(msg.sender, owner, owner, assets, r.shares);
        if (assets != 0) SafeERC20.safeTransfer(IERC20(asset()), owner, assets);
    }

    /// @inheritdoc ITrancheVault
    function cancelWithdraw() external nonReentrant returns (uint256 returned) {
        RequestSlot memory r = _requests[msg.sender];
        TrancheValue memory v = _value();
        if (!_live(r, v.epoch)) revert NoWithdrawRequest(msg.sender);
        if (r.claimed) revert ClaimSettling(msg.sender, r.time);
        if (!v.known) revert VisibleLossUnknown();

        // Shares worth at most assetsAtRequest come back; the escrow's gain since the request is burned.
        returned = SharePriceMath.sharesToReturn(r.shares, r.assets, v.net, v.priced);
        uint256 burned = r.shares - returned;
        delete _requests[msg.sender];
        if (burned != 0) _burn(address(this), burned);
        if (returned != 0) _transfer(address(this), msg.sender, returned);
        emit WithdrawCancelled(msg.sender, returned, burned);
    }

    /* VIEWS */

    /// @inheritdoc ITrancheVault
    function previewCancel(address owner) external view returns (uint256 returned, uint256 burned) {
        RequestSlot memory r = _requests[owner];
        TrancheValue memory v = _value();
        if (!_live(r, v.epoch) || r.claimed || !v.known) return (0, 0);
        returned = SharePriceMath.sharesToReturn(r.shares, r.assets, v.net, v.priced);
        burned = r.shares - returned;
    }

    /// @inheritdoc ITrancheVault
    function previewSettle(address owner) external view returns (uint256 assets) {
        RequestSlot memory r = _requests[owner];
        TrancheValue memory v = _value();
        if (!_live(r, v.epoch) || !r.claimed || !v.known) return 0;
        return Math.min(r.assets, SharePriceMath.toAssetsDown(r.shares, v.net, v.priced));
    }

    /// @inheritdoc ITrancheVault
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime)
    {
        RequestSlot memory r = _requests[owner];
        if (!_live(r, _supply.epoch) || r.claimed) return (0, 0, 0);
        return (r.shares, r.assets, r.time);
    }

    /// @inheritdoc ITrancheVault
    function pendingClaim(address owner) external view returns (uint256 shares, uint256 assetsCap, uint64 settleAt) {
        RequestSlot memory r = _requests[owner];
        if (!_live(r, _supply.epoch) || !r.claimed) return (0, 0, 0);
        return (r.shares, r.assets, r.time);
    }

    /// @dev A request or claim of the current epoch (an earlier epoch's was written off by a restart).
    function _live(RequestSlot memory r, uint32 current) private pure returns (bool) {
        return r.shares != 0 && r.epoch == current;
    }
}
