// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "../../contracts/libraries/FixedPoint.sol";
import {FundingMath} from "../../contracts/libraries/FundingMath.sol";
import {Test} from "forge-std/Test.sol";

contract FundingMathTest is Test {
    uint256 internal constant WAD = 1e18;

    /* rateFromPremium */

    function test_rateFromPremium_uncappedGapOverPeriod() public pure {
        // twap 2004, index 2000: gap 4 < cap 10 (50 bps) -> 4 / 3600 per second, rounded down.
        assertEq(FundingMath.rateFromPremium(2004e18, 2000e18, 50, 3600), int256(uint256(4e18) / 3600));
        assertEq(FundingMath.rateFromPremium(1996e18, 2000e18, 50, 3600), -int256(uint256(4e18) / 3600));
    }

    function test_rateFromPremium_clampedToMaxPremium() public pure {
        int256 cap = int256(uint256(10e18) / 3600);
        assertEq(FundingMath.rateFromPremium(2100e18, 2000e18, 50, 3600), cap, "mark 5% above: capped");
        assertEq(FundingMath.rateFromPremium(1000e18, 2000e18, 50, 3600), -cap, "mark 50% below: capped");
        assertEq(FundingMath.rateFromPremium(2000e18, 2000e18, 50, 3600), 0, "no premium, no funding");
    }

    function testFuzz_rateFromPremium_signFollowsPremiumAndPeriodChargeIsCapped(
        uint256 twap,
        uint256 index,
        uint256 capBps,
        uint256 period
    ) public pure {
        index = bound(index, 1, 1e30);
        twap = bound(twap, 0, 1e30);
        capBps = bound(capBps, 1, 500);
        period = bound(period, 60, 1 days);
        int256 rate = FundingMath.rateFromPremium(twap, index, capBps, period);
        if (twap > index) assertGe(rate, 0, "mark above index: longs pay");
        if (twap < index) assertLe(rate, 0, "mark below index: shorts pay");
        uint256 perPeriod = FixedPoint.abs(rate) * period;
        assertLe(perPeriod, index * capBps / 10_000, "one period never charges more than the cap");
        uint256 gap = twap > index ? twap - index : index - twap;
        assertLe(perPeriod, gap, "never more than the premium itself");
    }

    /* accrue */

    function test_accrue_balancedOpenInterestHasNoBackstopFlow() public pure {
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(1e15, 0, 600, 10e18, 10e18, 0);
        assertEq(dLong, 0.6e18, "longs charged rate * dt per base");
        assertEq(dShort, 0.6e18, "shorts credited the same");
        assertEq(flow, 0);
    }

    function test_accrue_backstopEarnsWhenPayersOutweighReceivers() public pure {
        // Longs pay 0.6 per base: 30 long pay 18, 10 short receive 6, backstop earns 12.
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(1e15, 0, 600, 30e18, 10e18, 0);
        assertEq(dLong, 0.6e18);
        assertEq(dShort, 0.6e18);
        assertEq(flow, 12e18);
    }

    function test_accrue_backstopPaymentCutToBudget() public pure {
        // Longs pay 0.6 per base: 10 long pay 6; 50 short would receive 30 (backstop -24), budget 6.
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(1e15, 0, 600, 10e18, 50e18, 6e18);
        assertEq(dLong, 0.6e18, "payers are charged in full");
        assertEq(dShort, 0.24e18, "receivers share paid + budget = 12 over 50 base");
        assertEq(flow, -6e18, "backstop pays exactly its budget");
    }

    function test_accrue_negativeRateMirrorsSides() public pure {
        // Shorts pay 0.6 per base: 10 short pay 6; 50 long would receive 30, budget 6.
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(-1e15, 0, 600, 50e18, 10e18, 6e18);
        assertEq(dShort, -0.6e18, "cumShort falls: shorts owe");
        assertEq(dLong, -0.24e18, "cumLong falls: longs are credited");
        assertEq(flow, -6e18);
    }

    function test_accrue_zeroRateOrTimeIsNoOp() public pure {
        (int256 a, int256 b, int256 c,) = FundingMath.accrue(0, 0, 600, 1e18, 2e18, 1e18);
        assertEq(a, 0);
        assertEq(b, 0);
        assertEq(c, 0);
        (a, b, c,) = FundingMath.accrue(1e15, 0, 0, 1e18, 2e18, 1e18);
        assertEq(a, 0);
        assertEq(b, 0);
        assertEq(c, 0);
    }

    function testFuzz_accrue_signsBudgetAndConservation(
        int256 rate,
        uint256 dt,
        uint256 longOI,
        uint256 shortOI,
        uint256 budget
    ) public pure {
        rate = bound(rate, -1e20, 1e20);
        vm.assume(rate != 0);
        dt = bound(dt, 1, 30 days);
        longOI = bound(longOI, 0, 1e30);
        shortOI = bound(shortOI, 0, 1e30);
        budget = bound(budget, 0, 1e30);
        (int256 dLong, int256 dShort, int256 flow,) = FundingMath.accrue(rate, 0, dt, longOI, shortOI, budget);

        uint256 charge = FixedPoint.abs(rate) * dt;
        (uint256 payerOI, uint256 receiverOI) = rate > 0 ? (longOI, shortOI) : (shortOI, longOI);
        (int256 chargeIdx, int256 creditIdx) = rate > 0 ? (dLong, dShort) : (-dShort, -dLong);
        // Signs: the payers' index moves by the full charge against them; the receivers' credit is in [0, charge].
        assertEq(chargeIdx, int256(charge), "payers are charged |rate| * dt per base");
        assertGe(creditIdx, 0, "receivers are never charged");
        assertLe(creditIdx, int256(charge), "receivers never get more than payers pay");

        // Backstop pays at most its budget.
        assertGe(flow, -int256(budget), "backstop payment bounded by budget");

        // Conservation: payerOI * charge - receiverOI * credit == flow, rounded so that the flow booked for the
        // backstop never exceeds what the sides actually pay net (the remainder stays in the pool).
        int256 exact = int256(payerOI * charge) - int256(receiverOI * uint256(creditIdx));
        assertLe(flow * int256(WAD), exact, "booked flow never exceeds the exact net payment");
        assertGt(flow * int256(WAD) + 2 * int256(WAD), exact, "off by less than two wei");

        // When the backstop can afford full credit, receivers get exactly what payers pay per base.
        if (receiverOI * charge + 2 * WAD <= payerOI * charge + budget * WAD) {
            assertEq(creditIdx, int256(charge), "no cut within budget");
        }
    }

    /* owed */

    function test_owed_vectors_roundTowardPlusInfinity() public pure {
        // Long 3 wei base, index up by 0.5: owes 1.5 wei -> 2.
        assertEq(FundingMath.owed(3, 0.5e18, 0), 2);
        // Short 3 wei base, credited 0.5 per base: -1.5 wei -> -1 (credit rounded down).
        assertEq(FundingMath.owed(-3, 0.5e18, 0), -1);
        // Short, shorts' index falls (shorts pay): owes 1.5 -> 2.
        assertEq(FundingMath.owed(-3, -0.5e18, 0), 2);
        // Long, longs' index falls (longs credited): -1.5 -> -1.
        assertEq(FundingMath.owed(3, -0.5e18, 0), -1);
        assertEq(FundingMath.owed(0, 1e18, 0), 0);
        assertEq(FundingMath.owed(5e18, 7e18, 7e18), 0);
        assertEq(FundingMath.owed(2e18, 1.5e18, 0.5e18), 2e18);
    }

    function testFuzz_owed_roundsTowardPlusInfinity(int256 size, int256 cum, int256 entry) public pure {
        size = bound(size, -1e30, 1e30);
        cum = bound(cum, -1e36, 1e36);
        entry = bound(entry, -1e36, 1e36);
        int256 o = FundingMath.owed(size, cum, entry);
        int256 exact = size * (cum - entry);
        assertGe(o * int256(WAD), exact, "never less than exact (against the trader)");
        assertLt(o * int256(WAD) - exact, int256(WAD), "by less than one wei");
    }
}
