// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../contracts/Backstop.sol";
import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {IBackstop} from "../../contracts/interfaces/IBackstop.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {TestUSDC} from "../../contracts/test/TestUSDC.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Stands in for the pool: reports an inventory loss (or reverts), draws on and repays the backstop.
contract MockLossPool {
    Backstop public backstop;
    TestUSDC public immutable usdc;
    uint256 public inventoryLoss;
    bool public broken;

    constructor(TestUSDC usdc_) {
        usdc = usdc_;
    }

    function setBackstop(Backstop backstop_) external {
        backstop = backstop_;
    }

    function setLoss(uint256 loss) external {
        inventoryLoss = loss;
    }

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function backstopInventoryLoss() external view returns (uint256) {
        if (broken) revert("source down");
        return inventoryLoss;
    }

    function draw(uint256 amount, IBackstop.LossKind kind) external returns (uint256, uint256) {
        return backstop.absorbLoss(amount, kind);
    }

    function repay(uint256 toJunior, uint256 toSenior) external {
        usdc.approve(address(backstop), toJunior + toSenior);
        backstop.repayAdvance(toJunior, toSenior);
    }

    function premium(uint256 amount) external {
        usdc.mint(address(this), amount);
        usdc.approve(address(backstop), amount);
        backstop.distributePremium(amount);
    }
}

/// @notice A pool from before issue 9: no `backstopInventoryLoss()`.
contract PlainPool {}

