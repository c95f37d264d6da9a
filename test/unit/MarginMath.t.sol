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

    function test_ratiosFor_picksTheTierByNotional() public pure {
        uint256 packed = _packed();
        (uint256 ib, uint256 mb) = MarginMath.ratiosFor(packed, 100_000e18);
        assertEq(ib, 1000, "at the cap: first tier");
        assertEq(mb, 500);
        (ib, mb) = MarginMath.ratiosFor(packed, 100_000e18 + 1);
        assertEq(ib, 2000, "one wei above: second tier");
        assertEq(mb, 1000);
        (ib, mb) = MarginMath.ratiosFor(packed, 500_000_000e18);
        assertEq(ib, 3300, "above the last cap: last tier");
        assertEq(mb, 1650);
    }

    function test_requirements_roundUp() public pure {
        (uint256 initial, uint256 maint) = MarginMath.requirements(_packed(), 1001);
        assertEq(initial, 101, "10 % of 1001 wei = 100.1 -> 101");
        assertEq(maint, 51, "5 % of 1001 wei = 50.05 -> 51");
        (initial, maint) = MarginMath.requirements(_packed(), 150_000e18);
        assertEq(initial, 30_000e18, "a bigger position pays the higher ratio on its whole notional");
        assertEq(maint, 15_000e18);
    }

    function testFuzz_requirements_monotoneInNotional(uint256 a, uint256 b) public pure {
        a = bound(a, 0, 1e30);
        b = bound(b, a, 1e30);
        uint256 packed = _packed();
        (uint256 ia, uint256 ma) = MarginMath.requirements(packed, a);
        (uint256 ib, uint256 mb) = MarginMath.requirements(packed, b);
        assertLe(ia, ib, "initial requirement non-decreasing");
        assertLe(ma, mb, "maintenance requirement non-decreasing");
        assertGe(ia, ma, "initial >= maintenance");
        (uint256 ra,) = MarginMath.ratiosFor(packed, a);
        (uint256 rb,) = MarginMath.ratiosFor(packed, b);
        assertLe(ra, rb, "a bigger position never gets more leverage");
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
