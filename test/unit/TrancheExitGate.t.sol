// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {ITrancheExitGate} from "../../contracts/interfaces/ITrancheExitGate.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";
import {TrancheLpEconomicsBase} from "./TrancheBoost.t.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The junior exit gate: coverage floor, FIFO, prorated claims, the claim window while held back, senior
/// never gated. Junior holds 300 USDC (alice, bob, carol 100 each) unless a test says otherwise.
contract TrancheExitGateTest is TrancheLpEconomicsBase {
    uint256 internal aliceShares;
    uint256 internal bobShares;

    function setUp() public override {
        super.setUp();
        aliceShares = _deposit(alice, 100e6);
        bobShares = _deposit(bob, 100e6);
        _deposit(carol, 100e6);
    }

    function _tryClaim(address who) internal returns (uint256 cap) {
        vm.prank(who);
        (cap,) = vault.claim();
    }

    /* CAPACITY AND PRORATION */

    function test_claim_takesTheWholeRequest_whenCapacityCoversIt() public {
        tailRisk.setFloor(150e6, true);
        uint256 unlock = _request(alice, aliceShares / 2);
        vm.warp(unlock);
        (uint256 claimable, uint256 requested, uint256 ahead) = vault.claimableNow(alice);
        assertEq(claimable, requested);
        assertEq(ahead, 0);
        assertEq(_tryClaim(alice), requested);
        (uint256 open,,) = vault.withdrawRequest(alice);
        assertEq(open, 0, "nothing left requested");
    }

    function test_claim_isProrated_andClaimableNowEqualsWhatTheClaimTakes() public {
        tailRisk.setFloor(238e6, true); // capacity 62 of alice's 100
        uint256 unlock = _request(alice, aliceShares);
        vm.warp(unlock);
        (uint256 claimable, uint256 requested,) = vault.claimableNow(alice);
        assertEq(requested, 100e6);
        assertApproxEqAbs(claimable, 62e6, 1, "62 % claimable now");
        (uint256 floor, uint256 capacity, uint256 queued) = vault.exitGate();
        assertEq(floor, 238e6);
        assertApproxEqAbs(capacity, 62e6, 1);
        assertApproxEqAbs(queued, 100e6, 1);

        uint256 cap = _tryClaim(alice);
        assertEq(cap, claimable, "the view said what the claim takes");
        (uint256 restShares, uint256 restAssets, uint64 windowStart) = vault.withdrawRequest(alice);
        assertEq(restAssets, requested - cap, "the rest stays requested");
        assertEq(vault.balanceOf(address(vault)), aliceShares + 1, "the escrow holds both parts");
        assertEq(windowStart, block.timestamp, "its window restarts");
        (uint256 settling, uint256 settlingCap,) = vault.pendingClaim(alice);
        assertEq(settling + restShares, aliceShares);
        assertEq(settlingCap, cap);
        // Nothing more is claimable until the claim settles and coverage comes back.
        (claimable,,) = vault.claimableNow(alice);
        assertEq(claimable, 0);
    }

    function test_claim_heldBack_returnsZero_emitsClaimGated_andKeepsThePlace() public {
        tailRisk.setFloor(300e6, true);
        uint256 unlock = _request(alice, aliceShares);
        vm.warp(unlock + 1 hours);
        vm.expectEmit(address(vault));
        emit ITrancheExitGate.ClaimGated(alice, 100e6, 0, 0);
        vm.prank(alice);
        (uint256 cap, uint64 settleAt) = vault.claim();
        assertEq(cap, 0);
        assertEq(settleAt, 0);
        (uint256 shares, uint256 assets, uint64 windowStart) = vault.withdrawRequest(alice);
        assertEq(shares, aliceShares);
        assertEq(assets, 100e6);
        assertEq(windowStart, block.timestamp, "the gate is recorded: the window restarts now");
        (uint256 pending,,) = vault.pendingClaim(alice);
        assertEq(pending, 0);
    }

    function test_claimWindow_doesNotRunOutWhileHeldBack() public {
        tailRisk.setFloor(300e6, true);
        uint256 unlock = _request(alice, aliceShares);
        vm.warp(unlock + CLAIM_WINDOW - 1);
        assertEq(_tryClaim(alice), 0, "held back");
        vm.warp(unlock + CLAIM_WINDOW + 1 hours); // past the original deadline
        assertEq(_tryClaim(alice), 0, "still held back, not expired");
        tailRisk.setFloor(0, false);
        vm.warp(block.timestamp + CLAIM_WINDOW);
        assertEq(_tryClaim(alice), 100e6, "coverage back: the whole request leaves");
    }

    function test_claim_withoutOracle_neverHeldBack_evenAfterALoss() public {
        backstopMock.setTailRiskOracle(address(0));
        uint256 unlock = _request(alice, aliceShares);
        _request(bob, bobShares);
        _coverLoss(150e6); // every share lost half its value
        vm.warp(unlock);
        assertEq(_tryClaim(bob), 100e6, "no floor: the cap, nothing held back");
        assertEq(_tryClaim(alice), 100e6);
        vm.warp(block.timestamp + 10 minutes);
        assertApproxEqAbs(vault.settleClaim(alice), 50e6, 1);
        assertApproxEqAbs(vault.settleClaim(bob), 50e6, 1);
    }

    function test_partialThenRest_joinTheSettlingClaim_andSettleTogether() public {
        tailRisk.setFloor(238e6, true);
        uint256 unlock = _request(alice, aliceShares);
        vm.warp(unlock);
        uint256 first = _tryClaim(alice);
        tailRisk.setFloor(0, false);
        vm.warp(block.timestamp + 5 minutes);
        uint256 second = _tryClaim(alice);
        assertEq(first + second, 100e6, "the parts never pay more than the request");
        (uint256 shares, uint256 cap, uint64 settleAt) = vault.pendingClaim(alice);
        assertEq(shares, aliceShares);
        assertEq(cap, 100e6);
        assertEq(settleAt, block.timestamp + 10 minutes, "the joined claim bears the full delay");
        vm.warp(settleAt);
        assertApproxEqAbs(vault.settleClaim(alice), 100e6, 1);
        assertEq(vault.balanceOf(address(vault)), vault.ESCROW_SENTINEL_SHARES());
    }

    /* FIFO */

    function test_fifo_aLaterRequestCannotLeaveAheadOfAnEarlierOne() public {
        tailRisk.setFloor(200e6, true); // room for one of the two requests
        _request(alice, aliceShares);
        vm.warp(block.timestamp + 1);
        uint256 bobUnlock = _request(bob, bobShares);
        vm.warp(bobUnlock);
        (uint256 claimable,, uint256 ahead) = vault.claimableNow(bob);
        assertEq(claimable, 0, "bob waits behind alice");
        assertApproxEqAbs(ahead, 100e6, 1);
        assertEq(_tryClaim(bob), 0);
        assertEq(_tryClaim(alice), 100e6, "alice, first in line, leaves");
        vm.warp(block.timestamp + 10 minutes);
        vault.settleClaim(alice);
        assertEq(_tryClaim(bob), 0, "junior at the floor: bob still waits");
        tailRisk.setFloor(100e6, true);
        assertEq(_tryClaim(bob), 100e6);
    }

    function test_fifo_aCancelledRequestAheadIsSkipped() public {
        tailRisk.setFloor(200e6, true);
        _request(alice, aliceShares);
        vm.prank(alice);
        vault.cancelWithdraw();
        uint256 unlock = _request(bob, bobShares);
        vm.warp(unlock);
        (uint256 claimable,, uint256 ahead) = vault.claimableNow(bob);
        assertEq(ahead, 0, "the dead request is skipped at the head");
        assertEq(claimable, 100e6);
        assertEq(_tryClaim(bob), 100e6);
    }

    function test_fifo_anExpiredRequestStopsCounting() public {
        tailRisk.setFloor(200e6, true);
        uint256 aliceUnlock = _request(alice, aliceShares);
        vm.warp(aliceUnlock + CLAIM_WINDOW + 1); // alice's window ran out unclaimed
        uint256 bobUnlock = _request(bob, bobShares);
        vm.warp(bobUnlock);
        assertEq(_tryClaim(bob), 100e6);
        vm.prank(alice);
        vault.cancelWithdraw(); // the expired request can still be cancelled
        assertEq(vault.balanceOf(alice), aliceShares);
    }

    function test_fifo_cancelledRequestsHoldNobodyBack_beyondTheOpenEscrow() public {
        _request(alice, aliceShares); // live, cooling down: the head
        uint256 carolShares = vault.balanceOf(carol);
        for (uint256 i; i < 10; ++i) {
            _request(carol, carolShares);
            vm.prank(carol);
            vault.cancelWithdraw(); // ten dead requests behind alice
        }
        uint256 unlock = _request(bob, bobShares);
        vm.warp(unlock);
        (uint256 claimable,, uint256 ahead) = vault.claimableNow(bob);
        assertApproxEqAbs(ahead, 100e6, 1, "only alice's open request counts");
        assertEq(claimable, 100e6, "no floor: nothing held back");
        tailRisk.setFloor(100e6, true); // room for exactly alice's and bob's requests
        (claimable,,) = vault.claimableNow(bob);
        assertApproxEqAbs(claimable, 100e6, 1);
        assertApproxEqAbs(_tryClaim(bob), 100e6, 1);
    }

    function test_advanceExitQueue_skipsDeadRequests_neverALiveOne() public {
        address[6] memory lps;
        for (uint256 i; i < 6; ++i) {
            lps[i] = makeAddr(string(abi.encode("lp", i)));
            uint256 shares = _deposit(lps[i], 10e6);
            _request(lps[i], shares);
            if (i != 5) {
                vm.prank(lps[i]);
                vault.cancelWithdraw();
            }
        }
        // Five dead requests ahead of lps[5] (a claim skips at most four), alice's open request behind it.
        _request(alice, aliceShares);
        tailRisk.setFloor(360e6 - 10e6, true); // capacity: exactly lps[5]'s request
        (uint256 claimable,, uint256 ahead) = vault.claimableNow(lps[5]);
        assertGt(ahead, 0, "conservative while a dead request waits to be skipped");
        assertEq(claimable, 0);
        assertEq(vault.advanceExitQueue(100), 5, "the five dead ones, not the live one");
        assertEq(vault.advanceExitQueue(100), 0);
        (claimable,, ahead) = vault.claimableNow(lps[5]);
        assertEq(ahead, 0);
        assertEq(claimable, 10e6);
    }

    function test_fuzz_claimableNow_equalsWhatClaimTakes(uint256 floor, uint256 requestShares, uint256 loss) public {
        floor = bound(floor, 0, 400e6);
        requestShares = bound(requestShares, 1, aliceShares);
        _request(bob, bobShares / 3);
        uint256 unlock = _request(alice, requestShares);
        _coverLoss(bound(loss, 0, 100e6));
        tailRisk.setFloor(floor, true);
        vm.warp(unlock);
        (uint256 claimable, uint256 requested,) = vault.claimableNow(alice);
        assertLe(claimable, requested);
        assertEq(_tryClaim(alice), claimable);
    }

    /* SENIOR */

    function test_claim_seniorIsNeverGated() public {
        TrancheVault senior = new TrancheVault(
            IERC20(address(usdc)),
            "Senior",
            "sUSDC",
            trancheConfig(backstop, backstop, address(vault), COOLDOWN, CLAIM_WINDOW, STREAM)
        );
        tailRisk.setFloor(type(uint128).max, true); // junior exits all held back
        uint256 shares = _deposit(senior, alice, 100e6);
        uint256 unlock = _request(senior, alice, shares);
        vm.warp(unlock);
        (uint256 claimable, uint256 requested, uint256 ahead) = senior.claimableNow(alice);
        assertEq(claimable, requested);
        assertEq(ahead, 0);
        (uint256 floor, uint256 capacity, uint256 queued) = senior.exitGate();
        assertEq(floor, 0);
        assertEq(capacity, senior.totalAssets());
        assertEq(queued, 0);
        vm.prank(alice);
        (uint256 cap,) = senior.claim();
        assertEq(cap, 100e6);
    }
}
