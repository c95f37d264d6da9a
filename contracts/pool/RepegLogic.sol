// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {MarketConfig, MarketState} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {RepegMath} from "../libraries/RepegMath.sol";
import {VammMath} from "../libraries/VammMath.sol";
import {BackstopLogic} from "./BackstopLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title RepegLogic
/// @notice Moves a market's curve back toward the index when funding alone has not closed the gap: the trigger is
/// time-weighted (mark and index over the funding period), the move is bounded per call and per period, and
/// its cost or gain to the traders' net position on the curve is booked to the backstop within a budget.
abstract contract RepegLogic is BackstopLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;

    /// @notice The time-weighted gap must have been measured over at least this long.
    uint256 public constant REPEG_MIN_WINDOW = RepegMath.MIN_WINDOW;
    /// @notice Most one repeg may cost the backstop, in bps of its capital.
    uint256 public constant REPEG_BUDGET_BPS = RepegMath.BUDGET_BPS;

    /// @dev Whether a repeg is due now at `index`, from the period's mark integral and the oracle's index integral
    /// carried to now (`cumulativeIndex`).
    function _repegDue(MarketState storage m, MarketConfig storage c, uint256 index, uint256 cumulativeIndex)
        internal
        view
        returns (bool due, uint256 gapBps, uint256 elapsed)
    {
        elapsed = block.timestamp - m.periodStart;
        (uint256 twapMark, uint256 twapIndex, uint256 mark) = _twaps(m, cumulativeIndex, elapsed);
        (due, gapBps) =
            RepegMath.isDue(c.maxPremiumBps, m.lastRepeg >= m.periodStart, index, mark, elapsed, twapMark, twapIndex);
    }

    function _twaps(MarketState storage m, uint256 cumulativeIndex, uint256 elapsed)
        private
        view
        returns (uint256 twapMark, uint256 twapIndex, uint256 mark)
    {
        mark = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        (twapMark, twapIndex) = RepegMath.twaps(
            m.markTimeIntegral, mark, m.lastAccrual, cumulativeIndex, m.periodStartCumulativeIndex, elapsed
        );
    }

    function _repeg(uint256 marketId) internal returns (uint256 markAfter) {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        (uint256 index, OracleStatus status, uint256 cumulativeIndex) = oracle.refreshCumulative(marketId);
        // As funding: no repeg toward an index the oracle does not vouch for (feeds disagreeing, breaker cooling).
        if (status == OracleStatus.Halted) revert IPerpPool.OracleHalted(marketId);
        if (status != OracleStatus.Normal) revert IPerpPool.ReduceOnly(marketId, uint8(status));
        {
            (bool due, uint256 gapBps, uint256 elapsed) = _repegDue(m, c, index, cumulativeIndex);
            if (!due) revert IPerpPool.RepegNotDue(marketId, gapBps, elapsed);
        }
        _accrue(m, c);
        uint256 markBefore = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        (uint256 newQuote, int256 gain) = _repegQuote(m, c, index, markBefore);
        // Booked with the funding imbalance: a cost is drawn from the tranches (junior first) when the keeper
        // settles the backstop's net flow (`distributePremium`), a gain is paid to them out of collected losses.
        if (gain != 0) _addBackstopNet(-gain);
        m.quoteReserve = newQuote.toUint128();
        m.lastRepeg = uint32(block.timestamp);
        markAfter = VammMath.markPrice(m.baseReserve, newQuote);
        m.blockStartMark = markAfter.toUint128();
        emit IPerpPool.Repegged(marketId, markBefore, markAfter, gain);
    }

    /// @dev The new quote reserve: toward the index by at most maxMoveBps of the mark, never past it, shrunk so
    /// that the traders' gain stays within the budget; and that gain.
    function _repegQuote(MarketState storage m, MarketConfig storage c, uint256 index, uint256 markBefore)
        internal
        view
        returns (uint256 newQuote, int256 gain)
    {
        uint256 base = m.baseReserve;
        uint256 quote = m.quoteReserve;
        uint256 step = markBefore.mulDivDown(c.maxMoveBps, FixedPoint.BPS);
        uint256 target =
            markBefore > index ? FixedPoint.max(index, markBefore - step) : FixedPoint.min(index, markBefore + step);
        newQuote = base.wMulDown(target);
        gain = _traderGain(m, base, quote, newQuote);
        uint256 budget = _repegBudget();
        if (gain > 0 && uint256(gain) > budget) {
            // The gain is linear in the quote change: shrink the move to the budget.
            uint256 dq = (newQuote > quote ? newQuote - quote : quote - newQuote).mulDivDown(budget, uint256(gain));
            newQuote = newQuote > quote ? quote + dq : quote - dq;
            gain = _traderGain(m, base, quote, newQuote);
        }
    }

    /// @dev Change in closeout value of the traders' net position N = long OI - short OI (the backstop inventory
    /// included) when the quote reserve goes from `quote` to `newQuote` with `base` kept: (newQuote - quote) *
    /// N / (base + N), rounded against the pool (a gain up, a loss down).
    function _traderGain(MarketState storage m, uint256 base, uint256 quote, uint256 newQuote)
        internal
        view
        returns (int256)
    {
        int256 net = int256(uint256(m.longOpenInterest)) - int256(uint256(m.shortOpenInterest));
        if (net == 0 || newQuote == quote) return 0;
        uint256 n = FixedPoint.abs(net);
        uint256 dq = newQuote > quote ? newQuote - quote : quote - newQuote;
        uint256 denom = net > 0 ? base + n : base - n;
        bool gains = (newQuote > quote) == (net > 0);
        return gains ? dq.mulDivUp(n, denom).toInt256() : -(dq.mulDivDown(n, denom).toInt256());
    }

    function _repegBudget() internal view returns (uint256) {
        return (uint256(_backstopCapital) * TOKEN_TO_WAD).mulDivDown(REPEG_BUDGET_BPS, FixedPoint.BPS);
    }
}