/// @notice RISK-TESTS 54 and 55 (backstop side): advances repaid to the tranche that paid them; the visible loss
/// split junior first and netted from both tranches' prices; queued withdrawals still count as capital.
contract BackstopAdvanceTest is Test {
    TestUSDC internal usdc;
    Backstop internal backstop;
    TrancheVault internal junior;
    TrancheVault internal senior;
    MockLossPool internal pool;
    address internal juniorLp = makeAddr("juniorLp");
    address internal seniorLp = makeAddr("seniorLp");

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestUSDC();
        pool = new MockLossPool(usdc);
        (backstop, junior, senior) = _deploy(address(pool));
        pool.setBackstop(backstop);
        _lp(junior, juniorLp, 10_000e6);
        _lp(senior, seniorLp, 30_000e6);
    }

    function _deploy(address pool_) internal returns (Backstop b, TrancheVault j, TrancheVault s) {
        b = new Backstop(IERC20(address(usdc)), 3, 1);
        j = new TrancheVault(
            IERC20(address(usdc)),
            "Junior",
            "jUSDC",
            trancheConfig(address(b), pool_, address(0), 1 days, 1 days, 1 days)
        );
        s = new TrancheVault(
            IERC20(address(usdc)),
            "Senior",
            "sUSDC",
            trancheConfig(address(b), pool_, address(j), 1 days, 1 days, 1 days)
        );
        b.initialize(pool_, j, s);
    }

    function _lp(TrancheVault v, address who, uint256 assets) internal returns (uint256 shares) {
        usdc.mint(who, assets);
        vm.startPrank(who);
        usdc.approve(address(v), assets);
        shares = v.deposit(assets, who);
        vm.stopPrank();
    }

    /* RISK 54: ADVANCES REPAID TO THE PAYER */

    function test_risk54_juniorAdvance_repaidToJunior_notSplitWithSenior() public {
        pool.draw(3329e6, IBackstop.LossKind.ProfitDraw);
        (uint256 aJ, uint256 aS) = backstop.advances();
        assertEq(aJ, 3329e6);
        assertEq(aS, 0);
        assertEq(junior.grossAssets(), 10_000e6 - 3329e6, "the tokens left");
        assertEq(junior.receivable(), 3329e6, "and the advance is junior's receivable");
        assertEq(junior.totalAssets(), 10_000e6, "its value: the advance is not a loss");

        vm.expectEmit(address(junior));
        emit ITrancheVault.CapitalRestored(3329e6);
        vm.expectEmit(address(backstop));
        emit IBackstop.AdvanceRepaid(3329e6, 0);
        pool.repay(3329e6, 0);

        assertEq(junior.totalAssets(), 10_000e6, "the repayment moves no value either");
        assertEq(junior.receivable(), 0);
        assertEq(junior.unvestedPremium(), 0, "restored capital is not streamed premium");
        assertEq(senior.totalAssets(), 30_000e6, "senior gets nothing it did not pay");
        assertEq(junior.totalCapitalRestored(), 3329e6);
        (aJ, aS) = backstop.advances();
        assertEq(aJ + aS, 0);
    }

    /* RISK 64: ADVANCES ARE TRANCHE VALUE */

    /// @dev Premium still streaming is not a tranche's value yet: an advance never lends it (junior lends its vested
    /// assets, senior the rest), so the advance and its repayment leave both prices where they were even then.
    function testFuzz_risk64_advanceWhilePremiumStreams_lendsOnlyVestedAssets_pricesUnchanged(
        uint256 premium,
        uint256 amount
    ) public {
        pool.premium(bound(premium, 1e6, 30_000e6));
        vm.warp(block.timestamp + 10 minutes);
        amount = bound(amount, 1, 39_000e6);
        uint256 jVested = junior.grossAssets();
        uint256 jPrice = junior.convertToAssets(1e18);
        uint256 sPrice = senior.convertToAssets(1e18);
        (uint256 j, uint256 s) = pool.draw(amount, IBackstop.LossKind.ProfitDraw);
        assertLe(j, jVested, "junior lends at most its vested assets");
        assertEq(junior.convertToAssets(1e18), jPrice, "the advance moves no junior price");
        assertEq(senior.convertToAssets(1e18), sPrice, "nor senior's");
        pool.repay(j, s);
        assertEq(junior.convertToAssets(1e18), jPrice, "the repayment moves no junior price");
        assertEq(senior.convertToAssets(1e18), sPrice, "nor senior's");
    }

    function testFuzz_risk64_advanceAndRepayment_leaveBothSharePricesUnchanged(uint256 amount, uint256 repaid) public {
        amount = bound(amount, 1, 39_000e6);
        uint256 jPrice = junior.convertToAssets(1e18);
        uint256 sPrice = senior.convertToAssets(1e18);
        (uint256 j, uint256 s) = pool.draw(amount, IBackstop.LossKind.ProfitDraw);
        assertEq(junior.convertToAssets(1e18), jPrice, "the advance moves no junior price");
        assertEq(senior.convertToAssets(1e18), sPrice, "nor senior's");
        uint256 toJunior = bound(repaid, 0, j);
        pool.repay(toJunior, s);
        assertEq(junior.convertToAssets(1e18), jPrice, "the repayment moves no junior price");
        assertEq(senior.convertToAssets(1e18), sPrice, "nor senior's");
    }

    function test_risk64_depositAheadOfARepayment_takesNoPartOfIt() public {
        pool.draw(3000e6, IBackstop.LossKind.ProfitDraw);
        address late = makeAddr("late");
        uint256 shares = _lp(junior, late, 10_000e6);
        pool.repay(3000e6, 0);
        assertApproxEqAbs(junior.convertToAssets(shares), 10_000e6, 1, "the late deposit got its own money, no more");
        assertApproxEqAbs(junior.convertToAssets(junior.balanceOf(juniorLp)), 10_000e6, 1, "the payer keeps it");
    }

    function test_risk64_trancheOwedMoreThanTheFloor_isNotWiped_noRestartHandsTheReceivableOver() public {
        pool.draw(10_000e6, IBackstop.LossKind.ProfitDraw); // every junior token advanced
        assertEq(junior.grossAssets(), 0);
        assertFalse(junior.isWiped(), "its receivable is its value");
        address late = makeAddr("late");
        uint256 shares = _lp(junior, late, 1e6);
        assertEq(junior.epoch(), 0, "no restart");
        pool.repay(10_000e6, 0);
        assertApproxEqAbs(junior.convertToAssets(shares), 1e6, 1, "1 USDC in, 1 USDC worth: not the receivable");
        assertApproxEqAbs(junior.convertToAssets(junior.balanceOf(juniorLp)), 10_000e6, 1, "the old LP keeps it");
    }

    function test_risk64_dustReceivableAtARestart_isWrittenOff_itsRepaymentStreams() public {
        pool.draw(5, IBackstop.LossKind.ProfitDraw); // 5 wei owed: below the 10,000-wei floor of 10,000 USDC
        pool.draw(10_000e6 - 5, IBackstop.LossKind.BadDebt);
        assertTrue(junior.isWiped());
        address late = makeAddr("late");
        uint256 shares = _lp(junior, late, 1000e6);
        assertEq(junior.epoch(), 1, "restarted");
        assertEq(junior.receivable(), 0, "the old epoch's dust receivable is not the new epoch's value");
        pool.repay(5, 0);
        assertEq(junior.convertToAssets(shares), 1000e6, "its repayment does not count at once");
        assertEq(junior.unvestedPremium(), 5, "it streams in like premium");
    }

    function test_risk54_advanceSpanningBothTranches_eachRepaidWhatItPaid() public {
        (uint256 j, uint256 s) = pool.draw(12_000e6, IBackstop.LossKind.ProfitDraw);
        assertEq(j, 10_000e6);
        assertEq(s, 2000e6);
        pool.repay(1000e6, 500e6); // partial
        assertEq(junior.grossAssets(), 1000e6);
        assertEq(senior.grossAssets(), 28_500e6);
        pool.repay(9000e6, 1500e6);
        assertEq(junior.totalAssets(), 10_000e6);
        assertEq(senior.totalAssets(), 30_000e6);
    }

    function test_risk54_repayAdvance_revertsWhen_moreThanOwed() public {
        pool.draw(100e6, IBackstop.LossKind.ProfitDraw);
        pool.draw(50e6, IBackstop.LossKind.BadDebt); // not an advance
        usdc.mint(address(pool), 1e6);
        vm.expectRevert(abi.encodeWithSelector(IBackstop.RepayExceedsAdvance.selector, 101e6, 0, 100e6, 0));
        pool.repay(101e6, 0);
        vm.expectRevert(abi.encodeWithSelector(IBackstop.RepayExceedsAdvance.selector, 0, 1, 100e6, 0));
        pool.repay(0, 1);
    }

    function test_repayAdvance_revertsWhen_notPool() public {
        vm.expectRevert(abi.encodeWithSelector(IBackstop.OnlyPool.selector, address(this)));
        backstop.repayAdvance(0, 0);
    }

    function test_restoreCapital_revertsWhen_notBackstop() public {
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotBackstop.selector, address(this)));
        junior.restoreCapital(1);
    }

    function test_fuzz_risk54_repaidPerTranche_equalsAdvancedPerTranche(uint256 a, uint256 b, uint256 part) public {
        a = bound(a, 0, 40_000e6);
        b = bound(b, 0, 40_000e6);
        (uint256 j1, uint256 s1) = pool.draw(a, IBackstop.LossKind.ProfitDraw);
        (uint256 j2, uint256 s2) = pool.draw(b, IBackstop.LossKind.ProfitDraw);
        uint256 toJ = bound(part, 0, j1 + j2);
        uint256 toS = (s1 + s2) / 2;
        pool.repay(toJ, toS);
        pool.repay(j1 + j2 - toJ, s1 + s2 - toS);
        assertEq(junior.totalCapitalRestored(), j1 + j2, "junior got back exactly what it advanced");
        assertEq(senior.totalCapitalRestored(), s1 + s2, "senior got back exactly what it advanced");
        assertEq(junior.totalAssets(), 10_000e6);
        assertEq(senior.totalAssets(), 30_000e6);
    }

    /* RISK 55: THE VISIBLE LOSS, JUNIOR FIRST */

    function test_risk55_visibleLoss_juniorFirst_thenSenior() public {
        assertTrue(backstop.inventoryLossTracked());
        pool.setLoss(4000e6);
        (uint256 lj, uint256 ls) = backstop.visibleLoss();
        assertEq(lj, 4000e6);
        assertEq(ls, 0);
        assertEq(junior.totalAssets(), 6000e6);
        assertEq(senior.totalAssets(), 30_000e6);

        pool.setLoss(15_000e6);
        (lj, ls) = backstop.visibleLoss();
        assertEq(lj, 10_000e6);
        assertEq(ls, 5000e6);
        assertEq(junior.totalAssets(), 0);
        assertEq(senior.totalAssets(), 25_000e6);
        assertEq(backstop.capital(), 25_000e6, "capital net of the visible loss caps open interest");
        assertEq(junior.maxDeposit(juniorLp), 0, "new junior money would pay senior's part");
    }

    function test_risk55_claimAheadOfAVisibleLoss_bearsItsShare() public {
        address whale = makeAddr("whale");
        uint256 shares = _lp(junior, whale, 10_000e6); // half of junior
        vm.prank(whale);
        junior.requestWithdraw(shares);
        skip(1 days);
        pool.setLoss(4000e6); // an account already shows the loss at the index
        vm.prank(whale);
        (, uint64 settleAt) = junior.claim();
        vm.warp(settleAt);
        uint256 paid = junior.settleClaim(whale);
        assertApproxEqAbs(paid, 8000e6, 1, "the claim bears half the visible loss");
        assertApproxEqAbs(junior.totalAssets(), 8000e6, 1, "the LP who stayed bears only the other half");
    }

    function test_risk55_sourceReverts_lossUnknown_nothingPricedNothingPaid() public {
        pool.setBroken(true);
        (, bool known) = backstop.inventoryLoss();
        assertFalse(known);
        vm.expectRevert(IBackstop.InventoryLossUnknown.selector);
        backstop.capital(); // no capital figure (so no open interest) from an unknown loss
        (uint256 lj, uint256 ls) = backstop.visibleLoss();
        assertEq(lj, 10_000e6);
        assertEq(ls, 30_000e6);
        vm.prank(juniorLp);
        vm.expectRevert(ITrancheVault.VisibleLossUnknown.selector);
        junior.requestWithdraw(1);
    }

    function test_poolWithoutInventory_isNotTracked_lossZero() public {
        (Backstop b, TrancheVault j,) = _deploy(address(new PlainPool()));
        assertFalse(b.inventoryLossTracked());
        (uint256 loss, bool known) = b.inventoryLoss();
        assertEq(loss, 0);
        assertTrue(known);
        assertEq(j.maxDeposit(juniorLp), type(uint256).max);
        assertEq(j.lossSource(), address(0), "the vault's own probe agrees: not tracked");
    }

    /* CAPITAL: QUEUED WITHDRAWALS STILL COUNT */

    function test_capital_countsEscrowedShares_untilClaimed_soARollingRequestCannotShrinkTheCap() public {
        uint256 cap = backstop.capital();
        uint256 shares = junior.balanceOf(juniorLp);
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);
        assertEq(backstop.capital(), cap, "a request does not shrink the cap");
        skip(1 days);
        vm.prank(juniorLp);
        (, uint64 settleAt) = junior.claim();
        assertEq(backstop.capital(), cap, "a claim still settling does not either: its shares still bear losses");
        vm.warp(settleAt);
        junior.settleClaim(juniorLp);
        assertEq(backstop.capital(), cap - 10_000e6, "the settlement does");
    }

    /* INVARIANT-STYLE: PREMIUM RECEIVED BY EACH TRANCHE EQUALS WHAT WAS PAID TO IT */

    function test_fuzz_premiumReceivedPerTranche_equalsPaidToIt(uint256[4] memory amounts) public {
        for (uint256 i; i < 4; ++i) {
            pool.premium(bound(amounts[i], 0, 1e12));
            skip(1 hours);
        }
        (uint256 pJ, uint256 pS,,,) = backstop.totals();
        assertEq(junior.totalPremiumReceived(), pJ);
        assertEq(senior.totalPremiumReceived(), pS);
    }
}
