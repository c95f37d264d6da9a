// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {FundingOutcome, FundingParams, FundingSnapshot, MarketConfig, MarketState} from "../interfaces/IPerpTypes.sol";
import {FundingPolicy} from "../libraries/FundingPolicy.sol";
import {MarginMath} from "../libraries/MarginMath.sol";
import {TimeIntegral} from "../libraries/TimeIntegral.sol";
import {MarketLogic} from "./MarketLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title FundingLogic
/// @notice The funding period roll (`updateFunding`) and the funding policy's parameters and correlation groups. Runs
/// in `MarketAdmin`, delegatecalled by the pool (the pool's code size limit).
abstract contract FundingLogic is MarketLogic {
    using SafeCast for uint256;
    using SafeCast for int256;

    uint256 internal constant MAX_GROUP_SIZE = 4;

    /// @dev Ends the funding period of `marketId` and sets the next one's rate and kicker (`FundingPolicy.next`).
    function _updateFunding(uint256 marketId) internal {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        uint256 start = m.periodStart;
        uint256 due = start + c.fundingInterval;
        if (block.timestamp < due) revert IPerpPool.FundingNotDue(due);
        (, OracleStatus status, uint256 cumulativeIndex, uint256 variance) = oracle.refreshCumulative(marketId);
        _accrue(m, c);
        uint256 elapsed = block.timestamp - start;
        uint128 markIntegral = m.markTimeIntegral;
        FundingPolicy.Inputs memory q;
        q.twapMark = TimeIntegral.meanDown(markIntegral, m.periodStartMarkIntegral, elapsed);
        q.twapIndex = TimeIntegral.meanDown(cumulativeIndex, m.periodStartCumulativeIndex, elapsed);
        // No funding is charged against an index the oracle does not vouch for.
        q.vouched = status == OracleStatus.Normal;
        q.varianceBps2 = variance;
        q.fundingPeriod = c.fundingPeriod;
        q.maxPremiumBps = c.maxPremiumBps;
        q.longOI = m.longOpenInterest;
        q.shortOI = m.shortOpenInterest;
        FundingParams memory p = _fundingParams[marketId];
        q.params = p;
        q.prevCharged = _fundingSnapshots[marketId].charged;
        q.prevNet = m.fundingNet;
        q.siblings = _siblings(p, start);
        if (p.kickerMaxE8 != 0) q.capitalWhole = uint256(_backstopCapital) * TOKEN_TO_WAD / 1e18;
        FundingOutcome memory o = FundingPolicy.next(q);

        m.fundingRate = o.ratePerSecond.toInt96();
        m.fundingKicker = o.kickerPerSecond.toInt96();
        m.periodStartMarkIntegral = markIntegral;
        // forge-lint: disable-next-line(unsafe-typecast) read modulo 2^128 (TimeIntegral.meanDown)
        m.periodStartCumulativeIndex = uint128(cumulativeIndex);
        m.periodStart = uint32(block.timestamp);
        m.fundingNet = int40(_clamp40(o.net));
        _fundingSnapshots[marketId] = _snapshotOf(o, q.vouched, c.feeBps, m.quoteReserve);
        // Keeper-paced, so it keeps the repeg's window fresh; it never restarts it (see RepegMath).
        _rollRepegWindow(marketId, m, cumulativeIndex);
        emit IPerpPool.FundingUpdated(
            marketId,
            o.ratePerSecond,
            o.kickerPerSecond,
            q.twapMark,
            q.twapIndex,
            o.premium,
            o.blended,
            o.charged,
            o.kicker,
            o.capEffective
        );
    }

    /// @dev Every sibling's latest snapshot, fresh when measured after this market's last update (`start`): the blend
    /// takes only fresh ones (each sibling measurement is blended once), the kicker's group net all of them.
    function _siblings(FundingParams memory p, uint256 start)
        internal
        view
        returns (FundingPolicy.Sibling[] memory sibs)
    {
        uint256 n = p.siblingCount;
        sibs = new FundingPolicy.Sibling[](n);
        for (uint256 j; j < n; ++j) {
            FundingSnapshot memory s = _fundingSnapshots[(uint256(p.siblings) >> (8 * j)) & 0xff];
            sibs[j] = FundingPolicy.Sibling(s.premium, s.grossNotional, s.netNotional, s.pushCost, s.measuredAt > start);
        }
    }

    /// @dev The snapshot an update leaves (saturating the notionals at their widths; an unvouched period's gross is 0,
    /// so its siblings give it no weight).
    function _snapshotOf(FundingOutcome memory o, bool vouched, uint256 feeBps, uint256 quoteReserve)
        private
        view
        returns (FundingSnapshot memory s)
    {
        s.premium = int48(o.premium);
        s.charged = int48(o.charged);
        s.measuredAt = uint32(block.timestamp);
        s.grossNotional = vouched ? uint40(_min(o.gross, type(uint40).max)) : 0;
        s.netNotional = int40(_clamp40(o.crowd));
        s.pushCost = uint48(_min(feeBps * quoteReserve / 1e22, type(uint48).max));
    }

    function _clamp40(int256 x) private pure returns (int256) {
        if (x > type(int40).max) return type(int40).max;
        if (x < type(int40).min) return type(int40).min;
        return x;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @dev The bounded setter (see `IPerpPool.setFundingParams`); group membership and the cap are kept/derived.
    function _setFundingParams(uint256 marketId, FundingParams calldata params) internal {
        _listedMarket(marketId);
        _bound("capMultipleBps", params.capMultipleBps, 0, 10_000);
        _bound("maxChangeBps", params.maxChangeBps, 0, 10_000);
        if (params.extremeVolBps != 0) {
            _bound("extremeVolBps", params.extremeVolBps, 1000, 100_000);
            _bound("extremeCapBps", params.extremeCapBps, 1000, 10_000);
        }
        _bound("blendWeightBps", params.blendWeightBps, 0, 5000);
        _bound("kickerThresholdBps", params.kickerThresholdBps, 0, 50_000);
        _bound("kickerMaxE8", params.kickerMaxE8, 0, params.kickerThresholdBps == 0 ? 0 : 100_000);
        FundingParams storage p = _fundingParams[marketId];
        (uint8 group, uint8 count, uint24 siblings) = (p.group, p.siblingCount, p.siblings);
        FundingParams memory next = params;
        (next.group, next.siblingCount, next.siblings) = (group, count, siblings);
        _storeFundingParams(marketId, next, _configs[marketId]);
    }

    /// @dev Derives the cap from the market's config, checks the blend against its fee, stores and emits.
    function _storeFundingParams(uint256 marketId, FundingParams memory p, MarketConfig memory c) internal {
        MarginMath.Tier memory base = MarginMath.unpackTier(c.tiers, 0);
        p.capE8 = FundingPolicy.deriveCapE8(p.capMultipleBps, base.initialBps, base.maintenanceBps, c.maxPremiumBps)
            .toUint32();
        // A position opened to collect one period's blend pays two fees: w x cap must not exceed them.
        uint256 capE8 = FundingPolicy.cap(p, c.maxPremiumBps) / FundingPolicy.E8_TO_PREMIUM;
        if (uint256(p.blendWeightBps) * capE8 > 2 * uint256(c.feeBps) * 1e8) {
            revert IPerpPool.ParameterOutOfBounds("blendWeightBps", p.blendWeightBps);
        }
        _fundingParams[marketId] = p;
        emit IPerpPool.FundingParamsSet(marketId, p);
    }

    /// @dev See `IPerpPool.setFundingGroup`.
    function _setFundingGroup(uint8 group, uint256[] calldata ids) internal {
        if (group == 0) revert IPerpPool.FundingGroupInvalid(0);
        // Dissolve the group's current members first.
        uint256 count = _marketCount;
        for (uint256 i; i < count; ++i) {
            FundingParams memory p = _fundingParams[i];
            if (p.group != group) continue;
            (p.group, p.siblingCount, p.siblings) = (0, 0, 0);
            _storeFundingParams(i, p, _configs[i]);
        }
        if (ids.length == 0) return;
        if (ids.length < 2 || ids.length > MAX_GROUP_SIZE) revert IPerpPool.FundingGroupInvalid(ids.length);
        for (uint256 i; i < ids.length; ++i) {
            _listedMarket(ids[i]);
            FundingParams memory p = _fundingParams[ids[i]];
            if (p.group != 0) revert IPerpPool.FundingGroupInvalid(ids[i]);
            uint256 sibs;
            uint256 n;
            for (uint256 k; k < ids.length; ++k) {
                if (k == i) continue;
                if (ids[k] == ids[i]) revert IPerpPool.FundingGroupInvalid(ids[k]);
                sibs |= ids[k] << (8 * n++);
            }
            (p.group, p.siblingCount, p.siblings) = (group, uint8(n), uint24(sibs));
            _storeFundingParams(ids[i], p, _configs[ids[i]]);
        }
    }

    function _bound(bytes32 name, uint256 value, uint256 lo, uint256 hi) internal pure {
        if (value < lo || value > hi) revert IPerpPool.ParameterOutOfBounds(name, value);
    }
}
