// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {FundingParams, MarketConfig} from "../interfaces/IPerpTypes.sol";
import {MarginMath} from "./MarginMath.sol";

/// @dev The pool's owner setters the timelock classifies (PoolAdmin).
interface IPoolRiskSetters {
    function setMarketConfig(uint256 marketId, MarketConfig calldata c) external;
    function setRiskEngine(address engine) external;
    function setProfitDrawCap(uint256 bps) external;
    function setPaused(bool paused_) external;
    function setGuardian(address guardian_) external;
    function setFundingParams(uint256 marketId, FundingParams calldata params) external;
    function setFundingGroup(uint8 group, uint256[] calldata marketIds) external;
}

/// @title RiskChangeClassifier
/// @notice Whether a governed call raises risk, decided on chain from the calldata and the target's current
/// parameters, never self-declared. A call lowers risk only when every field it moves moves the safe way (for LPs:
/// less that can go wrong before a liquidation, more paid to the backstop); anything else, an unknown selector
/// included, raises risk and waits for the timelock's delay.
/// @dev The pool's lowering calls:
/// - `setMarketConfig` on a listed market where each field is unchanged or moves the safe way: fee up, band down,
///   per-block move down, liquidation penalty up, OI cap (bps) down, volatility reference down but not to 0 (or
///   from 0, off, to any: scaling turns on), volatility cap up, each tier's initial and maintenance up with its
///   notional cap unchanged, absolute OI cap down, funding budget down. Any move of liquidatorShare,
///   liquidationFraction, maxPremium, fundingPeriod, fundingInterval or minPositionBase raises, and so does a
///   wider base-tier gap (initial - maintenance) on a market whose funding cap is derived from it (the cap would
///   rise without notice).
/// - `setFundingParams` and `setFundingGroup` always raise: carry is predictable only if every change to how it is
///   computed is queued in public for the whole delay before it applies (a lower cap alone would not be riskier for
///   LPs, but it changes what traders were promised; none of these calls is an emergency).
/// - `setRiskEngine(0)` (standalone margin is never below the netted one) or the current engine (no change).
/// - `setProfitDrawCap(bps)` with bps at most the current cap.
/// - `setPaused(any)` and `setGuardian(any)`: the guardian pauses and unpauses without the timelock, so delaying
///   either would protect nobody and only slow an emergency pause.
library RiskChangeClassifier {
    /// @notice Whether `data` on the pool raises risk. `data` must be well-formed calldata for its selector (a
    /// malformed argument list reverts in the decoding).
    function poolCallRaisesRisk(IPerpPool pool, bytes calldata data) internal view returns (bool) {
        if (data.length < 4) return true;
        bytes4 selector = bytes4(data[:4]);
        if (selector == IPoolRiskSetters.setMarketConfig.selector) {
            (uint256 marketId, MarketConfig memory next) = abi.decode(data[4:], (uint256, MarketConfig));
            if (marketId >= pool.marketCount()) return true;
            MarketConfig memory prev = pool.marketConfig(marketId);
            if (pool.fundingParams(marketId).capMultipleBps != 0 && baseGapWidens(prev.tiers, next.tiers)) return true;
            return marketConfigRaisesRisk(prev, next);
        }
        if (selector == IPoolRiskSetters.setRiskEngine.selector) {
            address engine = abi.decode(data[4:], (address));
            return engine != address(0) && engine != pool.riskEngine();
        }
        if (selector == IPoolRiskSetters.setProfitDrawCap.selector) {
            uint256 bps = abi.decode(data[4:], (uint256));
            (,, uint256 current) = pool.profitLedger();
            return bps > current;
        }
        if (selector == IPoolRiskSetters.setPaused.selector || selector == IPoolRiskSetters.setGuardian.selector) {
            return false;
        }
        // setFundingParams, setFundingGroup and anything unknown.
        return true;
    }

    /// @notice Whether replacing `prev` by `next` moves any field the unsafe way (see the library's notes).
    function marketConfigRaisesRisk(MarketConfig memory prev, MarketConfig memory next) internal pure returns (bool) {
        if (next.liquidatorShareBps != prev.liquidatorShareBps) return true;
        if (next.liquidationFractionBps != prev.liquidationFractionBps) return true;
        if (next.maxPremiumBps != prev.maxPremiumBps) return true;
        if (next.fundingPeriod != prev.fundingPeriod || next.fundingInterval != prev.fundingInterval) return true;
        if (next.minPositionBase != prev.minPositionBase) return true;
        if (next.feeBps < prev.feeBps || next.liquidationPenaltyBps < prev.liquidationPenaltyBps) return true;
        if (next.bandBps > prev.bandBps || next.maxMoveBps > prev.maxMoveBps) return true;
        if (next.oiCapBps > prev.oiCapBps || next.maxOpenInterestBase > prev.maxOpenInterestBase) return true;
        if (next.fundingBudgetPerSecond > prev.fundingBudgetPerSecond) return true;
        if (volScalingRaisesRisk(prev.volReferenceBps, next.volReferenceBps)) return true;
        if (next.volCapBps < prev.volCapBps) return true;
        return tiersRaiseRisk(prev.tiers, next.tiers);
    }

    /// @notice A lower reference scales the initial margin sooner; 0 turns scaling off (raises, unless already off).
    function volScalingRaisesRisk(uint256 prevReference, uint256 nextReference) internal pure returns (bool) {
        if (nextReference == prevReference) return false;
        if (nextReference == 0) return true;
        return prevReference != 0 && nextReference > prevReference;
    }

    /// @notice Whether the base tier's initial - maintenance gap (what a derived funding cap multiplies) widens.
    function baseGapWidens(uint256 prev, uint256 next) internal pure returns (bool) {
        MarginMath.Tier memory a = MarginMath.unpackTier(prev, 0);
        MarginMath.Tier memory b = MarginMath.unpackTier(next, 0);
        return b.initialBps - b.maintenanceBps > a.initialBps - a.maintenanceBps;
    }

    /// @notice Each tier (MarginMath's packed layout) keeps its notional cap and raises neither ratio down.
    function tiersRaiseRisk(uint256 prev, uint256 next) internal pure returns (bool) {
        if (prev == next) return false;
        for (uint256 i; i < MarginMath.TIER_COUNT; ++i) {
            MarginMath.Tier memory a = MarginMath.unpackTier(prev, i);
            MarginMath.Tier memory b = MarginMath.unpackTier(next, i);
            if (b.notionalCap != a.notionalCap) return true;
            if (b.initialBps < a.initialBps || b.maintenanceBps < a.maintenanceBps) return true;
        }
        return false;
    }
}
