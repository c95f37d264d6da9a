// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {Account, MarketConfig, MarketState, Position, TradeLeg} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {AccountLogic} from "./AccountLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TradeLogic
/// @notice One trade from start to finish: oracle and risk gates, funding settlement, the curve legs (a flip is
/// two), price guards, slippage, open interest, PnL and fee, position storage, and the margin check afterwards;
/// or several such trades (legs, one market each) followed by one margin check.
abstract contract TradeLogic is AccountLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev Values of one trade, kept in memory (the EVM stack cannot hold them all).
    struct TradeResult {
        int256 oldSize;
        uint256 index;
        int256 quoteDelta;
        uint256 markBefore;
        uint256 markAfter;
        int256 realized;
        uint256 fee; // trading fee
        KnownPrice price; // the market as this trade priced it (the margin check reuses it)
    }

    /// @dev Most legs in one `tradeLegs` (an account holds at most MAX_MARKETS_PER_ACCOUNT markets).
    uint256 internal constant MAX_LEGS = 8;

    /// @dev One trade: the leg, then the margin check.
    function _trade(bytes32 id, uint256 marketId, int256 sizeDelta, uint256 quoteLimit)
        internal
        returns (uint256 quote)
    {
        Account memory a = _accounts[id];
        Position memory p = _positions[id][marketId];
        TradeResult memory r;
        bool addsRisk;
        (quote, addsRisk) = _tradeLeg(id, marketId, sizeDelta, quoteLimit, a, p, r);
        _checkMargin(id, a, r.price, addsRisk);
        _emitPositionChanged(id, marketId, sizeDelta, p, r);
    }

    /// @dev Several legs, each a trade without its margin check, then one check after the last leg (initial
    /// margin if any leg added risk). The check takes the last leg's market as priced (refreshed in this block);
    /// every other market traded here was refreshed in this block too, so the oracle returns its stored observation.
    function _tradeLegs(bytes32 id, TradeLeg[] calldata legs) internal returns (uint256[] memory quotes) {
        uint256 n = legs.length;
        if (n == 0) revert IPerpPool.NoLegs();
        if (n > MAX_LEGS) revert IPerpPool.TooManyLegs(n, MAX_LEGS);
        quotes = new uint256[](n);
        Account memory a = _accounts[id];
        uint256 seen;
        bool addsRisk;
        KnownPrice memory last;
        for (uint256 i; i < n; ++i) {
            uint256 marketId = legs[i].marketId;
            // 0 for ids >= 256: never listed (MAX_MARKETS), so that leg reverts UnknownMarket.
            uint256 bit = 1 << marketId;
            if (seen & bit != 0) revert IPerpPool.DuplicateLeg(marketId);
            seen |= bit;
            bool legAddsRisk;
            (quotes[i], legAddsRisk, last) = _tradeListedLeg(id, legs[i], a);
            if (legAddsRisk) addsRisk = true;
        }
        _checkMargin(id, a, last, addsRisk);
    }

    /// @dev One leg of `_tradeLegs`, its event included. Returns its quote, whether it added risk and its index.
    function _tradeListedLeg(bytes32 id, TradeLeg calldata leg, Account memory a)
        private
        returns (uint256 quote, bool addsRisk, KnownPrice memory price)
    {
        int256 sizeDelta = leg.sizeDelta;
        if (sizeDelta == 0) revert IPerpPool.ZeroAmount();
        uint256 marketId = leg.marketId;
        Position memory p = _positions[id][marketId];
        TradeResult memory r;
        (quote, addsRisk) = _tradeLeg(id, marketId, sizeDelta, leg.quoteLimit, a, p, r);
        _emitPositionChanged(id, marketId, sizeDelta, p, r);
        price = r.price;
    }

    /// @dev A trade without its margin check: oracle and risk gates, funding, the curve, price guards, slippage,
    /// open interest, PnL and fee, the position and the account stored. `a` and `p` are the account and the position
    /// as stored (updated here, in memory and storage); `r` receives what the check and the event need.
    function _tradeLeg(
        bytes32 id,
        uint256 marketId,
        int256 sizeDelta,
        uint256 quoteLimit,
        Account memory a,
        Position memory p,
        TradeResult memory r
    ) internal returns (uint256 quote, bool addsRisk) {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        r.oldSize = p.size;
        bool flips;
        (flips, addsRisk) = _classify(r.oldSize, sizeDelta, c);
        KnownPrice memory q = _indexAndAccrue(m, c, marketId, true);
        r.price = q;
        r.index = q.index;
        if (addsRisk) {
            if (paused) revert IPerpPool.Paused();
            _requireNormal(marketId, q.status);
        }
        r.realized = _settleFunding(m, p);
        _legs(m, p, sizeDelta, flips, r);
        _checkPriceGuards(m, c, r.markBefore, r.markAfter, r.index);
        quote = FixedPoint.abs(r.quoteDelta);
        if (sizeDelta > 0 ? quote > quoteLimit : quote < quoteLimit) {
            revert IPerpPool.SlippageExceeded(quote, quoteLimit);
        }
        _updateOpenInterest(m, r.oldSize, p.size);

        _applyPnl(id, a, r.realized);
        r.fee = _chargeFee(a, quote.mulDivUp(c.feeBps, FixedPoint.BPS));
        _storePosition(id, a, marketId, p, r.oldSize);
        _accounts[id] = a;

        if (addsRisk) _checkOpenInterest(marketId, m, c, p.size, r.index);
    }

    /// @dev Whether the trade flips the side and whether it adds risk; rejects a dust remainder.
    function _classify(int256 oldSize, int256 sizeDelta, MarketConfig storage c)
        internal
        view
        returns (bool flips, bool addsRisk)
    {
        int256 newSize = oldSize + sizeDelta;
        flips = oldSize != 0 && newSize != 0 && (oldSize > 0) != (newSize > 0);
        addsRisk = flips || FixedPoint.abs(newSize) > FixedPoint.abs(oldSize);
        if (newSize != 0 && FixedPoint.abs(newSize) < c.minPositionBase) {
            revert IPerpPool.DustPosition(newSize, c.minPositionBase);
        }
    }

    /// @dev After a trade: value >= initial requirement (paper gains haircut) when it added risk, else value >= 0.
    function _checkMargin(bytes32 id, Account memory a, KnownPrice memory known, bool addsRisk) internal {
        Totals memory t = _totals(id, a.marketMask, known, addsRisk);
        if (addsRisk) {
            int256 v = _openValue(a, t);
            if (v < int256(t.initialReq)) revert IPerpPool.InsufficientMargin(v, t.initialReq);
        } else {
            int256 v = _value(a, t);
            if (v < 0) revert IPerpPool.NegativeEquity(v);
        }
    }

    /// @dev Executes the trade on the curve and applies it to `p`. A flip is two legs: close the old side, then
    /// open the new one.
    function _legs(MarketState storage m, Position memory p, int256 sizeDelta, bool flips, TradeResult memory r)
        internal
    {
        int256 oldSize = p.size;
        if (flips) {
            int256 newSize = oldSize + sizeDelta;
            (int256 closeQuote, uint256 markBefore,) = _swap(m, -oldSize);
            r.realized -= closeQuote + p.openNotional;
            (int256 openQuote,, uint256 markAfter) = _swap(m, newSize);
            r.quoteDelta = closeQuote + openQuote;
            r.markBefore = markBefore;
            r.markAfter = markAfter;
            p.openNotional = openQuote.toInt128();
            p.size = newSize.toInt128();
            p.fundingEntry = newSize > 0 ? m.cumFundingLong : m.cumFundingShort;
        } else {
            (r.quoteDelta, r.markBefore, r.markAfter) = _swap(m, sizeDelta);
            (int256 s, int256 on, int256 pnl) = PositionMath.applyLeg(oldSize, p.openNotional, sizeDelta, r.quoteDelta);
            p.size = s.toInt128();
            p.openNotional = on.toInt128();
            r.realized += pnl;
            if (oldSize == 0) p.fundingEntry = s > 0 ? m.cumFundingLong : m.cumFundingShort;
        }
    }

    /// @dev Charges the trading fee (see `_charge`): what collateral covers is premium now, what is netted from
    /// deferred profit is owed to the backstop out of the surplus it frees.
    function _chargeFee(Account memory a, uint256 fee) internal returns (uint256) {
        (uint256 fromCollateral, uint256 fromDeferred) = _charge(a, fee);
        if (fromCollateral != 0) _pendingPremium = (uint256(_pendingPremium) + fromCollateral).toUint128();
        if (fromDeferred != 0) _addBackstopNet(int256(fromDeferred));
        return fee;
    }

    function _storePosition(bytes32 id, Account memory a, uint256 marketId, Position memory p, int256 oldSize)
        internal
    {
        if (p.size == 0) {
            delete _positions[id][marketId];
            a.marketMask &= ~uint32(1 << marketId);
            return;
        }
        _positions[id][marketId] = p;
        if (oldSize == 0) {
            // The backstop account holds what liquidations hand it in any number of markets.
            if (id == BACKSTOP_ACCOUNT) {
                a.marketMask |= uint32(1 << marketId);
                return;
            }
            uint32 mask = a.marketMask | uint32(1 << marketId);
            uint256 count = MarketMask.count(mask);
            if (count > MAX_MARKETS_PER_ACCOUNT) revert IPerpPool.TooManyMarkets(count, MAX_MARKETS_PER_ACCOUNT);
            a.marketMask = mask;
        }
    }

    function _emitPositionChanged(
        bytes32 id,
        uint256 marketId,
        int256 sizeDelta,
        Position memory p,
        TradeResult memory r
    ) internal {
        (address owner, uint96 subId) = _decode(id);
        emit IPerpPool.PositionChanged(
            owner, subId, marketId, sizeDelta, r.quoteDelta, p.size, p.openNotional, r.realized, r.fee, r.markAfter
        );
    }
}
