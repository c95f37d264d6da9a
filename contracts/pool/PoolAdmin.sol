// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {FundingParams, InventorySale, MarketConfig, MarketState, RepegCheckpoint} from "../interfaces/IPerpTypes.sol";
import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {InventorySaleMath} from "../libraries/InventorySaleMath.sol";
import {MarginMath} from "../libraries/MarginMath.sol";
import {PortfolioMargin} from "../libraries/PortfolioMargin.sol";
import {PoolStorage} from "./PoolStorage.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title PoolAdmin
/// @notice Owner (two-step transfer) lists markets and sets parameters within hard-coded bounds; a guardian
/// (or the owner) can pause new risk. Closing, withdrawing and liquidating are never paused.
abstract contract PoolAdmin is PoolStorage, Ownable2Step {
    using SafeCast for uint256;

    /// @notice List a market with its initial virtual reserves (WAD) and parameters. Ids are 0, 1, 2, ...
    /// The oracle must already price market `marketId` (it is refreshed here; `OracleHalted` otherwise), so the
    /// first funding period's time-weighted index counts from the listing. Runs in `MarketAdmin`.
    function listMarket(uint256, uint256, MarketConfig calldata) external onlyOwner returns (uint256 marketId) {
        marketId = abi.decode(_delegateToAdmin(), (uint256));
    }

    /// @notice Replace a listed market's parameters (bounded, see `MarketListing._setConfig`). Runs in `MarketAdmin`.
    function setMarketConfig(uint256, MarketConfig calldata) external onlyOwner {
        _delegateToAdmin();
    }

    /// @notice Set a market's funding policy (owner: the risk timelock). Bounds: capMultipleBps <= 10_000 (the cap is
    /// c x (IM - MM) of the base tier, never above maxPremiumBps; 0 = maxPremiumBps alone), maxChangeBps <= 10_000,
    /// extremeVolBps 0 or in [1_000, 100_000] with extremeCapBps in [1_000, 10_000], blendWeightBps <= 5_000 and
    /// blendWeightBps x cap <= 2 x feeBps (a position opened to collect one period's blend pays more in fees than
    /// it can earn), kickerThresholdBps <= 50_000, kickerMaxE8 <= 100_000 (10 bps per period) and kicker > 0 only
    /// with a threshold. `group`, `siblingCount` and `siblings` are kept (set by `setFundingGroup`); `capE8` is
    /// derived. Reverts ParameterOutOfBounds. Runs in `MarketAdmin`.
    function setFundingParams(uint256, FundingParams calldata) external onlyOwner {
        _delegateToAdmin();
    }

    /// @notice Make `marketIds` (2 to 4 listed markets, none in another group) one correlation group `group` (> 0):
    /// each lists the others as siblings. An empty list with `group` dissolves it (owner: the risk timelock). Runs in `MarketAdmin`.
    function setFundingGroup(uint8, uint256[] calldata) external onlyOwner {
        _delegateToAdmin();
    }

    /// @dev Runs this call's calldata in `MarketAdmin`, in this storage (the pool's code size limit).
    function _delegateToAdmin() internal virtual returns (bytes memory);

    /// @notice Point the pool at a portfolio-margin grid (`IRiskEngine`, its grid validated by its constructor), or at
    /// none (zero: every position margined standalone). Applies to every account at once.
    function setRiskEngine(IRiskEngine engine) external onlyOwner {
        if (address(engine) != address(0)) {
            uint256 columns = engine.COLUMNS();
            if (columns != PortfolioMargin.COLUMNS) revert IPerpPool.ParameterOutOfBounds("riskEngine", columns);
        }
        _riskEngine = engine;
        emit IPerpPool.RiskEngineSet(address(engine));
    }

    /// @notice Pause or unpause new risk. Guardian or owner.
    function setPaused(bool paused_) external {
        if (msg.sender != guardian && msg.sender != owner()) revert IPerpPool.NotAuthorized(msg.sender, owner());
        paused = paused_;
        emit IPerpPool.PausedSet(paused_);
    }

    /// @notice Most the backstop may advance to pay deferred profit, in bps of its capital. At most 20 %.
    function setProfitDrawCap(uint256 bps) external onlyOwner {
        _bound("profitDrawCapBps", bps, 0, 2000);
        _profitDrawCapBps = uint16(bps);
        emit IPerpPool.ProfitDrawCapSet(bps);
    }

    /// @notice How fast the discount of `marketId`'s inventory sale grows, in bps of the index per minute (1-100).
    /// (A market not listed yet gets the default at listing.)
    function setInventoryDiscountRate(uint256 marketId, uint256 bpsPerMinute) external onlyOwner {
        _bound(
            "discountRateBps",
            bpsPerMinute,
            InventorySaleMath.MIN_RATE_BPS_PER_MINUTE,
            InventorySaleMath.MAX_RATE_BPS_PER_MINUTE
        );
        _inventorySales[marketId].discountRateBps = uint16(bpsPerMinute);
        emit IPerpPool.InventoryDiscountRateSet(marketId, bpsPerMinute);
    }

    function setGuardian(address guardian_) external onlyOwner {
        guardian = guardian_;
        emit IPerpPool.GuardianSet(guardian_);
    }

    function _bound(bytes32 name, uint256 value, uint256 lo, uint256 hi) private pure {
        if (value < lo || value > hi) revert IPerpPool.ParameterOutOfBounds(name, value);
    }
}
