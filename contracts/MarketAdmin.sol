// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {FundingParams, MarketConfig} from "./interfaces/IPerpTypes.sol";
import {MarketListing} from "./pool/MarketListing.sol";
import {PoolStorage} from "./pool/PoolStorage.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title MarketAdmin
/// @notice Listing a market, setting its parameters and its funding policy, and the funding period roll, executed by `PerpPool` through delegatecall in the pool's own
/// storage after the pool checked its owner (the pool alone would exceed the 24 KB code size limit). The pool deploys
/// it in its constructor, with its own immutables. Calling it directly reverts `OnlyThroughPool`.
contract MarketAdmin is MarketListing {
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

    function listMarket(uint256 baseReserve, uint256 quoteReserve, MarketConfig calldata config)
        external
        onlyDelegated
        returns (uint256)
    {
        return _listMarket(baseReserve, quoteReserve, config);
    }

    function setMarketConfig(uint256 marketId, MarketConfig calldata config) external onlyDelegated {
        _setMarketConfig(marketId, config);
    }

    function setFundingParams(uint256 marketId, FundingParams calldata params) external onlyDelegated {
        _setFundingParams(marketId, params);
    }

    function setFundingGroup(uint8 group, uint256[] calldata marketIds) external onlyDelegated {
        _setFundingGroup(group, marketIds);
    }

    /// @notice The funding period roll (the pool checked nothing: permissionless, guarded by the interval).
    function updateFunding(uint256 marketId) external onlyDelegated {
        _updateFunding(marketId);
    }
}
