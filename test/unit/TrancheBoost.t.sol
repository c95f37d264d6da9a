// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {ITrancheBoost} from "../../contracts/interfaces/ITrancheBoost.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {TestTailRiskOracle} from "../../contracts/test/TestTailRiskOracle.sol";
import {TrancheVaultBase} from "./TrancheVault.t.sol";

/// @notice The vault fixture with the tail-risk oracle double wired through the backstop mock.
abstract contract TrancheLpEconomicsBase is TrancheVaultBase {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_MULTIPLIER = 1_000_000;

    TestTailRiskOracle internal tailRisk;

    function setUp() public virtual override {
        super.setUp();
        tailRisk = new TestTailRiskOracle();
        backstopMock.setTailRiskOracle(address(tailRisk));
    }

    function _addBoostedPremium(TrancheVault v, uint256 assets, uint256 boost) internal {
        usdc.mint(backstop, assets + boost);
        vm.startPrank(backstop);
        usdc.approve(address(v), assets + boost);
        v.addBoostedPremium(assets, boost);
        vm.stopPrank();
    }

    function _setMultiplier(TrancheVault v, uint256 bps) internal {
        tailRisk.setBoostMultiplierBps(bps);
        v.refreshBoost();
    }

    function _claimBoost(TrancheVault v, address who) internal returns (uint256 assets) {
        vm.prank(who);
        assets = v.claimBoost();
    }

    function _transfer(TrancheVault v, address from, address to, uint256 shares) internal {
        vm.prank(from);
        v.transfer(to, shares);
    }
}

