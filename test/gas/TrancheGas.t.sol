// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {TestTailRiskOracle} from "../../contracts/test/TestTailRiskOracle.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Gas of the tranche's exit and boost operations with the LP economics wired (a tail-risk oracle double
/// giving an exit floor and a multiplier, 20 % of the premium to the boost pots), each its own transaction
/// (`forge test --isolate`), recorded in snapshots/TrancheGas.json. The plain deposit/request/claim/settle rows (no
/// oracle) are in BackstopGas.
contract TrancheGas is PoolFixture {
    TestTailRiskOracle internal tailRisk = new TestTailRiskOracle();

    function setUp() public override {
        super.setUp();
        backstop.setLpEconomics(ITailRiskOracle(address(tailRisk)), 2000);
        tailRisk.setFloor(200_000e6, true); // junior holds 2M: 10 % of it may not leave
        tailRisk.setBoostMultiplierBps(15_000);
        _deposit(bob, 0, 100_000e6);
        _trade(bob, ETH, -5e18);
        _deposit(alice, 0, 1000e6);
        _trade(alice, ETH, 4e18);
        vm.warp(block.timestamp + 1 hours);
        pool.distributePremium(); // fills both boost pots
        usdc.mint(juniorLp, 1e6); // an LP that holds some USDC (no zero-to-nonzero balance write on a payout)
        // Vaults in use: their boost points have accrued before (the first accrual ever writes a zero slot).
        junior.refreshBoost();
        senior.refreshBoost();
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

    function test_gas_tranche_requestWithdraw_gated() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.snapshotGasLastCall("tranche requestWithdraw (junior, queued)");
    }

    function test_gas_tranche_claim_gated() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        junior.claim();
        vm.snapshotGasLastCall("tranche claim (junior, oracle floor)");
    }

    function test_gas_tranche_claim_partial() public {
        uint256 shares = junior.balanceOf(juniorLp);
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        junior.claim();
        vm.snapshotGasLastCall("tranche claim (junior, partial)");
    }

    function test_gas_tranche_claim_heldBack() public {
        tailRisk.setFloor(10_000_000e6, true);
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        junior.claim();
        vm.snapshotGasLastCall("tranche claim (junior, held back)");
    }

    function test_gas_tranche_claim_senior() public {
        uint256 shares = senior.balanceOf(seniorLp) / 2;
        vm.prank(seniorLp);
        senior.requestWithdraw(shares);
        vm.warp(block.timestamp + senior.cooldown());
        vm.prank(seniorLp);
        senior.claim();
        vm.snapshotGasLastCall("tranche claim (senior)");
    }

    function test_gas_tranche_settleClaim_gated() public {
        uint256 shares = junior.balanceOf(juniorLp) / 2;
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        vm.warp(block.timestamp + junior.cooldown());
        vm.prank(juniorLp);
        (, uint64 settleAt) = junior.claim();
        vm.warp(settleAt);
        junior.settleClaim(juniorLp);
        vm.snapshotGasLastCall("tranche settleClaim (junior, queued)");
    }

    function test_gas_tranche_claimBoost() public {
        vm.warp(block.timestamp + 1 days);
        vm.prank(juniorLp);
        junior.claimBoost();
        vm.snapshotGasLastCall("tranche claimBoost");
    }

    function test_gas_tranche_refreshBoost() public {
        junior.refreshBoost();
        vm.snapshotGasLastCall("tranche refreshBoost");
    }

    function test_gas_tranche_advanceExitQueue() public {
        // Four LPs request and cancel: four dead requests at the head.
        for (uint256 i; i < 4; ++i) {
            address lp = makeAddr(string(abi.encode("gasLp", i)));
            _lpDeposit(lp, junior, 1000e6);
            uint256 s = junior.balanceOf(lp);
            vm.startPrank(lp);
            junior.requestWithdraw(s);
            junior.cancelWithdraw();
            vm.stopPrank();
        }
        junior.advanceExitQueue(4);
        vm.snapshotGasLastCall("tranche advanceExitQueue 4 skipped");
    }
}
