// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {Account, MarketConfig, MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {BackstopLogic} from "./BackstopLogic.sol";
import {TradeLogic} from "./TradeLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title InventoryLogic
/// @notice The backstop account's positions: what liquidations transfer to it at the index, and the bounded
/// unwind of them on the curve. Its realized gains are owed to the backstop (paid as premium out of collected
/// losses), its realized losses run down the waterfall at once (junior, senior, then socialized).
abstract contract InventoryLogic is TradeLogic, BackstopLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev Moves `sizeDelta` base (signed, reducing `p`) of `id`'s position on `marketId` to the backstop account
    /// at `index`. The account pays or receives the index value rounded in the pool's favour, and the backstop
    /// takes the mirror leg at exactly that quote, so no value is created or lost between them. Open interest is
    /// moved (and shrinks where the backstop nets against an opposite inventory). The curve is not touched.
    /// The market accrues first only where it must (`_accrueForTransfer`); funding settles at the indices as of now.
    /// @return realized the account's realized PnL, funding included (already applied to `a`)
    /// @return quoteDelta the quote the account paid (> 0) or received (< 0) for the transferred base
    function _transferToBackstop(
        bytes32 id,
        Account memory a,
        uint256 marketId,
        Position memory p,
        int256 sizeDelta,
        uint256 index
    ) internal returns (int256 realized, int256 quoteDelta) {
        MarketState storage m = _markets[marketId];
        int256 oldSize = p.size;
        int256[2] memory cum = _accrueForTransfer(m, marketId, oldSize);
        realized = _settleFundingAt(p, cum[0], cum[1]);
        // The account buys back (short) at the index rounded up, or sells (long) at the index rounded down.
        quoteDelta = sizeDelta > 0
            ? FixedPoint.abs(sizeDelta).wMulUp(index).toInt256()
            : -(FixedPoint.abs(sizeDelta).wMulDown(index).toInt256());
        (int256 s, int256 on, int256 pnl) = PositionMath.applyLeg(oldSize, p.openNotional, sizeDelta, quoteDelta);
        p.size = s.toInt128();
        p.openNotional = on.toInt128();
        realized += pnl;
        _updateOpenInterest(m, oldSize, s);
        _applyPnl(id, a, realized);
        _storePosition(id, a, marketId, p, oldSize);
        _inventoryLeg(marketId, m, -sizeDelta, -quoteDelta, false, cum[0], cum[1]);
    }

    /// @dev A transfer at the index moves no mark, and moves no open interest unless the backstop nets against an
    /// opposite inventory: only then does the market accrue first (funding must accrue on the open interest it
    /// applied to). Otherwise accruing later gives the same integrals (the mark is unchanged meanwhile, and the
    /// oracle integrates the index itself), and funding settles at the indices as of now, so the accrual (three
    /// slot writes) is skipped. Returns the funding indices as of now.
    function _accrueForTransfer(MarketState storage m, uint256 marketId, int256 size)
        internal
        returns (int256[2] memory cum)
    {
        MarketConfig storage c = _configs[marketId];
        if (m.lastAccrual != block.timestamp) {
            int256 held = _positions[BACKSTOP_ACCOUNT][marketId].size;
            if (held != 0 && (held > 0) != (size > 0)) {
                _accrue(m, c);
                return [int256(m.cumFundingLong), int256(m.cumFundingShort)];
            }
        }
        (cum[0], cum[1]) = _cumNow(m, c);
    }

    /// @dev Applies one leg to the backstop's position on `marketId` (it may flip: the closing part realizes at the
    /// leg's average price, the rest opens at it), books its realized PnL, moves open interest, and stores it.
    function _inventoryLeg(
        uint256 marketId,
        MarketState storage m,
        int256 sizeDelta,
        int256 quoteDelta,
        bool emitAlways,
        int256 cumLong,
        int256 cumShort
    ) internal returns (int256 realized, int256 newSize) {
        Position memory b = _positions[BACKSTOP_ACCOUNT][marketId];
        int256 oldSize = b.size;
        realized = _settleFundingAt(b, cumLong, cumShort);
        newSize = oldSize + sizeDelta;
        if (oldSize != 0 && newSize != 0 && (oldSize > 0) != (newSize > 0)) {
            // Flip: close the old side with its share of the quote, open the rest.
            int256 closeQuote = FixedPoint.mulDivCeil(quoteDelta, FixedPoint.abs(oldSize), FixedPoint.abs(sizeDelta));
            (,, int256 pnl) = PositionMath.applyLeg(oldSize, b.openNotional, -oldSize, closeQuote);
            realized += pnl;
            b.openNotional = (quoteDelta - closeQuote).toInt128();
            b.fundingEntry = (newSize > 0 ? cumLong : cumShort).toInt128();
        } else {
            (, int256 on, int256 pnl) = PositionMath.applyLeg(oldSize, b.openNotional, sizeDelta, quoteDelta);
            realized += pnl;
            b.openNotional = on.toInt128();
            if (oldSize == 0) b.fundingEntry = (newSize > 0 ? cumLong : cumShort).toInt128();
        }
        b.size = newSize.toInt128();
        _updateOpenInterest(m, oldSize, newSize);
        if (oldSize == 0 || newSize == 0) {
            // Only opening or closing the inventory in a market changes the backstop account's market mask.
            Account memory ba = _accounts[BACKSTOP_ACCOUNT];
            _storePosition(BACKSTOP_ACCOUNT, ba, marketId, b, oldSize);
            _accounts[BACKSTOP_ACCOUNT] = ba;
            _inventoryMask = ba.marketMask;
        } else {
            _positions[BACKSTOP_ACCOUNT][marketId] = b;
        }
        _bookInventoryPnl(marketId, realized);
        // A plain transfer is fully described by its `Liquidated` event (size and index); what realizes PnL for the
        // backstop (netting, unwinds) is evented here.
        if (realized != 0 || emitAlways) {
            emit IPerpPool.InventoryChanged(marketId, sizeDelta, quoteDelta, newSize, b.openNotional, realized);
        }
    }

    /// @dev `_inventoryLeg` on a market accrued in this call (its stored funding indices are current), evented.
    function _inventoryLegAccrued(uint256 marketId, MarketState storage m, int256 sizeDelta, int256 quoteDelta)
        internal
    {
        _inventoryLeg(marketId, m, sizeDelta, quoteDelta, true, m.cumFundingLong, m.cumFundingShort);
    }

    /// @dev A realized inventory gain or loss is booked to the backstop's net flow with the funding imbalance: a gain
    /// is paid to the tranches out of collected losses, a loss is drawn from them, junior first, when the keeper
    /// settles the flow (`distributePremium`). Until then the loss stays visible: `backstopInventoryLoss` counts
    /// what the backstop owes, so no LP claims ahead of it.
    function _bookInventoryPnl(uint256 marketId, int256 pnl) internal {
        if (pnl == 0) return;
        _addBackstopNet(pnl);
        if (pnl < 0) emit IPerpPool.InventoryLossRealized(marketId, uint256(-pnl));
    }

    /// @dev One bounded unwind step of the backstop's position on `marketId`, on the curve. Allowed only while
    /// the mark is within the market's liquidation penalty of the index, and only at an average price no worse
    /// than the index minus (long) or plus (short) that penalty: the backstop never sells below what the
    /// penalty it earned on the transfer paid for, and no caller can push the mark away first and buy the
    /// inventory cheaply (the band and the per-block limit on the final mark apply as to any trade).
    function _unwind(uint256 marketId, uint256 maxBase) internal returns (int256 unwound) {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        int256 held = _positions[BACKSTOP_ACCOUNT][marketId].size;
        if (held == 0 || maxBase == 0) revert IPerpPool.NothingToUnwind(marketId);
        (uint256 index,) = _indexAndAccrue(m, c, marketId, true);
        uint256 size = FixedPoint.abs(held);
        uint256 step = FixedPoint.min(size, maxBase);
        if (size - step != 0 && size - step < c.minPositionBase) step = size;
        unwound = held > 0 ? -int256(step) : int256(step);

        uint256 tolerance = index.mulDivDown(c.liquidationPenaltyBps, FixedPoint.BPS);
        (int256 quoteDelta, uint256 markBefore, uint256 markAfter) = _swap(m, unwound);
        {
            uint256 gap = markBefore > index ? markBefore - index : index - markBefore;
            if (gap > tolerance) revert IPerpPool.MarkFarFromIndex(marketId, markBefore, index);
        }
        _checkPriceGuards(m, c, markBefore, markAfter, index);
        {
            uint256 quote = FixedPoint.abs(quoteDelta);
            // Selling a long must fetch at least (index - tolerance) per base; buying back a short must cost at
            // most (index + tolerance) per base.
            bool ok = held > 0 ? quote >= step.wMulUp(index - tolerance) : quote <= step.wMulDown(index + tolerance);
            if (!ok) revert IPerpPool.UnwindPriceOutOfBounds(marketId, quote, step, index);
        }
        _inventoryLegAccrued(marketId, m, unwound, quoteDelta);
    }

    /// @dev The loss the chain already shows for the backstop, token units rounded up: its inventory's unrealized
    /// loss at the index (funding owed included) summed over the positions under water (a gain counts for nothing
    /// until realized), plus what the backstop owes and has not settled yet (funding imbalance, realized
    /// inventory losses, repeg costs).
    function _inventoryLoss() internal view returns (uint256 lossTokens) {
        uint256 mask = _inventoryMask;
        int256 net = _backstopFundingNet;
        uint256 lossWad = net < 0 ? uint256(-net) : 0;
        while (mask != 0) {
            uint256 marketId = MarketMask.lowest(mask);
            mask &= mask - 1;
            (uint256 index, OracleStatus status) = _viewIndex(marketId);
            Totals memory t;
            _accumulate(t, BACKSTOP_ACCOUNT, marketId, index, status == OracleStatus.Halted);
            if (t.pnl < 0) lossWad += uint256(-t.pnl);
        }
        lossTokens = lossWad.mulDivUp(1, TOKEN_TO_WAD);
    }
}