contract TrancheBoostTest is TrancheLpEconomicsBase {
    /* POINTS */

    function test_boostPoints_accrueSharesTimesSecondsTimesMultiplier() public {
        uint256 shares = _deposit(alice, 100e6);
        skip(1 hours);
        assertEq(vault.boostPoints(alice), shares * 1 hours * BPS, "1x before any refresh");
        _setMultiplier(vault, 25_000);
        skip(2 hours);
        assertEq(vault.boostPoints(alice), shares * (1 hours * BPS + 2 hours * 25_000));
        assertEq(vault.volatilityIndex(), 1 hours * BPS + 2 hours * 25_000);
        assertEq(vault.boostMultiplierBps(), 25_000);
    }

    function test_refreshBoost_appliesFromNowOn_andClampsTheOracle() public {
        _deposit(alice, 100e6);
        skip(1 hours);
        uint256 before = vault.volatilityIndex();
        _setMultiplier(vault, 5000); // below 1x
        assertEq(vault.boostMultiplierBps(), BPS, "never below 1x");
        assertEq(vault.volatilityIndex(), before, "a refresh does not rewrite the past");
        _setMultiplier(vault, 10 * MAX_MULTIPLIER);
        assertEq(vault.boostMultiplierBps(), MAX_MULTIPLIER, "never above the cap");
    }

    function test_refreshBoost_withoutOracle_isOneX() public {
        tailRisk.setBoostMultiplierBps(30_000);
        vault.refreshBoost();
        assertEq(vault.boostMultiplierBps(), 30_000);
        backstopMock.setTailRiskOracle(address(0));
        vm.expectEmit(address(vault));
        emit ITrancheBoost.BoostMultiplierSet(BPS);
        vault.refreshBoost();
        assertEq(vault.boostMultiplierBps(), BPS);
    }

    function test_fuzz_boostPoints_neverExceedElapsedTimesCapTimesShares(
        uint256 assets,
        uint256[4] memory gaps,
        uint256[4] memory multipliers
    ) public {
        assets = bound(assets, 1, MAX_ASSETS);
        uint256 shares = _deposit(alice, assets);
        uint256 start = block.timestamp;
        uint256 cap = BPS;
        for (uint256 i; i < 4; ++i) {
            skip(bound(gaps[i], 0, 30 days));
            _setMultiplier(vault, bound(multipliers[i], 0, 2 * MAX_MULTIPLIER));
            if (vault.boostMultiplierBps() > cap) cap = vault.boostMultiplierBps();
        }
        skip(1 days);
        uint256 elapsed = block.timestamp - start;
        assertLe(vault.boostPoints(alice), elapsed * cap * shares, "points <= dt x cap x shares");
        assertGe(vault.boostPoints(alice), elapsed * BPS * shares, "points >= dt x 1x x shares");
        assertEq(vault.boostPoints(alice), vault.totalBoostPoints());
    }

    function test_requestWithdraw_stopsTheEscrowedSharesPoints() public {
        uint256 shares = _deposit(alice, 100e6);
        skip(1 hours);
        _request(alice, shares / 4);
        uint256 atRequest = vault.boostPoints(alice);
        assertEq(atRequest, shares * 1 hours * BPS);
        skip(3 hours);
        uint256 kept = shares - shares / 4;
        assertEq(vault.boostPoints(alice), atRequest + kept * 3 hours * BPS, "only the shares kept earn");
        assertEq(vault.boostPoints(address(vault)), 0, "the escrow earns nothing");
        assertEq(vault.totalBoostPoints(), vault.boostPoints(alice));
    }

    function test_claimAndSettle_earnNothingForTheClaimedShares() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlock = _request(alice, shares);
        uint256 atRequest = vault.boostPoints(alice);
        vm.warp(unlock);
        vm.prank(alice);
        (, uint64 settleAt) = vault.claim();
        vm.warp(settleAt + 1 days);
        assertEq(vault.boostPoints(alice), atRequest);
        vault.settleClaim(alice);
        skip(1 days);
        assertEq(vault.boostPoints(alice), atRequest, "points accrued before the request stay");
        assertEq(vault.totalBoostPoints(), atRequest);
    }

    function test_cancelWithdraw_returnedSharesEarnFromTheCancelOn() public {
        uint256 shares = _deposit(alice, 100e6);
        _request(alice, shares);
        skip(5 hours);
        vm.prank(alice);
        uint256 returned = vault.cancelWithdraw();
        assertEq(vault.boostPoints(alice), 0, "nothing while escrowed");
        skip(1 hours);
        assertEq(vault.boostPoints(alice), returned * 1 hours * BPS);
    }

    function test_transfer_movedSharesCarryNoPoints() public {
        uint256 shares = _deposit(alice, 100e6);
        skip(10 hours);
        uint256 earned = vault.boostPoints(alice);
        _transfer(vault, alice, bob, shares / 2);
        assertEq(vault.boostPoints(bob), 0, "the receiver gets no points with the shares");
        assertEq(vault.boostPoints(alice), earned, "what the sender accrued stays the sender's");
        skip(1 hours);
        assertEq(vault.boostPoints(bob), (shares / 2) * 1 hours * BPS, "the receiver earns from the transfer on");
        assertEq(vault.boostPoints(alice) + vault.boostPoints(bob), vault.totalBoostPoints());
    }

    function test_fuzz_boostPoints_holdersSumToTotalExactly(uint256[6] memory amounts, uint256[6] memory gaps) public {
        address[3] memory lps = [alice, bob, carol];
        for (uint256 i; i < 6; ++i) {
            address lp = lps[i % 3];
            uint256 amount = bound(amounts[i], 1, 1e12);
            if (i % 2 == 0) {
                _deposit(lp, amount);
            } else if (vault.balanceOf(lp) > 1) {
                _transfer(vault, lp, lps[(i + 1) % 3], vault.balanceOf(lp) / 2);
            }
            if (i == 3 && vault.balanceOf(bob) > 0) _request(bob, vault.balanceOf(bob));
            skip(bound(gaps[i], 0, 10 days));
            if (i == 4) _setMultiplier(vault, 37_000);
        }
        uint256 sum = vault.boostPoints(alice) + vault.boostPoints(bob) + vault.boostPoints(carol);
        assertEq(sum, vault.totalBoostPoints(), "sum of holders' points == total, exactly");
    }

    /* POT */

    function test_addBoostedPremium_streamsThePremium_andPotsTheBoost() public {
        _deposit(alice, 100e6);
        uint256 assetsBefore = vault.totalAssets();
        uint256 priceBefore = vault.previewDeposit(1e6);
        usdc.mint(backstop, 10e6);
        vm.startPrank(backstop);
        usdc.approve(address(vault), 10e6);
        vm.expectEmit(address(vault));
        emit ITrancheVault.PremiumAdded(8e6, uint64(_payoutEnd()));
        vm.expectEmit(address(vault));
        emit ITrancheBoost.BoostPremiumAdded(2e6);
        vault.addBoostedPremium(8e6, 2e6);
        vm.stopPrank();
        assertEq(vault.boostPot(), 2e6);
        assertEq(vault.totalPremiumReceived(), 8e6);
        assertEq(vault.unvestedPremium(), 8e6);
        assertEq(vault.totalAssets(), assetsBefore, "neither part lifts the price at once");
        assertEq(vault.previewDeposit(1e6), priceBefore, "a deposit before a boost payout buys none of it");
        assertEq(usdc.balanceOf(address(vault)), vault.grossAssets() + vault.unvestedPremium() + vault.boostPot());
    }

    function test_addBoostedPremium_revertsWhen_notBackstop() public {
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotBackstop.selector, alice));
        vm.prank(alice);
        vault.addBoostedPremium(1, 1);
    }

    function test_claimBoost_paysPotTimesPointsOverTotal_andSpendsThePoints() public {
        _deposit(alice, 300e6);
        _deposit(bob, 100e6);
        skip(1 days);
        _addBoostedPremium(vault, 0, 40e6);
        uint256 alicePoints = vault.boostPoints(alice);
        uint256 total = vault.totalBoostPoints();
        uint256 expected = 40e6 * alicePoints / total;
        assertEq(vault.claimableBoost(alice), expected);
        vm.expectEmit(address(vault));
        emit ITrancheBoost.BoostClaimed(alice, alicePoints, expected);
        uint256 paid = _claimBoost(vault, alice);
        assertEq(paid, expected);
        assertApproxEqAbs(paid, 30e6, 1);
        assertEq(usdc.balanceOf(alice), paid);
        assertEq(vault.boostPoints(alice), 0);
        assertEq(vault.totalBoostPoints(), total - alicePoints);
        assertEq(vault.boostPot(), 40e6 - paid);
        assertEq(_claimBoost(vault, bob), 40e6 - paid, "the last claimer takes the rest of the pot");
        assertEq(vault.boostPot(), 0);
    }

    function test_claimBoost_revertsWhen_noPoints() public {
        _addBoostedPremium(vault, 0, 1e6);
        vm.expectRevert(abi.encodeWithSelector(ITrancheBoost.NothingToClaim.selector, alice));
        vm.prank(alice);
        vault.claimBoost();
    }

    function test_claimBoost_keepsThePointsWhen_payoutRoundsToZero() public {
        _deposit(alice, 100e6);
        skip(1 days);
        uint256 points = vault.boostPoints(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheBoost.NothingToClaim.selector, alice));
        vm.prank(alice);
        vault.claimBoost(); // empty pot
        assertEq(vault.boostPoints(alice), points, "points are never spent for nothing");
    }

    function test_fuzz_jitDepositBeforeVolatileWindowAndPayout_earnsAtMostItsTimeWeightedShare(
        uint256 aliceAssets,
        uint256 bobAssets,
        uint256 calm,
        uint256 window,
        uint256 multiplier,
        uint256 boost
    ) public {
        aliceAssets = bound(aliceAssets, 1e6, 1e13);
        bobAssets = bound(bobAssets, 1e6, 1e13);
        calm = bound(calm, 1 hours, 30 days);
        window = bound(window, 0, 2 days);
        multiplier = bound(multiplier, BPS, 50_000);
        boost = bound(boost, 1, 1e12);
        uint256 aliceShares = _deposit(alice, aliceAssets);
        skip(calm);
        // Bob deposits just as volatility starts (the same block as the refresh), then the payout lands.
        uint256 bobShares = _deposit(bob, bobAssets);
        _setMultiplier(vault, multiplier);
        skip(window);
        _addBoostedPremium(vault, 0, boost);
        // Bob's time-weighted share: his shares x his seconds x the multiplier over everyone's.
        uint256 bobWeight = bobShares * window * multiplier;
        uint256 aliceWeight = aliceShares * (calm * BPS + window * multiplier);
        assertEq(vault.boostPoints(bob), bobWeight);
        assertEq(vault.boostPoints(alice), aliceWeight);
        uint256 fair = boost * bobWeight / (bobWeight + aliceWeight);
        assertEq(vault.claimableBoost(bob), fair);
        if (vault.claimableBoost(bob) != 0) assertLe(_claimBoost(vault, bob), fair, "at most the time-weighted share");
        // Nor does the deposit buy any of the pot or of the premium at once: it is priced without them.
        assertApproxEqAbs(vault.previewRedeem(bobShares), bobAssets, 1);
    }
}
