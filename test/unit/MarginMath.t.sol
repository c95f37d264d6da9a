// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarginMath} from "../../contracts/libraries/MarginMath.sol";
import {Test} from "forge-std/Test.sol";

/// @dev External wrapper so the reverts of `validateTiers` can be expected.
contract MarginMathHarness {
    function validateTiers(uint256 packed) external pure {
        MarginMath.validateTiers(packed);
    }
}

contract MarginMathTest is Test {
    MarginMathHarness internal h;

    function setUp() public {
        h = new MarginMathHarness();
    }

    /// @dev The fixture's tiers: <= 100k at 10 % / 5 %, <= 1M at 20 % / 10 %, above at 33 % / 16.5 %.
    function _tiers() internal pure returns (MarginMath.Tier[3] memory t) {
        t[0] = MarginMath.Tier({notionalCap: 100_000e18, initialBps: 1000, maintenanceBps: 500});
        t[1] = MarginMath.Tier({notionalCap: 1_000_000e18, initialBps: 2000, maintenanceBps: 1000});
        t[2] = MarginMath.Tier({notionalCap: 100_000_000e18, initialBps: 3300, maintenanceBps: 1650});
    }

    function _packed() internal pure returns (uint256) {
        return MarginMath.packTiers(_tiers());
    }

    /* PACKING */

    function test_packTiers_unpackTier_roundTrip() public pure {
        uint256 packed = _packed();
        MarginMath.Tier[3] memory t = _tiers();
        for (uint256 i; i < 3; ++i) {
            MarginMath.Tier memory u = MarginMath.unpackTier(packed, i);
            assertEq(u.notionalCap, t[i].notionalCap);
            assertEq(u.initialBps, t[i].initialBps);
            assertEq(u.maintenanceBps, t[i].maintenanceBps);
        }
    }

    /* TIERS */

    function test_marginalRatios_areThoseOfTheTierContainingTheLastUnit() public pure {
        uint256 packed = _packed();
        (uint256 ib, uint256 mb) = MarginMath.marginalRatios(packed, 100_000e18);
        assertEq(ib, 1000, "at the cap: first tier");
        assertEq(mb, 500);
        (ib, mb) = MarginMath.marginalRatios(packed, 100_000e18 + 1);
        assertEq(ib, 2000, "one wei above: second tier");
        assertEq(mb, 1000);
        (ib, mb) = MarginMath.marginalRatios(packed, 500_000_000e18);
        assertEq(ib, 3300, "above the last cap: last tier");
        assertEq(mb, 1650);
    }

    function test_requirements_roundUp() public pure {
        (uint256 initial, uint256 maint) = MarginMath.requirements(_packed(), 1001);
        assertEq(initial, 101, "10 % of 1001 wei = 100.1 -> 101");
        assertEq(maint, 51, "5 % of 1001 wei = 50.05 -> 51");
        (initial, maint) = MarginMath.requirements(_packed(), 100_000e18 + 1);
        assertEq(initial, 10_000e18 + 1, "20 % of the wei above the cap = 0.2 -> 1");
        assertEq(maint, 5000e18 + 1);
    }

    function test_requirements_chargeEachTiersRatioOnItsPartOnly() public pure {
        uint256 packed = _packed();
        (uint256 initial, uint256 maint) = MarginMath.requirements(packed, 150_000e18);
        assertEq(initial, 10_000e18 + 10_000e18, "10 % of 100k + 20 % of 50k");
        assertEq(maint, 5000e18 + 5000e18, "5 % of 100k + 10 % of 50k");
        (initial, maint) = MarginMath.requirements(packed, 1_000_000e18);
        assertEq(initial, 10_000e18 + 180_000e18, "10 % of 100k + 20 % of 900k");
        assertEq(maint, 5000e18 + 90_000e18);
        (initial, maint) = MarginMath.requirements(packed, 2_000_000e18);
        assertEq(initial, 190_000e18 + 330_000e18, "... + 33 % of the 1M above the second cap");
        assertEq(maint, 95_000e18 + 165_000e18);
        (initial, maint) = MarginMath.requirements(packed, 500_000_000e18);
        assertEq(initial, 190_000e18 + 164_670_000e18, "the last ratio applies beyond the last cap too");
        assertEq(maint, 95_000e18 + 82_335_000e18);
    }

    /// @notice RISK 52 at the library level, the issue's short: 99,980 of notional (maintenance 4,999) moved
    /// by 0.05 % to 100,029.99 owes 5,003 (not the 10,002 a whole-notional tier would ask), and a 1-bp move just
    /// under the boundary changes the requirement by about 1 bp of notional times the ratios it straddles.
    function test_risk52_justUnderATierBoundary_aOneBpMove_changesTheRequirementByAboutOneBp() public pure {
        uint256 packed = _packed();
        (, uint256 before) = MarginMath.requirements(packed, 99_980e18);
        assertEq(before, 4999e18);
        (, uint256 afterMove) = MarginMath.requirements(packed, 99_980e18 * 10_005 / 10_000);
        assertEq(afterMove, 5000e18 + 2.999e18, "5 % of 100k + 10 % of 29.99");

        uint256 n = 99_995e18;
        uint256 moved = n * 10_001 / 10_000; // 100,004.9995: across the cap
        uint256 delta = moved - n;
        (uint256 i0, uint256 m0) = MarginMath.requirements(packed, n);
        (uint256 i1, uint256 m1) = MarginMath.requirements(packed, moved);
        assertEq(m1 - m0, 0.74995e18, "5 % of the 5 below the cap + 10 % of the 4.9995 above it");
        assertGe(m1 - m0, delta * 500 / 10_000, ">= 1 bp of notional at the lower ratio");
        assertLe(m1 - m0, delta * 1000 / 10_000 + 1, "<= 1 bp of notional at the upper ratio");
        assertLe(i1 - i0, delta * 2000 / 10_000 + 1);
        assertLt(m1 - m0, 1e18, "under 1 quote unit: never the 5,000 step of a whole-notional tier");
    }

    function test_requirements_continuousAtEachCap() public pure {
        uint256 packed = _packed();
        for (uint256 i; i < 2; ++i) {
            uint256 cap = MarginMath.unpackTier(packed, i).notionalCap;
            MarginMath.Tier memory above = MarginMath.unpackTier(packed, i + 1);
            (uint256 ia, uint256 ma) = MarginMath.requirements(packed, cap);
            (uint256 ib, uint256 mb) = MarginMath.requirements(packed, cap + 1e18);
            assertEq(ib - ia, above.initialBps * 1e18 / 10_000, "one more unit costs the next tier's ratio");
            assertEq(mb - ma, above.maintenanceBps * 1e18 / 10_000);
            (ib, mb) = MarginMath.requirements(packed, cap + 1);
            assertEq(ib - ia, 1, "one wei more costs one wei (rounded up)");
            assertEq(mb - ma, 1);
        }
    }

    /// @dev Random tiers that pass `validateTiers`: caps increasing in whole units, ratios non-decreasing,
    /// 0 < maintenance < initial <= 100 %.
    function _randomTiers(uint256 seed) internal pure returns (uint256 packed, uint256 topInitialBps) {
        MarginMath.Tier[3] memory t;
        uint256 cap;
        uint256 ib;
        uint256 mb;
        for (uint256 i; i < 3; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            cap += bound(r, 1, 1e12);
            mb = bound(r >> 64, mb == 0 ? 1 : mb, 9998);
            ib = bound(r >> 128, ib > mb ? ib : mb + 1, 10_000);
            t[i] = MarginMath.Tier({notionalCap: cap * 1e18, initialBps: ib, maintenanceBps: mb});
        }
        packed = MarginMath.packTiers(t);
        topInitialBps = ib;
    }

    /// @dev Reference: ceil(sum over tiers of ratio * (the part of `n` inside the tier) / 10_000), written
    /// without the library's loop (n <= 1e40, so the products fit).
    function _refRequirement(uint256 packed, uint256 n, bool initial) internal pure returns (uint256) {
        uint256 sum;
        uint256 lo;
        for (uint256 i; i < 3; ++i) {
            MarginMath.Tier memory t = MarginMath.unpackTier(packed, i);
            uint256 hi = i == 2 ? type(uint256).max : t.notionalCap;
            uint256 part = n <= lo ? 0 : (n < hi ? n : hi) - lo;
            sum += part * (initial ? t.initialBps : t.maintenanceBps);
            lo = hi;
        }
        return (sum + 9999) / 10_000;
    }

    function testFuzz_requirements_equalTheBracketSum_roundedUpOnce(uint256 seed, uint256 n) public pure {
        (uint256 packed,) = _randomTiers(seed);
        n = bound(n, 0, 1e40);
        (uint256 initial, uint256 maint) = MarginMath.requirements(packed, n);
        assertEq(initial, _refRequirement(packed, n, true), "initial");
        assertEq(maint, _refRequirement(packed, n, false), "maintenance");
    }

    /// @notice A change of 1 wei to 1 bp of notional moves the requirement by at least 0 and at most the top
    /// ratio times the change plus 1 wei (continuity), for random valid tiers, around every boundary too.
    function testFuzz_requirements_continuousInNotional(uint256 seed, uint256 n, uint256 d, bool nearCap) public pure {
        (uint256 packed, uint256 top) = _randomTiers(seed);
        n = bound(n, 0, 1e34);
        if (nearCap) {
            // Just under one of the caps, by up to 1 bp.
            uint256 cap = MarginMath.unpackTier(packed, seed % 3).notionalCap;
            n = cap - bound(n, 0, cap / 10_000);
        }
        d = bound(d, 1, n / 10_000 + 1);
        (uint256 ia, uint256 ma) = MarginMath.requirements(packed, n);
        (uint256 ib, uint256 mb) = MarginMath.requirements(packed, n + d);
        assertGe(ib, ia, "initial non-decreasing");
        assertGe(mb, ma, "maintenance non-decreasing");
        assertLe(ib - ia, d * top / 10_000 + 1, "initial moves by at most top ratio x change + 1 wei");
        assertLe(mb - ma, d * top / 10_000 + 1, "maintenance too (its ratios are below the initial ones)");
    }

    function testFuzz_requirements_monotoneInNotional(uint256 seed, uint256 a, uint256 b) public pure {
        (uint256 packed,) = _randomTiers(seed);
        a = bound(a, 0, 1e34);
        b = bound(b, a, 1e34);
        (uint256 ia, uint256 ma) = MarginMath.requirements(packed, a);
        (uint256 ib, uint256 mb) = MarginMath.requirements(packed, b);
        assertLe(ia, ib, "initial requirement non-decreasing");
        assertLe(ma, mb, "maintenance requirement non-decreasing");
        assertGe(ia, ma, "initial >= maintenance");
        (uint256 ra,) = MarginMath.marginalRatios(packed, a);
        (uint256 rb,) = MarginMath.marginalRatios(packed, b);
        assertLe(ra, rb, "each extra unit of a bigger position never gets more leverage");
    }

    /// @notice Marginal tiers never ask more than charging the marginal ratio on the whole notional (the old
    /// cliff), nor less than the first tier's ratio on the whole notional.
    function testFuzz_requirements_betweenFirstTierAndWholeNotionalAtTheMarginalRatio(uint256 seed, uint256 n)
        public
        pure
    {
        (uint256 packed,) = _randomTiers(seed);
        n = bound(n, 0, 1e34);
        (uint256 initial, uint256 maint) = MarginMath.requirements(packed, n);
        (uint256 ib, uint256 mb) = MarginMath.marginalRatios(packed, n);
        MarginMath.Tier memory first = MarginMath.unpackTier(packed, 0);
        assertLe(initial, (n * ib + 9999) / 10_000);
        assertLe(maint, (n * mb + 9999) / 10_000);
        assertGe(initial, (n * first.initialBps + 9999) / 10_000);
        assertGe(maint, (n * first.maintenanceBps + 9999) / 10_000);
    }

    function testFuzz_randomTiers_passValidation(uint256 seed) public view {
        (uint256 packed,) = _randomTiers(seed);
        h.validateTiers(packed);
    }

    function test_validateTiers_acceptsTheDefaultTiers() public view {
        h.validateTiers(_packed());
    }

    function test_validateTiers_revertsWhen_maintenanceIsZero() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[0].maintenanceBps = 0;
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_maintenanceNotBelowInitial() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[1].maintenanceBps = t[1].initialBps;
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_initialAbove100Percent() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[2].initialBps = 10_001;
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_capsNotStrictlyIncreasing() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[1].notionalCap = t[0].notionalCap;
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_initialRatioDecreases() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[2].initialBps = 1500; // below tier 1's 2000, still above its own maintenance
        t[2].maintenanceBps = 1000;
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_maintenanceRatioDecreases() public {
        MarginMath.Tier[3] memory t = _tiers();
        t[1].maintenanceBps = 400; // below tier 0's 500
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(MarginMath.packTiers(t));
    }

    function test_validateTiers_revertsWhen_unsetTiers() public {
        vm.expectRevert(MarginMath.InvalidTiers.selector);
        h.validateTiers(0);
    }

    /* VALUATION */

    function test_notionalUp_andUnrealizedPnl_vectors() public pure {
        assertEq(MarginMath.notionalUp(-2e18, 2000e18), 4000e18);
        assertEq(MarginMath.notionalUp(1, 0.5e18), 1, "rounded up");
        assertEq(MarginMath.unrealizedPnl(2e18, 3000e18, 2000e18), 1000e18, "long gains");
        assertEq(MarginMath.unrealizedPnl(-2e18, -4200e18, 2000e18), 200e18, "short gains when price falls");
        assertEq(MarginMath.unrealizedPnl(-1, 0, 0.5e18), -1, "a half wei loss counts as a whole one");
        assertEq(MarginMath.unrealizedPnl(1, 0, 0.5e18), 0, "a half wei gain counts as nothing");
    }

    function testFuzz_unrealizedPnl_roundsTowardMinusInfinity(int256 size, int256 openNotional, uint256 price)
        public
        pure
    {
        size = bound(size, -1e30, 1e30);
        openNotional = bound(openNotional, -1e36, 1e36);
        price = bound(price, 1, 1e30);
        int256 pnl = MarginMath.unrealizedPnl(size, openNotional, price);
        int256 exact = size * int256(price) - openNotional * 1e18;
        assertLe(pnl * 1e18, exact, "never more than exact");
        assertGt(pnl * 1e18 + 1e18, exact, "by less than one wei");
    }
}
