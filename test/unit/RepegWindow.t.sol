// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarketView} from "../../contracts/interfaces/IPerpTypes.sol";
import {RepegFixture} from "../utils/RepegFixture.sol";

/// @notice RISK 60: the repeg measures its own window, which no other call restarts: a due step runs whoever updates
/// funding or trades in the same block or second, for any allowed funding interval; the window is never shorter
/// than REPEG_MIN_WINDOW and never much longer than twice it; and the review's scenario (a 6 % gap for 3 hours,
/// funding updated every interval before the repeg) converges.
contract RepegWindowTest is RepegFixture {
    uint256 internal constant INDEX = 1880e18; // 6 % below the mark

    function setUp() public override {
        super.setUp();
        _deposit(carol, 0, 100_000e6);
    }

    /// @dev Someone else's small trade (the mark sits beyond the price band: only trades toward the index pass).
    function _smallTrade() internal {
        _trade(carol, ETH, -1e15);
    }

    /// @dev The stop rule's second half: the mark now is still beyond the funding cap above the index.
    function _markBeyondTheCap() internal view returns (bool) {
        return _mark() * 10_000 > INDEX * (10_000 + THRESHOLD_BPS);
    }

    /// @dev The review's scenario 2: for 3 hours the index sits 6 % below the mark, the keeper updates funding at
    /// every interval (10 minutes, the repeg's window) and then, in the same block, steps while the lens says due.
    /// The old code let each funding update restart the repeg's window: 18 funding updates, no repeg.
    function test_repeg_fundingEveryIntervalFirst_theMarkStillConvergesToWithinTheFundingCap() public {
        _crashAndWait(INDEX, 0);
        uint256 fundingUpdates;
        uint256 steps;
        uint256 end = block.timestamp + 3 hours;
        while (block.timestamp < end) {
            _at(block.timestamp + BLOCK, INDEX);
            if (block.timestamp >= lens.marketView(ETH).nextFundingUpdate) {
                pool.updateFunding(ETH);
                ++fundingUpdates;
            }
            if (lens.marketView(ETH).repegDue) {
                pool.repeg(ETH);
                ++steps;
            }
        }
        assertGe(fundingUpdates, 17, "funding ran every interval");
        assertGt(steps, 30, "the repeg ran, in small steps");
        assertLe(_mark(), INDEX * (10_000 + THRESHOLD_BPS) / 10_000, "the mark is within the funding cap of the index");
    }

    /// @dev A step is due; funding is updated in the same second (the keeper's order), and it is still due and runs.
    function test_repeg_dueBeforeAFundingUpdateInTheSameSecond_stillRuns() public {
        _crashAndWait(INDEX, 20 minutes);
        assertTrue(lens.marketView(ETH).repegDue, "setup: due");
        pool.updateFunding(ETH);
        assertTrue(lens.marketView(ETH).repegDue, "a funding update does not restart the window");
        pool.repeg(ETH);
        // And a step in the same second as the next funding update, after it: the step is not marked as done.
        _at(block.timestamp + 10 minutes, INDEX);
        pool.repeg(ETH);
        _at(block.timestamp + 1, INDEX);
        pool.updateFunding(ETH);
        assertTrue(lens.marketView(ETH).repegDue, "a funding update does not mark the next second's step as done");
        pool.repeg(ETH);
    }

    /// @dev For any allowed funding interval, with funding updates, others' trades and the repeg in any order
    /// within each block and blocks 1 to 90 seconds apart: whenever a step is due at the start of a block it is
    /// still due after the funding update and the trades and it runs; the window is always at least the minimum
    /// and less than twice it plus the longest time between two calls that roll it; and within 3 hours the mark
    /// is within the funding cap of the index.
    /// forge-config: default.fuzz.runs = 48
    /// forge-config: ci.fuzz.runs = 128
    function testFuzz_repeg_dueStepRunsWhoeverUpdatesFundingOrTradesInTheSameBlock(uint256 interval, uint256 seed)
        public
    {
        interval = bound(interval, 1, 1 days);
        _setConfig(FEE_BPS, MAX_MOVE_BPS, THRESHOLD_BPS, interval);
        _crashAndWait(INDEX, 0);
        uint256 end = block.timestamp + 3 hours;
        uint256 lastRoll = block.timestamp; // the setUp's funding update
        uint256 longestGap;
        while (block.timestamp < end) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 dt = 1 + seed % 90;
            _at(block.timestamp + dt, INDEX);
            if (block.timestamp - lastRoll > longestGap) longestGap = block.timestamp - lastRoll;
            bool due = lens.marketView(ETH).repegDue;
            bool fundingFirst = (seed >> 8) % 2 == 0;
            bool trade = (seed >> 16) % 3 == 0;
            if (trade) _smallTrade();
            if (fundingFirst && block.timestamp >= lens.marketView(ETH).nextFundingUpdate) {
                pool.updateFunding(ETH);
                lastRoll = block.timestamp;
            }
            MarketView memory v = lens.marketView(ETH);
            uint256 windowLength = block.timestamp - v.repegWindowStart;
            assertGe(windowLength, WINDOW, "the window is never shorter than the minimum");
            assertLt(windowLength, 2 * WINDOW + longestGap + 1, "nor longer than twice it plus the longest gap");
            if (due && _markBeyondTheCap()) assertTrue(v.repegDue, "still due after funding and trades in the block");
            if (v.repegDue) {
                pool.repeg(ETH);
                lastRoll = block.timestamp;
            }
            if (!fundingFirst && block.timestamp >= lens.marketView(ETH).nextFundingUpdate) {
                pool.updateFunding(ETH);
                lastRoll = block.timestamp;
            }
        }
        assertLe(_mark(), INDEX * (10_000 + THRESHOLD_BPS) / 10_000, "the mark is within the funding cap of the index");
    }
}
