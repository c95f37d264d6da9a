// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolFixture} from "../utils/PoolFixture.sol";

contract TrancheGas is PoolFixture {
    function setUp() public override {
        super.setUp();
        vm.warp(block.timestamp + 1);
    }

    function test_gas_tranche_cancelWithdraw() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + 1 hours);
        vm.prank(juniorLp);
        junior.cancelWithdraw();
        vm.snapshotGasLastCall("tranche cancelWithdraw");
    }
}
