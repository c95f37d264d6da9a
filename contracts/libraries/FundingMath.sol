// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPoint} from "./FixedPoint.sol";

/// @title FundingMath
/// @notice Funding rate from a time-weighted premium, per-second accrual with a bounded backstop share.
/// @dev Sign convention: a positive rate means longs pay shorts. Rates are quote (WAD) per base (WAD) per
/// second. Two cumulative indices per market: `cumLong` is charged per long base unit, `cumShort` is credited
/// per short base unit. A position owes `size * (cum(side) - entry)`, rounded toward +inf (against the trader),
/// where cum(side) is `cumLong` for size > 0 and `cumShort` for size < 0.
library FundingMath {
    using FixedPoint for uint256;

    /// @notice Funding rate per second for the next period from the time-weighted mark over the last one.
    /// @param twapMark time-weighted mark price over the period (WAD)
    /// @param index oracle index price (WAD)
    /// @param maxPremiumBps cap on |premium| per funding period, in bps of the index
    /// @param period seconds over which the premium is paid (e.g. 1 hour)
    /// @return ratePerSecond signed quote per base per second
    function rateFromPremium(uint256 twapMark, uint256 index, uint256 maxPremiumBps, uint256 period)
        internal
        pure
        returns (int256 ratePerSecond)
    {
        // premium * index == twapMark - index: the rate is the quote gap, clamped to maxPremiumBps of the index.
        uint256 cap = index.mulDivDown(maxPremiumBps, FixedPoint.BPS);
        uint256 gap = twapMark > index ? twapMark - index : index - twapMark;
        if (gap > cap) gap = cap;
        // Round the magnitude down: the clamp and the rounding never overcharge the paying side.
        int256 magnitude = int256(gap / period);
        ratePerSecond = twapMark >= index ? magnitude : -magnitude;
    }

    /// @notice Index increments for `dt` seconds at `rate` plus the crowding `kicker`, with the backstop paying at most
    /// `budget` quote for the rate's imbalance.
    /// @dev The rate: the paying side is charged |rate| * dt per base. The receiving side is credited the same per base
    /// unless that would cost the backstop (receivers' OI > payers' OI) more than `budget`; then the credit is cut to
    /// (payerOI * charge + budget) / receiverOI, rounded down. The kicker: the crowded side (longs when kicker > 0,
    /// shorts when < 0) is charged |kicker| * dt more per base and nobody is credited it: all of it is the tranches'.
    /// @return dLong increment of cumLong (charge per long base unit, signed)
    /// @return dShort increment of cumShort (credit per short base unit, signed)
    /// @return backstopFlow quote the backstop receives (> 0) or pays (< 0) for this step, the kicker included. Booked
    /// conservatively (payers' side rounded down, receivers' side up); each position later settles once against the
    /// summed index, rounded against it, so the pool always collects at least what it books.
    /// @return kickerFlow the kicker's part of `backstopFlow` (>= 0): crowded OI * |kicker| * dt, rounded down
    function accrue(int256 rate, int256 kicker, uint256 dt, uint256 longOI, uint256 shortOI, uint256 budget)
        internal
        pure
        returns (int256 dLong, int256 dShort, int256 backstopFlow, uint256 kickerFlow)
    {
        if (dt == 0) return (0, 0, 0, 0);
        if (rate != 0) (dLong, dShort, backstopFlow) = _accrueRate(rate, dt, longOI, shortOI, budget);
        if (kicker != 0) {
            uint256 extra = FixedPoint.abs(kicker) * dt;
            if (kicker > 0) {
                dLong += int256(extra);
                kickerFlow = longOI.wMulDown(extra);
            } else {
                dShort -= int256(extra);
                kickerFlow = shortOI.wMulDown(extra);
            }
            backstopFlow += int256(kickerFlow);
        }
    }

    /// @dev The rate's part of `accrue`.
    function _accrueRate(int256 rate, uint256 dt, uint256 longOI, uint256 shortOI, uint256 budget)
        private
        pure
        returns (int256 dLong, int256 dShort, int256 backstopFlow)
    {
        uint256 charge = FixedPoint.abs(rate) * dt;
        (uint256 payerOI, uint256 receiverOI) = rate > 0 ? (longOI, shortOI) : (shortOI, longOI);
        uint256 credit = charge;
        uint256 paid = payerOI.wMulDown(charge);
        uint256 credited = receiverOI.wMulUp(credit);
        if (credited > paid + budget) {
            credit = (paid + budget).wDivDown(receiverOI);
            credited = receiverOI.wMulUp(credit);
        }
        backstopFlow = int256(paid) - int256(credited);
        (dLong, dShort) = rate > 0 ? (int256(charge), int256(credit)) : (-int256(credit), -int256(charge));
    }

    /// @notice The cumulative indices after accruing `dt` more seconds at `rate` and `kicker` (what `accrue` would add).
    /// @dev One function for the pool (state-changing paths value untouched markets with it) and the lens.
    function cumulativeNow(
        int256 cumLong,
        int256 cumShort,
        int256 rate,
        int256 kicker,
        uint256 dt,
        uint256 longOI,
        uint256 shortOI,
        uint256 budgetPerSecond
    ) internal pure returns (int256, int256) {
        if ((rate == 0 && kicker == 0) || dt == 0) return (cumLong, cumShort);
        (int256 dLong, int256 dShort,,) = accrue(rate, kicker, dt, longOI, shortOI, budgetPerSecond * dt);
        return (cumLong + dLong, cumShort + dShort);
    }

    /// @notice Funding a position owes since `entry`: size * (cum - entry), rounded toward +inf.
    function owed(int256 size, int256 cum, int256 entry) internal pure returns (int256) {
        int256 delta = cum - entry;
        if (delta == 0 || size == 0) return 0;
        return delta >= 0
            ? FixedPoint.mulDivCeil(size, uint256(delta), FixedPoint.WAD)
            : FixedPoint.mulDivCeil(-size, uint256(-delta), FixedPoint.WAD);
    }
}
