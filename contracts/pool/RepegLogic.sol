// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {MarketConfig, MarketState, RepegCheckpoint} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {RepegMath} from "../libraries/RepegMath.sol";
import {TimeIntegral} from "../libraries/TimeIntegral.sol";
import {VammMath} from "../libraries/VammMath.sol";
import {BackstopLogic} from "./BackstopLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title RepegLogic
/// @notice Moves a market's curve back toward the index in small steps when funding alone has not closed the gap.
/// The trigger is time-weighted over the repeg's own window (see `RepegMath`; no other call restarts it), a step
/// moves the mark by less than a round trip's fees (so trading around it never pays), never past the index, at
/// most once per timestamp, and the keeper repeats it every block while due. Its cost or gain to the traders' net
/// position on the curve is booked to the backstop within a budget per step.
abstract contract RepegLogic is BackstopLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;

    /// @notice The time-weighted gap must have been measured over at least this long.
    uint256 public constant REPEG_MIN_WINDOW = RepegMath.MIN_WINDOW;
    /// @notice Most one repeg step may cost the backstop, in bps of its capital.
    uint256 public constant REPEG_BUDGET_BPS = RepegMath.BUDGET_BPS;

    function _repeg(uint256 marketId) internal returns (uint256 markAfter) {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        (uint256 index, OracleStatus status, uint256 cumulativeIndex,) = oracle.refreshCumulative(marketId);
        // As funding: no repeg toward an index the oracle does not vouch for (feeds disagreeing, breaker cooling).
        if (status == OracleStatus.Halted) revert IPerpPool.OracleHalted(marketId);
        if (status != OracleStatus.Normal) revert IPerpPool.ReduceOnly(marketId, uint8(status));
        // The mark integral to now (the accrual also anchors the block's move limit at its first mark, which the
        // step below leaves alone: no one gets a fresh per-block allowance from it).
        _accrue(m, c);
        uint256 markBefore = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        // The trigger reads the block's first mark (`_accrue` just anchored it): a trade earlier in this block, the
        // caller's own included, cannot make a step due (and hand a position held on the side it favours its gain).
        uint256 anchor = m.blockStartMark;
        _requireDue(m, c, marketId, index, cumulativeIndex, anchor);
        (uint256 newQuote, int256 gain) = _repegQuote(m, c, index, markBefore, anchor);
        // Booked with the funding imbalance: a cost is drawn from the tranches (junior first) when the keeper
        // settles the backstop's net flow (`distributePremium`), a gain is paid to them out of collected losses.
        if (gain != 0) _addBackstopNet(-gain);
        m.quoteReserve = newQuote.toUint128();
        m.lastRepeg = uint32(block.timestamp);
        markAfter = VammMath.markPrice(m.baseReserve, newQuote);
        emit IPerpPool.Repegged(marketId, markBefore, markAfter, gain);
    }

    /// @dev Rolls the window when its time has come (as `updateFunding` does), then `RepegNotDue` unless the trigger
    /// holds over it (`RepegMath.isDue`). `markTimeIntegral` is accrued to now.
    function _requireDue(
        MarketState storage m,
        MarketConfig storage c,
        uint256 marketId,
        uint256 index,
        uint256 cumulativeIndex,
        uint256 mark
    ) internal {
        uint256 start = _rollRepegWindow(marketId, m, cumulativeIndex);
        RepegCheckpoint memory cp = _repegCheckpoints[marketId][start];
        uint256 elapsed = block.timestamp - (start == 0 ? m.repegTime0 : m.repegTime1);
        uint256 twapMark = TimeIntegral.meanDown(m.markTimeIntegral, cp.markIntegral, elapsed);
        uint256 twapIndex = TimeIntegral.meanDown(cumulativeIndex, cp.indexIntegral, elapsed);
        (bool due, uint256 gapBps) =
            RepegMath.isDue(c.maxPremiumBps, m.lastRepeg == block.timestamp, index, mark, elapsed, twapMark, twapIndex);
        if (!due) revert IPerpPool.RepegNotDue(marketId, gapBps, elapsed);
    }

    /// @dev The new quote reserve: one step toward the index (`RepegMath.stepTarget`, rounded toward the current
    /// mark), shrunk so that the traders' gain stays within the budget; and that gain. The step is measured from the
    /// block's first mark (`anchor`): when a trade earlier in this block moved the mark, the quote reserve is scaled
    /// by the same fraction the step would have taken at the anchor (a scaling of the quote reserve commutes with
    /// trades on the curve), so where that trade left the mark changes neither the step nor where the curve ends once
    /// it is undone (no one can shrink a step, or clamp it at the index, for a position held on the other side).
    function _repegQuote(
        MarketState storage m,
        MarketConfig storage c,
        uint256 index,
        uint256 markBefore,
        uint256 anchor
    ) internal view returns (uint256 newQuote, int256 gain) {
        uint256 base = m.baseReserve;
        uint256 quote = m.quoteReserve;
        uint256 target = RepegMath.stepTarget(anchor, index, c.feeBps, c.maxMoveBps);
        if (anchor == markBefore) newQuote = RepegMath.quoteFor(base, target, markBefore > index);
        else newQuote = anchor > index ? quote.mulDivUp(target, anchor) : quote.mulDivDown(target, anchor);
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
