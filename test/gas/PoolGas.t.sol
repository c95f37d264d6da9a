// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TradeLeg} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Gas per operation, each measured as its own transaction (`forge test --isolate`), recorded in
/// snapshots/PoolGas.json. "(first in block)" variants pay the oracle refresh (reading and median-ing three
/// feeds); the plain names are a later call in the same block, after the oracle was refreshed (by a keeper
/// poke or an earlier trade), which is the common case on a busy market.
contract PoolGas is PoolFixture {
    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
        usdc.mint(carol, 10_000e6);
        vm.prank(carol);
        usdc.approve(address(pool), type(uint256).max);
        // Bob has a position so the market's slots are warm in storage (non-zero), as on a live market.
        _trade(bob, ETH, -5e18);
        vm.warp(block.timestamp + 1);
        oracle.refresh(ETH);
    }

    function test_gas_depositMargin() public {
        vm.prank(carol);
        pool.depositMargin(0, 1000e6);
        vm.snapshotGasLastCall("depositMargin");
    }

    function test_gas_withdrawMargin() public {
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 1000e6, alice);
        vm.snapshotGasLastCall("withdrawMargin");
    }

    function test_gas_withdrawMargin_withPosition() public {
        _trade(alice, ETH, 10e18);
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, 1000e6, alice);
        vm.snapshotGasLastCall("withdrawMargin with position");
    }

    function test_gas_openPosition_new() public {
        vm.prank(alice);
        pool.trade(alice, 0, ETH, 10e18, type(uint256).max, block.timestamp);
        vm.snapshotGasLastCall("openPosition new");
    }

    function test_gas_openPosition_new_firstInBlock() public {
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        pool.trade(alice, 0, ETH, 10e18, type(uint256).max, block.timestamp);
        vm.snapshotGasLastCall("openPosition new (first in block)");
    }

    function test_gas_openPosition_increase() public {
        _trade(alice, ETH, 10e18);
        vm.prank(alice);
        pool.trade(alice, 0, ETH, 5e18, type(uint256).max, block.timestamp);
        vm.snapshotGasLastCall("openPosition increase");
    }

    function test_gas_tradeLegs_twoNew() public {
        // BTC live too: bob holds some (its open interest slot is non-zero) and the oracle is refreshed in this block.
        _trade(bob, BTC, 0.2e18);
        TradeLeg[] memory legs = new TradeLeg[](2);
        legs[0] = TradeLeg({marketId: ETH, sizeDelta: 10e18, quoteLimit: type(uint256).max});
        legs[1] = TradeLeg({marketId: BTC, sizeDelta: -0.33e18, quoteLimit: 0});
        vm.prank(alice);
        pool.tradeLegs(alice, 0, legs, block.timestamp);
        vm.snapshotGasLastCall("tradeLegs 2 legs (new ETH + new BTC)");
    }

    function test_gas_closePosition() public {
        _trade(alice, ETH, 10e18);
        vm.prank(alice);
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
        vm.snapshotGasLastCall("closePosition");
    }

    function test_gas_updateFunding() public {
        vm.warp(block.timestamp + 10 minutes);
        oracle.refresh(ETH);
        pool.updateFunding(ETH);
        vm.snapshotGasLastCall("updateFunding");
    }

    function test_gas_updateFunding_firstInBlock() public {
        vm.warp(block.timestamp + 10 minutes);
        _setPrice(ETH, ETH_PRICE);
        pool.updateFunding(ETH);
        vm.snapshotGasLastCall("updateFunding (first in block)");
    }

    /// @dev ETH and BTC in one correlation group with every part of the policy on (caps from margin, change limit,
    /// extreme cap, blend, kicker), both markets already charging: BTC updates first in the block, so ETH blends its
    /// fresh measurement; the oracle was refreshed earlier in the block (the keeper's poke).
    function test_gas_updateFunding_groupOfTwo() public {
        _fundingPolicyOn(_defaultFundingParams());
        _trade(alice, BTC, 1e18);
        _trade(alice, ETH, 20e18);
        for (uint256 round; round < 3; ++round) {
            vm.warp(block.timestamp + 10 minutes);
            oracle.refresh(BTC);
            pool.updateFunding(BTC);
            oracle.refresh(ETH);
            if (round < 2) pool.updateFunding(ETH);
        }
        pool.updateFunding(ETH);
        vm.snapshotGasLastCall("updateFunding (group of 2)");
    }
}
