// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Median
/// @notice Median of a small array of uint256 (the oracle router uses at most 7 values).
/// @dev Insertion sort: O(n^2) comparisons, the cheapest choice for n <= 7. Not meant for large arrays.
library Median {
    /// @notice Thrown when the median of an empty array is requested.
    error EmptyArray();

    /// @notice Sorts `xs` ascending, in place.
    function sortInPlace(uint256[] memory xs) internal pure {
        uint256 n = xs.length;
        unchecked {
            for (uint256 i = 1; i < n; ++i) {
                uint256 key = xs[i];
                uint256 j = i;
                while (j > 0 && xs[j - 1] > key) {
                    xs[j] = xs[j - 1];
                    --j;
                }
                xs[j] = key;
            }
        }
    }

    /// @notice Median of `xs`. Odd length: the middle value. Even length: the average of the two middle
    /// values, rounded down.
    /// @dev Warning: sorts `xs` in place (the caller can then read the min at index 0 and the max at the end).
    /// Reverts with `EmptyArray` when `xs` is empty.
    function median(uint256[] memory xs) internal pure returns (uint256) {
        sortInPlace(xs);
        return medianOfSorted(xs);
    }

    /// @notice Median of an array already sorted ascending (rounding as in `median`).
    /// @dev The result always lies within [xs[0], xs[n - 1]]. Reverts with `EmptyArray` when `xs` is empty.
    function medianOfSorted(uint256[] memory xs) internal pure returns (uint256) {
        uint256 n = xs.length;
        if (n == 0) revert EmptyArray();
        uint256 mid = n / 2;
        if (n % 2 == 1) return xs[mid];
        return averageDown(xs[mid - 1], xs[mid]);
    }

    /// @notice floor((a + b) / 2) without overflow.
    function averageDown(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a & b) + ((a ^ b) >> 1);
    }

    /// @notice Smallest and largest value of `xs` (both 0 when empty).
    function minMax(uint256[] memory xs) internal pure returns (uint256 min, uint256 max) {
        uint256 n = xs.length;
        if (n == 0) return (0, 0);
        min = xs[0];
        max = min;
        for (uint256 i = 1; i < n; ++i) {
            uint256 x = xs[i];
            if (x < min) min = x;
            else if (x > max) max = x;
        }
    }
}
