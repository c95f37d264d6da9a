// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IOracleRouter, OracleStatus} from "./interfaces/IOracleRouter.sol";
import {IPerpLens} from "./interfaces/IPerpLens.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {
    Account,
    AccountHealth,
    AccountStress,
    Coverage,
    MarketConfig,
    MarketState,
    MarketView,
    Position,
    PositionView,
    StressResult
} from "./interfaces/IPerpTypes.sol";
import {FixedPoint} from "./libraries/FixedPoint.sol";
import {FundingMath} from "./libraries/FundingMath.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {MarketMask} from "./libraries/MarketMask.sol";
import {VammMath} from "./libraries/VammMath.sol";

/// @title PerpLens
/// @notice Read-only views derived from a PerpPool's raw state. Mirrors the pool's valuation exactly
/// (`AccountLogic`): same libraries, same rounding, funding accrued to `block.timestamp`.
contract PerpLens is IPerpLens {
    using FixedPoint for uint256;

    uint256 private constant TOKEN_TO_WAD = 1e12;
    uint256 private constant NO_MARKET = type(uint256).max;

    IPerpPool public immutable pool;
    IOracleRouter public immutable oracle;
    IBackstop public immutable backstop;

    /// @dev Sums over an account's positions (as `AccountLogic.Totals`).
    struct Totals {
        int256 pnl;
        uint256 initialReq;
        uint256 maintReq;
    }

    constructor(IPerpPool pool_, IOracleRouter oracle_, IBackstop backstop_) {
        pool = pool_;
        oracle = oracle_;
        backstop = backstop_;
    }

    /* ACCOUNTS */

    /// @inheritdoc IPerpLens
    function accountHealth(address owner, uint96 subId) public view returns (AccountHealth memory h) {
        Account memory a = pool.account(owner, subId);
        Totals memory t = _totals(owner, subId, a.marketMask, NO_MARKET, 0);
        h.collateral = a.collateral;
        h.unrealizedPnl = t.pnl;
        h.unsettledProfit = a.unsettledProfit;
        h.value = int256(a.collateral) + t.pnl + int256(uint256(a.unsettledProfit));
        h.initialRequirement = t.initialReq;
        h.maintenanceRequirement = t.maintReq;
        h.liquidatable = h.value < int256(t.maintReq) && (a.marketMask != 0 || a.collateral < 0);
    }

    /// @inheritdoc IPerpLens
    function accountHealths(address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (AccountHealth[] memory out)
    {
        if (owners.length != subIds.length) revert LengthMismatch(owners.length, subIds.length);
        out = new AccountHealth[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            out[i] = accountHealth(owners[i], subIds[i]);
        }
    }

    /// @inheritdoc IPerpLens
    function positions(address owner, uint96 subId) external view returns (PositionView[] memory out) {
        uint256 mask = pool.account(owner, subId).marketMask;
        out = new PositionView[](MarketMask.count(mask));
        for (uint256 k; mask != 0; ++k) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            (uint256 index,) = _price(i);
            out[k] = _positionView(pool.position(owner, subId, i), i, index);
        }
    }

    function _positionView(Position memory p, uint256 marketId, uint256 index)
        internal
        view
        returns (PositionView memory v)
    {
        MarketConfig memory c = pool.marketConfig(marketId);
        (int256 cumL, int256 cumS) = _cumNow(pool.marketState(marketId), c);
        v.marketId = marketId;
        v.size = p.size;
        v.openNotional = p.openNotional;
        v.fundingOwed = FundingMath.owed(p.size, p.size > 0 ? cumL : cumS, p.fundingEntry);
        v.unrealizedPnl = MarginMath.unrealizedPnl(p.size, p.openNotional, index);
        v.notional = MarginMath.notionalUp(p.size, index);
        (v.initialRequirement, v.maintenanceRequirement) = MarginMath.requirements(c.tiers, v.notional);
    }

    /* MARKETS */

    /// @inheritdoc IPerpLens
    function marketView(uint256 marketId) external view returns (MarketView memory v) {
        MarketState memory m = pool.marketState(marketId);
        if (m.baseReserve == 0) revert UnknownMarket(marketId);
        MarketConfig memory c = pool.marketConfig(marketId);
        (uint256 index, OracleStatus status) = _price(marketId);
        (v.cumFundingLong, v.cumFundingShort) = _cumNow(m, c);
        v.marketId = marketId;
        v.baseReserve = m.baseReserve;
        v.quoteReserve = m.quoteReserve;
        v.markPrice = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        v.indexPrice = index;
        v.oracleStatus = uint8(status);
        v.longOpenInterest = m.longOpenInterest;
        v.shortOpenInterest = m.shortOpenInterest;
        v.fundingRate = m.fundingRate;
        v.lastFundingUpdate = m.periodStart;
        v.nextFundingUpdate = uint256(m.periodStart) + c.fundingInterval;
        if (index != 0) {
            // As MarketLogic._openInterestCapBase.
            uint256 cap = (pool.backstopCapital() * TOKEN_TO_WAD).mulDivDown(c.oiCapBps, FixedPoint.BPS).wDivDown(index);
            v.openInterestCapBase = cap < c.maxOpenInterestBase ? cap : c.maxOpenInterestBase;
        }
    }

    /* RISK */

    /// @inheritdoc IPerpLens
    function stressTest(uint256 marketId, int256 shockBps, address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (StressResult memory r)
    {
        if (shockBps <= -10_000 || shockBps > 100_000) revert InvalidShock(shockBps);
        if (owners.length != subIds.length) revert LengthMismatch(owners.length, subIds.length);
        if (pool.marketState(marketId).baseReserve == 0) revert UnknownMarket(marketId);
        (uint256 index,) = _price(marketId);
        r.marketId = marketId;
        r.shockBps = shockBps;
        r.shockedIndex = index.mulDivDown(uint256(10_000 + shockBps), FixedPoint.BPS);
        r.accounts = new AccountStress[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            AccountStress memory s = _stressAccount(owners[i], subIds[i], marketId, r.shockedIndex);
            r.accounts[i] = s;
            if (s.liquidatable) ++r.liquidatableCount;
            r.totalBadDebt += s.badDebt;
        }
        r.juniorCapital = backstop.junior().totalAssets() * TOKEN_TO_WAD;
        r.seniorCapital = backstop.senior().totalAssets() * TOKEN_TO_WAD;
        r.juniorLoss = FixedPoint.min(r.totalBadDebt, r.juniorCapital);
        r.seniorLoss = FixedPoint.min(r.totalBadDebt - r.juniorLoss, r.seniorCapital);
        r.socialized = r.totalBadDebt - r.juniorLoss - r.seniorLoss;
    }

    function _stressAccount(address owner, uint96 subId, uint256 shockedMarket, uint256 shockedIndex)
        internal
        view
        returns (AccountStress memory s)
    {
        Account memory a = pool.account(owner, subId);
        Totals memory t = _totals(owner, subId, a.marketMask, shockedMarket, shockedIndex);
        s.owner = owner;
        s.subId = subId;
        s.value = int256(a.collateral) + t.pnl + int256(uint256(a.unsettledProfit));
        s.maintenanceRequirement = t.maintReq;
        s.liquidatable = s.value < int256(t.maintReq) && (a.marketMask != 0 || a.collateral < 0);
        if (s.value < 0) s.badDebt = uint256(-s.value);
    }

    /// @inheritdoc IPerpLens
    function coverage() external view returns (Coverage memory c) {
        c.juniorCapital = backstop.junior().totalAssets() * TOKEN_TO_WAD;
        c.seniorCapital = backstop.senior().totalAssets() * TOKEN_TO_WAD;
        uint256 n = pool.marketCount();
        for (uint256 i; i < n; ++i) {
            (uint256 index,) = _price(i);
            MarketState memory m = pool.marketState(i);
            c.openInterestNotional += (uint256(m.longOpenInterest) + m.shortOpenInterest).wMulUp(index);
        }
        c.coverageBps = c.openInterestNotional == 0
            ? type(uint256).max
            : (c.juniorCapital + c.seniorCapital).mulDivDown(FixedPoint.BPS, c.openInterestNotional);
    }

    /* VALUATION (mirrors AccountLogic) */

    /// @dev `overrideMarket` is priced at `overrideIndex` instead of the oracle (the stress test).
    function _totals(address owner, uint96 subId, uint256 mask, uint256 overrideMarket, uint256 overrideIndex)
        internal
        view
        returns (Totals memory t)
    {
        while (mask != 0) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            uint256 index = overrideIndex;
            if (i != overrideMarket) (index,) = _price(i);
            MarketConfig memory c = pool.marketConfig(i);
            (int256 cumL, int256 cumS) = _cumNow(pool.marketState(i), c);
            Position memory p = pool.position(owner, subId, i);
            (uint256 ir, uint256 mr) = MarginMath.requirements(c.tiers, MarginMath.notionalUp(p.size, index));
            t.pnl += MarginMath.unrealizedPnl(p.size, p.openNotional, index)
            - FundingMath.owed(p.size, p.size > 0 ? cumL : cumS, p.fundingEntry);
            t.initialReq += ir;
            t.maintReq += mr;
        }
    }

    /// @dev As MarketLogic._cumNow.
    function _cumNow(MarketState memory m, MarketConfig memory c) internal view returns (int256 cumL, int256 cumS) {
        cumL = m.cumFundingLong;
        cumS = m.cumFundingShort;
        uint256 dt = block.timestamp - m.lastAccrual;
        if (m.fundingRate != 0 && dt != 0) {
            (int256 dLong, int256 dShort,) = FundingMath.accrue(
                m.fundingRate, dt, m.longOpenInterest, m.shortOpenInterest, uint256(c.fundingBudgetPerSecond) * dt
            );
            cumL += dLong;
            cumS += dShort;
        }
    }

    /// @dev The price the pool would act on now: the observation its oracle already stored in this block (the
    /// router caches one per block), else a fresh read of the feeds.
    function _price(uint256 marketId) internal view returns (uint256 price, OracleStatus status) {
        uint64 at;
        (price, status, at) = oracle.lastObservation(marketId);
        if (at != block.timestamp) (price, status) = oracle.peek(marketId);
    }
}
