// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationBase} from "../utils/LiquidationBase.sol";

/// @notice RISK 61: the backstop's inventory leaves only at a price bounded against the index, never against a mark a
/// caller can move. The review's sandwich (push the mark down, unwind the backstop's long on the curve, buy back) is
/// stated as the property it broke: with the index held still, moving the mark before or after a sale, in one
/// transaction or across blocks, never makes the taker richer or the backstop poorer than the same sale with the
/// mark untouched. And a taker that liquidates its own second account into the inventory and takes it back never
/// ends richer than it started (the discount is bounded by the backstop's share of the penalty, not the caller's).
contract InventorySaleRiskTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    struct Outcome {
        int256 attackerValue; // the attacker's account value at the index (collateral, PnL, deferred profit)
        int256 backstopNet; // the backstop's unsettled net flow (its realized inventory PnL is booked there)
        int256 backstopSize;
        int256 backstopOpenNotional;
        uint256 budget;
        uint256 inventoryLoss;
    }

    function _inventoryFromOneStep() internal {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _crashTo(ETH, 1850e18);
        assertEq(_liqLong(alice), 11.25e18);
        _deposit(attacker, 0, 200_000e6);
    }

    function _wait(uint256 secs) internal {
        vm.warp(block.timestamp + secs);
        _refreshFeeds();
    }

    function _outcome() internal view returns (Outcome memory o) {
        o.attackerValue = lens.accountHealth(attacker, 0).value;
        (,, o.backstopNet) = pool.pools();
        o.backstopSize = pool.position(address(0), 0, ETH).size;
        o.backstopOpenNotional = pool.position(address(0), 0, ETH).openNotional;
        o.budget = pool.inventorySale(ETH).budget;
        o.inventoryLoss = pool.backstopInventoryLoss();
    }

    function _take(uint256 maxBase) internal {
        vm.prank(attacker);
        pool.takeInventory(ETH, 0, maxBase, type(uint256).max, block.timestamp);
    }

    /// @dev `size` base on the curve, bounded so the band and the per-block limit let two of them through in one
    /// block (at most 45 ETH of a 10,000 ETH reserve: ~0.9 % of mark each, the block allows 2 %).
    function _boundTrade(int256 seed) internal pure returns (int256) {
        // Whole milli-ETH (the minimum size): the attacker's position never lands on dust, whatever it sums to.
        int256 s = seed % 45e18 / 1e15 * 1e15;
        if (s == 0) s = seed < 0 ? -1e15 : int256(1e15);
        return s;
    }

    /// @dev RISK 61, in one transaction: trade the mark anywhere the guards allow, take, trade back.
    function test_fuzz_movingTheMarkAroundASale_neverMakesTheTakerRicherOrTheBackstopPoorer(
        int256 beforeSeed,
        int256 afterSeed,
        uint256 waitSeed,
        uint256 sizeSeed
    ) public {
        _inventoryFromOneStep();
        _wait(bound(waitSeed, 0, 40 minutes));
        uint256 maxBase = bound(sizeSeed, 1, 11_250) * 1e15;
        int256 pre = _boundTrade(beforeSeed);
        int256 post = _boundTrade(afterSeed);

        uint256 snap = vm.snapshotState();
        _take(maxBase);
        Outcome memory honest = _outcome();
        vm.revertToState(snap);

        _tradeSub(attacker, 0, ETH, pre);
        _take(maxBase);
        _tradeSub(attacker, 0, ETH, post);
        if (pre + post != 0) _tradeSub(attacker, 0, ETH, -(pre + post)); // flat on the curve again
        Outcome memory moved = _outcome();

        _assertNoBetter(honest, moved);
    }

    /// @dev RISK 61, across blocks: the mark is moved in the block before the sale (as far as two blocks' limits
    /// allow) and moved back in the blocks after; compared with the same sale, in the same block, mark untouched.
    function test_fuzz_movingTheMarkAcrossBlocks_neverMakesTheTakerRicherOrTheBackstopPoorer(
        int256 firstSeed,
        int256 secondSeed,
        uint256 gapSeed,
        uint256 sizeSeed
    ) public {
        _inventoryFromOneStep();
        uint256 gap = bound(gapSeed, 1, 10 minutes);
        uint256 maxBase = bound(sizeSeed, 1, 11_250) * 1e15;
        int256 first = _boundTrade(firstSeed);
        int256 second = _boundTrade(secondSeed);
        // Both trades push the mark the same way (a sandwich builds its move over blocks).
        if ((first > 0) != (second > 0)) second = -second;

        uint256 snap = vm.snapshotState();
        _wait(gap);
        _wait(gap);
        _take(maxBase);
        _wait(gap);
        _wait(gap);
        Outcome memory honest = _outcome();
        vm.revertToState(snap);

        _wait(gap);
        _tradeSub(attacker, 0, ETH, first);
        _wait(gap);
        _tradeSub(attacker, 0, ETH, second);
        _take(maxBase);
        _wait(gap);
        _tradeSub(attacker, 0, ETH, -second);
        _wait(gap);
        _tradeSub(attacker, 0, ETH, -first);
        Outcome memory moved = _outcome();

        _assertNoBetter(honest, moved);
    }

    function _assertNoBetter(Outcome memory honest, Outcome memory moved) internal pure {
        assertLe(moved.attackerValue, honest.attackerValue, "the taker is never richer for moving the mark");
        assertEq(moved.backstopSize, honest.backstopSize, "the same inventory left");
        assertEq(moved.backstopOpenNotional, honest.backstopOpenNotional, "at the same entry");
        assertEq(moved.budget, honest.budget, "the same discount granted");
        assertGe(moved.backstopNet, honest.backstopNet, "the backstop's proceeds do not depend on the mark");
        assertLe(moved.inventoryLoss, honest.inventoryLoss, "nor the loss the tranches see");
    }

    /// @dev The attacker opens a leveraged long in its second account hedged by a short in its cross account (price
    /// risk cancels), lets the index fall until the long is liquidatable, liquidates it itself (the caller's share of
    /// the penalty comes back to it), waits any time for the discount and takes the inventory back into its cross
    /// account (netting its short). Everything it holds, valued at the index, never exceeds what it put in.
    function test_fuzz_takerLiquidatingItsOwnSecondAccount_neverEndsRicher(uint256 waitSeed, uint256 sizeSeed) public {
        int256 size = int256(bound(sizeSeed, 10e18, 40e18));
        uint256 margin1 = uint256(size) * 220 / 1e12; // 11 % of the notional at 2,000: just above initial margin
        uint256 deposited = 20_000e6 + margin1;
        _deposit(attacker, 0, 20_000e6);
        _deposit(attacker, 1, margin1);
        _tradeSub(attacker, 1, ETH, size);
        _tradeSub(attacker, 0, ETH, -size);
        _crashTo(ETH, 1870e18);
        assertTrue(lens.accountHealth(attacker, 1).liquidatable, "setup: the second account is due");
        assertGt(lens.accountHealth(attacker, 1).value, 0, "solvent: it pays a penalty");
        vm.prank(attacker);
        pool.liquidate(attacker, 1, type(uint256).max);
        assertGt(pool.inventorySale(ETH).budget, 0);

        _wait(bound(waitSeed, 0, 3 hours));
        vm.prank(attacker);
        pool.takeInventory(ETH, 0, type(uint256).max, type(uint256).max, block.timestamp);

        int256 end = lens.accountHealth(attacker, 0).value + lens.accountHealth(attacker, 1).value;
        assertLe(end, int256(deposited) * 1e12, "never richer than it started");
    }
}
