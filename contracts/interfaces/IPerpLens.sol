// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccountHealth, Coverage, MarketView, PositionView, StressResult} from "./IPerpTypes.sol";

/// @title IPerpLens
/// @notice Derived read-only views over a PerpPool for the SDK, the keeper and LPs, one call each:
/// account health at the oracle price, positions, market state, the liquidation stack under a price shock,
/// and tranche coverage. Prices are what the pool would act on now: the oracle observation already stored in
/// this block, else `oracle.peek` (no state change). Computed with the same libraries
/// (MarginMath, FundingMath) and rounding the pool enforces.
interface IPerpLens {
    error InvalidShock(int256 shockBps);
    error LengthMismatch(uint256 owners, uint256 subIds);
    error UnknownMarket(uint256 marketId);

    function accountHealth(address owner, uint96 subId) external view returns (AccountHealth memory);

    /// @notice Health of many accounts in one call (the keeper's batch scan).
    function accountHealths(address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (AccountHealth[] memory);

    function positions(address owner, uint96 subId) external view returns (PositionView[] memory);

    function marketView(uint256 marketId) external view returns (MarketView memory);

    /// @notice For an index shock of `shockBps` (e.g. -3000 = -30 %) on `marketId`, which of the listed accounts
    /// become liquidatable, how much bad debt results, and how much junior and senior would pay.
    /// @dev The caller lists the accounts (the SDK and keeper supply them from their event index). Other markets
    /// stay at their current index. Bad debt is each account's negative value at the shocked index: it ignores
    /// curve slippage on the way out, so it is the loss if liquidations execute at the index.
    function stressTest(uint256 marketId, int256 shockBps, address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (StressResult memory);

    /// @notice Junior and senior capital against total open interest notional at index.
    function coverage() external view returns (Coverage memory);
}
