// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {TestUSDC} from "../../contracts/test/TestUSDC.sol";
import {MockTrancheBackstop} from "../utils/MockTrancheBackstop.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Shared fixture: one junior-like vault over TestUSDC, named actors, funding helpers.
abstract contract TrancheVaultBase is Test {
    uint64 internal constant COOLDOWN = 7 days;
    uint64 internal constant CLAIM_WINDOW = 2 days;
    uint64 internal constant STREAM = 7 days;
    uint256 internal constant VIRTUAL_SHARES = 1e6;
    /// @dev Upper bound for fuzzed amounts: 10 billion USDC.
    uint256 internal constant MAX_ASSETS = 1e16;

    TestUSDC internal usdc;
    TrancheVault internal vault;

    MockTrancheBackstop internal backstopMock = new MockTrancheBackstop();
    address internal backstop = address(backstopMock);
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal lossReceiver = makeAddr("lossReceiver");

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        usdc = new TestUSDC();
        vault = _newVault("Junior Tranche", "jUSDC", COOLDOWN, CLAIM_WINDOW, STREAM);
    }

    function _newVault(string memory name, string memory symbol, uint64 cooldown, uint64 window, uint64 stream)
        internal
        returns (TrancheVault)
    {
        return new TrancheVault(
            IERC20(address(usdc)), name, symbol, trancheConfig(backstop, backstop, address(0), cooldown, window, stream)
        );
    }

    function _deposit(TrancheVault v, address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(v), assets);
        shares = v.deposit(assets, who);
        vm.stopPrank();
    }

    function _deposit(address who, uint256 assets) internal returns (uint256) {
        return _deposit(vault, who, assets);
    }

    function _addPremium(TrancheVault v, uint256 assets) internal {
        usdc.mint(backstop, assets);
        vm.startPrank(backstop);
        usdc.approve(address(v), assets);
        v.addPremium(assets);
        vm.stopPrank();
    }

    function _addPremium(uint256 assets) internal {
        _addPremium(vault, assets);
    }

    function _coverLoss(TrancheVault v, uint256 assets) internal returns (uint256 paid) {
        vm.prank(backstop);
        paid = v.coverLoss(assets, lossReceiver);
    }

    function _coverLoss(uint256 assets) internal returns (uint256) {
        return _coverLoss(vault, assets);
    }

    function _request(TrancheVault v, address who, uint256 shares) internal returns (uint256 unlockTime) {
        vm.prank(who);
        unlockTime = v.requestWithdraw(shares);
    }

    function _request(address who, uint256 shares) internal returns (uint256) {
        return _request(vault, who, shares);
    }

    /// @dev request -> wait the cooldown -> claim; returns the assets paid.
    function _exit(TrancheVault v, address who, uint256 shares) internal returns (uint256 assets) {
        uint256 unlockTime = _request(v, who, shares);
        vm.warp(unlockTime);
        assets = _claimAndSettle(v, who);
    }

    /// @dev claim -> wait the settlement delay -> settleClaim; returns the assets paid.
    function _claimAndSettle(TrancheVault v, address who) internal returns (uint256 assets) {
        vm.prank(who);
        (, uint64 settleAt) = v.claim();
        vm.warp(settleAt);
        assets = v.settleClaim(who);
    }

    function _exit(address who, uint256 shares) internal returns (uint256) {
        return _exit(vault, who, shares);
    }

    /// @dev Where a payout made now stops vesting: `(now / D + 2) * D`.
    function _payoutEnd() internal view returns (uint256) {
        return (block.timestamp / STREAM + 2) * STREAM;
    }

    function _claim(address who) internal returns (uint256 assets) {
        assets = _claimAndSettle(vault, who);
    }
}

