// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title InventorySaleMath
/// @notice The backstop inventory's descending-discount sale, shared by the pool (which sells) and the lens (which
/// shows the sale). The price is the index minus (the inventory is long) or plus (short) a discount per base that
/// grows linearly from zero with the time since the sale clock started, capped by the discount budget left per base
/// held and by the liquidation penalty's share of the index. Nothing here reads the mark.
library InventorySaleMath {
    using FixedPoint for uint256;

    /// @notice Bounds of the discount's growth rate, in bps of the index per minute.
    uint256 internal constant MIN_RATE_BPS_PER_MINUTE = 1;
    uint256 internal constant MAX_RATE_BPS_PER_MINUTE = 100;
    /// @notice The rate a newly listed market starts with: 0.1 % of the index per minute.
    uint256 internal constant DEFAULT_RATE_BPS_PER_MINUTE = 10;

    /// @notice Discount per base (WAD), rounded down: the smallest of
    /// the time discount `index * rate * elapsed / (10_000 * 60)`, the budget left per base held `budget / held`, and
    /// `index * penaltyBps / 10_000` (so the price never leaves the index by more than the penalty, and stays > 0).
    /// Taking any part of `held` at this discount grants at most `budget * part / held` (+1 wei, rounded up) in total:
    /// never more than the budget, and the budget left per base held never shrinks but for that wei.
    function discountPerBaseDown(
        uint256 index,
        uint256 rateBpsPerMinute,
        uint256 elapsed,
        uint256 budget,
        uint256 held,
        uint256 penaltyBps
    ) internal pure returns (uint256 discount) {
        if (held == 0) return 0;
        discount = index.mulDivDown(rateBpsPerMinute * elapsed, FixedPoint.BPS * 60);
        discount = FixedPoint.min(discount, budget.wDivDown(held));
        discount = FixedPoint.min(discount, index.mulDivDown(penaltyBps, FixedPoint.BPS));
    }

    /// @notice The sale's price per base: index - discount for a long inventory, index + discount for a short one.
    function price(uint256 index, uint256 discount, bool long) internal pure returns (uint256) {
        return long ? index - discount : index + discount;
    }

    /// @notice The taker's signed quote for `step` base at `pricePerBase`: what it pays (> 0, rounded up) taking a
    /// long, what it receives (< 0, rounded down in size) taking a short. The backstop takes the exact mirror.
    function takerQuote(uint256 step, uint256 pricePerBase, bool long) internal pure returns (int256) {
        return long ? int256(step.wMulUp(pricePerBase)) : -int256(step.wMulDown(pricePerBase));
    }

    /// @notice What a sale of `step` base at `discount` per base uses of the budget (WAD), rounded up: at most the
    /// budget whenever `discount <= budget / held` and `step <= held`.
    function grantedUp(uint256 step, uint256 discount) internal pure returns (uint256) {
        return step.wMulUp(discount);
    }
}
