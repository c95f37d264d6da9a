// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {FixedPoint} from "./FixedPoint.sol";
import {MarginMath} from "./MarginMath.sol";

/// @title PortfolioMargin
/// @notice An account's requirements from the portfolio engine. Per position (notional n at the index, the market's
/// tiers, its IM volatility multiplier vm in bps):
///   standalone:  (imT, mmT) = MarginMath.requirements(tiers, n);  im = ceilDiv(imT * vm, BPS)
///   nettable (market id < 8, oracle Normal, and an engine set, checked in `net`): the tier-0 part nets in the engine's grid,
///     bm = ceilDiv(n * mm0, BPS), bi = ceilDiv(ceilDiv(n * im0, BPS) * vm, BPS), signed by the side;
///     what the higher tiers charge above tier 0 (mmT - bm, im - bi: the concentration add-on) is never netted
///   otherwise: the whole standalone requirement is added outside the grid (no netting credit).
/// requirement = engine.net(exposures) + outside, with no engine call for fewer than two nettable positions (then the
/// requirement is the standalone sum exactly). Netting never posts more than the standalone sum (`IRiskEngine`).
/// @dev The pool (every check) and the lens (every view) both build a `Book` with `add` and close it with `net`.
library PortfolioMargin {
    using FixedPoint for uint256;

    /// @notice Grid columns: markets 0..7 can net.
    uint256 internal constant COLUMNS = 8;

    struct Book {
        uint256 additiveMaint; // sum of the standalone maintenance requirements (what netting is measured against)
        uint256 additiveInitial; // sum of the standalone initial requirements (volatility-scaled)
        uint256 outsideMaint; // never netted: add-ons above tier 0 and positions without netting credit
        uint256 outsideInitial;
        uint256 nettable; // positions with an exposure in the grid
        int256[8] maint; // signed tier-0 maintenance exposure per column
        int256[8] initial; // signed tier-0 initial exposure per column (volatility-scaled)
    }

    /// @notice Adds one position of `size` base valued at `index` in market `marketId`.
    /// @param initialMultiplierBps the market's IM volatility multiplier (>= BPS)
    /// @param nettable the position may net (its oracle is Normal)
    /// @return mmT the position's standalone maintenance requirement
    function add(
        Book memory b,
        uint256 marketId,
        int256 size,
        uint256 index,
        uint256 tiers,
        uint256 initialMultiplierBps,
        bool nettable
    ) internal pure returns (uint256 mmT) {
        uint256 n = MarginMath.notionalUp(size, index);
        uint256 im;
        (im, mmT) = MarginMath.requirements(tiers, n);
        im = scaleUp(im, initialMultiplierBps);
        b.additiveMaint += mmT;
        b.additiveInitial += im;
        if (!nettable || marketId >= COLUMNS) {
            b.outsideMaint += mmT;
            b.outsideInitial += im;
            return mmT;
        }
        // Tier 0's ratios (MarginMath's packing: the lowest 80 bits, initial at bit 48, maintenance at bit 64).
        uint256 bm = n.mulDivUp((tiers >> 64) & type(uint16).max, FixedPoint.BPS);
        uint256 bi = scaleUp(n.mulDivUp((tiers >> 48) & type(uint16).max, FixedPoint.BPS), initialMultiplierBps);
        // Tier ratios never fall with notional, so the tiers charge at least tier 0's ratio on all of n: bm <= mmT,
        // bi <= im (ceilings of ordered integers stay ordered).
        b.outsideMaint += mmT - bm;
        b.outsideInitial += im - bi;
        b.maint[marketId] = size > 0 ? int256(bm) : -int256(bm);
        b.initial[marketId] = size > 0 ? int256(bi) : -int256(bi);
        ++b.nettable;
    }

    /// @notice The account's (maintenance, initial) requirements. `engine` is read only when two or more positions
    /// could net (zero engine: no netting, the standalone sums).
    function net(Book memory b, function() view returns (IRiskEngine) engineOf)
        internal
        view
        returns (uint256 maintReq, uint256 initialReq)
    {
        if (b.nettable < 2) return (b.additiveMaint, b.additiveInitial);
        IRiskEngine engine = engineOf();
        if (address(engine) == address(0)) return (b.additiveMaint, b.additiveInitial);
        (maintReq, initialReq) = engine.netRequirements(b.maint, b.initial);
        maintReq += b.outsideMaint;
        initialReq += b.outsideInitial;
    }

    /// @notice ceilDiv(amount * multiplierBps, BPS); `amount` unchanged at BPS.
    function scaleUp(uint256 amount, uint256 multiplierBps) internal pure returns (uint256) {
        return multiplierBps == FixedPoint.BPS ? amount : amount.mulDivUp(multiplierBps, FixedPoint.BPS);
    }
}
