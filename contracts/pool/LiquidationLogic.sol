// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "../interfaces/IBackstop.sol";
import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {Account, MarketConfig, MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {BackstopLogic} from "./BackstopLogic.sol";
import {TradeLogic} from "./TradeLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title LiquidationLogic
/// @notice The ladder: one bounded step on the account's largest risk per call, the penalty split, and the
/// waterfall when an account ends with negative collateral (junior, senior, then socialized).
abstract contract LiquidationLogic is TradeLogic, BackstopLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    function _liquidate(bytes32 id, uint256 maxBase, uint256 quoteLimit, bool strict) internal returns (int256 closed) {
        Account memory a = _accounts[id];
        Totals memory t = _totals(id, a.marketMask, NO_MARKET, 0);
        int256 value = _value(a, t);
        if (value >= int256(t.maintReq) || (a.marketMask == 0 && a.collateral >= 0)) {
            if (strict) revert AccountHealthy(value, t.maintReq);
            return 0;
        }
        if (a.marketMask == 0) {
            _resolveBadDebt(id, a, NO_MARKET);
            _accounts[id] = a;
            return 0;
        }
        closed = _liquidationStep(id, a, t.largestMarket, maxBase, quoteLimit, value < 0);
    }

    /// @dev One ladder step on `marketId` (the account's largest maintenance requirement).
    function _liquidationStep(
        bytes32 id,
        Account memory a,
        uint256 marketId,
        uint256 maxBase,
        uint256 quoteLimit,
        bool insolvent
    ) internal returns (int256 closed) {
        MarketState storage m = _markets[marketId];
        MarketConfig storage c = _configs[marketId];
        TradeResult memory r;
        {
            OracleStatus status;
            (r.index, status) = _index(marketId);
            _requireNormal(marketId, status);
        }
        _accrue(m, c);
        Position memory p = _positions[id][marketId];
        r.oldSize = p.size;
        r.realized = _settleFunding(m, p);
        closed = _ladderStep(r.oldSize, c, maxBase, insolvent);
        _legs(m, p, closed, false, r);
        _checkPriceGuards(m, c, r.markBefore, r.markAfter, r.index, true);
        {
            uint256 quote = FixedPoint.abs(r.quoteDelta);
            if (closed > 0 ? quote > quoteLimit : quote < quoteLimit) revert SlippageExceeded(quote, quoteLimit);
            _updateOpenInterest(m, r.oldSize, p.size);
            _applyPnl(id, a, r.realized);
            (r.fee, r.reward) = _chargePenalty(id, a, quote, c);
        }
        _storePosition(id, a, marketId, p, r.oldSize);
        if (a.marketMask == 0 && a.collateral < 0) _resolveBadDebt(id, a, marketId);
        _accounts[id] = a;
        _emitLiquidated(id, marketId, closed, p, r);
    }

    function _emitLiquidated(bytes32 id, uint256 marketId, int256 closed, Position memory p, TradeResult memory r)
        internal
    {
        (address owner, uint96 subId) = _decode(id);
        emit PositionChanged(
            owner, subId, marketId, closed, r.quoteDelta, p.size, p.openNotional, r.realized, 0, r.markAfter
        );
        emit Liquidated(owner, subId, marketId, msg.sender, closed, r.fee, r.reward);
    }

    /// @dev Size one ladder step closes (signed against the position): a bounded fraction, all of it when the
    /// account is insolvent, at most `maxBase`, and never leaving a remainder below the minimum size. The no-dust
    /// rule wins over `maxBase`: a position already at or below the minimum size is closed whole.
    function _ladderStep(int256 size, MarketConfig storage c, uint256 maxBase, bool insolvent)
        internal
        view
        returns (int256)
    {
        uint256 held = FixedPoint.abs(size);
        uint256 step = insolvent ? held : held.mulDivUp(c.liquidationFractionBps, FixedPoint.BPS);
        if (step > maxBase) step = maxBase;
        uint256 remaining = held - step;
        if (remaining != 0 && remaining < c.minPositionBase) {
            step = (maxBase >= held || held <= c.minPositionBase) ? held : held - c.minPositionBase;
        }
        if (step == 0) revert NothingToLiquidate();
        return size > 0 ? -int256(step) : int256(step);
    }

    /// @dev Penalty on closed notional, never more than the account's positive collateral; the liquidator's
    /// share is credited to its cross account (never pushed), the rest is backstop premium.
    function _chargePenalty(bytes32 id, Account memory a, uint256 quote, MarketConfig storage c)
        internal
        returns (uint256 penalty, uint256 reward)
    {
        penalty = quote.mulDivDown(c.liquidationPenaltyBps, FixedPoint.BPS);
        int256 col = a.collateral;
        if (col <= 0) return (0, 0);
        if (penalty > uint256(col)) penalty = uint256(col);
        a.collateral = int128(col - int256(penalty));
        reward = penalty.mulDivDown(c.liquidatorShareBps, FixedPoint.BPS);
        _pendingPremium = (uint256(_pendingPremium) + penalty - reward).toUint128();
        bytes32 liquidatorId = accountId(msg.sender, 0);
        if (liquidatorId == id) {
            a.collateral += int128(int256(reward));
        } else {
            Account storage l = _accounts[liquidatorId];
            int256 lc = l.collateral;
            // A reward into an account in debt collects that debt, as a deposit would.
            if (lc < 0) _pnlPool = (uint256(_pnlPool) + FixedPoint.min(reward, uint256(-lc))).toUint128();
            l.collateral = (lc + int256(reward)).toInt128();
        }
    }

    /// @dev The waterfall: the account's margin is gone (collateral < 0); junior pays, then senior, and the
    /// rest is socialized over `marketId`'s open positions through its funding indices.
    function _resolveBadDebt(bytes32 id, Account memory a, uint256 marketId) internal {
        uint256 debt = uint256(-int256(a.collateral));
        a.collateral = 0;
        (uint256 juniorPaid, uint256 seniorPaid) = _drawBackstop(debt, IBackstop.LossKind.BadDebt);
        uint256 socialized = debt - juniorPaid - seniorPaid;
        if (socialized != 0) {
            if (marketId == NO_MARKET) marketId = _largestOpenInterestMarket();
            _socialize(marketId, _markets[marketId], socialized);
        }
        (address owner, uint96 subId) = _decode(id);
        emit BadDebtResolved(owner, subId, marketId, debt, juniorPaid, seniorPaid, socialized);
    }

    function _largestOpenInterestMarket() internal view returns (uint256 best) {
        uint256 bestOi;
        for (uint256 i; i < _marketCount; ++i) {
            uint256 oi = uint256(_markets[i].longOpenInterest) + _markets[i].shortOpenInterest;
            if (oi > bestOi) (best, bestOi) = (i, oi);
        }
    }
}
