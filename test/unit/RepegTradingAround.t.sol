// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {Account as PoolAccount} from "../../contracts/interfaces/IPerpTypes.sol";
import {RepegFixture} from "../utils/RepegFixture.sol";

/// @notice RISK 59: trading around a repeg (a position opened before a step and closed after it, in one transaction
/// or across blocks with one step between) never pays, and what the step books as backstop cost is never
/// captured by it: a step moves the mark by 3/4 of a round trip's fees at most. And the step hands nobody a fresh
/// per-block move allowance.
contract RepegTradingAroundTest is RepegFixture {
    address internal attacker = makeAddr("attacker");

    function setUp() public override {
        super.setUp();
        _deposit(attacker, 0, 5_000_000e6);
        _deposit(carol, 0, 10_000e6);
    }

    /* HELPERS */

    /// @dev The attacker's whole claim on the pool: collateral and deferred profit (it holds no position after).
    function _attackerValue() internal view returns (int256) {
        PoolAccount memory a = pool.account(attacker, 0);
        return int256(a.collateral) + int256(uint256(a.unsettledProfit));
    }

    function _attackerTrade(int256 size) internal returns (bool ok) {
        vm.prank(attacker);
        try pool.trade(attacker, 0, ETH, size, size > 0 ? type(uint256).max : 0, block.timestamp) {
            ok = true;
        } catch {}
    }

    function _attackerClose() internal {
        int256 size = pool.position(attacker, 0, ETH).size;
        if (size == 0) return;
        vm.prank(attacker);
        pool.closePosition(attacker, 0, ETH, size < 0 ? type(uint256).max : 0, block.timestamp);
    }

    /// @dev A small trade by someone else, at the end of both runs: funding (and the backstop's share of its
    /// imbalance) accrued to the same time in both.
    function _observerAccrues() internal {
        _trade(carol, ETH, 1e15);
    }

    function _tryRepeg() internal returns (bool stepped) {
        if (lens.marketView(ETH).repegDue) {
            pool.repeg(ETH);
            stepped = true;
        }
    }

    /// @dev The backstop's part: when the step ran in both runs, the backstop ends no worse off with the attacker
    /// than without (the attacker's fees cover what the step paid its position). When the attacker's own trade
    /// closed the gap so that no step ran, it paid fees for nothing: the first check covers it.
    function _assertBackstopLosesNothing(bool steppedWith, bool steppedWithout, int256 with_, int256 without)
        internal
        pure
    {
        if (steppedWith == steppedWithout) assertGe(with_, without, "the backstop loses nothing to it");
    }

    /// @dev Other traders' positions (net long or short, or none), then an index `gapBps` below or above the mark,
    /// held for 20 minutes: a step is due.
    function _market(int256 othersNet, uint256 gapBps, bool indexBelow) internal returns (uint256 index) {
        othersNet = bound(othersNet, -60e18, 60e18);
        if (othersNet >= 1e15) _trade(alice, ETH, othersNet);
        else if (othersNet <= -1e15) _trade(bob, ETH, othersNet);
        gapBps = bound(gapBps, 100, 450); // within the price band: the attacker can always close
        uint256 mark = _mark();
        index = (indexBelow ? mark * (10_000 - gapBps) : mark * (10_000 + gapBps)) / 10_000 / 1e10 * 1e10;
        _crashAndWait(index, 20 minutes);
    }

    /* RISK 59 */

    /// @dev Open (any size, either side), step, close: all at one timestamp (one transaction, or one block).
    function testFuzz_repeg_tradingAroundIt_inOneTransaction_neverPays(
        int256 size,
        int256 othersNet,
        uint256 gapBps,
        bool indexBelow
    ) public {
        _market(othersNet, gapBps, indexBelow);
        size = bound(size, -2000e18, 2000e18);
        vm.assume(size >= 1e15 || size <= -1e15);

        uint256 start = vm.snapshotState();
        int256 claim0 = _backstopClaim();
        bool steppedWithout = _tryRepeg();
        int256 backstopWithout = _backstopClaim() - claim0;
        vm.revertToState(start);

        int256 value0 = _attackerValue();
        claim0 = _backstopClaim();
        _attackerTrade(size);
        bool steppedWith = _tryRepeg();
        _attackerClose();

        assertLe(_attackerValue(), value0, "the attacker ends no richer");
        _assertBackstopLosesNothing(steppedWith, steppedWithout, _backstopClaim() - claim0, backstopWithout);
    }

    /// @dev Open in one block, the step in a later one (after the keeper's funding update when due), close in the
    /// step's block after it, or first thing in the next block (before that block's step).
    function testFuzz_repeg_tradingAroundIt_acrossBlocksWithOneStepBetween_neverPays(
        int256 size,
        int256 othersNet,
        uint256 gapBps,
        bool indexBelow,
        bool closeNextBlock
    ) public {
        uint256 index = _market(othersNet, gapBps, indexBelow);
        size = bound(size, -90e18, 90e18); // a close in a later block stays within that block's move limit
        vm.assume(size >= 1e15 || size <= -1e15);

        uint256 start = vm.snapshotState();
        int256 claim0 = _backstopClaim();
        bool steppedWithout = _keeperBlock(BLOCK, index);
        if (closeNextBlock) _at(block.timestamp + BLOCK, index);
        _observerAccrues();
        int256 backstopWithout = _backstopClaim() - claim0;
        vm.revertToState(start);

        int256 value0 = _attackerValue();
        claim0 = _backstopClaim();
        _attackerTrade(size);
        bool steppedWith = _keeperBlock(BLOCK, index);
        if (closeNextBlock) _at(block.timestamp + BLOCK, index);
        _attackerClose();
        _observerAccrues();

        assertLe(_attackerValue(), value0, "the attacker ends no richer");
        _assertBackstopLosesNothing(steppedWith, steppedWithout, _backstopClaim() - claim0, backstopWithout);
    }

    /// @dev The review's sandwich, at its size (a 100 ETH short into a 4.5 % gap), three times in three blocks.
    function test_repeg_tradingAroundIt_threeTimesAtTheReviewsSize_neverPays() public {
        uint256 index = _market(0, 450, true);
        int256 value0 = _attackerValue();
        int256 claim0 = _backstopClaim();
        for (uint256 i; i < 3; ++i) {
            assertTrue(_attackerTrade(-100e18), "the short opens");
            assertTrue(lens.marketView(ETH).repegDue, "a step is due after it");
            pool.repeg(ETH);
            _attackerClose();
            _at(block.timestamp + BLOCK, index);
        }
        assertLe(_attackerValue(), value0, "the attacker ends no richer");
        assertGe(_backstopClaim(), claim0, "the backstop loses nothing to it");
    }

    /* NO FRESH PER-BLOCK ALLOWANCE */

    /// @dev Base to buy so that the mark (quote / base on a constant product) rises to `target`.
    function _baseToLift(uint256 target) internal view returns (uint256) {
        uint256 b = pool.marketState(ETH).baseReserve;
        uint256 q = pool.marketState(ETH).quoteReserve;
        return b - _sqrt(b * q / target * 1e18);
    }

    function _sqrt(uint256 x) internal pure returns (uint256 y) {
        y = x;
        uint256 z = (x + 1) / 2;
        while (z < y) (y, z) = (z, (x / z + z) / 2);
    }

    /// @dev Away from the index by the block's allowance, then a step, then further away: the step leaves the limit
    /// anchored at the block's first mark, so the second push reverts as it would have without the step.
    function test_repeg_leavesTheBlockMoveLimitAnchoredAtTheBlocksFirstMark() public {
        _crashAndWait(1960e18, 20 minutes); // 2 % below the mark: a step is due; the band allows 2,058
        vm.warp(block.timestamp + BLOCK); // a new block: the attacker's trade is its first call
        _setPrice(ETH, 1960e18);
        uint256 first = _mark();
        assertTrue(lens.marketView(ETH).repegDue, "setup: a step is due");
        // First mark 2,000 is 40 from the index; the block allows 40 + 2 % of 2,000 = 80 away: up to 2,040.
        assertTrue(_attackerTrade(int256(_baseToLift(2035e18))), "within the block's allowance");
        pool.repeg(ETH);
        assertLt(_mark(), 2035e18, "the step moved the mark down");
        uint256 size = _baseToLift(2050e18);
        vm.prank(attacker);
        vm.expectPartialRevert(IPerpPool.BlockMoveLimitExceeded.selector);
        pool.trade(attacker, 0, ETH, int256(size), type(uint256).max, block.timestamp);
        assertEq(pool.marketState(ETH).blockStartMark, first, "still the block's first mark");
    }
}
