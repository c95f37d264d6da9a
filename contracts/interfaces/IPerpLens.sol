// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    AccountHealth,
    Coverage,
    FundingForecast,
    InventorySaleView,
    MarketView,
    PositionView,
    StressResult
} from "./IPerpTypes.sol";

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

    /// @notice Funding on `marketId`: what it charges now, what an update now would set (`FundingPolicy.next` on the
    /// period so far, the siblings' snapshots and the tranche capital), and the most the next period can charge
    /// (`maxNextPremium`: within the cap and one change step of now, whatever the mark does; plus at most
    /// `kickerMaxPremium` on the crowded side).
    function fundingForecast(uint256 marketId) external view returns (FundingForecast memory);

    /// @notice "Every market": pass as `marketId` to `stressTest` to shock all markets together.
    function ALL_MARKETS() external view returns (uint256);

    /// @notice The liquidation stack: for an index shock of `shockBps` (e.g. -3000 = -30 %) on `marketId` (or on every
    /// market with `ALL_MARKETS`), which of the listed accounts become liquidatable, how much bad debt results,
    /// and how junior, senior and socialization pay it, plus the backstop inventory's unrealized loss then.
    /// @dev Exact, because liquidation settles at the index: an insolvent account transfers every position at the
    /// index and its bad debt is its negative value there; a solvent one is never taken below 0 by the penalty.
    /// The waterfall runs account by account in the listed order, with the pool's token rounding, against what
    /// each tranche can pay now. So if the shock arrives in this block and the accounts are liquidated in this
    /// order, `BadDebtResolved` events add up to these numbers to the wei. (Funding accrued after this block and
    /// losses socialized by an earlier account are not modelled.)
    function stressTest(uint256 marketId, int256 shockBps, address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (StressResult memory);

    /// @notice The liquidation stack for a joint shock: market i's index moves by `shockBps[i]` bps (markets beyond
    /// the array's length stay put), every account valued and margined exactly as the pool would at those prices
    /// (portfolio netting included), bad debt down the waterfall in the order given. `marketId` = ALL_MARKETS.
    function stressTestJoint(int256[] calldata shockBps, address[] calldata owners, uint96[] calldata subIds)
        external
        view
        returns (StressResult memory);

    /// @notice The backstop account's positions (what liquidations transferred to it), valued at the index.
    function inventory() external view returns (PositionView[] memory);

    /// @notice The backstop inventory's descending-discount sale on `marketId` as `IPerpPool.takeInventory` would
    /// price it now: the backstop's position, the index, the discount per base (growing from zero at
    /// `discountRateBps` of the index per minute since `clockStart`, capped by `budget` per base held and by the
    /// liquidation penalty's share of the index), the price per base (index - discount for a long inventory, + for a
    /// short), the discount budget left and the oracle's status (the sale runs only while Normal). Exact for a sale
    /// in this block (same library, same rounding).
    function inventorySale(uint256 marketId) external view returns (InventorySaleView memory);

    /// @notice `inventorySale` for every market where the backstop holds inventory.
    function inventorySales() external view returns (InventorySaleView[] memory);

    /// @notice Junior and senior capital against total open interest notional at index.
    function coverage() external view returns (Coverage memory);
}
