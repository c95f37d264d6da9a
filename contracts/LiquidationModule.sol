// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {LiquidationLogic} from "./pool/LiquidationLogic.sol";
import {PoolStorage} from "./pool/PoolStorage.sol";
import {RepegLogic} from "./pool/RepegLogic.sol";
import {SettlementLogic} from "./pool/SettlementLogic.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title LiquidationModule
/// @notice The liquidation ladder, the backstop inventory's sale, the repeg and the backstop settlement
/// (`distributePremium`), executed by `PerpPool` through
/// delegatecall in the pool's own storage (the pool alone would exceed the 24 KB code size limit). Its storage
/// layout is `PoolStorage`'s, which the pool lays out first; its immutables must equal the pool's (checked by the
/// pool's constructor). Calling it directly reverts `OnlyThroughPool`. See `IPerpPool` for each entry point.
contract LiquidationModule is LiquidationLogic, RepegLogic, SettlementLogic {
    address private immutable _self;

    constructor(IERC20 collateralToken_, IOracleRouter oracle_, IBackstop backstop_)
        PoolStorage(collateralToken_, oracle_, backstop_)
    {
        _self = address(this);
    }

    modifier onlyDelegated() {
        if (address(this) == _self) revert IPerpPool.OnlyThroughPool();
        _;
    }

    function liquidate(address owner, uint96 subId, uint256 maxBase) external onlyDelegated returns (int256) {
        return _liquidate(_accountId(owner, subId), maxBase, true);
    }

    function liquidateIfUnhealthy(address owner, uint96 subId, uint256 maxBase)
        external
        onlyDelegated
        returns (int256)
    {
        return _liquidate(_accountId(owner, subId), maxBase, false);
    }

    function liquidateMany(bytes32[] calldata ids) external onlyDelegated returns (uint256 liquidated) {
        for (uint256 i; i < ids.length; ++i) {
            bytes32 id = ids[i];
            if (id == BACKSTOP_ACCOUNT) continue;
            if (_liquidate(id, type(uint256).max, false) != 0) ++liquidated;
        }
    }

    function repeg(uint256 marketId) external onlyDelegated returns (uint256) {
        return _repeg(marketId);
    }

    function takeInventory(uint256 marketId, uint96 subId, uint256 maxBase, uint256 priceLimit, uint256 deadline)
        external
        onlyDelegated
        returns (int256, uint256)
    {
        if (block.timestamp > deadline) revert IPerpPool.DeadlinePassed(deadline, block.timestamp);
        return _takeInventory(_accountId(msg.sender, subId), marketId, maxBase, priceLimit);
    }

    function distributePremium() external onlyDelegated returns (uint256) {
        return _distributePremium();
    }
}
