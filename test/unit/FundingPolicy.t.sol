// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingOutcome, FundingParams} from "../../contracts/interfaces/IPerpTypes.sol";
import {FixedPoint} from "../../contracts/libraries/FixedPoint.sol";
import {FundingPolicy} from "../../contracts/libraries/FundingPolicy.sol";
import {Test} from "forge-std/Test.sol";

/// @notice `FundingPolicy`, step by step (see its header): the cap from the tiers, the premium, the change limit, the
/// extreme-session cap, the group blend and its push-cost bound, the crowding kicker and its persistence rule, the rate
/// conversion; then the bounds every outcome keeps (RISK 80, 82, 83 at the library level).
contract FundingPolicyTest is Test {
    int256 internal constant ONE = 1e12;
    uint256 internal constant INDEX = 2000e18;
    uint256 internal constant PERIOD = 1 hours;
    /// @dev The default cap: 10 % x (10 % - 5 %) = 50 bps = 5e-3 of the index = 5e9 in 1e-12.
    uint256 internal constant CAP = 5e9;

    /* HELPERS */

    /// @dev The chosen defaults (SPEC-22): capMultiple 1000, change 2500, extreme 15000/5000, blend 3000, kicker 5000/50000.
    function _params() internal pure returns (FundingParams memory p) {
        p.capMultipleBps = 1000;
        p.maxChangeBps = 2500;
        p.extremeVolBps = 15_000;
        p.extremeCapBps = 5000;
        p.blendWeightBps = 3000;
        p.kickerThresholdBps = 5000;
        p.kickerMaxE8 = 50_000;
        p.capE8 = uint32(FundingPolicy.deriveCapE8(1000, 1000, 500, 50));
    }

    /// @dev A period with the mark `premium` (1e-12) over the index, no open interest, no history, no siblings.
    function _inputs(int256 premium, FundingParams memory p) internal pure returns (FundingPolicy.Inputs memory q) {
        q.twapIndex = INDEX;
        q.twapMark = uint256(int256(INDEX) + premium * int256(INDEX) / ONE);
        q.vouched = true;
        q.fundingPeriod = PERIOD;
        q.maxPremiumBps = 50;
        q.params = p;
    }

    function _sibling(int256 premium, uint256 gross, int256 net, uint256 pushCost)
        internal
        pure
        returns (FundingPolicy.Sibling memory)
    {
        return FundingPolicy.Sibling(premium, gross, net, pushCost, true);
    }

    function _one(FundingPolicy.Sibling memory s) internal pure returns (FundingPolicy.Sibling[] memory sibs) {
        sibs = new FundingPolicy.Sibling[](1);
        sibs[0] = s;
    }

    /// @dev Open interest giving `longWhole` / `shortWhole` quote of notional at INDEX.
    function _oi(FundingPolicy.Inputs memory q, uint256 longWhole, uint256 shortWhole) internal pure {
        q.longOI = longWhole * 1e36 / INDEX;
        q.shortOI = shortWhole * 1e36 / INDEX;
    }

    /* 0. THE CAP FROM THE TIERS */

    function test_deriveCapE8_isMultipleOfMarginGap_neverAboveMaxPremium() public pure {
        assertEq(FundingPolicy.deriveCapE8(1000, 1000, 500, 50), 500_000, "10 % x 5 % = 50 bps");
        assertEq(FundingPolicy.deriveCapE8(500, 1000, 500, 50), 250_000, "5 % x 5 % = 25 bps");
        assertEq(FundingPolicy.deriveCapE8(10_000, 1000, 500, 50), 500_000, "100 % x 5 % > 50 bps: maxPremium");
        assertEq(FundingPolicy.deriveCapE8(0, 1000, 500, 50), 0, "no multiple: no derived cap");
        assertEq(FundingPolicy.deriveCapE8(1, 500, 500, 50), 1, "a set multiple never derives a zero cap");
    }

    function test_cap_derivedWhenSet_elseMaxPremium() public pure {
        FundingParams memory p;
        assertEq(FundingPolicy.cap(p, 50), CAP, "params all zero: maxPremiumBps (legacy)");
        p.capE8 = 250_000;
        assertEq(FundingPolicy.cap(p, 50), CAP / 2, "capE8 in 1e-8 to 1e-12");
    }

    function testFuzz_deriveCapE8_isMinOfMultipleAndMaxPremium(uint256 c, uint256 im, uint256 mm, uint256 maxBps)
        public
        pure
    {
        c = bound(c, 1, 10_000);
        mm = bound(mm, 1, 5000);
        im = bound(im, mm, 10_000);
        maxBps = bound(maxBps, 1, 1000);
        uint256 capE8 = FundingPolicy.deriveCapE8(c, im, mm, maxBps);
        uint256 expected = c * (im - mm) < maxBps * 1e4 ? c * (im - mm) : maxBps * 1e4;
        assertEq(capE8, expected == 0 ? 1 : expected);
        assertLe(capE8, maxBps * 1e4, "never above the absolute cap");
    }

    /* 1. PREMIUM */

    function test_premium_isRelativeGapTowardZero_clampedToCap() public pure {
        assertEq(FundingPolicy.premiumOf(2004e18, 2000e18, CAP), 2e9, "20 bps");
        assertEq(FundingPolicy.premiumOf(1996e18, 2000e18, CAP), -2e9);
        // 1 wei over 3 of the index: 1/3 -> 333333333333 (down), -1/3 -> -333333333333 (toward zero, not -...4).
        assertEq(FundingPolicy.premiumOf(4, 3, 1e12), 333_333_333_333);
        assertEq(FundingPolicy.premiumOf(2, 3, 1e12), -333_333_333_333);
        assertEq(FundingPolicy.premiumOf(2100e18, 2000e18, CAP), int256(CAP), "5 % over: the cap");
        assertEq(FundingPolicy.premiumOf(1000e18, 2000e18, CAP), -int256(CAP), "50 % under: minus the cap");
    }

    /* 2. BLEND */

    function test_blend_weightIsOpenInterestShareOfW() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(1e9, p); // 10 bps
        _oi(q, 300_000, 100_000); // own gross 400,000
        // Sibling: gross 400,000 (half the group), premium 30 bps, push cost huge (no bound).
        q.siblings = _one(_sibling(3e9, 400_000, 0, type(uint48).max));
        FundingOutcome memory o = FundingPolicy.next(q);
        uint256 w = 3000 * 1e8 / 2; // w x 400k / 800k
        assertEq(o.blendWeight, w);
        assertEq(o.blended, o.premium + int256(w) * (3e9 - o.premium) / ONE);
        assertEq(o.blended, 1e9 + 3e8, "10 bps + 15 % x 20 bps");
        assertEq(o.charged, o.blended, "no change limit, under the cap");
    }

    function test_blend_weightBoundedByPushCost() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(1e9, p);
        _oi(q, 300_000, 100_000); // g = 400,000
        // Push cost 20,000 (moving the sibling's mark 100 % costs 20k in fees): w_j <= 20k / (2 x 400k) = 2.5 %.
        q.siblings = _one(_sibling(3e9, 400_000, 0, 20_000));
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.blendWeight, 20_000 * uint256(ONE) / 800_000, "the push-cost bound binds");
        assertLt(o.blendWeight, 3000 * 1e8 / 2, "below the share weight");
        assertEq(o.blended, 1e9 + int256(o.blendWeight) * 2e9 / ONE);
    }

    function test_blend_noOwnOpenInterest_takesFullShareWeight() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(0, p);
        q.siblings = _one(_sibling(4e9, 1000, 0, 0));
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.blendWeight, 3000 * 1e8, "nobody to pay for: the sibling's whole share, unbounded");
        assertEq(o.blended, 12e8);
    }

    function test_blend_offWithoutWeightOrSiblings() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        p.blendWeightBps = 0;
        FundingPolicy.Inputs memory q = _inputs(1e9, p);
        q.siblings = _one(_sibling(4e9, 1000, 0, type(uint48).max));
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.blended, o.premium, "w = 0");
        assertEq(o.blendWeight, 0);
        p.blendWeightBps = 3000;
        q = _inputs(1e9, p);
        o = FundingPolicy.next(q);
        assertEq(o.blended, o.premium, "no fresh sibling");
    }

    function test_blend_severalSiblings_weightsSumToAtMostW() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(0, p);
        _oi(q, 100_000, 100_000);
        q.siblings = new FundingPolicy.Sibling[](3);
        q.siblings[0] = _sibling(2e9, 200_000, 0, type(uint48).max);
        q.siblings[1] = _sibling(-2e9, 100_000, 0, type(uint48).max);
        q.siblings[2] = _sibling(4e9, 300_000, 0, type(uint48).max);
        FundingOutcome memory o = FundingPolicy.next(q);
        uint256 w = 3000 * 1e8;
        // Shares 2/8, 1/8, 3/8 of w (each floored), own 2/8 left out.
        assertEq(o.blendWeight, w * 2 / 8 + w / 8 + w * 3 / 8);
        assertLe(o.blendWeight, w);
        assertEq(o.blended, int256(w * 2 / 8) * 2e9 / ONE - int256(w / 8) * 2e9 / ONE + int256(w * 3 / 8) * 4e9 / ONE);
    }

    /* 3. CHANGE LIMIT */

    function test_change_limitedToStepAroundPrevious() public pure {
        FundingParams memory p = _params();
        uint256 step = CAP * 2500 / 10_000;
        FundingPolicy.Inputs memory q = _inputs(int256(CAP), p);
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.premium, int256(CAP));
        assertEq(o.charged, int256(step), "from 0, one step up");
        q.prevCharged = int256(CAP);
        q.twapMark = INDEX / 2; // premium -cap
        o = FundingPolicy.next(q);
        assertEq(o.charged, int256(CAP - step), "from the cap, one step down");
        q.prevCharged = 1e9;
        q.twapMark = INDEX + INDEX / 2000; // +5 bps: within a step of 10 bps
        o = FundingPolicy.next(q);
        assertEq(o.charged, 5e8, "within the step: the blend itself");
    }

    function test_change_zeroMeansNoLimit() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(-int256(CAP), p);
        q.prevCharged = int256(CAP);
        assertEq(FundingPolicy.next(q).charged, -int256(CAP));
    }

    /* 4. EXTREME SESSION */

    function test_extreme_cap_appliesAboveThresholdSquared() public pure {
        FundingParams memory p = _params();
        p.maxChangeBps = 0;
        FundingPolicy.Inputs memory q = _inputs(int256(CAP), p);
        q.varianceBps2 = 15_000 * 15_000;
        FundingOutcome memory o = FundingPolicy.next(q);
        assertFalse(o.extreme, "at the threshold: not extreme");
        assertEq(o.charged, int256(CAP));
        q.varianceBps2 += 1;
        o = FundingPolicy.next(q);
        assertTrue(o.extreme);
        assertEq(o.capEffective, CAP / 2);
        assertEq(o.cap, CAP, "the normal cap is reported unchanged");
        assertEq(o.premium, int256(CAP), "the premium is capped by the normal cap only");
        assertEq(o.charged, int256(CAP / 2), "the charge by the tighter one");
        p.extremeVolBps = 0;
        q.params = p;
        q.varianceBps2 = type(uint128).max;
        assertFalse(FundingPolicy.next(q).extreme, "threshold 0: never extreme");
    }

    function test_extreme_cap_overridesChangeLimit_downward() public pure {
        FundingParams memory p = _params();
        FundingPolicy.Inputs memory q = _inputs(int256(CAP), p);
        q.prevCharged = int256(CAP);
        q.varianceBps2 = 15_001 * 15_001;
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.charged, int256(CAP / 2), "the tighter cap applies at once, more than one step down");
    }

    /* 5. KICKER */

    function test_kicker_zeroAtOrBelowThreshold_linearAbove_maxAtTwiceThreshold() public pure {
        FundingParams memory p = _params();
        FundingPolicy.Inputs memory q = _inputs(0, p);
        q.capitalWhole = 1_000_000;
        q.prevNet = 2_000_000;
        _oi(q, 500_000, 0); // net 500k: share 50 % = threshold
        assertEq(FundingPolicy.next(q).kicker, 0, "at the threshold");
        assertEq(FundingPolicy.next(q).crowdingBps, 5000);
        _oi(q, 750_000, 0); // 75 %: halfway
        assertEq(FundingPolicy.next(q).kicker, int256(50_000 * 1e4 / 2));
        _oi(q, 1_000_000, 0); // 100 %: max
        assertEq(FundingPolicy.next(q).kicker, int256(50_000 * 1e4));
        q.prevNet = 5_000_000;
        _oi(q, 5_000_000, 0); // 500 %: still max
        assertEq(FundingPolicy.next(q).kicker, int256(50_000 * 1e4), "never above kickerMax");
    }

    function test_kicker_signFollowsCrowdedSide() public pure {
        FundingPolicy.Inputs memory q = _inputs(0, _params());
        q.capitalWhole = 1_000_000;
        q.prevNet = -1_000_000;
        _oi(q, 0, 1_000_000);
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.kicker, -int256(50_000 * 1e4), "net short: shorts pay");
        assertEq(o.groupNet, -1_000_000);
        assertEq(o.kickerPerSecond, -int256(50_000 * 1e4) * int256(INDEX) / (ONE * int256(PERIOD)));
    }

    function test_kicker_ownNetCountsOnlyAsFarAsItPersisted() public pure {
        FundingPolicy.Inputs memory q = _inputs(0, _params());
        q.capitalWhole = 1_000_000;
        _oi(q, 1_000_000, 0);
        q.prevNet = 0;
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.kicker, 0, "not there at the last update: does not count");
        assertEq(o.groupNet, 0);
        q.prevNet = -1_000_000;
        assertEq(FundingPolicy.next(q).kicker, 0, "the other side at the last update: does not count");
        q.prevNet = 600_000;
        o = FundingPolicy.next(q);
        assertEq(o.groupNet, 600_000, "the smaller same-sign magnitude");
        assertEq(o.kicker, int256(50_000 * 1e4 / 5));
        q.prevNet = 3_000_000;
        assertEq(FundingPolicy.next(q).groupNet, 1_000_000, "now smaller than before: now");
    }

    function test_kicker_siblingsNetAddsToGroup() public pure {
        FundingPolicy.Inputs memory q = _inputs(0, _params());
        q.capitalWhole = 1_000_000;
        _oi(q, 400_000, 0);
        q.prevNet = 400_000;
        q.siblings = new FundingPolicy.Sibling[](2);
        q.siblings[0] = _sibling(0, 0, 500_000, 0);
        q.siblings[1] = _sibling(0, 0, -150_000, 0);
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.groupNet, 750_000);
        assertEq(o.kicker, int256(50_000 * 1e4 / 2));
        q.siblings[1].net = -1_400_000; // the group nets short
        o = FundingPolicy.next(q);
        assertEq(o.groupNet, -500_000);
        assertEq(o.kicker, 0, "the short side nets the group back to the threshold: no kicker");
    }

    function test_kicker_offWithoutThresholdOrMax_fullWithoutCapital() public pure {
        FundingParams memory p = _params();
        FundingPolicy.Inputs memory q = _inputs(0, p);
        _oi(q, 1000, 0);
        q.prevNet = 1000;
        assertEq(FundingPolicy.next(q).kicker, int256(50_000 * 1e4), "no tranche capital: fully crowded");
        q.capitalWhole = 1;
        p.kickerMaxE8 = 0;
        q.params = p;
        assertEq(FundingPolicy.next(q).kicker, 0, "no max: no kicker");
        p.kickerMaxE8 = 50_000;
        p.kickerThresholdBps = 0;
        q.params = p;
        assertEq(FundingPolicy.next(q).kicker, 0, "no threshold: no kicker");
    }

    /* 6. RATE */

    function test_rate_perSecondTowardZero() public pure {
        // 1e-12 of 1e18 per hour: 1e6 / 3600 = 277.7 -> 277 and -277.
        assertEq(FundingPolicy.perSecond(1, 1e18, 3600), 277);
        assertEq(FundingPolicy.perSecond(-1, 1e18, 3600), -277);
        // The default cap at 2,000: 10 quote per base per hour.
        assertEq(FundingPolicy.perSecond(int256(CAP), INDEX, PERIOD), int256(uint256(10e18) / PERIOD));
    }

    function test_next_unvouched_chargesNothing() public pure {
        FundingPolicy.Inputs memory q = _inputs(int256(CAP), _params());
        q.capitalWhole = 1;
        q.prevCharged = int256(CAP);
        _oi(q, 1000, 0);
        q.prevNet = 1000;
        q.vouched = false;
        FundingOutcome memory o = FundingPolicy.next(q);
        assertEq(o.premium, 0);
        assertEq(o.charged, 0, "no funding against an index the oracle does not vouch for, whatever the last charge");
        assertEq(o.kicker, 0);
        assertEq(o.ratePerSecond, 0);
        assertEq(o.kickerPerSecond, 0);
        assertEq(o.net, 1000, "what it measured is still reported");
    }

    /* BOUNDS FOR ANY INPUT */

    struct Fuzz {
        uint256 index;
        int256 premiumBps;
        uint256 variance;
        int256 prevCharged;
        int256 prevNet;
        uint256 longWhole;
        uint256 shortWhole;
        uint256 capital;
        uint256 period;
        uint256 maxPremiumBps;
    }

    /// @dev |premium| <= cap; |charged| <= capEffective <= cap; |charged - prev| <= step unless the cap forced it
    /// below |prev| (then charged is +-capEffective on prev's side); |charged| <= maxNext(prev); Σ w_j <= w and the
    /// blend stays between the lowest and the highest premium; |kicker| <= kickerMax with the group's sign; the rates
    /// convert toward zero.
    function testFuzz_next_boundsHoldForAnyInput(
        Fuzz memory f,
        FundingParams memory p,
        int256[3] memory sibPremium,
        uint40[3] memory sibGross,
        int40[3] memory sibNet,
        uint48[3] memory sibPush,
        uint256 sibCount
    ) public pure {
        f.index = bound(f.index, 1e6, 1e30);
        f.period = bound(f.period, 60, 1 days);
        f.maxPremiumBps = bound(f.maxPremiumBps, 1, 1000);
        p.capMultipleBps = uint16(bound(p.capMultipleBps, 0, 10_000));
        p.maxChangeBps = uint16(bound(p.maxChangeBps, 0, 10_000));
        p.extremeVolBps = uint32(bound(p.extremeVolBps, 0, 100_000));
        p.extremeCapBps = uint16(bound(p.extremeCapBps, 1000, 10_000));
        p.blendWeightBps = uint16(bound(p.blendWeightBps, 0, 5000));
        p.kickerThresholdBps = uint16(bound(p.kickerThresholdBps, 0, 50_000));
        p.kickerMaxE8 = uint32(bound(p.kickerMaxE8, 0, 100_000));
        p.capE8 = uint32(FundingPolicy.deriveCapE8(p.capMultipleBps, 1000, 500, f.maxPremiumBps));
        uint256 cap = FundingPolicy.cap(p, f.maxPremiumBps);

        FundingPolicy.Inputs memory q;
        q.twapIndex = f.index;
        f.premiumBps = bound(f.premiumBps, -9999, 20_000);
        q.twapMark = uint256(int256(f.index) + int256(f.index) * f.premiumBps / 10_000);
        q.vouched = true;
        q.varianceBps2 = bound(f.variance, 0, 1e12);
        q.fundingPeriod = f.period;
        q.maxPremiumBps = f.maxPremiumBps;
        // Open interest within the snapshot's widths at this index.
        q.longOI = bound(f.longWhole, 0, 1e12) * 1e36 / f.index;
        q.shortOI = bound(f.shortWhole, 0, 1e12) * 1e36 / f.index;
        q.capitalWhole = bound(f.capital, 0, 1e13);
        // The previous charge was within the cap (possibly a larger one: the params changed, or the session is
        // extreme now).
        q.prevCharged = bound(f.prevCharged, -int256(cap), int256(cap));
        q.prevNet = bound(f.prevNet, type(int40).min, type(int40).max);
        q.params = p;
        q.siblings = new FundingPolicy.Sibling[](bound(sibCount, 0, 3));
        for (uint256 j; j < q.siblings.length; ++j) {
            // A sibling's premium was capped by its own cap (up to its maxPremium of 10 %).
            q.siblings[j] = _sibling(bound(sibPremium[j], -1e11, 1e11), sibGross[j], sibNet[j], sibPush[j]);
        }

        FundingOutcome memory o = FundingPolicy.next(q);
        uint256 capEff = o.capEffective;
        assertEq(o.cap, cap);
        assertLe(capEff, cap, "the extreme cap only tightens");
        if (o.extreme) assertEq(capEff, cap * p.extremeCapBps / 10_000);
        assertLe(FixedPoint.abs(o.premium), cap, "|premium| <= cap");
        assertLe(FixedPoint.abs(o.charged), capEff, "|charged| <= capEffective");
        if (p.maxChangeBps != 0) {
            uint256 step = cap * p.maxChangeBps / 10_000;
            bool withinStep = FixedPoint.abs(o.charged - q.prevCharged) <= step;
            bool forcedByCap = FixedPoint.abs(q.prevCharged) > capEff
                && o.charged == (q.prevCharged > 0 ? int256(capEff) : -int256(capEff));
            assertTrue(withinStep || forcedByCap, "|charged - prev| <= step, or the cap forced it down on prev's side");
        }
        assertLe(FixedPoint.abs(o.charged), FundingPolicy.maxNext(p, cap, q.prevCharged), "|charged| <= maxNext");

        assertLe(o.blendWeight, uint256(p.blendWeightBps) * 1e8, "sum of w_j <= w");
        int256 lo = o.premium;
        int256 hi = o.premium;
        for (uint256 j; j < q.siblings.length; ++j) {
            if (q.siblings[j].premium < lo) lo = q.siblings[j].premium;
            if (q.siblings[j].premium > hi) hi = q.siblings[j].premium;
        }
        assertGe(o.blended, lo - int256(q.siblings.length), "the blend is an average (rounding: 1 per sibling)");
        assertLe(o.blended, hi + int256(q.siblings.length));

        assertLe(FixedPoint.abs(o.kicker), uint256(p.kickerMaxE8) * 1e4, "|kicker| <= kickerMax");
        if (o.kicker != 0) assertEq(o.kicker > 0, o.groupNet > 0, "the crowded side pays");

        assertEq(o.ratePerSecond, o.charged * int256(f.index) / (ONE * int256(f.period)));
        assertLe(FixedPoint.abs(o.ratePerSecond) * f.period * uint256(ONE), FixedPoint.abs(o.charged) * f.index);
        assertLe(FixedPoint.abs(o.kickerPerSecond) * f.period * uint256(ONE), FixedPoint.abs(o.kicker) * f.index);
        if (o.ratePerSecond != 0) assertEq(o.ratePerSecond > 0, o.charged > 0, "the rate has the charge's sign");
    }
}
