// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {MarketConfig, MarketState, Position, RepegCheckpoint} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {FundingMath} from "../libraries/FundingMath.sol";
import {RepegMath} from "../libraries/RepegMath.sol";
import {TimeIntegral} from "../libraries/TimeIntegral.sol";
import {VammMath} from "../libraries/VammMath.sol";
import {PoolStorage} from "./PoolStorage.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title MarketLogic
/// @notice Per-market mechanics: index price, funding accrual, the curve swap and the price guards.
abstract contract MarketLogic is PoolStorage {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    function _listedMarket(uint256 marketId) internal view returns (MarketState storage m) {
        m = _markets[marketId];
        if (m.baseReserve == 0) revert IPerpPool.UnknownMarket(marketId);
    }

    /// @dev Index price for a view: the observation the oracle already stored in this block (what the pool acts on
    /// in this block), else a fresh read of the feeds.
    function _viewIndex(uint256 marketId) internal view returns (uint256 price, OracleStatus status) {
        uint64 at;
        (price, status, at) = oracle.lastObservation(marketId);
        if (at != block.timestamp) (price, status) = oracle.peek(marketId);
    }

    /// @dev A market as this call priced it: what the margin check reuses instead of asking the oracle again.
    struct KnownPrice {
        uint256 marketId; // NO_MARKET: none known
        uint256 index;
        OracleStatus status;
        uint256 varianceBps2; // the oracle's realized variance (IM volatility scaling)
    }

    /// @dev Refreshes the oracle of `marketId` (the router stores at most one observation per block).
    function _observe(uint256 marketId) internal returns (KnownPrice memory q) {
        q.marketId = marketId;
        (q.index, q.status, q.varianceBps2) = oracle.observe(marketId);
    }

    function _noKnownPrice() internal pure returns (KnownPrice memory q) {
        q.marketId = NO_MARKET;
    }

    /// @dev Refreshes the oracle and accrues the market to now. `revertIfHalted`: `OracleHalted` before anything
    /// accrues. (The time-weighted index needs no accrual: the oracle integrates it, see `cumulativePrice`.)
    function _indexAndAccrue(MarketState storage m, MarketConfig storage c, uint256 marketId, bool revertIfHalted)
        internal
        returns (KnownPrice memory q)
    {
        q = _observe(marketId);
        if (revertIfHalted && q.status == OracleStatus.Halted) revert IPerpPool.OracleHalted(marketId);
        _accrue(m, c);
    }

    /// @dev Accrues funding and the cumulative mark integral up to now, and anchors the per-block move limit at the
    /// block's first mark (only the first call of a timestamp gets here).
    function _accrue(MarketState storage m, MarketConfig storage c) internal {
        uint256 last = m.lastAccrual;
        if (last == block.timestamp) return;
        uint256 dt = block.timestamp - last;
        uint256 mark = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        _accrueFunding(m, c, dt);
        m.lastAccrual = uint32(block.timestamp);
        m.markTimeIntegral = TimeIntegral.carry(m.markTimeIntegral, mark, dt);
        m.blockStartMark = mark.toUint128();
    }

    /// @dev Rolls the repeg's window forward when its newer checkpoint is at least REPEG_MIN_WINDOW old: the older
    /// checkpoint is overwritten with now (`markTimeIntegral`, accrued to now by the caller, and the oracle's
    /// `cumulativeIndex`). Keeper-paced callers only (`repeg`, `updateFunding`): trades never write here.
    /// Returns the checkpoint that starts the window afterwards.
    function _rollRepegWindow(uint256 marketId, MarketState storage m, uint256 cumulativeIndex)
        internal
        returns (uint256 start)
    {
        bool rolls;
        (rolls, start) = RepegMath.window(m.repegTime0, m.repegTime1, block.timestamp, RepegMath.MIN_WINDOW);
        if (!rolls) return start;
        uint256 older = 1 - start;
        // forge-lint: disable-next-line(unsafe-typecast) the integrals are read modulo 2^128 (TimeIntegral.meanDown)
        _repegCheckpoints[marketId][older] = RepegCheckpoint(m.markTimeIntegral, uint128(cumulativeIndex));
        if (older == 0) m.repegTime0 = uint32(block.timestamp);
        else m.repegTime1 = uint32(block.timestamp);
    }

    function _accrueFunding(MarketState storage m, MarketConfig storage c, uint256 dt) private {
        int256 rate = m.fundingRate;
        int256 kicker = m.fundingKicker;
        if (rate == 0 && kicker == 0) return;
        (int256 dLong, int256 dShort, int256 flow, uint256 kickerFlow) =
            FundingMath.accrue(rate, kicker, dt, m.longOpenInterest, m.shortOpenInterest, c.fundingBudgetPerSecond * dt);
        m.cumFundingLong = (m.cumFundingLong + dLong).toInt128();
        m.cumFundingShort = (m.cumFundingShort + dShort).toInt128();
        if (kickerFlow != 0) _kickerPaid = (uint256(_kickerPaid) + kickerFlow).toUint96();
        if (flow != 0) _addBackstopNet(flow);
    }

    /// @dev The funding indices as they would be after accruing to now (view; for markets not accrued in this call).
    /// Nothing to accrue (no rate nor kicker, or accrued in this block): the stored indices, without reading the open
    /// interest or the budget.
    function _cumNow(MarketState storage m, MarketConfig storage c) internal view returns (int256, int256) {
        int256 rate = m.fundingRate;
        int256 kicker = m.fundingKicker;
        if ((rate == 0 && kicker == 0) || m.lastAccrual == block.timestamp) {
            return (m.cumFundingLong, m.cumFundingShort);
        }
        return FundingMath.cumulativeNow(
            m.cumFundingLong,
            m.cumFundingShort,
            rate,
            kicker,
            block.timestamp - m.lastAccrual,
            m.longOpenInterest,
            m.shortOpenInterest,
            c.fundingBudgetPerSecond
        );
    }

    /// @dev Swaps `sizeDelta` base on the curve. Returns the signed quote paid (> 0) or received (< 0).
    function _swap(MarketState storage m, int256 sizeDelta)
        internal
        returns (int256 quoteDelta, uint256 markBefore, uint256 markAfter)
    {
        uint256 base = m.baseReserve;
        uint256 quote = m.quoteReserve;
        markBefore = VammMath.markPrice(base, quote);
        uint256 newBase;
        uint256 newQuote;
        if (sizeDelta > 0) {
            uint256 quoteIn;
            (quoteIn, newBase, newQuote) = VammMath.quoteToBuyBase(base, quote, uint256(sizeDelta));
            quoteDelta = int256(quoteIn);
        } else {
            uint256 quoteOut;
            (quoteOut, newBase, newQuote) = VammMath.quoteForSellingBase(base, quote, uint256(-sizeDelta));
            quoteDelta = -int256(quoteOut);
        }
        m.baseReserve = newBase.toUint128();
        m.quoteReserve = newQuote.toUint128();
        markAfter = VammMath.markPrice(newBase, newQuote);
    }

    /// @dev The price band and the per-block move limit, on the FINAL mark of every curve trade. A trade that
    /// brings the mark closer to the index without crossing it is always allowed (it cannot walk the curve away,
    /// and after an index jump it is how the mark catches up). Any other trade, including one that crosses the
    /// index, must end within `bandBps` of the index, and within one block (one timestamp) no further from the
    /// index, on the side where it ends, than the block's first mark was on that side plus `maxMoveBps` (a mark
    /// that starts on the other side counts as 0 there), so no single transaction pins the mark beyond the index.
    function _checkPriceGuards(
        MarketState storage m,
        MarketConfig storage c,
        uint256 markBefore,
        uint256 markAfter,
        uint256 index
    ) internal view {
        uint256 distBefore = markBefore > index ? markBefore - index : index - markBefore;
        uint256 distAfter = markAfter > index ? markAfter - index : index - markAfter;
        bool crossed = (markBefore > index && markAfter < index) || (markBefore < index && markAfter > index);
        if (!crossed && distAfter <= distBefore) return;
        if (distAfter * FixedPoint.BPS > index * c.bandBps) {
            revert IPerpPool.PriceBandExceeded(markAfter, index, c.bandBps);
        }
        uint256 ref = m.blockStartMark;
        uint256 refDist;
        if ((ref >= index) == (markAfter >= index)) refDist = ref > index ? ref - index : index - ref;
        if (distAfter > refDist && (distAfter - refDist) * FixedPoint.BPS > ref * c.maxMoveBps) {
            revert IPerpPool.BlockMoveLimitExceeded(markAfter, ref, c.maxMoveBps);
        }
    }

    /// @dev Books `delta` (WAD) to the backstop's unsettled net flow (> 0 owed to it).
    function _addBackstopNet(int256 delta) internal {
        _backstopFundingNet = (int256(_backstopFundingNet) + delta).toInt128();
    }

    /// @dev Adds `loss` (WAD) to the funding indices of a market: every base unit the traders hold pays `perBase`
    /// more. The backstop's own inventory is left out (its funding entry moves with its side's index): the tranches
    /// never owe back a share of a loss socialized because they could not pay it. With no trader open interest the
    /// loss is written off: it stays with the deferred profit it could not pay (perBase 0).
    function _socialize(uint256 marketId, MarketState storage m, uint256 loss) internal {
        Position storage b = _positions[BACKSTOP_ACCOUNT][marketId];
        int256 held = b.size;
        uint256 oi = _traderOpenInterest(m, held);
        uint256 perBase;
        if (oi != 0) {
            perBase = loss.mulDivUp(FixedPoint.WAD, oi);
            int256 shift = perBase.toInt256();
            m.cumFundingLong = (int256(m.cumFundingLong) + shift).toInt128();
            m.cumFundingShort = (int256(m.cumFundingShort) - shift).toInt128();
            if (held > 0) b.fundingEntry = (int256(b.fundingEntry) + shift).toInt128();
            else if (held < 0) b.fundingEntry = (int256(b.fundingEntry) - shift).toInt128();
        }
        emit IPerpPool.LossSocialized(marketId, loss, perBase);
    }

    /// @dev `_socialize` on the market where traders hold the most open interest (a loss tied to no market).
    function _socializeOnLargestMarket(uint256 loss) internal returns (uint256 marketId) {
        marketId = _largestTraderOpenInterestMarket();
        _socialize(marketId, _markets[marketId], loss);
    }

    /// @dev Long plus short open interest without the backstop's own inventory (`held`), base WAD.
    function _traderOpenInterest(MarketState storage m, int256 held) internal view returns (uint256) {
        return uint256(m.longOpenInterest) + m.shortOpenInterest - FixedPoint.abs(held);
    }

    function _largestTraderOpenInterestMarket() internal view returns (uint256 best) {
        uint256 bestOi;
        for (uint256 i; i < _marketCount; ++i) {
            uint256 oi = _traderOpenInterest(_markets[i], _positions[BACKSTOP_ACCOUNT][i].size);
            if (oi > bestOi) (best, bestOi) = (i, oi);
        }
    }

    /// @dev Moves open interest from `oldSize` to `newSize` for one position.
    function _updateOpenInterest(MarketState storage m, int256 oldSize, int256 newSize) internal {
        uint256 longOI = m.longOpenInterest;
        uint256 shortOI = m.shortOpenInterest;
        if (oldSize > 0) longOI -= uint256(oldSize);
        else shortOI -= uint256(-oldSize);
        if (newSize > 0) longOI += uint256(newSize);
        else shortOI += uint256(-newSize);
        m.longOpenInterest = longOI.toUint128();
        m.shortOpenInterest = shortOI.toUint128();
    }

    /// @dev Open interest cap per side: the absolute cap, and notional at index <= backstop capital x oiCapBps.
    function _checkOpenInterest(
        uint256 marketId,
        MarketState storage m,
        MarketConfig storage c,
        int256 newSize,
        uint256 index
    ) internal view {
        uint256 oi = newSize > 0 ? m.longOpenInterest : m.shortOpenInterest;
        uint256 cap = _openInterestCapBase(c, index);
        if (oi > cap) revert IPerpPool.OpenInterestCapExceeded(marketId, oi, cap);
    }

    function _openInterestCapBase(MarketConfig storage c, uint256 index) internal view returns (uint256 cap) {
        uint256 capitalWad = uint256(_backstopCapital) * TOKEN_TO_WAD;
        cap = capitalWad.mulDivDown(c.oiCapBps, FixedPoint.BPS).wDivDown(index);
        uint256 absCap = c.maxOpenInterestBase;
        if (absCap < cap) cap = absCap;
    }
}
