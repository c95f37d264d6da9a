// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Gas of tranche operations (liquidations: LiquidationGas), each its own transaction (`forge test --isolate`),
/// recorded in snapshots/BackstopGas.json. The oracle was already refreshed in the block (see PoolGas).
contract BackstopGas is PoolFixture {
    address internal newLp = makeAddr("newLp");

    function setUp() public override {
        super.setUp();
        _deposit(bob, 0, 100_000e6);
        _trade(bob, ETH, -5e18);
        _deposit(alice, 0, 1000e6);
        _trade(alice, ETH, 4e18);
        usdc.mint(newLp, 10_000e6);
        vm.prank(newLp);
        usdc.approve(address(junior), type(uint256).max);
        // A vault in use: its boost points have accrued before (the first accrual ever writes a zero slot).
        vm.warp(block.timestamp + 1);
        junior.refreshBoost();
        senior.refreshBoost();
        vm.warp(block.timestamp + 1);
    }

    function test_gas_tranche_deposit() public {
        vm.prank(newLp);
        junior.deposit(5000e6, newLp);
        vm.snapshotGasLastCall("tranche deposit");
    }

    function test_gas_tranche_requestWithdraw() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.snapshotGasLastCall("tranche requestWithdraw");
    }

    function test_gas_tranche_claim() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        junior.claim();
        vm.snapshotGasLastCall("tranche claim");
    }

    function test_gas_tranche_settleClaim() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        (, uint64 settleAt) = junior.claim();
        vm.warp(settleAt);
        junior.settleClaim(juniorLp);
        vm.snapshotGasLastCall("tranche settleClaim");
    }

    function test_gas_distributePremium() public {
        pool.distributePremium();
        vm.snapshotGasLastCall("distributePremium");
    }
}
