// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Gas of a new position in accounts that already hold 0, 1 and 7 other markets, with the default grid's engine
/// (the fixture's, as `npm start` deploys it; snapshots/PortfolioGas.json). As in PoolGas, every oracle was refreshed earlier in the block (a keeper poke or an
/// earlier trade): the cost measured is the trade and the netted margin check.
contract PortfolioGas is PoolFixture {
    uint256 internal constant MARKETS = 8;

    function setUp() public override {
        super.setUp();
        for (uint256 i = 2; i < MARKETS; ++i) {
            _listMarket(i, 10_000e18, 100e18);
        }
        _deposit(alice, 0, 1_000_000e6);
        _deposit(bob, 0, 1_000_000e6);
        // Every market has open interest (warm, non-zero slots), as on a live pool.
        for (uint256 i; i < MARKETS; ++i) {
            _trade(bob, i, i == BTC ? -int256(0.1e18) : -int256(5e18));
        }
        vm.warp(block.timestamp + 1);
        for (uint256 i; i < MARKETS; ++i) {
            oracle.refresh(i);
        }
    }

    function _open(uint256 marketId, int256 size) internal {
        vm.prank(alice);
        pool.trade(alice, 0, marketId, size, size > 0 ? type(uint256).max : 0, block.timestamp);
    }

    function test_gas_openPosition_new_oneMarketAccount() public {
        _open(ETH, 10e18);
        vm.snapshotGasLastCall("openPosition new, 1-market account (engine set)");
    }

    function test_gas_openPosition_new_twoMarketAccount() public {
        _open(BTC, -0.3e18);
        _open(ETH, 10e18);
        vm.snapshotGasLastCall("openPosition new, 2-market account");
    }

    function test_gas_openPosition_new_eightMarketAccount() public {
        for (uint256 i = 1; i < MARKETS; ++i) {
            _open(i, i == BTC ? -int256(0.3e18) : int256(1e18));
        }
        _open(ETH, 10e18);
        vm.snapshotGasLastCall("openPosition new, 8-market account");
    }
}
