// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../interfaces/ITailRiskOracle.sol";
import {ITrancheExitGate} from "../interfaces/ITrancheExitGate.sol";
import {ITrancheVault} from "../interfaces/ITrancheVault.sol";
import {ExitGateMath} from "../libraries/ExitGateMath.sol";
import {SharePriceMath} from "../libraries/SharePriceMath.sol";
import {TrancheBoost} from "./TrancheBoost.sol";
import {TrancheValue} from "./TrancheValue.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheExitQueue
/// @notice The exit records (one request and one settling claim per owner), their timing, and the junior's
/// coverage gate: a FIFO queue of requests in shares. See {ITrancheExitGate}.
/// @dev Requests take a sequence number (both tranches: it also tells a request of an earlier epoch, every number
/// below `_epochFirstSeq`). A junior request also gets a queue entry (owner | start), start = the shares requested
/// before it (`tailPos`). "Ahead of R" = start(R) − start(head), head = the first entry not known dead: it never
/// undercounts. Dead entries (cancelled, fully claimed, expired) are skipped at the head, at most `MAX_QUEUE_SKIPS`
/// in each claim and view, any number through `advanceExitQueue`; a dead entry behind a live one counts for those
/// behind it (a conservative overcount) until every live request ahead of it has left. "Ahead" is also capped by the
/// escrow of the other open requests (exact: every live request ahead is in it), so cancelled requests cannot
/// hold anyone back by more than what is really queued, and with a zero floor nothing is ever held back. A partial
/// claim moves its entry's start by the shares claimed: at the head that frees the shares at once.
///
/// Storage: `_requests` uint96 shares | uint40 time | uint80 assets | uint32 seq | bool claimed: an open request
/// (time = its claim window's start, assets = at request) or, once wholly claimed, that claim in place as before
/// [5/6] (time = settleAt, assets = the cap; one slot rewritten, no new one). `_claims` uint104 shares | uint40
/// settleAt | uint80 cap | uint32 epoch: a claim started by a partial (junior) claim, which leaves the request open
/// beside it; a later claim of the owner joins it. So an owner has at most one settling claim, in one of the two.
/// `_queue` one slot (uint96 tail position | uint96 shares of junior claims settling | uint32 next seq | uint32 head
/// seq); `_entries` per seq. uint96 shares hold 7.9e28 (SafeCast reverts beyond); uint80 holds 1.2e24 asset units;
/// uint40 seconds last until the year 36812; share positions restart at 0 with each epoch.
abstract contract TrancheExitQueue is TrancheBoost, ITrancheExitGate {
    using SafeCast for uint256;

    uint64 public constant MIN_COOLDOWN = 1 hours;
    uint64 public constant MAX_COOLDOWN = 30 days;
    uint64 public constant MIN_CLAIM_WINDOW = 1 hours;
    uint64 public constant MAX_CLAIM_WINDOW = 7 days;
    /// @notice A settlement delay must outlast the keeper's liquidation of an account the chain shows insolvent
    /// (a few blocks); one minute is the least, one day the most (the LP's money is not held hostage).
    uint64 public constant MIN_SETTLEMENT_DELAY = 1 minutes;
    uint64 public constant MAX_SETTLEMENT_DELAY = 1 days;
    /// @dev The most dead requests a claim (or a view) skips at the head of the queue.
    uint256 internal constant MAX_QUEUE_SKIPS = 4;

    /// @inheritdoc ITrancheVault
    uint64 public immutable override cooldown;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override claimWindow;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override settlementDelay;

    /// @dev Open: `time` is the claim window's start (the unlock time, moved to the last claim that was held back),
    /// `assets` the assets at request. Claimed (in place): `time` is settleAt, `assets` the cap.
    struct RequestSlot {
        uint96 shares;
        uint40 time;
        uint80 assets;
        uint32 seq;
        bool claimed;
    }

    struct ClaimSlot {
        uint104 shares;
        uint40 settleAt;
        uint80 assetsCap;
        uint32 epoch;
    }

    struct QueueSlot {
        uint96 tailPos;
        uint96 settlingShares;
        uint32 tailSeq;
        uint32 headSeq;
    }

    struct QueueEntry {
        address owner;
        uint96 start;
    }

    mapping(address owner => RequestSlot) internal _requests;
    mapping(address owner => ClaimSlot) internal _claims;
    QueueSlot internal _queue;
    uint32 internal _epochFirstSeq;
    mapping(uint256 seq => QueueEntry) internal _entries;

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

    /// @dev True for the junior tranche: its exits are gated.
    function _gated() internal view virtual returns (bool);

    /* GATE VIEWS AND KEEPING */

    /// @inheritdoc ITrancheExitGate
    function exitGate() external view returns (uint256 floor, uint256 capacity, uint256 queuedAssets) {
        TrancheValue memory v = _value();
        if (!_gated()) return (0, v.net, 0);
        QueueSlot memory q = _queue;
        (, uint256 headStart) = _skipDead(q, MAX_QUEUE_SKIPS);
        uint256 floorShares;
        (floor, floorShares) = _floor(v);
        capacity = _toAssetsDown(ExitGateMath.capacityShares(v.priced, q.settlingShares, floorShares), v);
        queuedAssets = _toAssetsDown(q.tailPos - headStart, v);
    }

    /// @inheritdoc ITrancheExitGate
    function claimableNow(address owner)
        external
        view
        returns (uint256 claimableAssets, uint256 requestedAssets, uint256 aheadAssets)
    {
        RequestSlot memory r = _request(owner);
        if (!_openRequest(r)) return (0, 0, 0);
        requestedAssets = r.assets;
        if (_expired(r)) return (0, requestedAssets, 0);
        if (!_gated()) return (requestedAssets, requestedAssets, 0);
        TrancheValue memory v = _value();
        if (!v.known) return (0, requestedAssets, 0);
        QueueSlot memory q = _queue;
        (uint256 claimShares, uint256 ahead,) = _gateShares(r, v, q);
        aheadAssets = _toAssetsDown(ahead, v);
        claimableAssets = _capOf(r, claimShares);
    }

    /// @inheritdoc ITrancheExitGate
    function advanceExitQueue(uint256 maxSteps) external returns (uint256 skipped) {
        QueueSlot memory q = _queue;
        (skipped,) = _skipDead(q, maxSteps);
        if (skipped != 0) _queue = q;
    }

    /* INTERNAL: QUEUE */

    /// @dev Takes the next sequence number; a junior request also joins the queue at its tail.
    function _enqueue(address owner, uint256 shares) internal returns (uint32 seq) {
        QueueSlot memory q = _queue;
        seq = q.tailSeq;
        q.tailSeq = seq + 1;
        if (_gated()) {
            _entries[seq] = QueueEntry({owner: owner, start: q.tailPos});
            q.tailPos = (uint256(q.tailPos) + shares).toUint96();
        }
        _queue = q;
    }

    /// @dev How many of `r`'s shares may start leaving now (`q` gets the head's skips, to be stored by the caller),
    /// the shares queued ahead of it and the capacity, in shares.
    function _gateShares(RequestSlot memory r, TrancheValue memory v, QueueSlot memory q)
        internal
        view
        returns (uint256 claimShares, uint256 ahead, uint256 capacity)
    {
        (, uint256 headStart) = _skipDead(q, MAX_QUEUE_SKIPS);
        // An expired request is dead itself: the head may have passed it (nothing is ahead of it then).
        uint256 start = _entries[r.seq].start;
        ahead = start > headStart ? start - headStart : 0;
        // Never more than the other open requests' escrow (the vault's balance less the sentinel, the claims settling
        // and this request): dead requests still counted by position cannot hold anyone back beyond it, so with a zero
        // floor nothing is ever held back however many requests were cancelled ahead.
        uint256 otherOpen = _openEscrow(q) - r.shares;
        if (otherOpen < ahead) ahead = otherOpen;
        (, uint256 floorShares) = _floor(v);
        capacity = ExitGateMath.capacityShares(v.priced, q.settlingShares, floorShares);
        claimShares = ExitGateMath.claimableShares(r.shares, capacity, ahead);
    }

    /// @dev Moves `q.headSeq` past at most `maxSteps` dead entries; returns the steps taken and the head's start
    /// (the tail position when the queue is empty). A live request is never skipped, so "ahead" never undercounts.
    function _skipDead(QueueSlot memory q, uint256 maxSteps) internal view returns (uint256 steps, uint256 headStart) {
        while (q.headSeq < q.tailSeq) {
            QueueEntry memory e = _entries[q.headSeq];
            if (steps == maxSteps || _liveEntry(e.owner, q.headSeq)) return (steps, e.start);
            ++q.headSeq;
            ++steps;
        }
        return (steps, q.tailPos);
    }

    /// @dev The shares of every open request (the vault's balance less the sentinel and the claims settling).
    function _openEscrow(QueueSlot memory q) private view returns (uint256) {
        return _escrowed() - ESCROW_SENTINEL_SHARES - q.settlingShares;
    }

    /// @dev Whether the entry at `seq` is `owner`'s live, unexpired request.
    function _liveEntry(address owner, uint32 seq) private view returns (bool) {
        RequestSlot memory r = _request(owner);
        return r.seq == seq && r.shares != 0 && !r.claimed && !_expired(r);
    }

    /// @dev Every old request, claim and queue entry ends with the epoch (their escrow was burned).
    function _resetExitQueue() internal {
        QueueSlot memory q = _queue;
        _queue = QueueSlot({tailPos: 0, settlingShares: 0, tailSeq: q.tailSeq, headSeq: q.tailSeq});
        _epochFirstSeq = q.tailSeq;
    }

    /* INTERNAL: RECORDS */

    /// @dev One copy of the slot's unpacking (the contract is close to the size limit).
    function _request(address owner) internal view returns (RequestSlot memory) {
        return _requests[owner];
    }

    function _claim(address owner) internal view returns (ClaimSlot memory) {
        return _claims[owner];
    }

    /// @dev The request slot is in use in the current epoch (open or claimed in place; an earlier epoch's was
    /// written off by a restart).
    function _liveRequest(RequestSlot memory r) internal view returns (bool) {
        return r.shares != 0 && r.seq >= _epochFirstSeq;
    }

    /// @dev An open (not claimed) request of the current epoch.
    function _openRequest(RequestSlot memory r) internal view returns (bool) {
        return !r.claimed && _liveRequest(r);
    }

    /// @dev A claim of the current epoch.
    function _liveClaim(ClaimSlot memory c, uint32 current) internal pure returns (bool) {
        return c.shares != 0 && c.epoch == current;
    }

    /// @dev Past its claim window: `claim` reverts, the queue skips it, only a cancel is left.
    function _expired(RequestSlot memory r) internal view returns (bool) {
        return block.timestamp > uint256(r.time) + claimWindow;
    }

    /// @dev The cap of claiming `claimShares` of `r`: all its assets, or its pro-rata part rounded down.
    function _capOf(RequestSlot memory r, uint256 claimShares) internal pure returns (uint256) {
        return claimShares == r.shares ? r.assets : ExitGateMath.partialCapDown(r.assets, claimShares, r.shares);
    }

    /// @dev The exit floor (0 without an oracle) and the shares it is worth, rounded up.
    function _floor(TrancheValue memory v) internal view returns (uint256 floor, uint256 floorShares) {
        ITailRiskOracle oracle = _tailRiskOracle();
        if (address(oracle) == address(0)) return (0, 0);
        (floor,) = oracle.juniorExitFloor();
        if (floor != 0) floorShares = SharePriceMath.toShares(floor, v.net, v.priced, Math.Rounding.Ceil);
    }

    function _toAssetsDown(uint256 shares, TrancheValue memory v) internal pure returns (uint256) {
        return SharePriceMath.toAssetsDown(shares, v.net, v.priced);
    }
}
