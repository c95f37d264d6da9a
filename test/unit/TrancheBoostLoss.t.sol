// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheLpEconomicsBase} from "./TrancheBoost.t.sol";

/// @notice The boost pot under losses and restarts: it is taken last, conserved, and old points survive a restart.
contract TrancheBoostLossTest is TrancheLpEconomicsBase {
    function test_coverLoss_takesVestedThenUnvestedThenTheBoostPot() public {
        _deposit(alice, 100e6);
        _addBoostedPremium(vault, 20e6, 10e6);
        // Vested first.
        assertEq(_coverLoss(60e6), 60e6);
        assertEq(vault.unvestedPremium(), 20e6);
        assertEq(vault.boostPot(), 10e6);
        // Then the stream.
        assertEq(_coverLoss(50e6), 50e6);
        assertEq(vault.unvestedPremium(), 10e6);
        assertEq(vault.boostPot(), 10e6, "the pot is untouched while the stream covers");
        // Then the pot.
        assertEq(_coverLoss(14e6), 14e6);
        assertEq(vault.unvestedPremium(), 0);
        assertEq(vault.boostPot(), 6e6);
        assertEq(vault.totalLossCovered(), 124e6);
        assertEq(usdc.balanceOf(address(vault)), 6e6);
    }

    /// @dev Regression (found by the invariant suite): each ramp of the stream rounds its unvested part up, so
    /// covering the once-rounded total left a wei "unvesting" that swallowed the next deposit's first wei.
    function test_fuzz_coverLossIntoThePot_leavesNothingUnvesting_soTheNextDepositCountsInFull(
        uint256 first,
        uint256 second,
        uint256 gap,
        uint256 fromPot
    ) public {
        _deposit(alice, 100e6);
        _addBoostedPremium(vault, bound(first, 1, 1e12), 50e6);
        skip(STREAM + bound(gap, 1, STREAM - 1)); // a new bucket: both ramps stream
        _addBoostedPremium(vault, bound(second, 1, 1e12), 0);
        skip(bound(gap, 1, STREAM / 2));
        backstopMock.setAdvances(500e6, 0); // a receivable keeps the tranche priced (not wiped)
        uint256 held = usdc.balanceOf(address(vault)) - vault.boostPot();
        _coverLoss(held + bound(fromPot, 0, 50e6));
        assertEq(vault.unvestedPremium(), 0);
        uint256 before = vault.totalAssets();
        _deposit(bob, 1e6);
        assertEq(vault.totalAssets(), before + 1e6, "the deposit counts in full");
    }

    function test_restart_writtenOffBalanceEarnsNothingAfter_andKeepsItsPoints() public {
        _deposit(alice, 100e6);
        skip(1 days);
        _coverLoss(100e6); // wiped, nothing left
        skip(1 days);
        uint256 alicePoints = vault.boostPoints(alice);
        _deposit(bob, 50e6); // restarts the tranche
        assertEq(vault.epoch(), 1);
        assertEq(vault.boostPoints(alice), alicePoints, "points up to the restart are kept");
        skip(3 days);
        assertEq(vault.boostPoints(alice), alicePoints, "a written-off balance earns nothing after the restart");
        assertEq(vault.boostPoints(alice) + vault.boostPoints(bob), vault.totalBoostPoints());
        vault.burnWrittenOff(alice);
        assertEq(vault.boostPoints(alice), alicePoints, "burning the written-off shares keeps their points");
        assertEq(vault.boostPoints(alice) + vault.boostPoints(bob), vault.totalBoostPoints());
        _addBoostedPremium(vault, 0, 10e6);
        uint256 expected = 10e6 * alicePoints / vault.totalBoostPoints();
        assertEq(_claimBoost(vault, alice), expected);
    }

    function test_restart_holderWhoNeverMovedIsCreditedToTheRestart() public {
        _deposit(alice, 100e6);
        _deposit(carol, 100e6);
        skip(1 days);
        _coverLoss(200e6);
        uint256 carolAtRestart = vault.boostPoints(carol);
        _deposit(bob, 50e6); // restart
        skip(1 days);
        // Carol's old-epoch slot is credited up to the restart when she claims, never after.
        _addBoostedPremium(vault, 0, 1e6);
        assertEq(vault.boostPoints(carol), carolAtRestart);
        uint256 total = vault.totalBoostPoints();
        assertEq(_claimBoost(vault, carol), 1e6 * carolAtRestart / total);
        assertEq(vault.boostPoints(carol), 0);
        skip(1 days);
        assertEq(vault.boostPoints(carol), 0, "and earns nothing afterwards");
    }

    function test_fuzz_boostPot_conservedThroughPayoutsClaimsAndLosses(
        uint256[5] memory boosts,
        uint256[5] memory losses,
        uint256[5] memory gaps
    ) public {
        _deposit(alice, 1000e6);
        _deposit(bob, 500e6);
        uint256 received;
        uint256 paid;
        uint256 lossTaken;
        for (uint256 i; i < 5; ++i) {
            uint256 boost = bound(boosts[i], 0, 100e6);
            _addBoostedPremium(vault, boost / 3, boost);
            received += boost;
            skip(bound(gaps[i], 1, 3 days));
            address who = i % 2 == 0 ? alice : bob;
            if (vault.claimableBoost(who) != 0) {
                uint256 claimable = vault.claimableBoost(who);
                uint256 potBefore = vault.boostPot();
                uint256 got = _claimBoost(vault, who);
                assertEq(got, claimable, "a claim pays what claimableBoost said");
                assertLe(got, potBefore, "a claim never pays more than the pot");
                paid += got;
            }
            uint256 potBeforeLoss = vault.boostPot();
            _coverLoss(bound(losses[i], 0, usdc.balanceOf(address(vault)) / 2));
            lossTaken += potBeforeLoss - vault.boostPot();
            assertEq(vault.boostPot() + paid, received - lossTaken, "pot + paid == received - loss taken");
            assertLe(vault.boostPot(), usdc.balanceOf(address(vault)));
        }
    }
}
