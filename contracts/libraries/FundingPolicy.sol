// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingOutcome, FundingParams} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "./FixedPoint.sol";

/// @title FundingPolicy
/// @notice The funding period's arithmetic: from the period's time-weighted premium to the rate and the crowding kicker
/// the next period charges. Premiums are fractions of the index per funding period in 1e-12 (`ONE`); rates are quote per
/// base per second (WAD). One function (`next`) for the pool and the lens, mirrored to the wei by
/// ts/pool/math/fundingPolicy.ts.
/// @dev The steps, in order (all divisions truncate toward zero unless said):
///   1. premium  p = clamp((twapMark - twapIndex) * ONE / twapIndex, +-cap)      cap = capE8 * 1e4
///   2. blend    b = p + sum_j w_j * (p_j - p) / ONE over the fresh siblings j (measured since this market's last
///               update: each sibling measurement is blended once), w_j = min(w * g_j / (g + sum g_k), pushCost_j * ONE / (2 g)) with g the gross open interest
///               notional (whole quote), w = blendWeightBps * 1e8
///   3. change   c = clamp(b, charged_prev - step, charged_prev + step)        step = cap * maxChangeBps / 10_000
///   4. cap      c = clamp(c, +-capEff)      capEff = cap * extremeCapBps / 10_000 while sigma > extremeVolBps, else cap
///   5. kicker   N = own crowding net + sum_j crowd_j over every sibling's latest snapshot (whole quote), a crowding
///               net being the smaller same-sign magnitude of the net at the market's last update and now (else 0):
///               a position held only around any one market's update never counts; share = |N| * 10_000 / capital (bps); above the
///               threshold t: k = kickerMaxE8 * 1e4 * min(share - t, t) / t, sign of N (the crowded side pays)
///   6. rate     r = c * twapIndex / (ONE * fundingPeriod), kicker likewise (both toward zero: never overcharge)
/// An oracle that does not vouch for the period's index (status not Normal) sets everything to 0.
library FundingPolicy {
    /// @notice 1 (100 % of the index per period) in the premium's units.
    int256 internal constant ONE = 1e12;
    uint256 internal constant BPS = 10_000;
    /// @notice capE8 and kickerMaxE8 units to premium units.
    uint256 internal constant E8_TO_PREMIUM = 1e4;

    /// @notice A sibling's contribution, from its latest snapshot. Only a fresh one (measured after this market's last
    /// update) is blended; every one adds its net to the group's.
    struct Sibling {
        int256 premium;
        uint256 gross;
        int256 net;
        uint256 pushCost;
        bool fresh;
    }

    /// @notice Everything the period's computation reads.
    struct Inputs {
        uint256 twapMark; // WAD
        uint256 twapIndex; // WAD
        bool vouched; // the oracle's status is Normal
        uint256 varianceBps2; // the oracle's realized variance now
        uint256 fundingPeriod; // seconds
        uint256 maxPremiumBps; // the market config's absolute cap (used when the params set no cap)
        uint256 longOI; // base WAD
        uint256 shortOI; // base WAD
        uint256 capitalWhole; // tranche capital, whole quote units
        int256 prevCharged; // the current period's charged premium
        int256 prevNet; // this market's net notional at its last update (MarketState.fundingNet)
        FundingParams params;
        Sibling[] siblings;
    }

    /// @notice The normal cap per period in premium units: capE8 when the params set one, else maxPremiumBps.
    function cap(FundingParams memory p, uint256 maxPremiumBps) internal pure returns (uint256) {
        return p.capE8 != 0 ? uint256(p.capE8) * E8_TO_PREMIUM : maxPremiumBps * 1e8;
    }

    /// @notice The cap a params set derives: min(maxPremiumBps, c x (IM - MM)) in 1e-8 (bps x bps), 0 when c is 0.
    function deriveCapE8(uint256 capMultipleBps, uint256 initialBps, uint256 maintenanceBps, uint256 maxPremiumBps)
        internal
        pure
        returns (uint256 capE8)
    {
        if (capMultipleBps == 0) return 0;
        capE8 = capMultipleBps * (initialBps - maintenanceBps);
        uint256 absolute = maxPremiumBps * E8_TO_PREMIUM;
        if (capE8 > absolute) capE8 = absolute;
        if (capE8 == 0) capE8 = 1;
    }

    /// @notice Whether the session is extreme: the realized sigma above the threshold (variance above its square).
    function isExtreme(FundingParams memory p, uint256 varianceBps2) internal pure returns (bool) {
        uint256 t = p.extremeVolBps;
        return t != 0 && varianceBps2 > t * t;
    }

    /// @notice The cap that applies: the normal one, tightened to extremeCapBps of it in an extreme session.
    function effectiveCap(FundingParams memory p, uint256 normalCap, bool extreme) internal pure returns (uint256) {
        return extreme ? normalCap * p.extremeCapBps / BPS : normalCap;
    }

    /// @notice The most |charged| the next update can set: the normal cap, and within one step of `prevCharged`.
    /// @dev An extreme session or a blend can only lower it; the forecast's "most it can be".
    function maxNext(FundingParams memory p, uint256 normalCap, int256 prevCharged) internal pure returns (uint256 m) {
        m = normalCap;
        if (p.maxChangeBps != 0) {
            uint256 reach = FixedPoint.abs(prevCharged) + normalCap * p.maxChangeBps / BPS;
            if (reach < m) m = reach;
        }
    }

    /// @notice Step 1: the period's premium, capped.
    function premiumOf(uint256 twapMark, uint256 twapIndex, uint256 normalCap) internal pure returns (int256 p) {
        p = (int256(twapMark) - int256(twapIndex)) * ONE / int256(twapIndex);
        p = clamp(p, normalCap);
    }

    /// @notice Whole quote units of `base` (WAD) at `price` (WAD), rounded down.
    function notionalWhole(uint256 base, uint256 price) internal pure returns (uint256) {
        return base * price / 1e36;
    }

    /// @notice The full computation (steps 1-6).
    function next(Inputs memory q) internal pure returns (FundingOutcome memory o) {
        o.cap = cap(q.params, q.maxPremiumBps);
        o.extreme = isExtreme(q.params, q.varianceBps2);
        o.capEffective = effectiveCap(q.params, o.cap, o.extreme);
        if (q.twapIndex != 0) {
            o.gross = notionalWhole(q.longOI + q.shortOI, q.twapIndex);
            uint256 l = notionalWhole(q.longOI, q.twapIndex);
            uint256 s = notionalWhole(q.shortOI, q.twapIndex);
            o.net = int256(l) - int256(s);
        }
        if (!q.vouched || q.twapIndex == 0) return o;
        o.premium = premiumOf(q.twapMark, q.twapIndex, o.cap);
        (o.blended, o.blendWeight) = _blend(o.premium, o.gross, q.siblings, q.params.blendWeightBps);
        int256 c = o.blended;
        if (q.params.maxChangeBps != 0) {
            int256 step = int256(o.cap * q.params.maxChangeBps / BPS);
            if (c > q.prevCharged + step) c = q.prevCharged + step;
            if (c < q.prevCharged - step) c = q.prevCharged - step;
        }
        o.charged = clamp(c, o.capEffective);
        o.crowd = crowdOf(q.prevNet, o.net);
        (o.kicker, o.groupNet, o.crowdingBps) = _kicker(q, o.crowd);
        o.ratePerSecond = perSecond(o.charged, q.twapIndex, q.fundingPeriod);
        o.kickerPerSecond = perSecond(o.kicker, q.twapIndex, q.fundingPeriod);
    }

    /// @notice A premium per period as quote per base per second at `index`, toward zero.
    function perSecond(int256 premium, uint256 index, uint256 period) internal pure returns (int256) {
        return premium * int256(index) / (ONE * int256(period));
    }

    function clamp(int256 x, uint256 bound) internal pure returns (int256) {
        int256 b = int256(bound);
        return x > b ? b : (x < -b ? -b : x);
    }

    /// @dev Step 2. Weights in premium units; the sum never exceeds w (the shares sum to at most 1).
    function _blend(int256 p, uint256 gross, Sibling[] memory sibs, uint256 wBps)
        private
        pure
        returns (int256 b, uint256 weight)
    {
        b = p;
        if (wBps == 0 || sibs.length == 0) return (b, 0);
        uint256 total = gross;
        for (uint256 j; j < sibs.length; ++j) {
            if (sibs[j].fresh) total += sibs[j].gross;
        }
        if (total == 0) return (b, 0);
        for (uint256 j; j < sibs.length; ++j) {
            if (!sibs[j].fresh) continue;
            uint256 wj = wBps * 1e8 * sibs[j].gross / total;
            if (gross != 0) {
                uint256 bound = sibs[j].pushCost * uint256(ONE) / (2 * gross);
                if (bound < wj) wj = bound;
            }
            weight += wj;
            b += int256(wj) * (sibs[j].premium - p) / ONE;
        }
    }

    /// @notice The part of `net` that persisted since `prevNet`: the smaller magnitude when both have the same sign, else 0.
    function crowdOf(int256 prevNet, int256 net) internal pure returns (int256) {
        if ((net > 0 && prevNet > 0) || (net < 0 && prevNet < 0)) {
            return FixedPoint.abs(net) < FixedPoint.abs(prevNet) ? net : prevNet;
        }
        return 0;
    }

    /// @dev Step 5, from this market's crowding net `own`. Each sibling's snapshot holds its own crowding net, so a
    /// position held only around one market's update counts nowhere.
    function _kicker(Inputs memory q, int256 own) private pure returns (int256 k, int256 n, uint256 share) {
        n = own;
        for (uint256 j; j < q.siblings.length; ++j) {
            n += q.siblings[j].net;
        }
        uint256 t = q.params.kickerThresholdBps;
        if (n == 0) return (0, 0, 0);
        share = q.capitalWhole == 0 ? type(uint256).max : FixedPoint.abs(n) * BPS / q.capitalWhole;
        if (t == 0 || q.params.kickerMaxE8 == 0 || share <= t) return (0, n, share);
        uint256 over = share - t;
        if (over > t) over = t;
        uint256 mag = uint256(q.params.kickerMaxE8) * E8_TO_PREMIUM * over / t;
        k = n > 0 ? int256(mag) : -int256(mag);
    }
}
