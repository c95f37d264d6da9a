// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {
    Account,
    AccountHealth,
    MarketConfig,
    MarketState,
    MarketView,
    Position,
    PositionView
} from "../interfaces/IPerpTypes.sol";
import {FundingMath} from "../libraries/FundingMath.sol";
import {MarginMath} from "../libraries/MarginMath.sol";
import {VammMath} from "../libraries/VammMath.sol";
import {AccountLogic} from "./AccountLogic.sol";

/// @title PoolViews
/// @notice What the SDK and the keeper read, one call each. Prices come from `oracle.peek` (no state change).
abstract contract PoolViews is AccountLogic {
    /// @inheritdoc IPerpPool
    function accountHealth(address owner, uint96 subId) public view returns (AccountHealth memory h) {
        bytes32 id = accountId(owner, subId);
        Account memory a = _accounts[id];
        Totals memory t = _totalsView(id, a.marketMask);
        h.collateral = a.collateral;
        h.unrealizedPnl = t.pnl;
        h.unsettledProfit = a.unsettledProfit;
        h.value = _value(a, t);
        h.initialRequirement = t.initialReq;
        h.maintenanceRequirement = t.maintReq;
        h.liquidatable = h.value < int256(t.maintReq) && (a.marketMask != 0 || a.collateral < 0);
    }

    /// @notice Health of many accounts in one call (the keeper's batch scan).
    function accountHealths(address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (AccountHealth[] memory out)
    {
        out = new AccountHealth[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            out[i] = accountHealth(owners[i], subIds[i]);
        }
    }

    /// @inheritdoc IPerpPool
    function positions(address owner, uint96 subId) external view returns (PositionView[] memory out) {
        bytes32 id = accountId(owner, subId);
        uint256 mask = _accounts[id].marketMask;
        uint256 n;
        for (uint256 x = mask; x != 0; x &= x - 1) ++n;
        out = new PositionView[](n);
        for (uint256 k; mask != 0; ++k) {
            uint256 i = _lowestBit(mask);
            mask &= mask - 1;
            out[k] = _positionView(id, i);
        }
    }

    function _positionView(bytes32 id, uint256 marketId) internal view returns (PositionView memory v) {
        Position storage p = _positions[id][marketId];
        MarketConfig storage c = _configs[marketId];
        (uint256 index,) = oracle.peek(marketId);
        (int256 cumL, int256 cumS) = _cumNow(_markets[marketId], c);
        v.marketId = marketId;
        v.size = p.size;
        v.openNotional = p.openNotional;
        v.fundingOwed = FundingMath.owed(v.size, v.size > 0 ? cumL : cumS, p.fundingEntry);
        v.unrealizedPnl = MarginMath.unrealizedPnl(v.size, v.openNotional, index);
        v.notional = MarginMath.notionalUp(v.size, index);
        (v.initialRequirement, v.maintenanceRequirement) = MarginMath.requirements(c.tiers, v.notional);
    }

    /// @inheritdoc IPerpPool
    function position(address owner, uint96 subId, uint256 marketId) external view returns (Position memory) {
        return _positions[accountId(owner, subId)][marketId];
    }

    /// @inheritdoc IPerpPool
    function marketView(uint256 marketId) external view returns (MarketView memory v) {
        MarketState storage m = _markets[marketId];
        if (m.baseReserve == 0) revert UnknownMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        (uint256 index, OracleStatus status) = oracle.peek(marketId);
        (int256 cumL, int256 cumS) = _cumNow(m, c);
        v.marketId = marketId;
        v.baseReserve = m.baseReserve;
        v.quoteReserve = m.quoteReserve;
        v.markPrice = VammMath.markPrice(m.baseReserve, m.quoteReserve);
        v.indexPrice = index;
        v.oracleStatus = uint8(status);
        v.longOpenInterest = m.longOpenInterest;
        v.shortOpenInterest = m.shortOpenInterest;
        v.cumFundingLong = cumL;
        v.cumFundingShort = cumS;
        v.fundingRate = m.fundingRate;
        v.lastFundingUpdate = m.periodStart;
        v.nextFundingUpdate = uint256(m.periodStart) + c.fundingInterval;
        v.openInterestCapBase = index == 0 ? 0 : _openInterestCapBase(c, index);
    }

    /// @inheritdoc IPerpPool
    function marketCount() external view returns (uint256) {
        return _marketCount;
    }

    /// @inheritdoc IPerpPool
    function marketConfig(uint256 marketId) external view returns (MarketConfig memory) {
        return _configs[marketId];
    }

    /// @notice Raw market state (for tests, the SDK's exact quote mirror and auditors).
    function marketState(uint256 marketId) external view returns (MarketState memory) {
        return _markets[marketId];
    }

    /// @notice Raw account record.
    function account(address owner, uint96 subId) external view returns (Account memory) {
        return _accounts[accountId(owner, subId)];
    }

    /// @inheritdoc IPerpPool
    function pools() external view returns (uint256 pnlPool, uint256 pendingPremium, int256 backstopFundingNet) {
        return (_pnlPool, _pendingPremium, _backstopFundingNet);
    }

    /// @notice Backstop capital (token units) last synced; it bounds open interest.
    function backstopCapital() external view returns (uint256) {
        return _backstopCapital;
    }
}