contract TrancheVaultTest is TrancheVaultBase {
    /* CONSTRUCTOR */

    function test_constructor_setsParameters() public view {
        assertEq(vault.asset(), address(usdc));
        assertEq(vault.backstop(), backstop);
        assertEq(vault.cooldown(), COOLDOWN);
        assertEq(vault.claimWindow(), CLAIM_WINDOW);
        assertEq(vault.premiumStreamDuration(), STREAM);
        assertEq(vault.name(), "Junior Tranche");
        assertEq(vault.symbol(), "jUSDC");
        assertEq(vault.decimals(), 12, "6 asset decimals + 6 offset");
    }

    function test_constructor_mintsOnlyTheEscrowSentinel() public view {
        assertEq(vault.totalSupply(), vault.ESCROW_SENTINEL_SHARES());
        assertEq(vault.balanceOf(address(vault)), vault.ESCROW_SENTINEL_SHARES());
        assertEq(vault.totalAssets(), 0);
        assertFalse(vault.isWiped());
    }

    function test_constructor_acceptsBoundaryValues() public {
        _newVault("a", "a", 1 hours, 1 hours, 1 hours);
        _newVault("b", "b", 30 days, 7 days, 30 days);
    }

    function test_constructor_revertsWhen_backstopZero() public {
        vm.expectRevert(ITrancheVault.ZeroBackstop.selector);
        new TrancheVault(
            IERC20(address(usdc)),
            "x",
            "x",
            trancheConfig(address(0), backstop, address(0), COOLDOWN, CLAIM_WINDOW, STREAM)
        );
    }

    function test_fuzz_constructor_revertsWhen_cooldownOutOfBounds(uint64 cooldown) public {
        vm.assume(cooldown < 1 hours || cooldown > 30 days);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.InvalidCooldown.selector, cooldown));
        _newVault("x", "x", cooldown, CLAIM_WINDOW, STREAM);
    }

    function test_fuzz_constructor_revertsWhen_claimWindowOutOfBounds(uint64 window) public {
        vm.assume(window < 1 hours || window > 7 days);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.InvalidClaimWindow.selector, window));
        _newVault("x", "x", COOLDOWN, window, STREAM);
    }

    function test_fuzz_constructor_revertsWhen_streamDurationOutOfBounds(uint64 stream) public {
        vm.assume(stream < 1 hours || stream > 30 days);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.InvalidPremiumStreamDuration.selector, stream));
        _newVault("x", "x", COOLDOWN, CLAIM_WINDOW, stream);
    }

    /* DEPOSIT AND MINT */

    function test_deposit_mintsSharesAtTheOffsetPrice() public {
        usdc.mint(alice, 1000e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), 1000e6);
        vm.expectEmit(address(vault));
        emit IERC4626.Deposit(alice, alice, 1000e6, 1000e6 * VIRTUAL_SHARES);
        uint256 shares = vault.deposit(1000e6, alice);
        vm.stopPrank();

        // (supply + 1e6) / (assets + 1); the escrow sentinel is left out of prices.
        assertEq(shares, 1000e6 * VIRTUAL_SHARES);
        assertEq(vault.balanceOf(alice), shares);
        assertEq(vault.totalAssets(), 1000e6);
        assertEq(usdc.balanceOf(address(vault)), 1000e6);
    }

    function test_deposit_toAnotherReceiver() public {
        usdc.mint(alice, 5e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), 5e6);
        uint256 shares = vault.deposit(5e6, bob);
        vm.stopPrank();
        assertEq(vault.balanceOf(bob), shares);
        assertEq(vault.balanceOf(alice), 0);
    }

    function test_fuzz_deposit_matchesPreviewDeposit(uint256 first, uint256 assets) public {
        first = bound(first, 1, MAX_ASSETS);
        assets = bound(assets, 0, MAX_ASSETS);
        _deposit(alice, first);
        _addPremium(first / 3);
        skip(STREAM / 2);
        uint256 expected = vault.previewDeposit(assets);
        assertEq(_deposit(bob, assets), expected);
    }

    function test_fuzz_mint_pullsPreviewMintAssets(uint256 first, uint256 shares) public {
        first = bound(first, 1, MAX_ASSETS);
        shares = bound(shares, 1, MAX_ASSETS * VIRTUAL_SHARES);
        _deposit(alice, first);
        _addPremium(first / 3);
        skip(STREAM / 3);

        uint256 assets = vault.previewMint(shares);
        usdc.mint(bob, assets);
        vm.startPrank(bob);
        usdc.approve(address(vault), assets);
        assertEq(vault.mint(shares, bob), assets);
        vm.stopPrank();
        assertEq(vault.balanceOf(bob), shares);
        assertEq(usdc.balanceOf(bob), 0);
    }

    function test_maxDepositAndMaxMint_areUnlimitedWhileNotWiped() public {
        assertEq(vault.maxDeposit(alice), type(uint256).max);
        assertEq(vault.maxMint(alice), type(uint256).max);
        _deposit(alice, 1e6);
        assertEq(vault.maxDeposit(alice), type(uint256).max);
        assertEq(vault.maxMint(alice), type(uint256).max);
    }

    function test_deposit_revertsWhen_trancheWipedWithUnvestedPremiumLeft() public {
        _deposit(alice, 100e6);
        _addPremium(10e6);
        _coverLoss(100e6); // all vested assets: the premium still streaming belongs to alice's shares
        assertTrue(vault.isWiped());
        usdc.mint(bob, 1e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 1e6);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        vault.deposit(1e6, bob);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        vault.mint(1e12, bob);
        vm.stopPrank();
    }

    function test_deposit_revertsWhen_receiverIsTheVault() public {
        usdc.mint(alice, 1e6);
        vm.startPrank(alice);
        usdc.approve(address(vault), 1e6);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.InvalidReceiver.selector, address(vault)));
        vault.deposit(1e6, address(vault));
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.InvalidReceiver.selector, address(vault)));
        vault.mint(1e12, address(vault));
        vm.stopPrank();
        assertEq(vault.maxDeposit(address(vault)), 0);
        assertEq(vault.maxMint(address(vault)), 0);
    }

    /* DISABLED ERC-4626 EXITS */

    function test_withdraw_revertsWith_useRequestWithdraw() public {
        _deposit(alice, 100e6);
        vm.prank(alice);
        vm.expectRevert(ITrancheVault.UseRequestWithdraw.selector);
        vault.withdraw(1e6, alice, alice);
    }

    function test_redeem_revertsWith_useRequestWithdraw() public {
        uint256 shares = _deposit(alice, 100e6);
        vm.prank(alice);
        vm.expectRevert(ITrancheVault.UseRequestWithdraw.selector);
        vault.redeem(shares, alice, alice);
    }

    function test_maxWithdrawAndMaxRedeem_areZero() public {
        _deposit(alice, 100e6);
        assertEq(vault.maxWithdraw(alice), 0);
        assertEq(vault.maxRedeem(alice), 0);
    }

    /* SHARE TRANSFERS */

    function test_transfer_revertsWhen_toTheVault() public {
        uint256 shares = _deposit(alice, 100e6);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(vault)));
        vault.transfer(address(vault), shares);
    }

    function test_transferFrom_revertsWhen_toTheVault() public {
        uint256 shares = _deposit(alice, 100e6);
        vm.prank(alice);
        vault.approve(bob, shares);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(vault)));
        vault.transferFrom(alice, address(vault), shares);
    }

    function test_transfer_betweenLps_works() public {
        uint256 shares = _deposit(alice, 100e6);
        vm.prank(alice);
        assertTrue(vault.transfer(bob, shares / 2));
        assertEq(vault.balanceOf(bob), shares / 2);
    }

    /* TOTAL ASSETS AND THE PREMIUM STREAM */

    function test_totalAssets_excludesUnvestedPremium() public {
        _deposit(alice, 100e6);
        _addPremium(70e6);
        assertEq(vault.totalAssets(), 100e6);
        assertEq(vault.unvestedPremium(), 70e6);
        assertEq(usdc.balanceOf(address(vault)), 170e6);
    }

    function test_premium_vestsLinearlyUntilItsAlignedEnd() public {
        _deposit(alice, 100e6);
        uint256 span = _payoutEnd() - block.timestamp;
        assertGt(span, STREAM, "at least one full duration");
        assertLe(span, 2 * STREAM, "at most two");
        _addPremium(70e6);
        vm.warp(block.timestamp + span / 2);
        assertApproxEqAbs(vault.unvestedPremium(), 35e6, 1);
        assertApproxEqAbs(vault.totalAssets(), 135e6, 1);
        vm.warp(block.timestamp + span - span / 2);
        assertEq(vault.unvestedPremium(), 0);
        assertEq(vault.totalAssets(), 170e6);
        skip(365 days);
        assertEq(vault.totalAssets(), 170e6);
    }

    function test_unvestedPremium_roundsUp() public {
        _deposit(alice, 100e6);
        _addPremium(10); // 10 wei over 7 days
        skip(1);
        assertEq(vault.unvestedPremium(), 10, "1 second into the stream nothing has fully vested");
        assertEq(vault.totalAssets(), 100e6);
    }

    function test_totalAssets_countsDirectDonations() public {
        _deposit(alice, 100e6);
        usdc.mint(address(vault), 5e6);
        assertEq(vault.totalAssets(), 105e6);
    }

    /* ADD PREMIUM */

    function test_fuzz_addPremium_revertsWhen_callerNotBackstop(address caller) public {
        vm.assume(caller != backstop);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotBackstop.selector, caller));
        vault.addPremium(1e6);
    }

    function test_addPremium_pullsFromBackstopAndEmits() public {
        usdc.mint(backstop, 50e6);
        vm.startPrank(backstop);
        usdc.approve(address(vault), 50e6);
        vm.expectEmit(address(vault));
        emit ITrancheVault.PremiumAdded(50e6, uint64(_payoutEnd()));
        vault.addPremium(50e6);
        vm.stopPrank();
        assertEq(usdc.balanceOf(backstop), 0);
        assertEq(usdc.balanceOf(address(vault)), 50e6);
        assertEq(vault.totalPremiumReceived(), 50e6);
    }

    function test_addPremium_laterPayoutKeepsTheEarlierEnd_andVestsOverItsOwnRamp() public {
        _deposit(alice, 100e6);
        uint256 end0 = _payoutEnd();
        _addPremium(70e6);
        vm.warp(end0 - STREAM + 1); // the next payout falls into the next bucket
        uint256 end1 = _payoutEnd();
        assertEq(end1, end0 + STREAM);
        uint256 unvested0 = vault.unvestedPremium();
        _addPremium(35e6);
        assertEq(vault.unvestedPremium(), unvested0 + 35e6);
        vm.warp(end0);
        // Only the second payout is left: it vests linearly over (end1 - its time).
        assertApproxEqAbs(vault.unvestedPremium(), 35e6 * (end1 - end0) / (end1 - (end0 - STREAM + 1)), 1);
        vm.warp(end1);
        assertEq(vault.unvestedPremium(), 0);
        assertEq(vault.totalAssets(), 205e6);
        assertEq(vault.totalPremiumReceived(), 105e6);
    }

    function test_addPremium_zeroIsANoOp() public {
        _deposit(alice, 100e6);
        _addPremium(70e6);
        skip(STREAM / 2);
        uint256 unvested = vault.unvestedPremium();
        vm.recordLogs();
        vm.prank(backstop);
        vault.addPremium(0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(vault.unvestedPremium(), unvested, "stream untouched");
    }

    function test_addPremium_doesNotMoveTheSharePrice() public {
        _deposit(alice, 100e6);
        _addPremium(40e6);
        skip(1 days);
        uint256 before = vault.convertToAssets(1e18);
        _addPremium(1000e6);
        assertEq(vault.convertToAssets(1e18), before);
    }

    /* COVER LOSS */

    function test_fuzz_coverLoss_revertsWhen_callerNotBackstop(address caller) public {
        vm.assume(caller != backstop);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotBackstop.selector, caller));
        vault.coverLoss(1e6, caller);
    }

    function test_coverLoss_revertsWhen_recipientZero() public {
        vm.prank(backstop);
        vm.expectRevert(ITrancheVault.ZeroRecipient.selector);
        vault.coverLoss(1e6, address(0));
    }

    function test_coverLoss_paysVestedFirstAndLowersSharePrice() public {
        _deposit(alice, 100e6);
        _addPremium(70e6);
        uint256 priceBefore = vault.convertToAssets(1e18);

        vm.expectEmit(address(vault));
        emit ITrancheVault.LossCovered(40e6, 40e6, lossReceiver);
        assertEq(_coverLoss(40e6), 40e6);

        assertEq(usdc.balanceOf(lossReceiver), 40e6);
        assertEq(vault.unvestedPremium(), 70e6, "premium untouched");
        assertEq(vault.totalAssets(), 60e6);
        assertLt(vault.convertToAssets(1e18), priceBefore);
        assertEq(vault.totalLossCovered(), 40e6);
    }

    function test_coverLoss_takesUnvestedPremiumAfterVestedKeepingStreamEnd() public {
        _deposit(alice, 100e6);
        uint256 end = _payoutEnd();
        _addPremium(70e6);
        vm.warp(block.timestamp + (end - block.timestamp) / 2); // about 35e6 vested, 35e6 unvested
        uint256 unvested = vault.unvestedPremium();
        uint256 loss = vault.totalAssets() + 20e6;
        assertEq(_coverLoss(loss), loss);
        assertEq(vault.totalAssets(), 0);
        assertEq(vault.unvestedPremium(), unvested - 20e6);
        vm.warp(block.timestamp + (end - block.timestamp) / 2); // half of the remaining time
        assertApproxEqAbs(vault.unvestedPremium(), (unvested - 20e6) / 2, 1);
        vm.warp(end);
        assertEq(vault.unvestedPremium(), 0);
        assertEq(vault.totalAssets(), unvested - 20e6);
    }

    function test_coverLoss_paysOnlyTheBalanceWhenTheVaultRunsDry() public {
        _deposit(alice, 100e6);
        _addPremium(20e6);
        vm.expectEmit(address(vault));
        emit ITrancheVault.LossCovered(500e6, 120e6, lossReceiver);
        assertEq(_coverLoss(500e6), 120e6);
        assertEq(usdc.balanceOf(address(vault)), 0);
        assertEq(vault.unvestedPremium(), 0);
        assertEq(vault.totalAssets(), 0);
        assertEq(vault.totalLossCovered(), 120e6);
    }

    function test_coverLoss_zeroIsANoOp() public {
        _deposit(alice, 100e6);
        vm.recordLogs();
        assertEq(_coverLoss(0), 0);
        assertEq(vm.getRecordedLogs().length, 0);
        assertEq(vault.totalAssets(), 100e6);
    }

    function test_coverLoss_accumulatesTotalLossCovered() public {
        _deposit(alice, 100e6);
        _coverLoss(10e6);
        _coverLoss(15e6);
        assertEq(vault.totalLossCovered(), 25e6);
    }

    /* REQUEST WITHDRAW */

    function test_requestWithdraw_escrowsSharesAndRecordsTheRequest() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 expectedAssets = vault.previewRedeem(shares / 4);
        uint64 expectedUnlock = uint64(block.timestamp) + COOLDOWN;
        uint256 supplyBefore = vault.totalSupply();

        vm.expectEmit(address(vault));
        emit IERC20.Transfer(alice, address(vault), shares / 4);
        vm.expectEmit(address(vault));
        emit ITrancheVault.WithdrawRequested(alice, shares / 4, expectedAssets, expectedUnlock);
        assertEq(_request(alice, shares / 4), expectedUnlock);

        (uint256 rShares, uint256 rAssets, uint64 rUnlock) = vault.withdrawRequest(alice);
        assertEq(rShares, shares / 4);
        assertEq(rAssets, expectedAssets);
        assertEq(rUnlock, expectedUnlock);
        assertEq(vault.balanceOf(alice), shares - shares / 4);
        assertEq(vault.balanceOf(address(vault)), shares / 4 + vault.ESCROW_SENTINEL_SHARES());
        assertEq(vault.totalSupply(), supplyBefore, "escrowed shares stay in totalSupply");
    }

    function test_requestWithdraw_revertsWhen_zeroShares() public {
        _deposit(alice, 100e6);
        vm.prank(alice);
        vm.expectRevert(ITrancheVault.ZeroShares.selector);
        vault.requestWithdraw(0);
    }

    function test_requestWithdraw_revertsWhen_requestPending() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlockTime = _request(alice, shares / 2);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ITrancheVault.WithdrawRequestPending.selector, alice, shares / 2, uint64(unlockTime))
        );
        vault.requestWithdraw(1);
    }

    function test_requestWithdraw_revertsWhen_sharesExceedBalance() public {
        uint256 shares = _deposit(alice, 100e6);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, shares, shares + 1)
        );
        vault.requestWithdraw(shares + 1);
    }

    /* CLAIM */

    function test_claim_revertsWhen_noRequest() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NoWithdrawRequest.selector, alice));
        vault.claim();
    }

    function test_claim_revertsWhen_cooldownActive() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlockTime = _request(alice, shares);
        vm.warp(unlockTime - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.CooldownActive.selector, uint64(unlockTime)));
        vault.claim();
    }

    function test_claim_revertsWhen_claimWindowExpired() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlockTime = _request(alice, shares);
        vm.warp(unlockTime + CLAIM_WINDOW + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ITrancheVault.ClaimWindowExpired.selector, uint64(unlockTime + CLAIM_WINDOW))
        );
        vault.claim();
    }

    function test_claim_succeedsAtTheLastSecondOfTheWindow() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlockTime = _request(alice, shares);
        vm.warp(unlockTime + CLAIM_WINDOW);
        assertApproxEqAbs(_claim(alice), 100e6, 1);
    }

    function test_claim_burnsEscrowPaysOwnerAndEmits() public {
        uint256 shares = _deposit(alice, 100e6);
        _deposit(bob, 50e6);
        uint256 unlockTime = _request(alice, shares);
        (, uint256 assetsAtRequest,) = vault.withdrawRequest(alice);
        uint256 supplyBefore = vault.totalSupply();
        vm.warp(unlockTime);

        uint64 settleAt = uint64(block.timestamp) + vault.settlementDelay();
        vm.expectEmit(address(vault));
        emit ITrancheVault.ClaimStarted(alice, shares, assetsAtRequest, settleAt);
        vm.prank(alice);
        (uint256 cap, uint64 at) = vault.claim();
        assertEq(cap, assetsAtRequest);
        assertEq(at, settleAt);
        assertEq(vault.totalSupply(), supplyBefore, "the claimed shares stay escrowed until the settlement");
        (uint256 pShares, uint256 pCap, uint64 pAt) = vault.pendingClaim(alice);
        assertEq(pShares, shares);
        assertEq(pCap, cap);
        assertEq(pAt, settleAt);

        vm.warp(settleAt);
        vm.expectEmit(address(vault));
        emit IERC20.Transfer(address(vault), address(0), shares);
        vm.expectEmit(address(vault));
        emit ITrancheVault.WithdrawClaimed(alice, shares, assetsAtRequest);
        vm.expectEmit(address(vault));
        emit IERC4626.Withdraw(carol, alice, alice, assetsAtRequest, shares);
        vm.prank(carol); // anyone settles; the owner is paid
        assertEq(vault.settleClaim(alice), assetsAtRequest);

        assertEq(usdc.balanceOf(alice), assetsAtRequest);
        assertEq(vault.totalSupply(), supplyBefore - shares);
        assertEq(vault.balanceOf(address(vault)), vault.ESCROW_SENTINEL_SHARES());
        (uint256 rShares, uint256 rAssets, uint64 rUnlock) = vault.withdrawRequest(alice);
        assertEq(rShares + rAssets + rUnlock, 0, "request deleted");
    }

    function test_claim_paysValueNowWhenLowerThanAtRequest() public {
        uint256 shares = _deposit(alice, 100e6);
        _deposit(bob, 100e6);
        _request(alice, shares);
        _coverLoss(50e6); // -25%
        skip(COOLDOWN);
        uint256 valueNow = vault.previewRedeem(shares);
        assertEq(_claim(alice), valueNow);
        assertApproxEqAbs(valueNow, 75e6, 1);
    }

    function test_claim_paysAssetsAtRequestWhenValueRose() public {
        uint256 shares = _deposit(alice, 100e6);
        _deposit(bob, 100e6);
        _request(alice, shares);
        (, uint256 assetsAtRequest,) = vault.withdrawRequest(alice);
        usdc.mint(address(vault), 100e6); // +50%
        skip(COOLDOWN);
        assertEq(_claim(alice), assetsAtRequest);
        // The gain alice did not take stays with bob.
        assertApproxEqAbs(vault.totalAssets(), 200e6, 1);
    }

    function test_claim_cannotBePaidTwice() public {
        uint256 shares = _deposit(alice, 100e6);
        _exit(alice, shares / 2);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NoWithdrawRequest.selector, alice));
        vault.claim();
    }

    function test_requestWithdraw_worksAgainAfterClaim() public {
        uint256 shares = _deposit(alice, 100e6);
        _exit(alice, shares / 2);
        uint256 rest = vault.balanceOf(alice);
        assertApproxEqAbs(_exit(alice, rest), 50e6, 1);
        assertEq(vault.balanceOf(alice), 0);
    }

    /* CANCEL */

    function test_cancelWithdraw_returnsSharesAndEmits() public {
        uint256 shares = _deposit(alice, 100e6);
        _request(alice, shares);
        vm.expectEmit(address(vault));
        emit IERC20.Transfer(address(vault), alice, shares);
        vm.expectEmit(address(vault));
        emit ITrancheVault.WithdrawCancelled(alice, shares, 0);
        vm.prank(alice);
        vault.cancelWithdraw();
        assertEq(vault.balanceOf(alice), shares);
        (uint256 rShares,,) = vault.withdrawRequest(alice);
        assertEq(rShares, 0);
    }

    function test_cancelWithdraw_revertsWhen_noRequest() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NoWithdrawRequest.selector, alice));
        vault.cancelWithdraw();
    }

    function test_cancelWithdraw_afterExpiredWindowThenRequestAgain() public {
        uint256 shares = _deposit(alice, 100e6);
        uint256 unlockTime = _request(alice, shares);
        vm.warp(unlockTime + CLAIM_WINDOW + 1);
        vm.prank(alice);
        vault.cancelWithdraw();
        uint256 newUnlock = _request(alice, shares);
        assertEq(newUnlock, block.timestamp + COOLDOWN, "cooldown restarts");
        vm.warp(newUnlock);
        assertApproxEqAbs(_claim(alice), 100e6, 1);
    }

    function test_cancelWithdraw_keepsLossesSufferedWhileEscrowed() public {
        uint256 shares = _deposit(alice, 100e6);
        _request(alice, shares);
        _coverLoss(30e6);
        vm.prank(alice);
        vault.cancelWithdraw();
        assertApproxEqAbs(vault.previewRedeem(vault.balanceOf(alice)), 70e6, 1);
    }
}
