// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {Account, MarketConfig, MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {FundingMath} from "../libraries/FundingMath.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {PortfolioMargin} from "../libraries/PortfolioMargin.sol";
import {Valuation} from "../libraries/Valuation.sol";
import {VolatilityMath} from "../libraries/VolatilityMath.sol";
import {MarketLogic} from "./MarketLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AccountLogic
/// @notice Account valuation at the index price, funding settlement, and paying realized PnL only out of
/// collected losses (profit that cannot be paid yet is deferred, visibly).
abstract contract AccountLogic is MarketLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev Sums over an account's positions, valued at the index (a halted market's gain excluded), and its
    /// requirements from the portfolio engine (`PortfolioMargin`; `_finish` nets them).
    struct Totals {
        int256 pnl; // unrealized PnL at index minus funding owed
        int256 positivePnl; // sum of the positive per-position parts (for the profit-as-margin haircut)
        uint256 initialReq; // netted (after `_finish`)
        uint256 maintReq; // netted (after `_finish`)
        uint256 largestMarket; // usable market (oracle not halted) with the largest maintenance requirement
        uint256 largestMaint; // its standalone maintenance requirement (0 with no usable market)
        uint256 largestIndex; // its index, as priced by this call
        uint256 haltedMask; // markets held whose oracle is halted
        PortfolioMargin.Book book; // the engine's inputs: standalone sums, exposures, what is never netted
        bool scaleInitial; // the initial requirement is checked: scale it by each market's volatility
    }

    /// @dev Totals over every open position of `id`, refreshing each market's oracle (state-changing path; the
    /// router stores at most one observation per block, so a breaker trip seen here is recorded with the call).
    /// `known` carries the market the caller already priced (index, status, variance) and skips its oracle call. A
    /// halted market never reverts here: its position is valued at its last price, loss counted and gain ignored.
    /// `initial`: the caller checks the initial requirement (a trade adding risk, a withdrawal); otherwise (a
    /// liquidation, a trade that only reduces) the initial requirement is left unscaled by volatility and unused.
    function _totals(bytes32 id, uint256 mask, KnownPrice memory known, bool initial)
        internal
        returns (Totals memory t)
    {
        t.scaleInitial = initial;
        while (mask != 0) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            KnownPrice memory q = known;
            if (i != known.marketId) q = _observe(i);
            _accumulate(t, id, i, q);
        }
        _finish(t);
    }

    function _engine() internal view returns (IRiskEngine) {
        return _riskEngine;
    }

    /// @dev The netted requirements: one engine call for an account with two or more nettable positions, none
    /// otherwise (a one-market account's requirement is its standalone one, exactly).
    function _finish(Totals memory t) internal view {
        (t.maintReq, t.initialReq) = PortfolioMargin.net(t.book, _engine);
    }

    function _accumulate(Totals memory t, bytes32 id, uint256 marketId, KnownPrice memory q) internal view {
        MarketConfig storage c = _configs[marketId];
        bool halted = q.status == OracleStatus.Halted;
        int256 size = _positions[id][marketId].size;
        int256 pnl = _positionPnl(id, marketId, q.index, halted);
        t.pnl += pnl;
        if (pnl > 0) t.positivePnl += pnl;
        uint256 tiers = c.tiers;
        uint256 mr = PortfolioMargin.add(
            t.book,
            marketId,
            size,
            q.index,
            tiers,
            t.scaleInitial ? _initialMultiplierBps(c, q.varianceBps2) : FixedPoint.BPS,
            q.status == OracleStatus.Normal
        );
        if (halted) {
            t.haltedMask |= 1 << marketId;
        } else if (mr > t.largestMaint || t.largestMaint == 0) {
            t.largestMaint = mr;
            t.largestMarket = marketId;
            t.largestIndex = q.index;
        }
    }

    /// @dev Unrealized PnL at `index` minus funding owed of `id`'s position in `marketId` (a halted market's gain is 0).
    function _positionPnl(bytes32 id, uint256 marketId, uint256 index, bool halted) internal view returns (int256 pnl) {
        MarketConfig storage c = _configs[marketId];
        Position storage p = _positions[id][marketId];
        int256 size = p.size;
        (int256 cumL, int256 cumS) = _cumNow(_markets[marketId], c);
        pnl = Valuation.pnl(size, p.openNotional, p.fundingEntry, size > 0 ? cumL : cumS, index, halted);
    }

    /// @dev The market's IM volatility multiplier (bps, >= BPS) at the oracle's realized variance.
    /// No variance measured: 1x, without reading the reference.
    function _initialMultiplierBps(MarketConfig storage c, uint256 varianceBps2) internal view returns (uint256) {
        if (varianceBps2 == 0) return FixedPoint.BPS;
        return VolatilityMath.initialMultiplierBps(varianceBps2, c.volReferenceBps, c.volCapBps);
    }

    /// @dev Value for maintenance: collateral + unrealized PnL (after funding) + deferred profit.
    function _value(Account memory a, Totals memory t) internal pure returns (int256) {
        return int256(a.collateral) + t.pnl + int256(uint256(a.unsettledProfit));
    }

    /// @dev Value for opening risk: paper gains count at PROFIT_AS_MARGIN_BPS only.
    function _openValue(Account memory a, Totals memory t) internal pure returns (int256) {
        int256 haircut = FixedPoint.mulDivCeil(t.positivePnl, FixedPoint.BPS - PROFIT_AS_MARGIN_BPS, FixedPoint.BPS);
        return _value(a, t) - haircut;
    }

    /// @dev Settles the funding a position owes into `realized` (returned) and moves its entry to `cum`.
    function _settleFunding(MarketState storage m, Position memory p) internal view returns (int256 fundingPnl) {
        return _settleFundingAt(p, m.cumFundingLong, m.cumFundingShort);
    }

    /// @dev `_settleFunding` against given indices (`_cumNow` where the market was not accrued in this call).
    function _settleFundingAt(Position memory p, int256 cumLong, int256 cumShort)
        internal
        pure
        returns (int256 fundingPnl)
    {
        if (p.size == 0) return 0;
        int256 cum = p.size > 0 ? cumLong : cumShort;
        fundingPnl = -FundingMath.owed(p.size, cum, p.fundingEntry);
        p.fundingEntry = cum.toInt128();
    }

    /// @dev Applies realized PnL to an account (in memory). Profit first repays the account's own negative
    /// collateral, then is paid from collected losses not already claimed by earlier deferred profit (so a new
    /// profit never jumps the queue), and what is left is deferred. A loss first cancels the account's own
    /// deferred profit, then is collected from its collateral; only what the collateral actually covered enters
    /// the pool (the rest is debt, resolved by liquidation).
    function _applyPnl(bytes32 id, Account memory a, int256 pnl) internal {
        if (pnl == 0) return;
        int256 col = a.collateral;
        if (pnl > 0) {
            uint256 profit = uint256(pnl);
            if (col < 0) {
                uint256 repaid = FixedPoint.min(profit, uint256(-col));
                col += int256(repaid);
                profit -= repaid;
            }
            uint256 pool = _pnlPool;
            uint256 claimed = _totalDeferred;
            uint256 paid = pool > claimed ? FixedPoint.min(profit, pool - claimed) : 0;
            if (paid != 0) _pnlPool = uint128(pool - paid);
            col += int256(paid);
            uint256 deferred = profit - paid;
            if (deferred != 0) {
                a.unsettledProfit = (uint256(a.unsettledProfit) + deferred).toUint96();
                _totalDeferred = (claimed + deferred).toUint128();
                (address owner, uint96 subId) = _decode(id);
                emit IPerpPool.ProfitDeferred(owner, subId, deferred);
            }
        } else {
            uint256 loss = uint256(-pnl);
            uint256 netted = FixedPoint.min(loss, a.unsettledProfit);
            if (netted != 0) {
                a.unsettledProfit -= uint96(netted);
                _totalDeferred -= uint128(netted);
                loss -= netted;
            }
            if (col > 0) _pnlPool = (uint256(_pnlPool) + FixedPoint.min(loss, uint256(col))).toUint128();
            col -= int256(loss);
        }
        a.collateral = col.toInt128();
    }

    /// @dev Charges a fee or penalty of `amount` (WAD) to an account (in memory): from its positive collateral
    /// first, then netted from its deferred profit (the account gives up that claim on collected losses), and only
    /// what neither covers is left as collateral debt. An account living on deferred profit therefore pays every
    /// fee it is charged: the tranches never carry its fee debt while it keeps its claim (RISK 53).
    /// @return fromCollateral the part paid from collateral (real tokens, premium now)
    /// @return fromDeferred the part netted from deferred profit (a claim on collected losses, paid to the backstop
    /// out of the pnl surplus it frees)
    function _charge(Account memory a, uint256 amount) internal returns (uint256 fromCollateral, uint256 fromDeferred) {
        int256 col = a.collateral;
        if (col > 0) fromCollateral = FixedPoint.min(amount, uint256(col));
        fromDeferred = FixedPoint.min(amount - fromCollateral, a.unsettledProfit);
        if (fromDeferred != 0) {
            a.unsettledProfit -= uint96(fromDeferred);
            _totalDeferred -= uint128(fromDeferred);
        }
        a.collateral = (col - int256(amount - fromDeferred)).toInt128();
    }

    /// @dev Pays deferred profit out of collected losses, as far as they reach.
    function _payDeferred(bytes32 id, Account memory a) internal returns (uint256 paid) {
        uint256 owed = a.unsettledProfit;
        if (owed == 0) return 0;
        uint256 pool = _pnlPool;
        paid = FixedPoint.min(owed, pool);
        if (paid == 0) return 0;
        _pnlPool = uint128(pool - paid);
        _totalDeferred -= uint128(paid);
        a.unsettledProfit = uint96(owed - paid);
        a.collateral = (int256(a.collateral) + int256(paid)).toInt128();
        (address owner, uint96 subId) = _decode(id);
        emit IPerpPool.ProfitSettled(owner, subId, paid);
    }

    /// @dev Collected losses not claimed by deferred profit: what the pool may spend on anything else.
    function _pnlSurplus() internal view returns (uint256) {
        uint256 pool = _pnlPool;
        uint256 claimed = _totalDeferred;
        return pool > claimed ? pool - claimed : 0;
    }

    function _decode(bytes32 id) internal pure returns (address owner, uint96 subId) {
        owner = address(uint160(uint256(id) >> 96));
        subId = uint96(uint256(id));
    }

    function _requireNormal(uint256 marketId, OracleStatus status) internal pure {
        if (status != OracleStatus.Normal) revert IPerpPool.ReduceOnly(marketId, uint8(status));
    }
}
