// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Median} from "../../contracts/libraries/Median.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Exposes the internal library so reverts can be asserted.
contract MedianHarness {
    function median(uint256[] memory xs) external pure returns (uint256) {
        return Median.median(xs);
    }
}

contract MedianTest is Test {
    MedianHarness internal harness = new MedianHarness();

    function _arr(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory xs) {
        xs = new uint256[](3);
        (xs[0], xs[1], xs[2]) = (a, b, c);
    }

    function _arr(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256[] memory xs) {
        xs = new uint256[](4);
        (xs[0], xs[1], xs[2], xs[3]) = (a, b, c, d);
    }

    /// @dev Bounded copy of a fuzzed array: 1..7 elements.
    function _bounded(uint256[7] memory raw, uint256 n) internal pure returns (uint256[] memory xs) {
        n = bound(n, 1, 7);
        xs = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            xs[i] = raw[i];
        }
    }

    function _copy(uint256[] memory xs) internal pure returns (uint256[] memory ys) {
        ys = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            ys[i] = xs[i];
        }
    }

    /// @dev Reference: the k-th smallest element by counting (no sorting), k zero-based.
    function _kth(uint256[] memory xs, uint256 k) internal pure returns (uint256) {
        for (uint256 i; i < xs.length; ++i) {
            uint256 less;
            uint256 lessOrEqual;
            for (uint256 j; j < xs.length; ++j) {
                if (xs[j] < xs[i]) ++less;
                if (xs[j] <= xs[i]) ++lessOrEqual;
            }
            if (less <= k && k < lessOrEqual) return xs[i];
        }
        revert("unreachable");
    }

    function _referenceMedian(uint256[] memory xs) internal pure returns (uint256) {
        uint256 n = xs.length;
        if (n % 2 == 1) return _kth(xs, n / 2);
        uint256 lo = _kth(xs, n / 2 - 1);
        uint256 hi = _kth(xs, n / 2);
        return lo / 2 + hi / 2 + (lo % 2 + hi % 2) / 2; // floor((lo + hi) / 2) without overflow
    }

    /* UNIT */

    function test_median_singleElement() public pure {
        uint256[] memory xs = new uint256[](1);
        xs[0] = 42;
        assertEq(Median.median(xs), 42);
    }

    function test_median_oddCountReturnsMiddle() public pure {
        assertEq(Median.median(_arr(3, 1, 2)), 2);
        assertEq(Median.median(_arr(5, 5, 1)), 5);
    }

    function test_median_evenCountAveragesMiddleTwo_roundedDown() public pure {
        assertEq(Median.median(_arr(4, 1, 2, 9)), 3);
        assertEq(Median.median(_arr(1, 2, 3, 4)), 2); // (2 + 3) / 2 = 2.5 -> 2
    }

    function test_median_twoMaxValuesDoNotOverflow() public pure {
        uint256[] memory xs = new uint256[](2);
        (xs[0], xs[1]) = (type(uint256).max, type(uint256).max - 1);
        assertEq(Median.median(xs), type(uint256).max - 1);
    }

    function test_median_sortsInPlace() public pure {
        uint256[] memory xs = _arr(9, 3, 7, 1);
        Median.median(xs);
        assertEq(xs[0], 1);
        assertEq(xs[1], 3);
        assertEq(xs[2], 7);
        assertEq(xs[3], 9);
    }

    function test_median_revertsWhen_empty() public {
        vm.expectRevert(Median.EmptyArray.selector);
        harness.median(new uint256[](0));
    }

    function test_minMax_returnsExtremes() public pure {
        (uint256 min, uint256 max) = Median.minMax(_arr(5, 1, 9, 3));
        assertEq(min, 1);
        assertEq(max, 9);
        (min, max) = Median.minMax(new uint256[](0));
        assertEq(min, 0);
        assertEq(max, 0);
    }

    /* FUZZ */

    function test_fuzz_median_matchesReference(uint256[7] memory raw, uint256 n) public pure {
        uint256[] memory xs = _bounded(raw, n);
        uint256 expected = _referenceMedian(xs);
        assertEq(Median.median(xs), expected);
    }

    function test_fuzz_median_matchesReference_withTies(uint8[7] memory raw, uint256 n) public pure {
        uint256[7] memory wide;
        for (uint256 i; i < 7; ++i) {
            wide[i] = raw[i] % 4; // many duplicates
        }
        uint256[] memory xs = _bounded(wide, n);
        assertEq(Median.median(_copy(xs)), _referenceMedian(xs));
    }

    function test_fuzz_median_liesWithinMinMax(uint256[7] memory raw, uint256 n) public pure {
        uint256[] memory xs = _bounded(raw, n);
        (uint256 min, uint256 max) = Median.minMax(xs);
        uint256 m = Median.median(xs);
        assertGe(m, min);
        assertLe(m, max);
    }

    function test_fuzz_sortInPlace_sortsAndKeepsElements(uint256[7] memory raw, uint256 n) public pure {
        uint256[] memory xs = _bounded(raw, n);
        uint256[] memory original = _copy(xs);
        Median.sortInPlace(xs);
        for (uint256 i = 1; i < xs.length; ++i) {
            assertLe(xs[i - 1], xs[i]);
        }
        // Same multiset: the k-th smallest of the original is xs[k].
        for (uint256 k; k < xs.length; ++k) {
            assertEq(xs[k], _kth(original, k));
        }
    }

    function test_fuzz_median_orderIndependent(uint256[7] memory raw, uint256 n, uint256 seed) public pure {
        uint256[] memory xs = _bounded(raw, n);
        uint256[] memory shuffled = _copy(xs);
        for (uint256 i = shuffled.length; i > 1; --i) {
            uint256 j = uint256(keccak256(abi.encode(seed, i))) % i;
            (shuffled[i - 1], shuffled[j]) = (shuffled[j], shuffled[i - 1]);
        }
        assertEq(Median.median(xs), Median.median(shuffled));
    }

    function test_fuzz_averageDown_isFloorOfMean(uint256 a, uint256 b) public pure {
        uint256 expected = a / 2 + b / 2 + (a % 2 + b % 2) / 2;
        assertEq(Median.averageDown(a, b), expected);
        if (a <= type(uint128).max && b <= type(uint128).max) assertEq(Median.averageDown(a, b), (a + b) / 2);
    }
}
