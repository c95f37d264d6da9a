// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "../../contracts/libraries/FixedPoint.sol";
import {Test, stdError} from "forge-std/Test.sol";

/// @dev External wrappers so reverts of the internal library functions can be expected.
contract FixedPointHarness {
    function mulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return FixedPoint.mulDivDown(x, y, d);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return FixedPoint.mulDivUp(x, y, d);
    }

    function wDivDown(uint256 x, uint256 y) external pure returns (uint256) {
        return FixedPoint.wDivDown(x, y);
    }
}

contract FixedPointTest is Test {
    uint256 internal constant MAX_OPERAND = type(uint128).max;

    FixedPointHarness internal h;

    function setUp() public {
        h = new FixedPointHarness();
    }

    /* VECTORS */

    function test_mulDiv_vectors_roundInTheirNamedDirection() public pure {
        assertEq(FixedPoint.mulDivDown(10, 10, 3), 33);
        assertEq(FixedPoint.mulDivUp(10, 10, 3), 34);
        assertEq(FixedPoint.mulDivDown(9, 10, 3), 30);
        assertEq(FixedPoint.mulDivUp(9, 10, 3), 30, "exact division does not round up");
        assertEq(FixedPoint.mulDivUp(0, 10, 3), 0);
        assertEq(FixedPoint.wMulDown(1.5e18, 1.5e18), 2.25e18);
        assertEq(FixedPoint.wMulDown(1, 1), 0);
        assertEq(FixedPoint.wMulUp(1, 1), 1);
        assertEq(FixedPoint.wDivDown(1e18, 3e18), 333_333_333_333_333_333);
        assertEq(FixedPoint.wDivUp(1e18, 3e18), 333_333_333_333_333_334);
    }

    function test_signedMulDiv_vectors_floorAndCeil() public pure {
        assertEq(FixedPoint.mulDivFloor(7, 1, 2), 3);
        assertEq(FixedPoint.mulDivFloor(-7, 1, 2), -4, "floor goes toward -inf");
        assertEq(FixedPoint.mulDivCeil(7, 1, 2), 4);
        assertEq(FixedPoint.mulDivCeil(-7, 1, 2), -3, "ceil goes toward +inf");
        assertEq(FixedPoint.mulDivFloor(-6, 1, 2), -3);
        assertEq(FixedPoint.mulDivCeil(-6, 1, 2), -3);
    }

    function test_absMinMax_vectors() public pure {
        assertEq(FixedPoint.abs(-5), 5);
        assertEq(FixedPoint.abs(5), 5);
        assertEq(FixedPoint.abs(0), 0);
        assertEq(FixedPoint.abs(type(int256).max), uint256(type(int256).max));
        assertEq(FixedPoint.min(3, 4), 3);
        assertEq(FixedPoint.max(3, 4), 4);
    }

    function test_mulDiv_revertsWhen_divisorIsZero() public {
        vm.expectRevert(FixedPoint.DivisionByZero.selector);
        h.mulDivDown(1, 1, 0);
        vm.expectRevert(FixedPoint.DivisionByZero.selector);
        h.mulDivUp(1, 1, 0);
        vm.expectRevert(FixedPoint.DivisionByZero.selector);
        h.wDivDown(1, 0);
    }

    function test_mulDiv_revertsWhen_productOverflows() public {
        vm.expectRevert(stdError.arithmeticError);
        h.mulDivDown(type(uint256).max, 2, 1);
        vm.expectRevert(stdError.arithmeticError);
        h.mulDivUp(type(uint256).max, 2, 1);
    }

    /* FUZZ */

    function testFuzz_mulDiv_downAndUpBracketTheExactQuotient(uint256 x, uint256 y, uint256 d) public pure {
        x = bound(x, 0, MAX_OPERAND);
        y = bound(y, 0, MAX_OPERAND);
        d = bound(d, 1, type(uint256).max);
        uint256 down = FixedPoint.mulDivDown(x, y, d);
        uint256 up = FixedPoint.mulDivUp(x, y, d);
        uint256 p = x * y;
        assertLe(down * d, p, "down <= exact");
        assertLe(up - down, 1, "up and down differ by at most one");
        assertEq(up == down, p % d == 0, "up rounds only an inexact quotient");
    }

    function testFuzz_signedMulDiv_floorLeExactLeCeil(int256 x, uint256 y, uint256 d) public pure {
        x = bound(x, -int256(MAX_OPERAND), int256(MAX_OPERAND));
        y = bound(y, 0, type(uint120).max);
        d = bound(d, 1, MAX_OPERAND);
        int256 lo = FixedPoint.mulDivFloor(x, y, d);
        int256 hi = FixedPoint.mulDivCeil(x, y, d);
        int256 p = x * int256(y);
        assertLe(lo * int256(d), p, "floor * d <= x * y");
        assertGe(hi * int256(d), p, "ceil * d >= x * y");
        assertLe(hi - lo, 1);
        // Symmetry: floor(-x) == -ceil(x).
        assertEq(FixedPoint.mulDivFloor(-x, y, d), -hi);
    }

    function testFuzz_wDiv_wMul_roundTripNeverGains(uint256 x, uint256 y) public pure {
        x = bound(x, 0, 1e36);
        y = bound(y, 1, 1e36);
        assertLe(FixedPoint.wMulDown(FixedPoint.wDivDown(x, y), y), x, "down then down never grows x");
        assertGe(FixedPoint.wMulUp(FixedPoint.wDivUp(x, y), y), x, "up then up never shrinks x");
    }
}
