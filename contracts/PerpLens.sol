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
    FundingForecast,
    FundingParams,
    FundingSnapshot,
    InventorySale,
    InventorySaleView,
    MarketConfig,
    MarketState,
    MarketView,
    Position,
    PositionView,
    RepegCheckpoint,
    StressResult
} from "./interfaces/IPerpTypes.sol";
import {IRiskEngine} from "./interfaces/IRiskEngine.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {FixedPoint} from "./libraries/FixedPoint.sol";
import {FundingMath} from "./libraries/FundingMath.sol";
import {FundingPolicy} from "./libraries/FundingPolicy.sol";
import {InventorySaleMath} from "./libraries/InventorySaleMath.sol";
import {MarginMath} from "./libraries/MarginMath.sol";
import {MarketMask} from "./libraries/MarketMask.sol";
import {PortfolioMargin} from "./libraries/PortfolioMargin.sol";
import {RepegMath} from "./libraries/RepegMath.sol";
import {TimeIntegral} from "./libraries/TimeIntegral.sol";
import {Valuation} from "./libraries/Valuation.sol";
import {VammMath} from "./libraries/VammMath.sol";
import {VolatilityMath} from "./libraries/VolatilityMath.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title PerpLens
/// @notice Read-only views derived from a PerpPool's raw state. Mirrors the pool's valuation exactly
/// (`AccountLogic`): same libraries, same rounding, funding accrued to `block.timestamp`.
contract PerpLens is IPerpLens {
    using FixedPoint for uint256;

    uint256 private constant TOKEN_TO_WAD = 1e12;
    /// @dev "No market shocked" (valuation at the current index).
    uint256 private constant NO_MARKET = type(uint256).max - 1;
    /// @inheritdoc IPerpLens
    uint256 public constant ALL_MARKETS = type(uint256).max;

    IPerpPool public immutable pool;
    IOracleRouter public immutable oracle;
    IBackstop public immutable backstop;

    /// @dev Sums over an account's positions (as `AccountLogic.Totals`).
    struct Totals {
        int256 pnl;
        uint256 initialReq;
        uint256 maintReq;
        PortfolioMargin.Book book;
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
        Totals memory t = _totals(owner, subId, a.marketMask, new int256[](0));
        h.collateral = a.collateral;
        h.unrealizedPnl = t.pnl;
        h.unsettledProfit = a.unsettledProfit;
        h.value = int256(a.collateral) + t.pnl + int256(uint256(a.unsettledProfit));
        h.initialRequirement = t.initialReq;
        h.maintenanceRequirement = t.maintReq;
        h.liquidatable = h.value < int256(t.maintReq) && (a.marketMask != 0 || a.collateral < 0);
        h.additiveMaintenance = t.book.additiveMaint;
        h.additiveInitial = t.book.additiveInitial;
        h.bindingScenario = type(uint256).max;
        IRiskEngine engine = _engine();
        if (t.book.nettable > 1 && address(engine) != address(0)) {
            (, uint256 row, bool floorBinds) = engine.worstScenario(t.book.maint);
            if (!floorBinds) h.bindingScenario = row;
        }
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
    function positions(address owner, uint96 subId) public view returns (PositionView[] memory out) {
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
        MarketState memory m = _listedMarket(marketId);
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
        v.fundingKicker = m.fundingKicker;
        v.lastFundingUpdate = m.periodStart;
        v.nextFundingUpdate = uint256(m.periodStart) + c.fundingInterval;
        if (index != 0) {
            // As MarketLogic._openInterestCapBase.
            uint256 cap = (pool.backstopCapital() * TOKEN_TO_WAD).mulDivDown(c.oiCapBps, FixedPoint.BPS).wDivDown(index);
            v.openInterestCapBase = cap < c.maxOpenInterestBase ? cap : c.maxOpenInterestBase;
        }
        _repegView(v, m, c);
        v.realizedVarianceBps2 = _variance(marketId, index, status);
        v.initialMultiplierBps =
            VolatilityMath.initialMultiplierBps(v.realizedVarianceBps2, c.volReferenceBps, c.volCapBps);
    }

    /// @inheritdoc IPerpLens
    function fundingForecast(uint256 marketId) external view returns (FundingForecast memory f) {
        MarketState memory m = _listedMarket(marketId);
        MarketConfig memory c = pool.marketConfig(marketId);
        (uint256 index, OracleStatus status) = _price(marketId);
        FundingPolicy.Inputs memory q;
        {
            // The period's time-weighted prices as `marketView` shows them.
            MarketView memory v;
            v.marketId = marketId;
            v.markPrice = VammMath.markPrice(m.baseReserve, m.quoteReserve);
            v.indexPrice = index;
            _repegView(v, m, c);
            q.twapMark = v.twapMark;
            q.twapIndex = v.twapIndex;
        }
        q.vouched = status == OracleStatus.Normal;
        q.varianceBps2 = _variance(marketId, index, status);
        q.fundingPeriod = c.fundingPeriod;
        q.maxPremiumBps = c.maxPremiumBps;
        q.longOI = m.longOpenInterest;
        q.shortOI = m.shortOpenInterest;
        q.params = pool.fundingParams(marketId);
        FundingSnapshot memory own = pool.fundingSnapshot(marketId);
        q.prevCharged = own.charged;
        q.prevNet = m.fundingNet;
        q.siblings = _siblings(q.params, m.periodStart);
        if (q.params.kickerMaxE8 != 0) q.capitalWhole = pool.backstopCapital() * TOKEN_TO_WAD / 1e18;
        f.next = FundingPolicy.next(q);
        f.chargedPremium = own.charged;
        f.maxNextPremium = FundingPolicy.maxNext(q.params, f.next.cap, own.charged);
        f.kickerMaxPremium = uint256(q.params.kickerMaxE8) * FundingPolicy.E8_TO_PREMIUM;
    }

    /// @dev As FundingLogic._siblings.
    function _siblings(FundingParams memory p, uint256 start)
        internal
        view
        returns (FundingPolicy.Sibling[] memory sibs)
    {
        uint256 n = p.siblingCount;
        sibs = new FundingPolicy.Sibling[](n);
        for (uint256 j; j < n; ++j) {
            FundingSnapshot memory s = pool.fundingSnapshot((uint256(p.siblings) >> (8 * j)) & 0xff);
            sibs[j] = FundingPolicy.Sibling(s.premium, s.grossNotional, s.netNotional, s.pushCost, s.measuredAt > start);
        }
    }

    /// @dev The funding period's time-weighted prices, and the repeg's window, trigger and step budget exactly as a
    /// `repeg` now would evaluate them (RepegMath: the window it would roll to, the mark integral carried to now,
    /// the oracle's index integral, the index it would act on).
    function _repegView(MarketView memory v, MarketState memory m, MarketConfig memory c) internal view {
        uint256 markIntegral = TimeIntegral.carry(m.markTimeIntegral, v.markPrice, block.timestamp - m.lastAccrual);
        uint256 cumulativeIndex = oracle.cumulativePrice(v.marketId);
        uint256 elapsed = block.timestamp - m.periodStart;
        v.twapMark = TimeIntegral.meanDown(markIntegral, m.periodStartMarkIntegral, elapsed);
        v.twapIndex = TimeIntegral.meanDown(cumulativeIndex, m.periodStartCumulativeIndex, elapsed);

        (, uint256 start) = RepegMath.window(m.repegTime0, m.repegTime1, block.timestamp, RepegMath.MIN_WINDOW);
        v.repegWindowStart = start == 0 ? m.repegTime0 : m.repegTime1;
        elapsed = block.timestamp - v.repegWindowStart;
        RepegCheckpoint memory cp = pool.repegCheckpoint(v.marketId, start);
        v.repegTwapMark = TimeIntegral.meanDown(markIntegral, cp.markIntegral, elapsed);
        v.repegTwapIndex = TimeIntegral.meanDown(cumulativeIndex, cp.indexIntegral, elapsed);
        // As the pool: the block's first mark (the stored anchor once something accrued in this block).
        (bool due,) = RepegMath.isDue(
            c.maxPremiumBps,
            m.lastRepeg == block.timestamp,
            v.indexPrice,
            m.lastAccrual == block.timestamp ? m.blockStartMark : v.markPrice,
            elapsed,
            v.repegTwapMark,
            v.repegTwapIndex
        );
        v.repegDue = due && v.oracleStatus == uint8(OracleStatus.Normal);
        v.repegBudget = (pool.backstopCapital() * TOKEN_TO_WAD).mulDivDown(RepegMath.BUDGET_BPS, FixedPoint.BPS);
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
        r.marketId = marketId;
        r.shockBps = shockBps;
        int256[] memory shocks = new int256[](pool.marketCount());
        if (marketId != ALL_MARKETS) {
            if (pool.marketState(marketId).baseReserve == 0) revert UnknownMarket(marketId);
            (uint256 index,) = _price(marketId);
            r.shockedIndex = _shock(index, shockBps);
            shocks[marketId] = shockBps;
        } else {
            for (uint256 i; i < shocks.length; ++i) {
                shocks[i] = shockBps;
            }
        }
        _stressBook(r, shocks, owners, subIds);
    }

    /// @inheritdoc IPerpLens
    function stressTestJoint(int256[] calldata shockBps, address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (StressResult memory r)
    {
        if (owners.length != subIds.length) revert LengthMismatch(owners.length, subIds.length);
        uint256 n = pool.marketCount();
        if (shockBps.length > n) revert UnknownMarket(shockBps.length - 1);
        int256[] memory shocks = new int256[](n);
        for (uint256 i; i < shockBps.length; ++i) {
            if (shockBps[i] <= -10_000 || shockBps[i] > 100_000) revert InvalidShock(shockBps[i]);
            shocks[i] = shockBps[i];
        }
        r.marketId = ALL_MARKETS;
        _stressBook(r, shocks, owners, subIds);
    }

    /// @dev Every account under `shocks` (bps per market id), and the waterfall of their bad debt in order.
    function _stressBook(
        StressResult memory r,
        int256[] memory shocks,
        address[] calldata owners,
        uint96[] calldata subIds
    ) internal view {
        Waterfall memory w = _waterfallCapacity();
        r.juniorCapital = w.junior * TOKEN_TO_WAD;
        r.seniorCapital = w.senior * TOKEN_TO_WAD;
        r.accounts = new AccountStress[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            AccountStress memory s = _stressAccount(owners[i], subIds[i], shocks);
            r.accounts[i] = s;
            if (s.liquidatable) ++r.liquidatableCount;
            if (s.badDebt != 0) {
                r.totalBadDebt += s.badDebt;
                (uint256 j, uint256 sen) = _draw(w, s.badDebt);
                r.juniorLoss += j;
                r.seniorLoss += sen;
                r.socialized += s.badDebt - j - sen;
            }
        }
        r.inventoryLoss = _inventoryLossAt(shocks);
    }

    /// @dev What the tranches can pay now: the waterfall draws on each vault's token balance.
    struct Waterfall {
        uint256 junior;
        uint256 senior;
    }

    function _waterfallCapacity() internal view returns (Waterfall memory w) {
        ITrancheVault j = backstop.junior();
        ITrancheVault s = backstop.senior();
        w.junior = IERC20(j.asset()).balanceOf(address(j));
        w.senior = IERC20(s.asset()).balanceOf(address(s));
    }

    /// @dev One account's bad debt down the waterfall exactly as the pool draws it (`BackstopLogic._drawBackstop`:
    /// whole tokens rounded up, junior's balance first, senior's next; WAD shares capped at the debt).
    function _draw(Waterfall memory w, uint256 debt) internal pure returns (uint256 juniorPaid, uint256 seniorPaid) {
        uint256 tokens = debt.mulDivUp(1, TOKEN_TO_WAD);
        uint256 j = FixedPoint.min(tokens, w.junior);
        w.junior -= j;
        uint256 s;
        if (j < tokens) {
            s = FixedPoint.min(tokens - j, w.senior);
            w.senior -= s;
        }
        juniorPaid = FixedPoint.min(j * TOKEN_TO_WAD, debt);
        seniorPaid = FixedPoint.min(s * TOKEN_TO_WAD, debt - juniorPaid);
    }

    function _stressAccount(address owner, uint96 subId, int256[] memory shocks)
        internal
        view
        returns (AccountStress memory s)
    {
        Account memory a = pool.account(owner, subId);
        Totals memory t = _totals(owner, subId, a.marketMask, shocks);
        s.owner = owner;
        s.subId = subId;
        s.value = int256(a.collateral) + t.pnl + int256(uint256(a.unsettledProfit));
        s.maintenanceRequirement = t.maintReq;
        s.liquidatable = s.value < int256(t.maintReq) && (a.marketMask != 0 || a.collateral < 0);
        if (s.value < 0) s.badDebt = uint256(-s.value);
    }

    /// @dev The backstop inventory's unrealized loss (WAD) under the shock, summed over positions under water.
    function _inventoryLossAt(int256[] memory shocks) internal view returns (uint256 loss) {
        uint256 mask = pool.account(address(0), 0).marketMask;
        while (mask != 0) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            Totals memory t = _totals(address(0), 0, 1 << i, shocks);
            if (t.pnl < 0) loss += uint256(-t.pnl);
        }
    }

    /// @inheritdoc IPerpLens
    function inventory() external view returns (PositionView[] memory) {
        return positions(address(0), 0);
    }

    /// @inheritdoc IPerpLens
    function inventorySale(uint256 marketId) public view returns (InventorySaleView memory v) {
        if (pool.marketState(marketId).baseReserve == 0) revert UnknownMarket(marketId);
        InventorySale memory s = pool.inventorySale(marketId);
        (uint256 index, OracleStatus status) = _price(marketId);
        int256 size = pool.position(address(0), 0, marketId).size;
        v.marketId = marketId;
        v.size = size;
        v.indexPrice = index;
        v.oracleStatus = uint8(status);
        v.budget = s.budget;
        v.clockStart = s.clockStart;
        v.discountRateBps = s.discountRateBps;
        // As InventoryLogic._takeInventory.
        v.discountPerBase = InventorySaleMath.discountPerBaseDown(
            index,
            s.discountRateBps,
            block.timestamp - s.clockStart,
            s.budget,
            size > 0 ? uint256(size) : uint256(-size),
            pool.marketConfig(marketId).liquidationPenaltyBps
        );
        v.pricePerBase = InventorySaleMath.price(index, v.discountPerBase, size > 0);
    }

    /// @inheritdoc IPerpLens
    function inventorySales() external view returns (InventorySaleView[] memory out) {
        uint256 mask = pool.account(address(0), 0).marketMask;
        out = new InventorySaleView[](MarketMask.count(mask));
        for (uint256 k; mask != 0; ++k) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            out[k] = inventorySale(i);
        }
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

    /* VALUATION (the pool's own function: Valuation.contribution) */

    /// @dev Valuation and requirements as the pool computes them (`Valuation`, `PortfolioMargin`), each market priced at
    /// the index the pool would act on now moved by `shocks[i]` bps (the stress test; an empty or short array shocks
    /// nothing beyond its length). A halted market's gain is ignored and it never nets, as in the pool.
    function _totals(address owner, uint96 subId, uint256 mask, int256[] memory shocks)
        internal
        view
        returns (Totals memory t)
    {
        while (mask != 0) {
            uint256 i = MarketMask.lowest(mask);
            mask &= mask - 1;
            (uint256 index, OracleStatus status, uint256 variance) = _observation(i);
            if (i < shocks.length && shocks[i] != 0) (index, status) = _shocked(i, index, status, shocks[i]);
            MarketConfig memory c = pool.marketConfig(i);
            Position memory p = pool.position(owner, subId, i);
            {
                (int256 cumL, int256 cumS) = _cumNow(pool.marketState(i), c);
                t.pnl += Valuation.pnl(
                    p.size,
                    p.openNotional,
                    p.fundingEntry,
                    p.size > 0 ? cumL : cumS,
                    index,
                    status == OracleStatus.Halted
                );
            }
            PortfolioMargin.add(
                t.book,
                i,
                p.size,
                index,
                c.tiers,
                VolatilityMath.initialMultiplierBps(variance, c.volReferenceBps, c.volCapBps),
                status == OracleStatus.Normal
            );
        }
        (t.maintReq, t.initialReq) = PortfolioMargin.net(t.book, _engine);
    }

    /// @dev `_price` and the realized variance the oracle stores with it (what the pool's margin check would use now).
    function _observation(uint256 marketId)
        internal
        view
        returns (uint256 price, OracleStatus status, uint256 varianceBps2)
    {
        (price, status) = _price(marketId);
        varianceBps2 = _variance(marketId, price, status);
    }

    /// @dev The index and oracle status once a shock of `shockBps` arrives as one jump from `index`: a jump beyond the
    /// market's breaker threshold trips it (as `OracleRouter` would on the refresh that sees it), so the market is
    /// reduce-only while the keeper liquidates, and a reduce-only market gets no netting credit.
    function _shocked(uint256 marketId, uint256 index, OracleStatus status, int256 shockBps)
        internal
        view
        returns (uint256 shockedIndex, OracleStatus shockedStatus)
    {
        shockedIndex = _shock(index, shockBps);
        shockedStatus = status;
        if (status == OracleStatus.Normal) {
            uint256 move = shockedIndex > index ? shockedIndex - index : index - shockedIndex;
            if (move * FixedPoint.BPS > oracle.config(marketId).jumpThresholdBps * index) {
                shockedStatus = OracleStatus.ReduceOnly;
            }
        }
    }

    function _engine() internal view returns (IRiskEngine) {
        return IRiskEngine(pool.riskEngine());
    }

    function _shock(uint256 index, int256 shockBps) internal pure returns (uint256) {
        return index.mulDivDown(uint256(10_000 + shockBps), FixedPoint.BPS);
    }

    /// @dev The pool's state of a listed market (UnknownMarket otherwise).
    function _listedMarket(uint256 marketId) internal view returns (MarketState memory m) {
        m = pool.marketState(marketId);
        if (m.baseReserve == 0) revert UnknownMarket(marketId);
    }

    /// @dev As MarketLogic._cumNow.
    function _cumNow(MarketState memory m, MarketConfig memory c) internal view returns (int256, int256) {
        return FundingMath.cumulativeNow(
            m.cumFundingLong,
            m.cumFundingShort,
            m.fundingRate,
            m.fundingKicker,
            block.timestamp - m.lastAccrual,
            m.longOpenInterest,
            m.shortOpenInterest,
            c.fundingBudgetPerSecond
        );
    }

    /// @dev The price the pool would act on now: the observation its oracle already stored in this block (the
    /// router caches one per block), else a fresh read of the feeds.
    function _price(uint256 marketId) internal view returns (uint256 price, OracleStatus status) {
        uint64 at;
        (price, status, at) = oracle.lastObservation(marketId);
        if (at != block.timestamp) (price, status) = oracle.peek(marketId);
    }

    /// @dev The realized variance the pool would act on now, with `(price, status)` from `_price`: what a refresh
    /// now would store (as OracleRouter: unchanged when already observed in this block or Halted, else updated
    /// from the stored price to `price`).
    function _variance(uint256 marketId, uint256 price, OracleStatus status) internal view returns (uint256 v) {
        (uint256 lastPrice,, uint64 at) = oracle.lastObservation(marketId);
        v = oracle.realizedVariance(marketId);
        if (at != block.timestamp && status != OracleStatus.Halted) {
            v = VolatilityMath.nextVariance(v, lastPrice, price, block.timestamp - at);
        }
    }
}
