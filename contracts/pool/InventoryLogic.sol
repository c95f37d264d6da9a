// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {Account, InventorySale, MarketConfig, MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {InventorySaleMath} from "../libraries/InventorySaleMath.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {PositionMath} from "../libraries/PositionMath.sol";
import {BackstopLogic} from "./BackstopLogic.sol";
import {TradeLogic} from "./TradeLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title InventoryLogic
/// @notice The backstop account's positions: what liquidations transfer to it at the index, and their
/// descending-discount sale to takers at the index (never on the curve). Its realized gains are owed to the backstop
/// (paid as premium out of collected losses), its realized losses run down the waterfall at the next settlement
/// (junior, senior), visible to the tranches until then.
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

    /// @dev Applies a transfer leg of `sizeDelta` base for `quoteDelta` to `p` (in memory), funding first: it may flip
    /// (the closing part realizes at the leg's average price, its share of the quote rounded up; the rest opens at
    /// it). Returns the PnL realized, funding included.
    function _applyTransferLeg(Position memory p, int256 sizeDelta, int256 quoteDelta, int256 cumLong, int256 cumShort)
        internal
        pure
        returns (int256 realized)
    {
        int256 oldSize = p.size;
        realized = _settleFundingAt(p, cumLong, cumShort);
        int256 newSize = oldSize + sizeDelta;
        if (oldSize != 0 && newSize != 0 && (oldSize > 0) != (newSize > 0)) {
            // Flip: close the old side with its share of the quote, open the rest.
            int256 closeQuote = FixedPoint.mulDivCeil(quoteDelta, FixedPoint.abs(oldSize), FixedPoint.abs(sizeDelta));
            (,, int256 pnl) = PositionMath.applyLeg(oldSize, p.openNotional, -oldSize, closeQuote);
            realized += pnl;
            p.openNotional = (quoteDelta - closeQuote).toInt128();
            p.fundingEntry = (newSize > 0 ? cumLong : cumShort).toInt128();
        } else {
            (, int256 on, int256 pnl) = PositionMath.applyLeg(oldSize, p.openNotional, sizeDelta, quoteDelta);
            realized += pnl;
            p.openNotional = on.toInt128();
            if (oldSize == 0) p.fundingEntry = (newSize > 0 ? cumLong : cumShort).toInt128();
        }
        p.size = newSize.toInt128();
    }

    /// @dev Applies one leg to the backstop's position on `marketId` (`_applyTransferLeg`), books its realized PnL,
    /// moves open interest, and stores it. Opening, closing or flipping the inventory restarts its sale: the clock
    /// from now, the budget from zero (what was left of a closed inventory's budget is dropped: a new inventory's
    /// discount is bounded by the penalties collected for it alone).
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
        realized = _applyTransferLeg(b, sizeDelta, quoteDelta, cumLong, cumShort);
        newSize = b.size;
        _updateOpenInterest(m, oldSize, newSize);
        if (oldSize == 0 || newSize == 0) {
            // Only opening or closing the inventory in a market changes the backstop account's market mask.
            Account memory ba = _accounts[BACKSTOP_ACCOUNT];
            _storePosition(BACKSTOP_ACCOUNT, ba, marketId, b, oldSize);
            _accounts[BACKSTOP_ACCOUNT] = ba;
            _inventoryMask = ba.marketMask;
            _restartSale(marketId);
        } else {
            _positions[BACKSTOP_ACCOUNT][marketId] = b;
            if ((oldSize > 0) != (newSize > 0)) _restartSale(marketId);
        }
        _bookInventoryPnl(marketId, realized);
        // A plain transfer is fully described by its `Liquidated` event (size and index); what realizes PnL for the
        // backstop (netting, sales) is evented here.
        if (realized != 0 || emitAlways) {
            emit IPerpPool.InventoryChanged(marketId, sizeDelta, quoteDelta, newSize, b.openNotional, realized);
        }
    }

    /// @dev The sale clock starts now, the budget at zero; the rate is kept.
    function _restartSale(uint256 marketId) internal {
        InventorySale storage s = _inventorySales[marketId];
        s.budget = 0;
        s.clockStart = uint64(block.timestamp);
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

    /// @dev Values of one sale, kept in memory (the EVM stack cannot hold them all).
    struct Sale {
        uint256 index;
        uint256 discount; // per base, WAD
        uint256 step; // base taken
        int256 sizeDelta; // signed as the taker's position change
        int256 quoteDelta; // the taker paid (> 0) or received (< 0)
        int256 realized; // the taker's realized PnL, funding included
        int256 held; // the backstop's position afterwards
        uint256 budgetLeft;
        uint256 varianceBps2; // the index's realized variance (the taker's IM scaling)
    }

    /// @dev The descending-discount sale (see `IPerpPool.takeInventory`): up to `maxBase` of the backstop's position
    /// on `marketId` moves to account `id` at the index -/+ the discount, no curve trade; the taker is margin-checked
    /// like a trade. Open interest never grows: the backstop's side shrinks by what the taker's side gains (a taker
    /// on the opposite side nets it away), so no cap applies; the market accrues first only then.
    function _takeInventory(bytes32 id, uint256 marketId, uint256 maxBase, uint256 priceLimit)
        internal
        returns (int256 sizeDelta, uint256 pricePerBase)
    {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        int256 held = _positions[BACKSTOP_ACCOUNT][marketId].size;
        if (held == 0 || maxBase == 0) revert IPerpPool.NoInventory(marketId);
        Sale memory s;
        {
            KnownPrice memory q = _observe(marketId);
            s.index = q.index;
            s.varianceBps2 = q.varianceBps2;
            // The index is the price: the sale runs only on an index the oracle vouches for.
            _requireNormal(marketId, q.status);
        }
        bool long = held > 0;
        InventorySale memory sale = _inventorySales[marketId];
        {
            uint256 size = FixedPoint.abs(held);
            s.step = FixedPoint.min(size, maxBase);
            if (size - s.step != 0 && size - s.step < c.minPositionBase) s.step = size;
            s.discount = InventorySaleMath.discountPerBaseDown(
                s.index,
                sale.discountRateBps,
                block.timestamp - sale.clockStart,
                sale.budget,
                size,
                c.liquidationPenaltyBps
            );
        }
        pricePerBase = InventorySaleMath.price(s.index, s.discount, long);
        if (long ? pricePerBase > priceLimit : pricePerBase < priceLimit) {
            revert IPerpPool.SalePriceBeyondLimit(pricePerBase, priceLimit);
        }
        sizeDelta = long ? int256(s.step) : -int256(s.step);
        s.sizeDelta = sizeDelta;
        s.quoteDelta = InventorySaleMath.takerQuote(s.step, pricePerBase, long);
        s.budgetLeft = sale.budget - InventorySaleMath.grantedUp(s.step, s.discount);
        _saleLegs(id, marketId, m, c, s, held);
        // The clock restarts after every sale (a closed inventory's sale was restarted, budget dropped, by its leg).
        if (s.held != 0) {
            _inventorySales[marketId] =
                InventorySale(uint128(s.budgetLeft), uint64(block.timestamp), sale.discountRateBps);
        } else {
            s.budgetLeft = 0;
        }
        _emitTaken(id, marketId, s);
    }

    /// @dev Both sides of a sale: the taker's leg (stored, margin-checked) and the backstop's mirror leg.
    function _saleLegs(
        bytes32 id,
        uint256 marketId,
        MarketState storage m,
        MarketConfig storage c,
        Sale memory s,
        int256 held
    ) internal {
        Position memory p = _positions[id][marketId];
        int256 oldSize = p.size;
        (, bool addsRisk) = _classify(oldSize, s.sizeDelta, c);
        if (addsRisk && paused) revert IPerpPool.Paused();
        // Open interest changes only when the taker holds the opposite side: then funding must accrue on the old first.
        if (oldSize != 0 && (oldSize > 0) != (held > 0)) _accrue(m, c);
        (int256 cumLong, int256 cumShort) = _cumNow(m, c);
        s.realized = _applyTransferLeg(p, s.sizeDelta, s.quoteDelta, cumLong, cumShort);
        _updateOpenInterest(m, oldSize, p.size);
        Account memory a = _accounts[id];
        _applyPnl(id, a, s.realized);
        _storePosition(id, a, marketId, p, oldSize);
        _accounts[id] = a;
        (, s.held) = _inventoryLeg(marketId, m, -s.sizeDelta, -s.quoteDelta, true, cumLong, cumShort);
        _checkMargin(id, a, KnownPrice(marketId, s.index, OracleStatus.Normal, s.varianceBps2), addsRisk);
    }

    function _emitTaken(bytes32 id, uint256 marketId, Sale memory s) internal {
        (address owner, uint96 subId) = _decode(id);
        emit IPerpPool.InventoryTaken(
            marketId,
            owner,
            subId,
            s.sizeDelta,
            s.index,
            s.discount,
            s.quoteDelta,
            s.realized,
            _positions[id][marketId].size,
            s.budgetLeft
        );
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
            int256 pnl = _positionPnl(BACKSTOP_ACCOUNT, marketId, index, status == OracleStatus.Halted);
            if (pnl < 0) lossWad += uint256(-pnl);
        }
        lossTokens = lossWad.mulDivUp(1, TOKEN_TO_WAD);
    }
}
