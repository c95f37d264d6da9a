// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {Account as PerpAccount, StressResult} from "../../contracts/interfaces/IPerpTypes.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice What the backstop owes once both tranches are wiped (RISK 65, 66): a socialized loss spares the backstop's
/// own inventory, and whatever the backstop still owes and cannot draw (net flow, the inventory's unrealized loss) is
/// socialized over the traders once, by `distributePremium`, so new capital can always enter and starts clean; each
/// loss is counted once however often the keeper settles. And bad debt nets the account's deferred profit before the
/// waterfall, so the stress view's prediction is what junior pays, to the wei.
contract BackstopResidualTest is LiquidationBase {
    address internal newJunior = makeAddr("newJunior");
    address internal newSenior = makeAddr("newSenior");

    /* SETUP: BOTH TRANCHES WIPED, INVENTORY OPEN, NET FLOW OWED */

    /// @dev The fixture LPs leave; 1,000 / 2,000 USDC come in; alice's 45 ETH long is insolvent at 1,700: her bad
    /// debt (> 3,000) wipes both tranches, the rest is socialized over the arbitrageur's short, and the backstop holds
    /// her 45 ETH. Then the index slips to 1,690 under the mark (the inventory is under water) and a positive rate
    /// has the backstop pay the shorts what the few longs do not (it owes net flow).
    function _wipeBothTranches() internal {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _exitFixtureLps();
        _lpDeposit(juniorLp, junior, 1000e6);
        _lpDeposit(seniorLp, senior, 2000e6);
        _crashTo(ETH, 1700e18);
        (, BadDebt memory d) = _liquidateLogged(alice);
        assertGt(d.socialized, 0, "setup: both tranches wiped, the rest socialized");
        assertEq(usdc.balanceOf(address(junior)) + usdc.balanceOf(address(senior)), 0, "setup: both empty");
        assertEq(pool.position(address(0), 0, ETH).size, 45e18, "setup: the inventory holds alice's long");

        pool.updateFunding(ETH); // a fresh funding period
        vm.warp(block.timestamp + 10 minutes);
        _setIndex(ETH, 1690e18); // the mark stays at 1,700: longs pay
        pool.updateFunding(ETH);
        vm.warp(block.timestamp + 1 hours);
        _setIndex(ETH, 1690e18);
        pool.updateFunding(ETH); // accrues the hour: the backstop pays the shorts' excess credit
        (,, int256 net) = pool.pools();
        assertLt(net, 0, "setup: the backstop owes net flow");
        assertLt(lens.inventory()[0].unrealizedPnl - lens.inventory()[0].fundingOwed, 0, "setup: under water");
        assertGt(pool.backstopInventoryLoss(), 0, "setup: a visible loss");
    }

    /* RISK 65: AFTER BOTH TRANCHES ARE WIPED, NEW CAPITAL ENTERS AND STARTS CLEAN */

    function test_bothTranchesWiped_afterSettlement_newDepositsAccepted_startClean_capsReturn() public {
        _wipeBothTranches();
        vm.prank(newJunior);
        vm.expectRevert(ITrancheVault.TrancheWiped.selector);
        junior.deposit(1, newJunior); // the old epoch's residual is still visible: nobody may buy into it

        vm.recordLogs();
        pool.distributePremium();
        assertTrue(_emitted(vm.getRecordedLogs(), IPerpPool.InventoryMarkedToIndex.selector), "evented");
        assertEq(pool.backstopInventoryLoss(), 0, "nothing the old LPs owed is left for the new ones");
        (,, int256 net) = pool.pools();
        assertEq(net, 0, "the owed flow was socialized, not left owed");
        assertEq(pool.position(address(0), 0, ETH).size, 45e18, "the inventory stays open, marked to the index");

        uint256 jShares = _lpDeposit(newJunior, junior, 100_000e6);
        uint256 sShares = _lpDeposit(newSenior, senior, 200_000e6);
        assertApproxEqAbs(junior.previewRedeem(jShares), 100_000e6, 1, "junior shares worth what they paid");
        assertApproxEqAbs(senior.previewRedeem(sShares), 200_000e6, 1, "senior shares worth what they paid");
        assertEq(junior.totalAssets(), 100_000e6, "no residual in junior");
        assertEq(senior.totalAssets(), 200_000e6, "no residual in senior");

        assertEq(pool.syncBackstopCapital(), 300_000e6, "capital comes back");
        _deposit(bob, 0, 10_000e6);
        _trade(bob, ETH, 10e18); // the open-interest cap is back above the open longs
        assertEq(pool.position(bob, 0, ETH).size, 10e18);
    }

    /// @dev A loss socialized over a market never charges the backstop's own inventory there: the tranches are the
    /// ones that could not pay it, and a share charged back to them is a residual that locks out new capital.
    function test_socializedBadDebt_chargesTheTradersOnly_notTheBackstopInventory() public {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _openPosition(carol, ETH, 10_000e6, 20e18);
        _exitFixtureLps();
        _crashTo(ETH, 1850e18);
        _liqLong(alice); // 11.25 ETH to the backstop
        _crashTo(ETH, 1700e18);
        int256 inventoryFunding = lens.inventory()[0].fundingOwed;
        int256 carolBefore = _value(carol);
        int256 arbBefore = _value(arb);
        uint256 visibleBefore = pool.backstopInventoryLoss();
        (, BadDebt memory d) = _liquidateLogged(alice);
        assertGt(d.socialized, 0);
        assertEq(lens.inventory()[0].fundingOwed, inventoryFunding, "the inventory pays nothing");
        uint256 carolPaid = uint256(carolBefore - _value(carol));
        uint256 arbPaid = uint256(arbBefore - _value(arb));
        assertGe(carolPaid + arbPaid, d.socialized, "the traders carry the whole loss");
        // perBase rounds up (at most 1 wei per base unit) and each position's share rounds up (1 wei each).
        uint256 traderOi = _abs(pool.position(carol, 0, ETH).size) + _abs(pool.position(arb, 0, ETH).size);
        assertLe(carolPaid + arbPaid, d.socialized + traderOi / 1e18 + 2, "and no more than it, but rounding");
        assertEq(pool.backstopInventoryLoss(), visibleBefore, "the tranches' visible loss is not raised by it");
    }

    /* RISK 66: EACH LOSS COUNTED ONCE */

    function test_distributePremium_repeated_countsEachLossOnce() public {
        _wipeBothTranches();
        uint256 snap = vm.snapshotState();
        pool.distributePremium();
        bytes32 once = _reported();
        vm.revertToState(snap);
        for (uint256 i; i < 5; ++i) {
            vm.recordLogs();
            pool.distributePremium();
            Vm.Log[] memory logs = vm.getRecordedLogs();
            if (i > 0) {
                assertFalse(_emitted(logs, IPerpPool.LossSocialized.selector), "nothing socialized twice");
                assertFalse(_emitted(logs, IPerpPool.BackstopFundingSettled.selector), "nothing settled twice");
            }
        }
        assertEq(_reported(), once, "shortfall, totals and pool money after 5 calls = after 1");
        (,,,, uint256 shortfall) = backstop.totals();
        assertGt(shortfall, 0);
    }

    /// @dev A profit advance the tranches cannot pay (the LPs left after the last capital sync) is no loss: the
    /// profit stays deferred, nothing is added to the shortfall, and the pool stops asking (its capital is now 0).
    function test_settleProfit_advanceTheEmptyTranchesCannotPay_isNoShortfall_andAskedOnce() public {
        vm.prank(admin);
        pool.setProfitDrawCap(1000);
        _openPosition(bob, ETH, 2000e6, -9e18);
        _crashTo(ETH, 1700e18);
        _close(bob, ETH);
        uint256 deferred = pool.account(bob, 0).unsettledProfit;
        assertGt(deferred, 2000e18, "setup: bob's profit is deferred");
        _exitFixtureLps(); // the pool still has 8 M synced
        assertGt(pool.backstopCapital(), 7_000_000e6, "setup: a stale capital");

        vm.recordLogs();
        pool.settleProfit(bob, 0);
        assertTrue(_emitted(vm.getRecordedLogs(), keccak256("LossAbsorbed(uint8,uint256,uint256,uint256,uint256)")));
        assertEq(pool.backstopCapital(), 0, "a draw paid short means both tranches are empty");
        for (uint256 i; i < 3; ++i) {
            vm.recordLogs();
            pool.settleProfit(bob, 0);
            assertEq(vm.getRecordedLogs().length, 0, "not asked again");
        }
        (,,,, uint256 shortfall) = backstop.totals();
        assertEq(shortfall, 0, "unpaid profit is no loss");
        (uint256 advJ, uint256 advS) = backstop.advances();
        assertEq(advJ + advS, 0);
        assertEq(pool.account(bob, 0).unsettledProfit, deferred, "the profit stays deferred, visibly");
    }

    function _reported() internal view returns (bytes32) {
        (uint256 pj, uint256 ps, uint256 lj, uint256 ls, uint256 shortfall) = backstop.totals();
        (uint256 pnlPool, uint256 pending, int256 net) = pool.pools();
        return keccak256(
            abi.encode(
                pj, ps, lj, ls, shortfall, pnlPool, pending, net, pool.backstopInventoryLoss(), pool.marketState(ETH)
            )
        );
    }

    /* BAD DEBT NETS DEFERRED PROFIT: THE PREDICTION IS WHAT JUNIOR PAYS */

    /// @dev Alice's debt waits on a halted BTC dust position while she earns a liquidator reward that is partly
    /// deferred profit (bob's penalty is paid partly from his deferred profit). When BTC returns, her bad debt runs
    /// down the waterfall: the stress view values her at collateral + deferred profit, and so must the waterfall.
    function test_badDebt_netsDeferredProfitFirst_juniorPaysWhatTheStressViewPredicts() public {
        // Alice: 0.001 BTC (then halted) and 45 ETH on 10k. Bob: a 9 ETH short on 2k.
        _deposit(alice, 0, 10_000e6);
        _trade(alice, BTC, 0.001e18);
        _trade(alice, ETH, 45e18);
        _openPosition(bob, ETH, 2000e6, -9e18);
        vm.warp(block.timestamp + 12);
        _setIndex(BTC, 90_000e18);
        oracle.refresh(BTC);
        vm.warp(block.timestamp + 2 hours); // BTC feeds go stale: halted
        _setIndex(ETH, ETH_PRICE);
        _crashTo(ETH, 1700e18);

        // Bob closes his short while no loss has been collected: his profit is deferred. He takes his margin out and
        // reopens long on his deferred profit, with a few dollars of collateral left.
        _close(bob, ETH);
        PerpAccount memory b = pool.account(bob, 0);
        assertGt(b.unsettledProfit, 2000e18, "setup: bob's profit is deferred");
        vm.prank(bob);
        pool.withdrawMargin(bob, 0, uint256(int256(b.collateral)) / 1e12 - 30, bob);
        _trade(bob, ETH, 15e18);

        // Alice's ETH goes to the backstop; her debt waits on the halted BTC dust.
        (, BadDebt memory first) = _liquidateLogged(alice);
        assertFalse(first.found, "setup: the debt waits");
        assertLt(pool.account(alice, 0).collateral, 0, "setup: alice is in debt");

        // ETH slips: alice liquidates bob; his penalty is paid mostly from deferred profit, her reward with it.
        _crashTo(ETH, 1590e18);
        vm.prank(alice);
        pool.liquidate(bob, 0, type(uint256).max);
        PerpAccount memory a = pool.account(alice, 0);

        // BTC publishes again; what the stress view predicts for alice at the index is what the waterfall takes.
        vm.warp(block.timestamp + 12);
        _setIndex(BTC, 90_000e18);
        _setIndex(ETH, 1590e18);
        address[] memory owners = new address[](1);
        owners[0] = alice;
        StressResult memory r = lens.stressTest(BTC, 0, owners, new uint96[](1));
        uint256 juniorBefore = usdc.balanceOf(address(junior));
        (, BadDebt memory d) = _liquidateLogged(alice);

        assertTrue(d.found);
        assertEq(d.badDebt, r.totalBadDebt, "bad debt = the predicted negative value (collateral + deferred)");
        assertEq(d.juniorPaid, r.juniorLoss, "junior pays what was predicted, to the wei");
        assertGe((juniorBefore - usdc.balanceOf(address(junior))) * 1e12, d.juniorPaid, "paid in whole tokens");
        assertEq(pool.account(alice, 0).unsettledProfit, 0, "no claim survives the waterfall");
        assertEq(a.unsettledProfit, 0, "an account in debt never holds deferred profit: the reward netted her debt");
    }

    function _emitted(Vm.Log[] memory logs, bytes32 topic) internal pure returns (bool) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == topic) return true;
        }
        return false;
    }
}
