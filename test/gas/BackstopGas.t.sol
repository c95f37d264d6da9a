// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolFixture} from "../utils/PoolFixture.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Gas of liquidations and tranche operations, each its own transaction (`forge test --isolate`),
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
        vm.warp(block.timestamp + 1);
    }

    /// @dev The index falls to `price` and an arbitrageur (bob) sells the curve down to about the same level,
    /// so that closing positions on the curve realizes the loss the index shows.
    function _crashTo(uint256 price) internal {
        _setPrice(ETH, price);
        oracle.refresh(ETH);
        _deposit(bob, 0, 1_000_000e6);
        // Selling d base moves the mark to k / (base + d)^2: solve for the target price.
        uint256 k = 10_000e18 * (10_000 * ETH_PRICE);
        uint256 targetBase = Math.sqrt(k / price * 1e18);
        uint256 baseNow = pool.marketState(ETH).baseReserve;
        _trade(bob, ETH, -int256(targetBase - baseNow));
    }

    function test_gas_liquidate_partial() public {
        _crashTo(1800e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable);
        assertGt(lens.accountHealth(alice, 0).value, 0);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate partial");
        assertGt(pool.position(alice, 0, ETH).size, 0, "a partial step leaves part of the position");
    }

    function test_gas_liquidate_badDebt() public {
        _crashTo(1720e18);
        assertLt(lens.accountHealth(alice, 0).value, 0);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate bad debt");
        assertEq(pool.position(alice, 0, ETH).size, 0);
        assertEq(pool.account(alice, 0).collateral, 0, "bad debt ran down the waterfall");
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

    function test_gas_distributePremium() public {
        pool.distributePremium();
        vm.snapshotGasLastCall("distributePremium");
    }
}
