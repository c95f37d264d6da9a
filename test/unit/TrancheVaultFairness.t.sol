// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {TrancheVaultBase} from "./TrancheVault.t.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice RISK-TESTS 55-57 and issue 9 item 5 against one vault: visible loss, requests that cost what they
/// protect, restart after a wipe, ERC-4626 edges, premium streams nobody can slow.
contract TrancheVaultFairnessTest is TrancheVaultBase {
    /* RISK 55: CLAIMS BEAR THE LOSS THE CHAIN ALREADY SHOWS */

    function test_risk55_maturedClaimBearsTheVisibleLoss() public {
        uint256 aliceShares = _deposit(alice, 2_000_000e6);
        _deposit(bob, 2_000_000e6);
        uint256 unlock = _request(alice, aliceShares);
        vm.warp(unlock);
        backstopMock.setReaching(address(vault), 35_000e6); // the inventory is 35,000 under water
        assertEq(vault.totalAssets(), 4_000_000e6 - 35_000e6);
        assertEq(vault.visibleLoss(), 35_000e6);
        uint256 paid = _claim(alice);
        assertApproxEqAbs(paid, 2_000_000e6 - 17_500e6, 1, "alice bears half the visible loss");
        assertLe(paid, vault.convertToAssets(aliceShares) + 1);
    }

    function test_risk55_depositDoesNotBuyAtAPriceThatIgnoresTheVisibleLoss() public {
        _deposit(alice, 1000e6);
        backstopMock.setReaching(address(vault), 500e6);
        uint256 bobShares = _deposit(bob, 1000e6);
        // Bob pays the net price: if the loss is realized he still has his 1000.
        vm.prank(backstop);
        vault.coverLoss(500e6, lossReceiver);
        backstopMock.setReaching(address(vault), 0);
        assertApproxEqAbs(vault.previewRedeem(bobShares), 1000e6, 1);
    }

    function test_risk55_depositsLockedWhileTheVisibleLossExceedsTheTranche() public {
        _deposit(alice, 1000e6);
        backstopMock.setReaching(address(vault), 1001e6);
        assertEq(vault.maxDeposit(bob), 0);
        usdc.mint(bob, 1e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1e6);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        vault.deposit(1e6, bob);
        vm.stopPrank();
    }

    function test_risk55_unknownLoss_pricesNothing_viewsNeverRevert() public {
        uint256 shares = _deposit(alice, 1000e6);
        uint256 unlock = _request(alice, shares / 2);
        vm.warp(unlock);
        backstopMock.setUnknown(true);
        assertEq(vault.totalAssets(), 0);
        assertEq(vault.maxDeposit(bob), 0);
        assertEq(vault.maxMint(bob), 0);
        vm.startPrank(alice);
        vm.expectRevert(ITrancheVault.VisibleLossUnknown.selector);
        vault.claim();
        vm.expectRevert(ITrancheVault.VisibleLossUnknown.selector);
        vault.cancelWithdraw();
        vm.expectRevert(ITrancheVault.VisibleLossUnknown.selector);
        vault.deposit(1, alice);
        vm.stopPrank();
        backstopMock.setUnknown(false);
        assertApproxEqAbs(_claim(alice), 500e6, 1, "paid in full once the loss is known again");
    }

    /* RISK 55: A REQUEST IS NOT A FREE OPTION */

    function test_risk55_escrowEarnsNoPremium_cancelReturnsNoMoreThanTheValueAtRequest() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _deposit(bob, 1000e6);
        _request(alice, aliceShares);
        (, uint256 atRequest,) = vault.withdrawRequest(alice);
        _addPremium(200e6);
        vm.warp(_payoutEnd());
        vm.prank(alice);
        uint256 returned = vault.cancelWithdraw();
        assertLt(returned, aliceShares, "the escrow's gain is burned");
        assertLe(vault.previewRedeem(returned), atRequest, "back no more than the value at request");
        assertApproxEqAbs(vault.previewRedeem(returned), atRequest, 1);
        // Bob, who stayed, has all the premium.
        assertApproxEqAbs(vault.previewRedeem(vault.balanceOf(bob)), 1200e6, 2);
    }

    function test_risk55_cancelAfterALoss_returnsEveryShare_theLossWasBorne() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _deposit(bob, 1000e6);
        _request(alice, aliceShares);
        _coverLoss(400e6);
        vm.expectEmit(address(vault));
        emit ITrancheVault.WithdrawCancelled(alice, aliceShares, 0);
        vm.prank(alice);
        assertEq(vault.cancelWithdraw(), aliceShares);
        assertApproxEqAbs(vault.previewRedeem(aliceShares), 800e6, 1);
    }

    function test_fuzz_risk55_rollingRequest_neverEndsAheadOfStaying(uint256 premium, uint256 rolls) public {
        premium = bound(premium, 1, 1e13);
        rolls = bound(rolls, 1, 5);
        uint256 aliceShares = _deposit(alice, 1000e6);
        uint256 bobShares = _deposit(bob, 1000e6);
        for (uint256 i; i < rolls; ++i) {
            _request(alice, aliceShares);
            _addPremium(premium / rolls);
            skip(COOLDOWN + CLAIM_WINDOW + 1);
            vm.prank(alice);
            aliceShares = vault.cancelWithdraw();
        }
        assertLe(vault.previewRedeem(aliceShares), vault.previewRedeem(bobShares), "rolling costs, never pays");
    }

    /* RISK 56: A WIPED TRANCHE IS RECAPITALIZED */

    function test_risk56_wipedTrancheRestarts_newLpsFair_oldHoldersKeepWhatWasLeft() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _request(alice, aliceShares / 2);
        _coverLoss(1000e6); // black swan
        assertTrue(vault.isWiped());
        assertEq(vault.maxDeposit(bob), type(uint256).max, "open again: the next deposit restarts");

        usdc.mint(bob, 500e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 500e6);
        uint256 escrowed = aliceShares / 2;
        uint256 held = aliceShares - escrowed;
        vm.expectEmit(address(vault));
        emit IERC20.Transfer(address(vault), address(0), escrowed); // the old escrow burned, with its event
        vm.expectEmit(address(vault));
        emit ITrancheVault.TrancheRestarted(1, aliceShares, 0, 0);
        uint256 bobShares = vault.deposit(500e6, bob);
        vm.stopPrank();
        assertEq(vault.epoch(), 1);
        assertEq(bobShares, 500e6 * VIRTUAL_SHARES, "the initial price");
        assertEq(vault.writtenOffBalance(alice), held, "old shares written off: what was left was nothing");
        assertEq(vault.balanceOf(alice), held, "still read until burned with an event");
        assertEq(vault.writtenOffSupply(), held);
        (uint256 open,,) = vault.withdrawRequest(alice);
        assertEq(open, 0, "the old request is void");
        assertEq(vault.totalSupply(), bobShares + vault.ESCROW_SENTINEL_SHARES() + held, "the sum of the balances");
        assertEq(vault.balanceOf(address(vault)), vault.ESCROW_SENTINEL_SHARES());
        assertFalse(vault.isWiped());
        assertEq(vault.previewRedeem(bobShares), 500e6, "written-off shares take no part of the price");

        // The old holder cannot claim the new LPs' money with old shares or an old request.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NoWithdrawRequest.selector, alice));
        vault.claim();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
        vault.requestWithdraw(1);
        vm.expectEmit(address(vault));
        emit IERC20.Transfer(alice, address(0), held);
        assertEq(vault.burnWrittenOff(alice), held, "anyone burns a written-off balance, with its event");
        assertEq(vault.balanceOf(alice), 0);
        assertEq(vault.totalSupply(), bobShares + vault.ESCROW_SENTINEL_SHARES());
        assertEq(vault.burnWrittenOff(alice), 0, "once");

        // Later LPs price fairly against bob; the tranche absorbs the next loss again (junior first-loss refilled).
        uint256 carolShares = _deposit(carol, 250e6);
        assertApproxEqAbs(vault.previewRedeem(carolShares), 250e6, 1);
        _coverLoss(75e6);
        assertApproxEqAbs(vault.previewRedeem(bobShares), 450e6, 1);
        assertApproxEqAbs(vault.previewRedeem(carolShares), 225e6, 1);
    }

    function test_risk56_dustLeftStreamsIntoTheNewEpoch_noDepositorCapturesItAtOnce() public {
        _deposit(alice, 1000e6);
        _coverLoss(1000e6 - 900); // 900 wei left, below the 1000-wei floor
        uint256 bobShares = _deposit(bob, 100e6);
        assertApproxEqAbs(vault.previewRedeem(bobShares), 100e6, 1, "not a wei more at once");
        vm.warp(_payoutEnd());
        assertApproxEqAbs(vault.previewRedeem(bobShares), 100e6 + 900, 1);
    }

    function test_risk56_noRestartWhileAVisibleLossReachesTheTranche() public {
        _deposit(alice, 1000e6);
        _coverLoss(1000e6);
        backstopMock.setReaching(address(vault), 1);
        assertEq(vault.maxDeposit(bob), 0);
    }

    /* RISK 57: ERC-4626 EDGES */

    function test_fuzz_risk57_maxAndPreview_neverRevert_forAnyTotalAssets(uint256 balance, uint256 amount) public {
        _deposit(alice, 1000e6);
        balance = bound(balance, 1000e6, type(uint256).max);
        deal(address(usdc), address(vault), balance);
        assertEq(vault.totalAssets(), balance);
        vault.isWiped();
        assertEq(vault.maxDeposit(bob), type(uint256).max);
        assertEq(vault.maxMint(bob), type(uint256).max);
        assertEq(vault.maxWithdraw(alice), 0);
        assertEq(vault.maxRedeem(alice), 0);
        amount = bound(amount, 0, 1e30);
        vault.previewDeposit(amount);
        vault.convertToShares(amount);
        // Share amounts that exist (a larger one may overflow the asset amount, as the mint itself would).
        uint256 shares = bound(amount, 0, vault.totalSupply());
        vault.previewRedeem(shares);
        vault.convertToAssets(shares);
        vault.previewMint(shares);
    }

    function test_risk57_depositWorks_aboveTheOldOverflowPoint() public {
        _deposit(alice, 1000e6);
        deal(address(usdc), address(vault), 2e65); // _isWiped used to overflow above ~1.16e65
        assertFalse(vault.isWiped());
        uint256 shares = _deposit(bob, 1e18);
        assertEq(shares, vault.balanceOf(bob));
    }

    /* ITEM 5: NOBODY CAN SLOW A PREMIUM STREAM */

    function test_item5_tinyPayoutsByAnyone_neverDelayTheFirstPayout() public {
        _deposit(alice, 1000e6);
        uint256 end = _payoutEnd();
        _addPremium(700e6);
        for (uint256 i; i < 40; ++i) {
            skip(STREAM / 20);
            _addPremium(1);
        }
        // At the first payout's end all of it has vested; only the tiny ones may still stream.
        vm.warp(end);
        // Each checkpoint rounds each ramp up by at most 1 wei (vesting then at the ramp's end, never later).
        assertLe(vault.unvestedPremium(), 3 * 40, "at most the 40 tiny payouts (and rounding) still unvested");
        assertGe(vault.totalAssets(), 1700e6);
    }

    function test_fuzz_item5_unvestedNeverAboveWhatEachPayoutPromised(uint256[6] memory amounts, uint256[6] memory gaps)
        public
    {
        _deposit(alice, 1000e6);
        uint256[6] memory ends;
        for (uint256 i; i < 6; ++i) {
            amounts[i] = bound(amounts[i], 0, 1e13);
            skip(bound(gaps[i], 0, 2 * STREAM));
            ends[i] = _payoutEnd();
            _addPremium(amounts[i]);
        }
        for (uint256 i; i < 6; ++i) {
            if (ends[i] < block.timestamp) continue; // ended before the last payout: checked by the later ends
            vm.warp(ends[i]);
            // Every payout i' <= i has ended by ends[i] (ends never decrease): only later ones may be unvested.
            uint256 later;
            for (uint256 k = i + 1; k < 6; ++k) {
                if (ends[k] > ends[i]) later += amounts[k];
            }
            assertLe(vault.unvestedPremium(), later + 6, "nothing vests later than promised");
        }
    }
}
