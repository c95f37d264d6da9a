// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {Account as PerpAccount} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice RISK 53: an account living on deferred profit (its collateral withdrawn, thousands of profit waiting
/// for collected losses) wash-trades and is liquidated: every fee and penalty it is charged reaches premium or is
/// netted from that profit (owed to the backstop out of the surplus it frees); it never runs a collateral debt
/// while it keeps its claim, and the tranches pay none of it.
contract FeeNettingTest is LiquidationBase {
    struct Money {
        int256 collateral;
        uint256 deferred;
        uint256 premium;
        int256 backstopNet;
        uint256 juniorAssets;
        uint256 seniorAssets;
        uint256 trancheLosses;
    }

    function setUp() public override {
        super.setUp();
        // Alice buys first, bob after her at a higher mark; alice closes in profit while no loss is collected yet:
        // the profit is deferred. Then she withdraws every token of collateral.
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
        _trade(alice, ETH, 90e18);
        vm.warp(block.timestamp + 1);
        for (uint256 k; k < 3; ++k) {
            vm.warp(block.timestamp + 1); // one buy per block: the per-block move limit
            _trade(bob, ETH, 50e18);
        }
        vm.warp(block.timestamp + 1);
        _close(alice, ETH);
        uint256 all = uint256(_collateral(alice)) / 1e12;
        vm.prank(alice);
        pool.withdrawMargin(alice, 0, all, alice);
        assertGt(pool.account(alice, 0).unsettledProfit, 3000e18, "setup: thousands of deferred profit");
        assertLt(_collateral(alice), 1e12, "setup: no token of collateral left");
    }

    function _money(address who) internal view returns (Money memory m) {
        PerpAccount memory a = pool.account(who, 0);
        m.collateral = a.collateral;
        m.deferred = a.unsettledProfit;
        (, m.premium, m.backstopNet) = pool.pools();
        m.juniorAssets = junior.totalAssets();
        m.seniorAssets = senior.totalAssets();
        (,, uint256 jl, uint256 sl, uint256 sf) = backstop.totals();
        m.trancheLosses = jl + sl + sf;
    }

    /// @dev Sums the fee and realized PnL of the PositionChanged events of `who`.
    function _feesAndPnl(Vm.Log[] memory logs, address who) internal pure returns (uint256 fees, int256 pnl) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IPerpPool.PositionChanged.selector) continue;
            if (address(uint160(uint256(logs[i].topics[1]))) != who) continue;
            (,,,, int256 realized, uint256 fee,) =
                abi.decode(logs[i].data, (int256, int256, int256, int256, int256, uint256, uint256));
            fees += fee;
            pnl += realized;
        }
    }

    function test_washTrading_onDeferredProfit_everyFeeReachesPremiumOrIsNetted() public {
        Money memory m0 = _money(alice);
        uint256 feesTotal;
        int256 pnlTotal;
        for (uint256 k; k < 25; ++k) {
            vm.warp(block.timestamp + 12);
            _refreshFeeds();
            vm.recordLogs();
            _trade(alice, ETH, 10e18);
            _trade(alice, ETH, -10e18);
            (uint256 fees, int256 pnl) = _feesAndPnl(vm.getRecordedLogs(), alice);
            assertGt(fees, 0);
            feesTotal += fees;
            pnlTotal += pnl;
            PerpAccount memory a = pool.account(alice, 0);
            if (a.unsettledProfit != 0) assertGe(a.collateral, 0, "no fee debt while the claim lasts");
        }
        Money memory m1 = _money(alice);
        assertEq(
            (m1.collateral + int256(m1.deferred)) - (m0.collateral + int256(m0.deferred)),
            pnlTotal - int256(feesTotal),
            "the account paid every fee, out of its claim"
        );
        assertLt(m1.deferred, m0.deferred, "netted from the deferred profit");
        assertEq(
            int256(m1.premium - m0.premium) + (m1.backstopNet - m0.backstopNet),
            int256(feesTotal),
            "every fee reached premium or is owed to the backstop"
        );
        assertEq(m1.juniorAssets, m0.juniorAssets, "junior pays none of it");
        assertEq(m1.seniorAssets, m0.seniorAssets, "senior pays none of it");
        assertEq(m1.trancheLosses, m0.trancheLosses);
    }

    /// @dev The same account opens on its deferred profit and is liquidated: the penalty comes out of the claim;
    /// the caller's share moves to the caller as a claim, the rest is owed to the backstop; no collateral debt.
    function test_liquidation_onDeferredProfit_penaltyNettedFromTheClaim() public {
        vm.warp(block.timestamp + 12);
        _refreshFeeds();
        // About 5x on the claim; at 1,700 the account is below maintenance (~0.09 D of value against ~0.21 D).
        uint256 d = pool.account(alice, 0).unsettledProfit;
        _trade(alice, ETH, int256(d * 5 / 2000));
        _crashTo(ETH, 1700e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable, "setup: due");
        Money memory m0 = _money(alice);
        PerpAccount memory l0 = pool.account(liquidator, 0);

        (LiquidationLog memory l,) = _liquidateLogged(alice);

        assertGt(l.penalty, 0);
        Money memory m1 = _money(alice);
        PerpAccount memory l1 = pool.account(liquidator, 0);
        assertGt(m1.deferred, 0, "the claim is not used up");
        assertGe(m1.collateral, 0, "no collateral debt while the claim lasts");
        int256 rewardTaken = (int256(l1.collateral) - int256(l0.collateral))
            + (int256(uint256(l1.unsettledProfit)) - int256(uint256(l0.unsettledProfit)));
        assertEq(rewardTaken, int256(l.reward), "the caller's share");
        assertEq(
            int256(m1.premium - m0.premium) + (m1.backstopNet - m0.backstopNet) + rewardTaken,
            int256(l.penalty),
            "every wei of the penalty reached the caller, premium or the backstop's claim"
        );
        assertEq(m1.juniorAssets, m0.juniorAssets, "the tranches pay none of it");
        assertEq(m1.trancheLosses, m0.trancheLosses);
    }
}
