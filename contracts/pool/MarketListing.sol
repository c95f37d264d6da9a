// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {InventorySale, MarketConfig, MarketState, RepegCheckpoint} from "../interfaces/IPerpTypes.sol";
import {InventorySaleMath} from "../libraries/InventorySaleMath.sol";
import {MarginMath} from "../libraries/MarginMath.sol";
import {FundingLogic} from "./FundingLogic.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title MarketListing
/// @notice Listing a market and setting its parameters within hard-coded bounds. Runs in `MarketAdmin`
/// (delegatecalled by the pool's owner-only `listMarket`/`setMarketConfig`: the pool's code size limit).
abstract contract MarketListing is FundingLogic {
    using SafeCast for uint256;

    /// @notice List a market with its initial virtual reserves (WAD) and parameters. Ids are 0, 1, 2, ...
    /// The oracle must already price market `marketId` (it is refreshed here; `OracleHalted` otherwise), so the
    /// first funding period's time-weighted index counts from the listing.
    function _listMarket(uint256 baseReserve, uint256 quoteReserve, MarketConfig calldata config)
        internal
        returns (uint256 marketId)
    {
        marketId = _marketCount;
        if (marketId >= MAX_MARKETS) revert IPerpPool.TooManyMarkets(marketId + 1, MAX_MARKETS);
        if (baseReserve < 1e18 || quoteReserve < 1e18) revert IPerpPool.ParameterOutOfBounds("reserves", baseReserve);
        _setConfig(marketId, config);
        MarketState storage m = _markets[marketId];
        m.baseReserve = baseReserve.toUint128();
        m.quoteReserve = quoteReserve.toUint128();
        m.lastAccrual = uint32(block.timestamp);
        m.periodStart = uint32(block.timestamp);
        m.blockStartMark = (quoteReserve * 1e18 / baseReserve).toUint128();
        // The first period's time-weighted index counts from here: the oracle must already price the market.
        (, OracleStatus status, uint256 cumulativeIndex,) = oracle.refreshCumulative(marketId);
        if (status == OracleStatus.Halted) revert IPerpPool.OracleHalted(marketId);
        // forge-lint: disable-next-line(unsafe-typecast) read modulo 2^128 (TimeIntegral.meanDown)
        m.periodStartCumulativeIndex = uint128(cumulativeIndex);
        // The repeg's window starts here too (both checkpoints now); a first roll, at least REPEG_MIN_WINDOW later,
        // makes it measurable. The mark integral starts at 1, not 0 (only differences are read), so every slot
        // holding it is non-zero from the listing on: no first write costs 20k later.
        m.markTimeIntegral = 1;
        m.periodStartMarkIntegral = 1;
        m.repegTime0 = uint32(block.timestamp);
        m.repegTime1 = uint32(block.timestamp);
        m.lastRepeg = uint32(block.timestamp);
        _inventorySales[marketId] =
            InventorySale(0, uint64(block.timestamp), uint16(InventorySaleMath.DEFAULT_RATE_BPS_PER_MINUTE));
        // forge-lint: disable-next-line(unsafe-typecast) read modulo 2^128 (TimeIntegral.meanDown)
        RepegCheckpoint memory cp = RepegCheckpoint(1, uint128(cumulativeIndex));
        _repegCheckpoints[marketId][0] = cp;
        _repegCheckpoints[marketId][1] = cp;
        // Non-zero from the listing on (no update writes the slot for the first time); nothing measured yet.
        _fundingSnapshots[marketId].measuredAt = uint32(block.timestamp);
        _marketCount = uint32(marketId + 1);
        emit IPerpPool.MarketListed(marketId, baseReserve, quoteReserve);
    }

    /// @notice Replace a listed market's parameters.
    function _setMarketConfig(uint256 marketId, MarketConfig calldata config) internal {
        if (_markets[marketId].baseReserve == 0) revert IPerpPool.UnknownMarket(marketId);
        _setConfig(marketId, config);
    }

    function _setConfig(uint256 marketId, MarketConfig calldata c) internal {
        _bound("feeBps", c.feeBps, 1, 100);
        _bound("bandBps", c.bandBps, 10, 2000);
        _bound("maxMoveBps", c.maxMoveBps, 10, 1000);
        _bound("liquidationPenaltyBps", c.liquidationPenaltyBps, 10, 500);
        _bound("liquidatorShareBps", c.liquidatorShareBps, 0, 10_000);
        _bound("liquidationFractionBps", c.liquidationFractionBps, 500, 10_000);
        _bound("maxPremiumBps", c.maxPremiumBps, 1, 500);
        _bound("fundingPeriod", c.fundingPeriod, 60, 1 days);
        _bound("fundingInterval", c.fundingInterval, 1, 1 days);
        _bound("oiCapBps", c.oiCapBps, 100, 100_000);
        _bound("minPositionBase", c.minPositionBase, 1, type(uint96).max);
        if (c.volReferenceBps != 0) _bound("volReferenceBps", c.volReferenceBps, 500, 50_000);
        _bound("volCapBps", c.volCapBps, 10_000, 50_000);
        _bound("maxOpenInterestBase", c.maxOpenInterestBase, 1e18, type(uint128).max);
        MarginMath.validateTiers(c.tiers);
        // The lowest maintenance ratio must exceed the liquidation penalty, so a liquidation step always
        // leaves the account better off than the penalty takes.
        if (MarginMath.unpackTier(c.tiers, 0).maintenanceBps <= c.liquidationPenaltyBps) {
            revert IPerpPool.ParameterOutOfBounds("tiers", c.tiers);
        }
        _configs[marketId] = c;
        emit IPerpPool.MarketConfigSet(marketId, c);
        // The funding cap follows the tiers, and the blend's bound the fee.
        _storeFundingParams(marketId, _fundingParams[marketId], c);
    }
}
