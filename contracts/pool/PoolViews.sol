// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {
    Account,
    FundingParams,
    FundingSnapshot,
    InventorySale,
    MarketConfig,
    MarketState,
    Position,
    RepegCheckpoint
} from "../interfaces/IPerpTypes.sol";
import {PoolStorage} from "./PoolStorage.sol";

/// @title PoolViews
/// @notice Raw state getters. Derived views (health, positions valued at index, the stress test) are computed
/// by `PerpLens` from these, which keeps the pool under the 24 KB code size limit.
abstract contract PoolViews is IPerpPool, PoolStorage {
    /// @inheritdoc IPerpPool
    function accountId(address owner, uint96 subId) external pure returns (bytes32) {
        return _accountId(owner, subId);
    }

    /// @inheritdoc IPerpPool
    function isOperator(address owner, address operator) external view returns (bool) {
        return _operators[owner][operator];
    }

    /// @inheritdoc IPerpPool
    function account(address owner, uint96 subId) external view returns (Account memory) {
        return _accounts[_accountId(owner, subId)];
    }

    /// @inheritdoc IPerpPool
    function position(address owner, uint96 subId, uint256 marketId) external view returns (Position memory) {
        return _positions[_accountId(owner, subId)][marketId];
    }

    /// @inheritdoc IPerpPool
    function marketState(uint256 marketId) external view returns (MarketState memory) {
        return _markets[marketId];
    }

    /// @inheritdoc IPerpPool
    function repegCheckpoint(uint256 marketId, uint256 i) external view returns (RepegCheckpoint memory) {
        return _repegCheckpoints[marketId][i];
    }

    /// @inheritdoc IPerpPool
    function marketConfig(uint256 marketId) external view returns (MarketConfig memory) {
        return _configs[marketId];
    }

    /// @inheritdoc IPerpPool
    function inventorySale(uint256 marketId) external view returns (InventorySale memory) {
        return _inventorySales[marketId];
    }

    /// @inheritdoc IPerpPool
    function marketCount() external view returns (uint256) {
        return _marketCount;
    }

    /// @inheritdoc IPerpPool
    function riskEngine() external view returns (address) {
        return address(_riskEngine);
    }

    /// @inheritdoc IPerpPool
    function backstopCapital() external view returns (uint256) {
        return _backstopCapital;
    }

    /// @inheritdoc IPerpPool
    function profitLedger() external view returns (uint256 totalDeferred, uint256 backstopAdvance, uint256 drawCapBps) {
        return (_totalDeferred, _backstopAdvance, _profitDrawCapBps);
    }

    /// @inheritdoc IPerpPool
    function pools() external view returns (uint256 pnlPool, uint256 pendingPremium, int256 backstopFundingNet) {
        return (_pnlPool, _pendingPremium, _backstopFundingNet);
    }

    /// @inheritdoc IPerpPool
    function fundingParams(uint256 marketId) external view returns (FundingParams memory) {
        return _fundingParams[marketId];
    }

    /// @inheritdoc IPerpPool
    function fundingSnapshot(uint256 marketId) external view returns (FundingSnapshot memory) {
        return _fundingSnapshots[marketId];
    }

    /// @inheritdoc IPerpPool
    function kickerPaid() external view returns (uint256) {
        return _kickerPaid;
    }
}
