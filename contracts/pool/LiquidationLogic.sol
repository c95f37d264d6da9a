// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "../interfaces/IBackstop.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {Account, InventorySale, MarketConfig, MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {InventoryLogic} from "./InventoryLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title LiquidationLogic
/// @notice The ladder, settled at the index: a step transfers the same fraction of every position with a usable price
/// (oracle not halted) to the backstop account at the index, so a hedge stays a hedge and the netted requirement falls
/// at least as fast as the positions; an account that cannot pay a step's penalty (insolvent, or nearly) transfers
/// everything usable at once. No curve trade happens, so no band, per-block limit, mark position or other trader can
/// block it, and the caller needs no capital. The penalty (never more than the account's remaining value, so a
/// liquidation never creates bad debt) is split between the caller and premium; bad debt runs down the waterfall at
/// once.
abstract contract LiquidationLogic is InventoryLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev Values of one liquidation call, kept in memory.
    struct LiquidationState {
        int256 room; // value left for penalties (a liquidation never takes an account below 0)
        int256 transferred; // base moved in the first (largest) market, signed as the account's position
        uint256 penalty; // the current leg's penalty (WAD)
        uint256 reward; // and the caller's share of it
    }

    /// @dev One step's legs: the usable markets (largest maintenance requirement first, then ascending ids), the
    /// index each transfers at, and the base each moves (signed against the position).
    struct Ladder {
        uint256 count;
        uint256[8] markets;
        uint256[8] indices;
        int256[8] deltas;
    }

    /// @dev One liquidation of `id`. `strict`: revert when there is nothing to do (healthy, or every position
    /// halted); otherwise return 0 (the batch path and `liquidateIfUnhealthy`).
    function _liquidate(bytes32 id, uint256 maxBase, bool strict) internal returns (int256) {
        if (id == BACKSTOP_ACCOUNT) revert IPerpPool.BackstopAccountNotLiquidatable();
        Account memory a = _accounts[id];
        Totals memory t = _totals(id, a.marketMask, _noKnownPrice(), false);
        int256 value = _value(a, t);
        if (value >= int256(t.maintReq) || (a.marketMask == 0 && a.collateral >= 0)) {
            if (strict) revert IPerpPool.AccountHealthy(value, t.maintReq);
            return 0;
        }
        if (a.marketMask == 0) {
            _resolveBadDebt(id, a, NO_MARKET);
            _accounts[id] = a;
            return 0;
        }
        if (t.largestMaint == 0) {
            // Every position sits in a halted market: only that market's own halt may make a liquidation wait.
            if (strict) revert IPerpPool.OracleHalted(MarketMask.lowest(t.haltedMask));
            return 0;
        }
        Ladder memory l = _ladder(id, a.marketMask & ~t.haltedMask, t, maxBase, value);
        LiquidationState memory s;
        s.room = value > 0 ? value : int256(0);
        for (uint256 k; k < l.count; ++k) {
            _step(id, a, l.markets[k], l.indices[k], l.deltas[k], s);
        }
        // The waterfall runs once nothing is left: a position waiting in a halted market first repays the debt with
        // whatever it realizes when its oracle returns (its gain never escapes to the account while junior paid).
        if (a.collateral < 0 && a.marketMask == 0) _resolveBadDebt(id, a, l.markets[l.count - 1]);
        _accounts[id] = a;
        return s.transferred;
    }

    /// @dev Plans one step over the `usable` markets. The fraction f = num / den is the least `liquidationFractionBps`
    /// among them (over BPS), or maxBase / held exactly when the largest-requirement market would move more than
    /// `maxBase`; each position moves ceil(|size| * num / den) (`_ladderStep`: the no-dust rule per position), so any
    /// maxBase > 0 moves something and the largest position moves exactly maxBase. The step's
    /// penalty is Σ legs |quote| * penaltyBps / BPS at the index, the quote rounded as the transfer rounds it. If the
    /// account's value, less a rounding margin of 2 wei per leg, cannot pay all of it (an insolvent account never
    /// can), every usable position moves whole instead: one call ends the ladder, never a tail of unpaid dust steps.
    function _ladder(bytes32 id, uint256 usable, Totals memory t, uint256 maxBase, int256 value)
        internal
        view
        returns (Ladder memory l)
    {
        uint256 first = t.largestMarket;
        uint256 f = _configs[first].liquidationFractionBps;
        l.markets[0] = first;
        l.indices[0] = t.largestIndex;
        uint256 n = 1;
        usable &= ~(1 << first);
        while (usable != 0) {
            uint256 i = MarketMask.lowest(usable);
            usable &= usable - 1;
            // `_totals` refreshed this market's oracle in this call: the router stored this block's observation.
            (l.indices[n],,) = oracle.lastObservation(i);
            l.markets[n++] = i;
            f = FixedPoint.min(f, _configs[i].liquidationFractionBps);
        }
        l.count = n;
        uint256 held = FixedPoint.abs(_positions[id][first].size);
        uint256 den = FixedPoint.BPS;
        // maxBase < held here, so maxBase * |size| of any leg stays far below 2^256.
        if (held.mulDivUp(f, FixedPoint.BPS) > maxBase) (f, den) = (maxBase, held);
        if (value >= 2 && value >= int256(2 * n + _plannedPenalty(id, l, f, den, maxBase))) return l;
        for (uint256 k; k < n; ++k) {
            l.deltas[k] = -int256(_positions[id][l.markets[k]].size);
        }
    }

    /// @dev Fills the legs' transfers of a partial step at fraction `num / den` and returns the step's penalty.
    function _plannedPenalty(bytes32 id, Ladder memory l, uint256 num, uint256 den, uint256 maxBase)
        internal
        view
        returns (uint256 penalty)
    {
        for (uint256 k; k < l.count; ++k) {
            MarketConfig storage c = _configs[l.markets[k]];
            int256 delta =
                _ladderStep(_positions[id][l.markets[k]].size, c, k == 0 ? maxBase : type(uint256).max, num, den);
            l.deltas[k] = delta;
            penalty += _quote(delta, l.indices[k]).mulDivDown(c.liquidationPenaltyBps, FixedPoint.BPS);
        }
    }

    /// @dev |quote| of moving `delta` base at `index`, rounded as `_transferToBackstop` rounds it.
    function _quote(int256 delta, uint256 index) internal pure returns (uint256) {
        return delta > 0 ? uint256(delta).wMulUp(index) : uint256(-delta).wMulDown(index);
    }

    /// @dev One transfer of `delta` base on `marketId` at `index` and its penalty.
    function _step(
        bytes32 id,
        Account memory a,
        uint256 marketId,
        uint256 index,
        int256 delta,
        LiquidationState memory s
    ) internal {
        MarketConfig storage c = _configs[marketId];
        int256 realized;
        int256 quoteDelta;
        int256 newSize;
        {
            Position memory p = _positions[id][marketId];
            (realized, quoteDelta) = _transferToBackstop(id, a, marketId, p, delta, index);
            newSize = p.size;
        }
        if (s.transferred == 0) s.transferred = -delta;
        uint256 penalty = FixedPoint.abs(quoteDelta).mulDivDown(c.liquidationPenaltyBps, FixedPoint.BPS);
        // Transfers round in the pool's favour (at most 2 wei a leg): keep that margin out of the penalty room.
        s.room = s.room > 2 ? s.room - 2 : int256(0);
        if (int256(penalty) > s.room) penalty = uint256(s.room);
        s.room -= int256(penalty);
        s.penalty = penalty;
        uint256 toBackstop;
        (s.reward, toBackstop) = _chargePenalty(id, a, penalty, c.liquidatorShareBps);
        // The backstop's own share of what was collected funds the inventory sale's discount budget (an insolvent
        // account paid nothing and adds nothing; the caller's share never counts). Nothing held (the transfer netted
        // the inventory flat): nothing to fund. The backstop's position slot is warm from the transfer.
        if (toBackstop != 0 && _positions[BACKSTOP_ACCOUNT][marketId].size != 0) {
            InventorySale storage sale = _inventorySales[marketId];
            sale.budget = (uint256(sale.budget) + toBackstop).toUint128();
        }
        _emitLiquidated(id, marketId, delta, index, quoteDelta, realized, newSize, s);
    }

    function _emitLiquidated(
        bytes32 id,
        uint256 marketId,
        int256 delta,
        uint256 index,
        int256 quoteDelta,
        int256 realized,
        int256 newSize,
        LiquidationState memory s
    ) internal {
        (address owner, uint96 subId) = _decode(id);
        emit IPerpPool.Liquidated(
            owner, subId, marketId, msg.sender, -delta, index, s.penalty, s.reward, quoteDelta, realized, newSize
        );
    }

    /// @dev Size one ladder step transfers of a position (signed against it): ceil(|size| * num / den), at most
    /// `maxBase`, never leaving a remainder below the minimum size. The no-dust rule wins over `maxBase`: a position
    /// already at or below the minimum size is transferred whole.
    function _ladderStep(int256 size, MarketConfig storage c, uint256 maxBase, uint256 num, uint256 den)
        internal
        view
        returns (int256)
    {
        uint256 held = FixedPoint.abs(size);
        uint256 step = held.mulDivUp(num, den);
        if (step > maxBase) step = maxBase;
        uint256 remaining = held - step;
        if (remaining != 0 && remaining < c.minPositionBase) {
            step = (maxBase >= held || held <= c.minPositionBase) ? held : held - c.minPositionBase;
        }
        if (step == 0) revert IPerpPool.NothingToLiquidate();
        return size > 0 ? -int256(step) : int256(step);
    }

    /// @dev Charges the penalty (see `_charge`: collateral first, then deferred profit). The caller's share comes
    /// out of what was collected: collateral becomes collateral of the caller's cross account (credited, never
    /// pushed), netted deferred profit becomes deferred profit of the caller (the claim moves). The rest is premium.
    /// @return reward the caller's share
    /// @return toBackstop the backstop's share: what was collected minus the caller's share
    function _chargePenalty(bytes32 id, Account memory a, uint256 penalty, uint256 shareBps)
        internal
        returns (uint256 reward, uint256 toBackstop)
    {
        if (penalty == 0) return (0, 0);
        (uint256 fromCollateral, uint256 fromDeferred) = _charge(a, penalty);
        toBackstop = fromCollateral + fromDeferred;
        reward = toBackstop.mulDivDown(shareBps, FixedPoint.BPS);
        toBackstop -= reward;
        uint256 rewardCol = FixedPoint.min(reward, fromCollateral);
        uint256 rewardDef = reward - rewardCol;
        if (fromCollateral != rewardCol) {
            _pendingPremium = (uint256(_pendingPremium) + fromCollateral - rewardCol).toUint128();
        }
        if (fromDeferred != rewardDef) _addBackstopNet(int256(fromDeferred - rewardDef));
        bytes32 liquidatorId = _accountId(msg.sender, 0);
        if (liquidatorId == id) {
            _credit(a, rewardCol, rewardDef);
        } else {
            Account memory l = _accounts[liquidatorId];
            _credit(l, rewardCol, rewardDef);
            _accounts[liquidatorId] = l;
        }
    }

    /// @dev Credits collateral (a credit into an account in debt collects that debt, as a deposit would) and
    /// deferred profit. Deferred profit credited to an account in debt is netted against that debt first (the claim
    /// on collected losses and the loss never collected cancel; the pnl pool is unchanged): an account never holds
    /// both, so the waterfall draws only what the account's value cannot cover, as the stress view predicts.
    function _credit(Account memory l, uint256 collateral, uint256 deferred) internal {
        int256 lc = l.collateral;
        if (collateral != 0) {
            if (lc < 0) _pnlPool = (uint256(_pnlPool) + FixedPoint.min(collateral, uint256(-lc))).toUint128();
            lc += int256(collateral);
        }
        if (deferred != 0 && lc < 0) {
            uint256 netted = FixedPoint.min(deferred, uint256(-lc));
            lc += int256(netted);
            deferred -= netted;
        }
        l.collateral = lc.toInt128();
        if (deferred != 0) {
            l.unsettledProfit = (uint256(l.unsettledProfit) + deferred).toUint96();
            _totalDeferred = (uint256(_totalDeferred) + deferred).toUint128();
        }
    }

    /// @dev The waterfall: the account's margin is gone (collateral < 0); junior pays, then senior, and the
    /// rest is socialized over the traders' open positions on `marketId` through its funding indices.
    function _resolveBadDebt(bytes32 id, Account memory a, uint256 marketId) internal {
        uint256 debt = uint256(-int256(a.collateral));
        a.collateral = 0;
        (uint256 juniorPaid, uint256 seniorPaid) = _drawBackstop(debt, IBackstop.LossKind.BadDebt);
        uint256 socialized = debt - juniorPaid - seniorPaid;
        if (socialized != 0) {
            if (marketId == NO_MARKET) marketId = _socializeOnLargestMarket(socialized);
            else _socialize(marketId, _markets[marketId], socialized);
        }
        (address owner, uint96 subId) = _decode(id);
        emit IPerpPool.BadDebtResolved(owner, subId, marketId, debt, juniorPaid, seniorPaid, socialized);
    }
}
