// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "../interfaces/ITrancheVault.sol";
import {SharePriceMath} from "../libraries/SharePriceMath.sol";
import {TrancheExitQueue} from "./TrancheExitQueue.sol";
import {TrancheValue} from "./TrancheValue.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheExits
/// @notice The tranche's withdrawal path: request -> cooldown -> claim (within the claim window; junior: as far as
/// the exit gate allows, the rest keeps its place) -> settlement delay -> `settleClaim`. Escrowed shares sit in the
/// vault's own balance, keep bearing every loss and earn nothing (no premium, no boost points); the payout is
/// min(assetsAtRequest, value at the settlement). See `ITrancheVault.claim` for why the settlement delay makes a
/// claim bear the deficit of an account nobody had liquidated yet (RISK 63), and `TrancheExitQueue` for the records.
abstract contract TrancheExits is TrancheExitQueue {
    using SafeCast for uint256;

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
        RequestSlot memory open = _request(msg.sender);
        if (_liveRequest(open)) revert WithdrawRequestPending(msg.sender, open.shares, open.time);
        if (shares == 0) revert ZeroShares();
        if (!v.known) revert VisibleLossUnknown();

        uint256 assetsAtRequest = SharePriceMath.toAssetsDown(shares, v.net, v.priced);
        unlockTime = block.timestamp + cooldown;
        // Escrow first: reverts ERC20InsufficientBalance before any downcast can. Stops the shares' boost points.
        _transfer(msg.sender, address(this), shares);
        uint32 seq = _enqueue(msg.sender, shares);
        _requests[msg.sender] = RequestSlot({
            shares: shares.toUint96(),
            time: unlockTime.toUint40(),
            assets: assetsAtRequest.toUint80(),
            seq: seq,
            claimed: false
        });

        emit WithdrawRequested(msg.sender, shares, assetsAtRequest, uint64(unlockTime));
    }

    /// @inheritdoc ITrancheVault
    function claim() external nonReentrant returns (uint256 assetsCap, uint64 settleAt) {
        RequestSlot memory r = _request(msg.sender);
        TrancheValue memory v = _value();
        if (!_openRequest(r)) _revertNoRequest(msg.sender, v.epoch);
        if (block.timestamp < r.time) revert CooldownActive(r.time);
        uint64 deadline = uint64(r.time) + claimWindow;
        if (block.timestamp > deadline) revert ClaimWindowExpired(deadline);
        if (!v.known) revert VisibleLossUnknown();

        uint256 claimShares = r.shares;
        assetsCap = r.assets;
        if (_gated()) (claimShares, assetsCap) = _gate(r, v);

        // The cap stays the request's value: the payout is min(cap, value at settlement), so losses up to the
        // settlement apply (a deficit liquidated during the delay included) and no gain above the request does.
        // Capping at the value now instead would hand a claim made ahead of a liquidation the premium that vests
        // during the delay (up to its share of the deficit), which a claim made after it does not get (RISK 63).
        settleAt = uint64(block.timestamp) + settlementDelay;
        if (claimShares == r.shares && !_liveClaim(_claim(msg.sender), v.epoch)) {
            // The whole request, no other claim settling: the claim takes the request's slot (as before [5/6]).
            r.claimed = true;
            r.time = uint40(settleAt);
            _requests[msg.sender] = r;
        } else {
            if (claimShares == r.shares) {
                delete _requests[msg.sender];
            } else {
                // Held back, wholly or in part (junior): the rest keeps its place, its claim window restarts now.
                r.shares -= uint96(claimShares);
                r.assets -= uint80(assetsCap);
                r.time = uint40(block.timestamp);
                _requests[msg.sender] = r;
                if (claimShares == 0) return (0, 0);
            }
            _addClaim(msg.sender, claimShares, assetsCap, settleAt, v.epoch);
        }
        emit ClaimStarted(msg.sender, claimShares, assetsCap, settleAt);
    }

    /// @inheritdoc ITrancheVault
    function settleClaim(address owner) external nonReentrant returns (uint256 assets) {
        TrancheValue memory v = _value();
        (uint256 shares, uint256 cap, uint64 settleAt, bool inPlace) = _settling(owner, v.epoch);
        if (shares == 0) {
            if (_openRequest(_request(owner))) revert ClaimNotStarted(owner);
            revert NoWithdrawRequest(owner);
        }
        if (block.timestamp < settleAt) revert SettlementPending(owner, settleAt);
        if (!v.known) revert VisibleLossUnknown();

        // Losses during the settlement delay apply (a deficit liquidated meanwhile included), gains do not.
        assets = Math.min(cap, SharePriceMath.toAssetsDown(shares, v.net, v.priced));
        // The value may count a receivable: pay only out of vested cash (never the unvested premium of the stayers).
        if (assets > v.gross) revert ClaimExceedsLiquidity(assets, v.gross);
        if (inPlace) delete _requests[owner];
        else delete _claims[owner];
        if (_gated()) _queue.settlingShares -= uint96(shares);
        _burn(address(this), shares);
        emit WithdrawClaimed(owner, shares, assets);
        emit Withdraw(msg.sender, owner, owner, assets, shares);
        if (assets != 0) SafeERC20.safeTransfer(IERC20(asset()), owner, assets);
    }

    /// @inheritdoc ITrancheVault
    function cancelWithdraw() external nonReentrant returns (uint256 returned) {
        RequestSlot memory r = _request(msg.sender);
        TrancheValue memory v = _value();
        if (!_openRequest(r)) _revertNoRequest(msg.sender, v.epoch);
        if (!v.known) revert VisibleLossUnknown();

        // Shares worth at most assetsAtRequest come back; the escrow's gain since the request is burned.
        returned = SharePriceMath.sharesToReturn(r.shares, r.assets, v.net, v.priced);
        uint256 burned = r.shares - returned;
        delete _requests[msg.sender]; // its queue entry is dead from now on
        if (burned != 0) _burn(address(this), burned);
        if (returned != 0) _transfer(address(this), msg.sender, returned);
        emit WithdrawCancelled(msg.sender, returned, burned);
    }

    /* VIEWS */

    /// @inheritdoc ITrancheVault
    function previewCancel(address owner) external view returns (uint256 returned, uint256 burned) {
        RequestSlot memory r = _request(owner);
        TrancheValue memory v = _value();
        if (!_openRequest(r) || !v.known) return (0, 0);
        returned = SharePriceMath.sharesToReturn(r.shares, r.assets, v.net, v.priced);
        burned = r.shares - returned;
    }

    /// @inheritdoc ITrancheVault
    function previewSettle(address owner) external view returns (uint256 assets) {
        TrancheValue memory v = _value();
        (uint256 shares, uint256 cap,,) = _settling(owner, v.epoch);
        if (shares == 0 || !v.known) return 0;
        return Math.min(cap, SharePriceMath.toAssetsDown(shares, v.net, v.priced));
    }

    /// @inheritdoc ITrancheVault
    function withdrawRequest(address owner)
        external
        view
        returns (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime)
    {
        RequestSlot memory r = _request(owner);
        if (!_openRequest(r)) return (0, 0, 0);
        return (r.shares, r.assets, r.time);
    }

    /// @inheritdoc ITrancheVault
    function pendingClaim(address owner) external view returns (uint256 shares, uint256 assetsCap, uint64 settleAt) {
        (shares, assetsCap, settleAt,) = _settling(owner, _supply.epoch);
    }

    /* INTERNAL */

    /// @dev The junior's gate on `r` (owner: the caller): the shares that start leaving and their cap, (0, 0) when
    /// held back (`ClaimGated`). Stores the head's skips, the shares now settling and, for a partial claim, its
    /// entry's new start (the claimed shares leave the queue, the rest keeps its place).
    function _gate(RequestSlot memory r, TrancheValue memory v) private returns (uint256 claimShares, uint256 cap) {
        QueueSlot memory q = _queue;
        uint256 ahead;
        uint256 capacity;
        (claimShares, ahead, capacity) = _gateShares(r, v, q);
        cap = _capOf(r, claimShares);
        if (claimShares == 0 || (cap == 0 && claimShares != r.shares)) {
            _queue = q;
            emit ClaimGated(msg.sender, r.assets, _toAssetsDown(ahead, v), _toAssetsDown(capacity, v));
            return (0, 0);
        }
        q.settlingShares += uint96(claimShares); // <= the priced supply
        _queue = q;
        if (claimShares != r.shares) _entries[r.seq].start += uint96(claimShares);
    }

    /// @dev Starts (or adds to) `owner`'s settling claim; an added part moves the whole claim's settlement to
    /// `settleAt` (later, so every part still bears the full delay).
    function _addClaim(address owner, uint256 shares, uint256 cap, uint64 settleAt, uint32 epoch_) private {
        ClaimSlot memory c = _claim(owner);
        if (_liveClaim(c, epoch_)) {
            shares += c.shares;
            cap += c.assetsCap;
        }
        _claims[owner] = ClaimSlot({
            shares: shares.toUint104(), settleAt: uint40(settleAt), assetsCap: cap.toUint80(), epoch: epoch_
        });
    }

    /// @dev `owner`'s settling claim (shares 0 when none): in its request slot (`inPlace`) or in its claim slot.
    function _settling(address owner, uint32 current)
        private
        view
        returns (uint256 shares, uint256 cap, uint64 settleAt, bool inPlace)
    {
        RequestSlot memory r = _request(owner);
        if (r.claimed && _liveRequest(r)) return (r.shares, r.assets, r.time, true);
        ClaimSlot memory c = _claim(owner);
        if (_liveClaim(c, current)) return (c.shares, c.assetsCap, c.settleAt, false);
    }

    /// @dev No open request: `ClaimSettling` when a claim is settling (it can be neither claimed again nor
    /// cancelled), `NoWithdrawRequest` otherwise.
    function _revertNoRequest(address owner, uint32 current) private view {
        (uint256 shares,, uint64 settleAt,) = _settling(owner, current);
        if (shares != 0) revert ClaimSettling(owner, settleAt);
        revert NoWithdrawRequest(owner);
    }
}
