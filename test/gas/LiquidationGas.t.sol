// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {LadderRiskGrid} from "../utils/LadderRiskGrid.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice Gas of liquidation (a transfer at the index to the backstop account), the keeper batch, the inventory
/// sale and the repeg, each its own transaction (`forge test --isolate`), recorded in
/// snapshots/LiquidationGas.json. The oracle was already refreshed in the block (as a keeper's oracle task does).
contract LiquidationGas is PoolFixture {
    uint256 internal constant BATCH = 20;

    function setUp() public override {
        super.setUp();
        _deposit(bob, 0, 1_000_000e6);
        _trade(bob, ETH, -5e18);
        _deposit(alice, 0, 1000e6);
        _trade(alice, ETH, 4e18);
        RiskEngine engine = LadderRiskGrid.deploy(); // netting on (a one-market account never calls it)
        vm.prank(admin);
        pool.setRiskEngine(engine);
        vm.warp(block.timestamp + 1);
    }

    /// @dev `_seedInventory`, then a BTC short liquidated too (the backstop holds both markets), and both indices back
    /// at their listing prices.
    function _seedBothInventories() internal {
        _seedInventory();
        address early = makeAddr("earlyBtc");
        _deposit(early, 0, 320e6);
        _trade(early, BTC, -0.05e18);
        vm.warp(block.timestamp + 1);
        _setPrice(BTC, 64_800e18);
        oracle.refresh(BTC);
        vm.prank(liquidator);
        pool.liquidate(early, 0, type(uint256).max);
        assertLt(pool.position(address(0), 0, BTC).size, 0, "setup: the backstop holds a BTC short");
        vm.warp(block.timestamp + 1);
        _setPrice(ETH, ETH_PRICE);
        _setPrice(BTC, BTC_PRICE);
        oracle.refresh(ETH);
        oracle.refresh(BTC);
    }

    /// @dev A hedged two-market account: long `eth` ETH, short `btc` BTC, on `margin` (netted initial margin).
    function _openHedge(address who, uint256 margin, int256 eth, int256 btc) internal {
        _deposit(who, 0, margin);
        _trade(who, ETH, eth);
        _trade(who, BTC, -btc);
    }

    /// @dev Gives the backstop an ETH long already (the steady state: its inventory slots are warm and non-zero).
    function _seedInventory() internal {
        address early = makeAddr("early");
        _deposit(early, 0, 250e6);
        _trade(early, ETH, 1e18);
        _crashTo(1800e18);
        vm.prank(liquidator);
        pool.liquidate(early, 0, type(uint256).max);
        vm.warp(block.timestamp + 1);
        oracle.refresh(ETH);
    }

    function _crashTo(uint256 price) internal {
        vm.warp(block.timestamp + 1);
        _setPrice(ETH, price);
        oracle.refresh(ETH);
    }

    function test_gas_liquidate_partial() public {
        _seedInventory();
        assertTrue(lens.accountHealth(alice, 0).liquidatable);
        assertGt(lens.accountHealth(alice, 0).value, 0);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate partial");
        assertGt(pool.position(alice, 0, ETH).size, 0, "a partial step leaves part of the position");
    }

    function test_gas_liquidate_partial_emptyInventory() public {
        _crashTo(1800e18);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate partial (backstop's first position in the market)");
        assertGt(pool.position(address(0), 0, ETH).size, 0, "the backstop holds the transferred long");
    }

    function test_gas_liquidate_badDebt() public {
        _seedInventory();
        _crashTo(1720e18);
        assertLt(lens.accountHealth(alice, 0).value, 0);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate bad debt");
        assertEq(pool.position(alice, 0, ETH).size, 0);
        assertEq(pool.account(alice, 0).collateral, 0, "bad debt ran down the waterfall");
    }

    function test_gas_liquidateMany_perAccount() public {
        _seedInventory();
        bytes32[] memory ids = new bytes32[](BATCH);
        _setPrice(ETH, ETH_PRICE);
        vm.warp(block.timestamp + 1);
        oracle.refresh(ETH);
        for (uint256 i; i < BATCH; ++i) {
            address t = makeAddr(string.concat("target", vm.toString(i)));
            _deposit(t, 0, 250e6);
            _trade(t, ETH, 1e18);
            ids[i] = pool.accountId(t, 0);
        }
        vm.warp(block.timestamp + 1);
        _crashTo(1830e18);
        pool.liquidateMany(ids);
        uint256 total = vm.snapshotGasLastCall("liquidateMany 20 accounts");
        vm.snapshotValue("liquidateMany per account", total / BATCH);
        for (uint256 i; i < BATCH; ++i) {
            address t = address(uint160(uint256(ids[i]) >> 96));
            assertLt(pool.position(t, 0, ETH).size, 1e18, "every account was stepped down the ladder");
        }
    }

    /// @dev Long 10 ETH, short 0.33 BTC (netted maintenance ~1,000 of an additive ~2,000); ETH falls 6 %: one step
    /// transfers 25 % of both legs (the backstop already holds both markets).
    function test_gas_liquidate_partial_twoMarkets() public {
        _seedBothInventories();
        address desk = makeAddr("desk");
        _openHedge(desk, 2100e6, 10e18, 0.33e18);
        _crashTo(1880e18);
        oracle.refresh(BTC); // the keeper's oracle task refreshed every market in the block
        assertTrue(lens.accountHealth(desk, 0).liquidatable);
        vm.prank(liquidator);
        pool.liquidate(desk, 0, type(uint256).max);
        vm.snapshotGasLastCall("liquidate partial (2 markets)");
        assertEq(pool.position(desk, 0, ETH).size, 7.5e18, "a partial step leaves part of each leg");
        assertEq(pool.position(desk, 0, BTC).size, -0.2475e18, "the same fraction of the short");
    }

    /// @dev Twenty hedged accounts (long 1 ETH, short 0.033 BTC), ETH falls 8 %: one batch steps each down the ladder.
    function test_gas_liquidateMany_perAccount_twoMarkets() public {
        _seedBothInventories();
        bytes32[] memory ids = new bytes32[](BATCH);
        for (uint256 i; i < BATCH; ++i) {
            address t = makeAddr(string.concat("hedge", vm.toString(i)));
            _openHedge(t, 240e6, 1e18, 0.033e18);
            ids[i] = pool.accountId(t, 0);
        }
        vm.warp(block.timestamp + 1);
        _crashTo(1840e18);
        oracle.refresh(BTC);
        pool.liquidateMany(ids);
        uint256 total = vm.snapshotGasLastCall("liquidateMany 20 accounts (2 markets)");
        vm.snapshotValue("liquidateMany per account (2 markets)", total / BATCH);
        for (uint256 i; i < BATCH; ++i) {
            address t = address(uint160(uint256(ids[i]) >> 96));
            assertEq(pool.position(t, 0, ETH).size, 0.75e18, "every account was stepped down the ladder");
            assertLt(pool.position(t, 0, BTC).size, 0, "keeping its hedge");
        }
    }

    /// @dev Half the inventory taken into a new position of a taker's account, ten minutes into the sale (the
    /// discount has grown); the backstop's realized PnL is booked to its net flow.
    function test_gas_takeInventory() public {
        _seedInventory();
        address taker = makeAddr("taker");
        _deposit(taker, 0, 1000e6);
        vm.warp(block.timestamp + 10 minutes);
        _setPrice(ETH, 1800e18); // fresh rounds at the same level
        oracle.refresh(ETH);
        int256 held = pool.position(address(0), 0, ETH).size;
        vm.prank(taker);
        pool.takeInventory(ETH, 0, uint256(held) / 2, type(uint256).max, block.timestamp);
        vm.snapshotGasLastCall("takeInventory");
        assertEq(pool.position(taker, 0, ETH).size, held / 2);
        assertLt(pool.position(address(0), 0, ETH).size, held);
    }

    /// @dev The steady state of a live market: funding has run for a period (its indices and the backstop's net flow
    /// are non-zero, so no slot is written for the first time). A funding period starts, the index falls 6 % and
    /// nobody arbitrages for 20 minutes: the time-weighted gap exceeds the funding cap.
    function _repegDueAfterTwentyMinutes() internal {
        vm.warp(block.timestamp + 601);
        _setPrice(ETH, ETH_PRICE);
        pool.updateFunding(ETH);
        vm.warp(block.timestamp + 601);
        _setPrice(ETH, ETH_PRICE);
        pool.updateFunding(ETH);
        assertTrue(pool.marketState(ETH).cumFundingLong != 0, "setup: funding has accrued");
        vm.warp(block.timestamp + 601);
        _setPrice(ETH, ETH_PRICE);
        pool.updateFunding(ETH);
        _crashTo(1880e18);
        vm.warp(block.timestamp + 20 minutes);
        _setPrice(ETH, 1880e18); // fresh rounds at the new level
        assertTrue(lens.marketView(ETH).repegDue);
    }

    /// @dev The keeper's order in a block where funding is due: `updateFunding` (which rolls the repeg's window),
    /// then the step; the next block's step then finds the window fresh (no roll): the steady state of a repeg,
    /// which runs every block while due.
    function _stepOnceThenNextBlock() internal {
        pool.updateFunding(ETH);
        pool.repeg(ETH);
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, 1880e18);
        assertTrue(lens.marketView(ETH).repegDue, "setup: still due a block later");
    }

    /// @dev As every other row here: the oracle was already refreshed in the block (a keeper's oracle task, or any
    /// trade). The oracle integrates the index itself, so the refresh may come from anyone, at any time.
    function test_gas_repeg() public {
        _repegDueAfterTwentyMinutes();
        _stepOnceThenNextBlock();
        oracle.refresh(ETH);
        pool.repeg(ETH);
        vm.snapshotGasLastCall("repeg");
        assertFalse(lens.marketView(ETH).repegDue, "once per block");
    }

    function test_gas_repeg_firstInBlock() public {
        _repegDueAfterTwentyMinutes();
        _stepOnceThenNextBlock();
        pool.repeg(ETH);
        vm.snapshotGasLastCall("repeg (first in block)");
        assertFalse(lens.marketView(ETH).repegDue, "once per block");
    }

    /// @dev No funding update rolled the window since its newer checkpoint turned REPEG_MIN_WINDOW old: the step rolls
    /// it (one checkpoint written), once per window at most.
    function test_gas_repeg_rollsTheWindow() public {
        _repegDueAfterTwentyMinutes();
        oracle.refresh(ETH);
        pool.repeg(ETH);
        vm.snapshotGasLastCall("repeg (rolls the window)");
        assertFalse(lens.marketView(ETH).repegDue, "once per block");
    }

    /// @dev Base to sell so that the mark k / base^2 reaches `price`.
    function _baseToMoveMarkTo(uint256 price) internal view returns (uint256) {
        uint256 b = pool.marketState(ETH).baseReserve;
        uint256 q = pool.marketState(ETH).quoteReserve;
        uint256 targetBase = _sqrt((b * q) / price * 1e18);
        return targetBase - b;
    }

    function _sqrt(uint256 x) internal pure returns (uint256 z) {
        z = x;
        uint256 y = (x + 1) / 2;
        while (y < z) {
            (z, y) = (y, (x / y + y) / 2);
        }
    }
}
