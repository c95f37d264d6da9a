// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";
import {TrancheVaultBase} from "./TrancheVault.t.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice RISK-TESTS items 26-28, 30-33 and 35 against the tranche vault.
contract TrancheVaultRiskTest is TrancheVaultBase {
    address internal attacker = makeAddr("attacker");
    address internal victim = makeAddr("victim");

    /* RISK 26: FIRST-DEPOSITOR INFLATION / DONATION */

    function test_risk26_oneWeiDepositPlusDonation_victimFair_attackerLosesHalfTheDonation() public {
        uint256 donation = 10_000e6;
        uint256 attackerShares = _deposit(attacker, 1);
        usdc.mint(attacker, donation);
        vm.prank(attacker);
        usdc.transfer(address(vault), donation);

        uint256 victimShares = _deposit(victim, 10_000e6);
        assertGt(victimShares, 0);
        assertApproxEqAbs(vault.previewRedeem(victimShares), 10_000e6, 10_000e6 / 1e6 + 2);

        uint256 attackerOut = _exit(attacker, attackerShares);
        uint256 victimOut = _exit(victim, victimShares);
        assertGe(victimOut + 10_000e6 / 1e6 + 2, 10_000e6, "victim loses at most donation / 1e6");
        assertLt(attackerOut, (1 + donation) * 51 / 100, "attacker loses about half of what it spent");
    }

    function test_fuzz_risk26_inflationAttack_victimGetsFairShares_attackerLoses(
        uint256 attackerDeposit,
        uint256 donation,
        uint256 victimAssets
    ) public {
        attackerDeposit = bound(attackerDeposit, 1, 1e6);
        donation = bound(donation, 1, 1e13);
        victimAssets = bound(victimAssets, 1e6, 1e13);

        uint256 attackerShares = _deposit(attacker, attackerDeposit);
        usdc.mint(address(vault), donation); // the attacker's donation
        uint256 victimShares = _deposit(victim, victimAssets);

        // The offset caps the victim's rounding loss at donation / 1e6: stealing 1 USDC costs 1M USDC.
        uint256 maxVictimLoss = donation / 1e6 + 2;
        if (victimAssets > maxVictimLoss) assertGt(victimShares, 0, "victim gets shares");
        assertGe(vault.previewRedeem(victimShares) + maxVictimLoss, victimAssets, "victim shares fair");

        uint256 attackerOut = _exit(attacker, attackerShares);
        uint256 victimOut = victimShares == 0 ? 0 : _exit(victim, victimShares);
        assertGe(victimOut + maxVictimLoss, victimAssets, "victim exits with fair value");
        assertLt(attackerOut, attackerDeposit + donation, "attacker loses");
    }

    /* RISK 27: EXIT AHEAD OF A KNOWN LOSS */

    function test_fuzz_risk27_lossDuringCooldownAppliesToEscrowedShares_junior(uint256 loss) public {
        _runRisk27(vault, loss);
    }

    function test_fuzz_risk27_lossDuringCooldownAppliesToEscrowedShares_senior(uint256 loss) public {
        TrancheVault senior = _newVault("Senior Tranche", "sUSDC", 14 days, 3 days, 14 days);
        _runRisk27(senior, loss);
    }

    /// @dev alice and bob hold equal stakes; alice requests her exit, a loss lands during her cooldown: she must
    /// bear exactly bob's per-share loss.
    function _runRisk27(TrancheVault v, uint256 loss) internal {
        uint256 aliceShares = _deposit(v, alice, 1000e6);
        uint256 bobShares = _deposit(v, bob, 1000e6);
        loss = bound(loss, 1, 2000e6);

        uint256 unlockTime = _request(v, alice, aliceShares);
        (, uint256 assetsAtRequest,) = v.withdrawRequest(alice);
        vm.warp(unlockTime - 1);
        _coverLoss(v, loss);
        vm.warp(unlockTime);
        uint256 aliceOut = _claimAndSettle(v, alice);

        uint256 fairShare = (2000e6 - loss) / 2;
        assertLe(aliceOut, fairShare + 1, "alice ran ahead of the loss");
        assertLt(aliceOut, assetsAtRequest, "loss during cooldown applied");
        assertGe(v.previewRedeem(bobShares) + 1, fairShare, "bob did not pay for alice");
    }

    function test_risk27_cancelDoesNotEscapeTheLoss() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _deposit(bob, 1000e6);
        _request(alice, aliceShares);
        _coverLoss(500e6);
        vm.prank(alice);
        vault.cancelWithdraw();
        uint256 out = _exit(alice, aliceShares);
        assertApproxEqAbs(out, 750e6, 1);
    }

    function test_risk27_totalLossDuringCooldownPaysZero() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _request(alice, aliceShares);
        _coverLoss(1000e6);
        skip(COOLDOWN);
        assertEq(_claim(alice), 0);
        assertEq(vault.balanceOf(address(vault)), vault.ESCROW_SENTINEL_SHARES(), "escrow burned");
    }

    /* RISK 28: JUST-IN-TIME DEPOSIT BEFORE A PREMIUM PAYOUT */

    function test_risk28_jitDepositBeforePremium_capturesNothingImmediately() public {
        _deposit(alice, 1000e6);
        skip(30 days);
        uint256 bobShares = _deposit(bob, 1000e6);
        _addPremium(100e6); // same block
        assertLe(vault.previewRedeem(bobShares), 1000e6, "nothing vested yet");

        uint256 out = _exit(bob, bobShares); // request now, claim after the cooldown
        assertLe(out, 1000e6, "sandwiching the premium pays nothing");
        // Everything bob did not take stays with alice.
        skip(STREAM);
        assertApproxEqAbs(vault.totalAssets(), 1100e6, 2);
    }

    function test_fuzz_risk28_jitDeposit_earnsOnlyItsTimeWeightedShare(uint256 premium, uint256 bobAssets, uint256 stay)
        public
    {
        premium = bound(premium, 1, 1e13);
        bobAssets = bound(bobAssets, 1e6, 1e13);
        stay = bound(stay, 0, 2 * STREAM);
        _deposit(alice, 1000e6);
        uint256 bobShares = _deposit(bob, bobAssets);
        _addPremium(premium);

        skip(stay);
        uint256 vested = Math.mulDiv(premium, Math.min(stay, STREAM), STREAM, Math.Rounding.Ceil);
        uint256 maxGain = Math.mulDiv(vested, bobShares, vault.totalSupply(), Math.Rounding.Ceil);

        uint256 out = _exit(bob, bobShares);
        assertLe(out, bobAssets + maxGain + 1, "more than the time-weighted share");
    }

    /* RISK 30: A WIPED TRANCHE LOCKS */

    function test_risk30_wipedTranche_locksDepositsWhileItHoldsValueOfTheOldShares() public {
        _deposit(alice, 1000e6);
        _addPremium(1e6); // still streaming to alice's shares
        _coverLoss(1000e6);
        assertEq(vault.totalAssets(), 0);
        assertTrue(vault.isWiped());
        assertEq(vault.maxDeposit(bob), 0);
        assertEq(vault.maxMint(bob), 0);

        usdc.mint(bob, 1000e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1000e6);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        vault.deposit(1000e6, bob);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        vault.mint(1e18, bob);
        vm.stopPrank();
    }

    function test_risk30_dustDonationBuysNothingOld_theDepositRestartsAtTheInitialPrice() public {
        _deposit(alice, 1000e6);
        _coverLoss(1000e6);
        usdc.mint(address(vault), 999); // below the floor: 1000 wei for 1000 USDC of old shares
        assertTrue(vault.isWiped());
        assertEq(vault.previewDeposit(1e6), 1e6 * VIRTUAL_SHARES, "fresh price, not ~0");
        uint256 bobShares = _deposit(bob, 1e6);
        assertEq(bobShares, 1e6 * VIRTUAL_SHARES);
        assertEq(vault.writtenOffBalance(alice), vault.balanceOf(alice), "old shares written off");
        assertEq(vault.previewRedeem(bobShares), 1e6, "and worth nothing: bob's deposit is all bob's");
    }

    function test_risk30_priceBelowOneMillionthOfInitialCountsAsWiped() public {
        uint256 shares = _deposit(alice, 1000e6);
        uint256 floorAssets = Math.ceilDiv(shares, 1e12); // 1000 wei: one millionth of the initial price
        _coverLoss(1000e6 - (floorAssets - 1));
        assertTrue(vault.isWiped(), "one wei below the floor");
        usdc.mint(address(vault), 1);
        assertFalse(vault.isWiped(), "at the floor");
    }

    function test_risk30_wipedLpsCanStillExitWithZero() public {
        uint256 shares = _deposit(alice, 1000e6);
        _coverLoss(1000e6);
        assertEq(_exit(alice, shares), 0);
        assertEq(vault.totalSupply(), vault.ESCROW_SENTINEL_SHARES());
        assertFalse(vault.isWiped(), "no old shares left: a fresh start");
        uint256 bobShares = _deposit(bob, 500e6);
        assertApproxEqAbs(vault.previewRedeem(bobShares), 500e6, 1);
    }

    function test_risk30_unvestedPremiumLeftAfterTheLossReopensOnlyAsItVests() public {
        uint256 aliceShares = _deposit(alice, 1000e6);
        _addPremium(100e6);
        _coverLoss(1000e6); // takes all vested assets, premium still unvested
        assertTrue(vault.isWiped());
        vm.warp(_payoutEnd());
        assertFalse(vault.isWiped());
        uint256 bobShares = _deposit(bob, 100e6);
        // Old LPs keep the premium that vested while deposits were locked.
        assertApproxEqAbs(vault.previewRedeem(aliceShares), 100e6, 1);
        assertApproxEqAbs(vault.previewRedeem(bobShares), 100e6, 1);
    }

    /* RISK 31: ROUND TRIPS NEVER PROFIT */

    /// @dev A random non-wiped pre-state: deposits, premium part-vested, donation, a loss.
    function _fuzzState(uint256 base, uint256 premium, uint256 lossBps) internal {
        base = bound(base, 1, 1e13);
        premium = bound(premium, 0, 1e13);
        lossBps = bound(lossBps, 0, 9999);
        _deposit(alice, base);
        _addPremium(premium);
        skip(STREAM / 3);
        usdc.mint(address(vault), base / 7);
        _coverLoss(vault.totalAssets() * lossBps / 10_000);
        vm.assume(!vault.isWiped());
    }

    function test_fuzz_risk31_depositThenRequestClaim_neverGains(
        uint256 base,
        uint256 premium,
        uint256 lossBps,
        uint256 assets
    ) public {
        _fuzzState(base, premium, lossBps);
        assets = bound(assets, 1, 1e13);
        uint256 shares = _deposit(bob, assets);
        assertLe(vault.previewRedeem(shares), assets, "previewRedeem(deposit(a)) <= a");
        vm.assume(shares > 0);
        assertLe(_exit(bob, shares), assets, "redeem(deposit(a)) <= a");
    }

    function test_fuzz_risk31_mintThenRequestClaim_neverGains(
        uint256 base,
        uint256 premium,
        uint256 lossBps,
        uint256 shares
    ) public {
        _fuzzState(base, premium, lossBps);
        shares = bound(shares, 1, Math.max(1, vault.previewDeposit(1e13)));
        uint256 assets = vault.previewMint(shares);
        usdc.mint(bob, assets);
        vm.startPrank(bob);
        usdc.approve(address(vault), assets);
        assertEq(vault.mint(shares, bob), assets);
        vm.stopPrank();
        assertLe(vault.previewRedeem(shares), assets, "previewRedeem(s) <= mint(s)");
        assertLe(_exit(bob, shares), assets, "redeem(mint(s)) <= mint(s)");
    }

    function test_fuzz_risk31_withdrawThenMint_costsAtLeastTheAssets(
        uint256 base,
        uint256 premium,
        uint256 lossBps,
        uint256 assets
    ) public {
        _fuzzState(base, premium, lossBps);
        assets = bound(assets, 0, 1e13);
        // Shares burned to take `assets` out, then bought back: never cheaper than `assets`.
        assertGe(vault.previewMint(vault.previewWithdraw(assets)), assets, "mint(withdraw(a)) >= a");
        // Depositing `assets` never gives more shares than withdrawing them would burn.
        assertLe(vault.previewDeposit(assets), vault.previewWithdraw(assets), "deposit(a) <= withdraw(a)");
    }

    function test_fuzz_risk31_redeemThenDeposit_neverGainsShares(
        uint256 base,
        uint256 premium,
        uint256 lossBps,
        uint256 shares
    ) public {
        _fuzzState(base, premium, lossBps);
        shares = bound(shares, 0, 1e25);
        assertLe(vault.previewDeposit(vault.previewRedeem(shares)), shares, "deposit(redeem(s)) <= s");
        assertGe(vault.previewMint(shares), vault.previewRedeem(shares), "mint(s) >= redeem(s)");
    }

    /* RISK 32: WEI-LEVEL GRINDING */

    function test_risk32_hundredsOfOneWeiDepositsNeverGain() public {
        _deposit(alice, 1234e6);
        _addPremium(77e6);
        skip(1 days);
        uint256 spent;
        for (uint256 i; i < 300; ++i) {
            _deposit(attacker, 1);
            spent += 1;
        }
        uint256 out = _exit(attacker, vault.balanceOf(attacker));
        assertLe(out, spent);
    }

    /* RISK 33: PAID ONCE, STATE BEFORE TRANSFER */

    function test_risk33_claimWritesStateBeforeTheTransfer() public {
        (ReentrantUSDC token, TrancheVault v) = _reentrantSetup();
        uint256 shares = _depositR(token, v, alice, 1000e6);
        vm.prank(alice);
        uint256 unlockTime = v.requestWithdraw(shares);
        vm.warp(unlockTime);

        vm.prank(alice);
        (, uint64 settleAt) = v.claim();
        vm.warp(settleAt);

        token.arm(address(v), abi.encodeCall(ITrancheVault.pendingClaim, (alice)));
        v.settleClaim(alice);
        (bool ok, bytes memory ret) = token.lastResult();
        assertTrue(ok);
        (uint256 rShares, uint256 rAssets, uint64 rSettle) = abi.decode(ret, (uint256, uint256, uint64));
        assertEq(rShares + rAssets + rSettle, 0, "claim deleted before the payout");
    }

    function test_risk33_coverLossWritesStateBeforeTheTransfer() public {
        (ReentrantUSDC token, TrancheVault v) = _reentrantSetup();
        _depositR(token, v, alice, 1000e6);
        token.arm(address(v), abi.encodeCall(ITrancheVault.totalLossCovered, ()));
        vm.prank(backstop);
        v.coverLoss(300e6, lossReceiver);
        (bool ok, bytes memory ret) = token.lastResult();
        assertTrue(ok);
        assertEq(abi.decode(ret, (uint256)), 300e6, "loss booked before the payout");
    }

    function test_risk33_premiumCountsOnce() public {
        uint256 shares = _deposit(alice, 1000e6);
        _addPremium(100e6);
        skip(STREAM);
        _addPremium(0);
        skip(STREAM);
        assertEq(vault.totalPremiumReceived(), 100e6);
        assertApproxEqAbs(_exit(alice, shares), 1100e6, 1);
    }

    /* RISK 35: REENTRANCY */

    /// @dev Every state-changing entry point, re-entered from inside every token transfer the vault makes,
    /// reverts with the reentrancy guard's error.
    function test_risk35_everyEntryPointRevertsWhenReenteredFromEveryTokenTransfer() public {
        bytes[9] memory inner = [
            abi.encodeCall(ITrancheVault.requestWithdraw, (1)),
            abi.encodeCall(ITrancheVault.claim, ()),
            abi.encodeCall(ITrancheVault.settleClaim, (alice)),
            abi.encodeCall(ITrancheVault.restoreCapital, (1)),
            abi.encodeCall(ITrancheVault.cancelWithdraw, ()),
            abi.encodeCall(ITrancheVault.addPremium, (1)),
            abi.encodeCall(ITrancheVault.coverLoss, (1, address(1))),
            abi.encodeWithSignature("deposit(uint256,address)", 1, address(1)),
            abi.encodeWithSignature("mint(uint256,address)", 1, address(1))
        ];
        for (uint256 outer; outer < 6; ++outer) {
            for (uint256 i; i < inner.length; ++i) {
                uint256 snap = vm.snapshotState();
                _runOuterWithHook(outer, inner[i]);
                vm.revertToState(snap);
            }
        }
    }

    function _runOuterWithHook(uint256 outer, bytes memory innerCall) internal {
        (ReentrantUSDC token, TrancheVault v) = _reentrantSetup();
        uint256 shares = _depositR(token, v, alice, 1000e6);
        token.mint(bob, 1000e6);
        token.mint(backstop, 1000e6);
        vm.prank(bob);
        token.approve(address(v), type(uint256).max);
        vm.prank(backstop);
        token.approve(address(v), type(uint256).max);
        vm.prank(alice);
        uint256 unlockTime = v.requestWithdraw(shares / 2);
        vm.warp(unlockTime);
        if (outer == 2) {
            vm.prank(alice);
            (, uint64 settleAt) = v.claim();
            vm.warp(settleAt);
        }

        token.arm(address(v), innerCall);
        if (outer == 0) {
            vm.prank(bob);
            v.deposit(10e6, bob);
        } else if (outer == 1) {
            vm.prank(bob);
            v.mint(10e12, bob);
        } else if (outer == 2) {
            v.settleClaim(alice);
        } else if (outer == 5) {
            vm.prank(backstop);
            v.restoreCapital(10e6);
        } else if (outer == 3) {
            vm.prank(backstop);
            v.addPremium(10e6);
        } else {
            vm.prank(backstop);
            v.coverLoss(10e6, lossReceiver);
        }
        (bool ok, bytes memory ret) = token.lastResult();
        assertFalse(ok, "re-entry succeeded");
        assertEq(ret, abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
    }

    function _reentrantSetup() internal returns (ReentrantUSDC token, TrancheVault v) {
        token = new ReentrantUSDC();
        v = new TrancheVault(
            IERC20(address(token)),
            "R",
            "R",
            trancheConfig(backstop, backstop, address(0), COOLDOWN, CLAIM_WINDOW, STREAM)
        );
    }

    function _depositR(ReentrantUSDC token, TrancheVault v, address who, uint256 assets)
        internal
        returns (uint256 shares)
    {
        token.mint(who, assets);
        vm.startPrank(who);
        token.approve(address(v), assets);
        shares = v.deposit(assets, who);
        vm.stopPrank();
    }
}

/// @notice A 6-decimal token that, once armed, makes one call from inside its next transfer (a hook like ERC-777's)
/// and records the result instead of bubbling it.
contract ReentrantUSDC is ERC20 {
    address internal _target;
    bytes internal _data;
    bool internal _lastOk;
    bytes internal _lastRet;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    function lastResult() external view returns (bool, bytes memory) {
        return (_lastOk, _lastRet);
    }

    function _update(address from, address to, uint256 value) internal override {
        address target = _target;
        if (target != address(0)) {
            _target = address(0);
            (_lastOk, _lastRet) = target.call(_data);
        }
        super._update(from, to, value);
    }
}
