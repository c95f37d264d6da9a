// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {InventorySale, InventorySaleView, MarketState, Position} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The backstop inventory's descending-discount sale (`takeInventory`): a taker's account gets the backstop's
/// side at the index -/+ a discount that grows from zero with time, capped by the backstop's own share of the
/// penalties collected for the inventory; no curve trade; the taker is margin-checked like a trade; the backstop's
/// realized PnL goes to its net flow to the wei.
contract InventorySaleTest is LiquidationBase {
    address internal taker = makeAddr("taker");

    /// @dev 11.25 ETH x 1,850 x 2.5 % penalty, of which the backstop keeps 60 %.
    uint256 internal constant BUDGET = 312.1875e18;

    /// @dev Alice long 45 ETH on 10k; at 1,850 one ladder step hands 11.25 ETH to the backstop account.
    function _inventoryFromOneStep() internal {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _crashTo(ETH, 1850e18);
        assertEq(_liqLong(alice), 11.25e18);
    }

    function _wait(uint256 secs) internal {
        vm.warp(block.timestamp + secs);
        _refreshFeeds();
    }

    function _take(address who, uint96 subId, uint256 maxBase) internal returns (int256 size, uint256 price) {
        vm.prank(who);
        (size, price) = pool.takeInventory(ETH, subId, maxBase, type(uint256).max, block.timestamp);
    }

    /* THE VIEW */

    function test_inventorySale_viewShowsSizeIndexDiscountPriceBudgetAndClock() public {
        _inventoryFromOneStep();
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.marketId, ETH);
        assertEq(v.size, 11.25e18);
        assertEq(v.indexPrice, 1850e18);
        assertEq(v.oracleStatus, 0, "Normal");
        assertEq(v.budget, BUDGET, "the backstop's 60 % of the penalty, not the liquidator's 40 %");
        assertEq(v.clockStart, block.timestamp, "the clock starts when the inventory opens");
        assertEq(v.discountRateBps, 10, "the default: 0.1 % of the index per minute");
        assertEq(v.discountPerBase, 0, "from zero");
        assertEq(v.pricePerBase, 1850e18);

        _wait(5 minutes);
        v = lens.inventorySale(ETH);
        assertEq(v.discountPerBase, 9.25e18, "0.1 %/min x 5 min of 1,850");
        assertEq(v.pricePerBase, 1840.75e18);

        _wait(55 minutes);
        v = lens.inventorySale(ETH);
        assertEq(v.discountPerBase, BUDGET * 1e18 / 11.25e18, "capped by the budget per base held: 27.75");
        assertEq(v.discountPerBase, 27.75e18);
        assertEq(lens.inventorySales().length, 1);
        assertEq(lens.inventorySales()[0].pricePerBase, 1822.25e18);
    }

    function test_inventorySale_viewOfAnEmptyInventory_isZero() public view {
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.size, 0);
        assertEq(v.budget, 0);
        assertEq(v.discountPerBase, 0);
        assertEq(v.pricePerBase, v.indexPrice);
        assertEq(lens.inventorySales().length, 0);
    }

    /* THE SALE */

    /// @dev At the index minus the discount, as the lens said; no curve trade (reserves untouched); the taker holds
    /// the base at that entry, the backstop the rest; the clock restarts and the budget shrinks by what was granted.
    function test_takeInventory_transfersAtTheIndexMinusTheDiscount_noCurveTrade() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 5000e6);
        _wait(10 minutes);
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.discountPerBase, 18.5e18);
        MarketState memory m0 = pool.marketState(ETH);

        vm.recordLogs();
        (int256 size, uint256 price) = _take(taker, 0, 5e18);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(size, 5e18);
        assertEq(price, v.pricePerBase, "the lens's price");
        assertEq(price, 1831.5e18);
        MarketState memory m1 = pool.marketState(ETH);
        assertEq(m1.baseReserve, m0.baseReserve, "the curve is not involved");
        assertEq(m1.quoteReserve, m0.quoteReserve);
        assertEq(m1.longOpenInterest, m0.longOpenInterest, "open interest moved, not added");
        Position memory p = pool.position(taker, 0, ETH);
        assertEq(p.size, 5e18);
        assertEq(p.openNotional, 5 * 1831.5e18);
        assertEq(pool.position(address(0), 0, ETH).size, 6.25e18);
        InventorySale memory s = pool.inventorySale(ETH);
        assertEq(s.clockStart, block.timestamp, "the clock restarts after a sale");
        assertEq(s.budget, BUDGET - 5 * 18.5e18, "budget minus the discount granted");
        assertEq(lens.inventorySale(ETH).discountPerBase, 0, "from zero again");

        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IPerpPool.InventoryTaken.selector) continue;
            seen = true;
            assertEq(address(uint160(uint256(logs[i].topics[2]))), taker);
            (int256 sd, uint256 idx, uint256 disc, int256 q,, int256 newSize, uint256 left) =
                abi.decode(logs[i].data, (int256, uint256, uint256, int256, int256, int256, uint256));
            assertEq(sd, 5e18);
            assertEq(idx, 1850e18);
            assertEq(disc, 18.5e18);
            assertEq(q, 5 * 1831.5e18);
            assertEq(newSize, 5e18);
            assertEq(left, s.budget);
        }
        assertTrue(seen, "InventoryTaken");
    }

    /// @dev The backstop sells at entry (1,850) minus the discount: realized = quote received - open notional,
    /// booked to its net flow to the wei, and `InventoryChanged` says the same.
    function test_takeInventory_realizedPnl_bookedToTheNetFlow_toTheWei() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 5000e6);
        _crashTo(ETH, 1880e18); // the index rose: the backstop's long gained
        _wait(7 minutes + 13);
        InventorySaleView memory v = lens.inventorySale(ETH);
        (,, int256 net0) = pool.pools();
        int256 entry = pool.position(address(0), 0, ETH).openNotional;

        vm.recordLogs();
        _take(taker, 0, type(uint256).max);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        uint256 quote = (uint256(11.25e18) * v.pricePerBase + 1e18 - 1) / 1e18; // the taker pays, rounded up
        int256 realized = int256(quote) - entry;
        (,, int256 net1) = pool.pools();
        assertEq(net1 - net0, realized, "the backstop's realized PnL, to the wei");
        assertGt(realized, 0, "a gain: premium out of collected losses");
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != IPerpPool.InventoryLossRealized.selector, "a gain draws nothing");
            if (logs[i].topics[0] == IPerpPool.InventoryChanged.selector) {
                (int256 sd, int256 q, int256 newSize,, int256 r) =
                    abi.decode(logs[i].data, (int256, int256, int256, int256, int256));
                assertEq(sd, -11.25e18);
                assertEq(q, -int256(quote));
                assertEq(newSize, 0);
                assertEq(r, realized);
            }
        }
        assertEq(pool.inventorySale(ETH).budget, 0, "the inventory closed: its unused budget is dropped");
        assertEq(lens.inventory().length, 0);
    }

    /// @dev A short inventory (a short liquidated after a pump) is sold to a taker's short at the index plus the
    /// discount: the taker receives more than the index.
    function test_takeInventory_shortInventory_takenAtTheIndexPlusTheDiscount() public {
        _openPosition(bob, ETH, 10_000e6, -45e18);
        _crashTo(ETH, 2150e18);
        vm.prank(liquidator);
        assertEq(pool.liquidate(bob, 0, type(uint256).max), -11.25e18);
        _deposit(taker, 0, 5000e6);
        _wait(6 minutes);
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.size, -11.25e18);
        assertEq(v.discountPerBase, 2150e18 * 10 * 6 / 10_000);
        assertEq(v.pricePerBase, 2150e18 + v.discountPerBase);

        vm.prank(taker);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SalePriceBeyondLimit.selector, v.pricePerBase, 2200e18));
        pool.takeInventory(ETH, 0, 2e18, 2200e18, block.timestamp);

        vm.prank(taker);
        (int256 size, uint256 price) = pool.takeInventory(ETH, 0, 2e18, 2150e18, block.timestamp);
        assertEq(size, -2e18, "took a short");
        assertEq(price, v.pricePerBase);
        assertEq(pool.position(taker, 0, ETH).openNotional, -int256(2 * v.pricePerBase));
        assertEq(pool.position(address(0), 0, ETH).size, -9.25e18);
    }

    /* WHAT THE DISCOUNT MAY BE */

    /// @dev An insolvent account's transfer paid no penalty: the budget stays zero and the inventory is only ever
    /// sold at the index, however long it waits.
    function test_insolventAccountsTransfer_addsNoBudget() public {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _crashTo(ETH, 1700e18);
        assertEq(_liqLong(alice), 45e18, "insolvent: everything at once");
        assertEq(pool.inventorySale(ETH).budget, 0, "no penalty, no budget");
        _wait(2 hours);
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.discountPerBase, 0);
        assertEq(v.pricePerBase, 1700e18, "the index, no discount");
        _deposit(taker, 0, 20_000e6);
        (, uint256 price) = _take(taker, 0, 10e18);
        assertEq(price, 1700e18);
    }

    /// @dev Over any waits and sale sizes, the discount granted (as the budget counts it, rounded up) never exceeds
    /// the backstop's share of the penalties collected; the taker's gain at the index never exceeds what the budget
    /// counted; the budget left is collected minus granted, exactly.
    function test_fuzz_discount_neverExceedsTheCollectedBudget(uint256[4] memory waits, uint256[4] memory sizes)
        public
    {
        _inventoryFromOneStep();
        // A second step adds to the inventory and to the budget.
        _crashTo(ETH, 1840e18);
        vm.recordLogs();
        _liqLong(alice);
        uint256 collected = BUDGET + _backstopShares(vm.getRecordedLogs());
        assertEq(pool.inventorySale(ETH).budget, collected, "every step's backstop share");
        _deposit(taker, 0, 100_000e6);

        uint256 granted;
        for (uint256 k; k < 4; ++k) {
            int256 held = pool.position(address(0), 0, ETH).size;
            if (held == 0) break;
            _wait(bound(waits[k], 0, 3 hours));
            uint256 maxBase = bound(sizes[k], 1e15, uint256(held));
            int256 value0 = lens.accountHealth(taker, 0).value;
            uint256 budget0 = pool.inventorySale(ETH).budget;
            uint256 disc = lens.inventorySale(ETH).discountPerBase;
            (int256 size,) = _take(taker, 0, maxBase);
            uint256 g = (uint256(size) * disc + 1e18 - 1) / 1e18;
            granted += g;
            assertLe(granted, collected, "never more than collected");
            int256 gain = lens.accountHealth(taker, 0).value - value0;
            assertLe(gain, int256(g), "the taker's gain at the index is at most the discount counted");
            uint256 left = pool.position(address(0), 0, ETH).size == 0 ? 0 : budget0 - g;
            assertEq(pool.inventorySale(ETH).budget, left, "budget left = collected - granted");
            assertLe(disc, 1840e18 * 250 / 10_000, "never beyond the penalty's share of the index");
        }
    }

    function _backstopShares(Vm.Log[] memory logs) internal pure returns (uint256 sum) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IPerpPool.Liquidated.selector) continue;
            (,,, uint256 penalty, uint256 reward,,,) =
                abi.decode(logs[i].data, (address, int256, uint256, uint256, uint256, int256, int256, int256));
            sum += penalty - reward;
        }
    }

    /// @dev The clock restarts after each sale (the discount starts from zero again), and the budget per base left
    /// never shrinks.
    function test_takeInventory_restartsTheClock_budgetPerBaseNeverShrinks() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 10_000e6);
        _wait(1 hours);
        assertEq(lens.inventorySale(ETH).discountPerBase, 27.75e18, "capped");
        _take(taker, 0, 3e18);
        InventorySaleView memory v = lens.inventorySale(ETH);
        assertEq(v.discountPerBase, 0);
        assertEq(v.budget * 1e18 / uint256(v.size), 27.75e18, "27.75 per base still");
        _wait(1 hours);
        assertEq(lens.inventorySale(ETH).discountPerBase, 27.75e18);
    }

    /* THE TAKER IS CHECKED LIKE A TRADE */

    function test_takeInventory_revertsWhen_takerUndercollateralized() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 1000e6); // 11.25 ETH at ~1,850 needs ~2,080 initial margin
        vm.prank(taker);
        vm.expectPartialRevert(IPerpPool.InsufficientMargin.selector);
        pool.takeInventory(ETH, 0, type(uint256).max, type(uint256).max, block.timestamp);
        _deposit(taker, 0, 2000e6);
        (int256 size,) = _take(taker, 0, type(uint256).max);
        assertEq(size, 11.25e18);
    }

    function test_takeInventory_revertsWhen_nothingHeld_zeroSize_deadline_reduceOnly_paused() public {
        _deposit(taker, 0, 10_000e6);
        vm.prank(taker);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NoInventory.selector, ETH));
        pool.takeInventory(ETH, 0, 1e18, type(uint256).max, block.timestamp);
        _inventoryFromOneStep();
        vm.prank(taker);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NoInventory.selector, ETH));
        pool.takeInventory(ETH, 0, 0, type(uint256).max, block.timestamp);
        vm.prank(taker);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DeadlinePassed.selector, block.timestamp - 1, block.timestamp));
        pool.takeInventory(ETH, 0, 1e18, type(uint256).max, block.timestamp - 1);
        vm.prank(taker);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.SalePriceBeyondLimit.selector, 1850e18, 1849e18));
        pool.takeInventory(ETH, 0, 1e18, 1849e18, block.timestamp);

        // Feeds that disagree: the oracle is not Normal, the index is not a price to sell at.
        vm.warp(block.timestamp + 12);
        feeds[ETH][0].setAnswer(int256(1850e8));
        feeds[ETH][1].setAnswer(int256(1900e8));
        feeds[ETH][2].setAnswer(int256(1950e8));
        vm.prank(taker);
        vm.expectPartialRevert(IPerpPool.ReduceOnly.selector);
        pool.takeInventory(ETH, 0, 1e18, type(uint256).max, block.timestamp);

        _wait(12);
        vm.prank(admin);
        pool.setPaused(true);
        vm.prank(taker);
        vm.expectRevert(IPerpPool.Paused.selector);
        pool.takeInventory(ETH, 0, 1e18, type(uint256).max, block.timestamp);
    }

    /// @dev A remainder below the minimum size is taken too (the no-dust rule wins over `maxBase`), and a taker's
    /// own position is held to the minimum like any trade's.
    function test_takeInventory_noDust() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 10_000e6);
        (int256 size,) = _take(taker, 0, 11.25e18 - 1e14);
        assertEq(size, 11.25e18, "the 0.0001 ETH remainder was dust: all of it");
        assertEq(pool.position(address(0), 0, ETH).size, 0);
    }

    /// @dev A taker short on the market nets the taken long against its short: that reduces its risk, so a
    /// taker without free margin may still do it (value >= 0 afterwards), and open interest shrinks on both sides.
    function test_takeInventory_byAnOppositeTaker_netsAndShrinksOpenInterest() public {
        _inventoryFromOneStep();
        _deposit(taker, 0, 2500e6);
        _tradeSub(taker, 0, ETH, -11.25e18);
        MarketState memory m0 = pool.marketState(ETH);
        _take(taker, 0, type(uint256).max);
        assertEq(pool.position(taker, 0, ETH).size, 0, "netted flat");
        MarketState memory m1 = pool.marketState(ETH);
        assertEq(m1.longOpenInterest, m0.longOpenInterest - 11.25e18);
        assertEq(m1.shortOpenInterest, m0.shortOpenInterest - 11.25e18);
    }

    function test_setInventoryDiscountRate_bounded_ownerOnly() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, bytes32("discountRateBps"), 0));
        pool.setInventoryDiscountRate(ETH, 0);
        vm.prank(admin);
        vm.expectRevert(
            abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, bytes32("discountRateBps"), 101)
        );
        pool.setInventoryDiscountRate(ETH, 101);
        vm.expectRevert();
        pool.setInventoryDiscountRate(ETH, 50);
        vm.prank(admin);
        pool.setInventoryDiscountRate(ETH, 50);
        assertEq(pool.inventorySale(ETH).discountRateBps, 50);
    }
}
