// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketState, PositionView} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The backstop's inventory: what liquidations transfer to the backstop account, shown by the lens,
/// counted in open interest and its caps (RISK 25); a sale's realized loss runs down the waterfall, junior first,
/// split to the wei (the sale itself: InventorySale.t.sol, InventorySaleRisk.t.sol).
contract InventoryTest is LiquidationBase {
    address internal keeper = makeAddr("keeper");

    /// @dev Alice long 45 ETH on 10k; at 1,850 one ladder step hands 11.25 ETH to the backstop account.
    function _inventoryFromOneStep() internal returns (int256 size) {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _crashTo(ETH, 1850e18);
        size = _liqLong(alice);
        assertEq(size, 11.25e18);
    }

    function _nextBlockAt(uint256 marketId, uint256 index) internal {
        vm.warp(block.timestamp + 12);
        _setIndex(marketId, index);
    }

    /* THE LENS VIEW */

    function test_inventory_lensShowsSizeEntryValueAndFunding() public {
        _inventoryFromOneStep();
        PositionView[] memory inv = lens.inventory();
        assertEq(inv.length, 1);
        assertEq(inv[0].marketId, ETH);
        assertEq(inv[0].size, 11.25e18);
        assertEq(inv[0].openNotional, 11.25e18 * 1850, "entered at the index");
        assertEq(inv[0].notional, 11.25e18 * 1850);
        assertEq(inv[0].unrealizedPnl, 0);
        assertEq(inv[0].fundingOwed, 0);
        assertEq(pool.backstopInventoryLoss(), 0);
        MarketState memory m = pool.marketState(ETH);
        assertEq(m.longOpenInterest, 45e18, "counted in open interest: alice's rest plus the inventory");

        _nextBlockAt(ETH, 1800e18);
        inv = lens.inventory();
        assertEq(inv[0].unrealizedPnl, -int256(11.25e18 * 50), "valued at the index");
        assertEq(pool.backstopInventoryLoss(), 11.25e6 * 50, "its loss, in tokens");
    }

    /* SALE: LOSSES DOWN THE WATERFALL */

    /// @dev A realized inventory loss is booked to the backstop's net flow at once (visible to LPs through
    /// `backstopInventoryLoss`) and drawn from the tranches, junior first, exactly, when the flow is settled.
    function test_fuzz_sale_realizedLoss_runsDownTheWaterfall_exactSplit(uint256 j, uint256 s) public {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _exitFixtureLps();
        j = bound(j, 1, 2000e6);
        s = bound(s, 1, 6000e6);
        _lpDeposit(juniorLp, junior, j);
        _lpDeposit(seniorLp, senior, s);
        _crashTo(ETH, 1850e18);
        _liqLong(alice);
        _crashTo(ETH, 1760e18);
        _nextBlockAt(ETH, 1760e18);
        (,, int256 netBefore) = pool.pools();
        _deposit(keeper, 0, 10_000e6);

        vm.recordLogs();
        vm.prank(keeper);
        pool.takeInventory(ETH, 0, type(uint256).max, type(uint256).max, block.timestamp);
        (bool found, uint256 loss) = _lossRealized(vm.getRecordedLogs());
        assertTrue(found, "InventoryLossRealized");
        assertGe(loss, 11.25e18 * 90, "at least the index move on 11.25 ETH");
        (,, int256 netAfter) = pool.pools();
        assertEq(netAfter, netBefore - int256(loss), "booked to the backstop's net flow at once");
        assertEq(pool.position(address(0), 0, ETH).size, 0, "the inventory is flat");
        assertEq(pool.backstopInventoryLoss(), netAfter < 0 ? (uint256(-netAfter) + 1e12 - 1) / 1e12 : 0, "visible");

        uint256 jBal = usdc.balanceOf(address(junior));
        uint256 sBal = usdc.balanceOf(address(senior));
        (,, uint256 jLossBefore, uint256 sLossBefore,) = backstop.totals();
        pool.distributePremium();
        (,, uint256 jLoss, uint256 sLoss,) = backstop.totals();
        uint256 tokens = netAfter < 0 ? (uint256(-netAfter) + 1e12 - 1) / 1e12 : 0;
        uint256 jTok = tokens < jBal ? tokens : jBal;
        uint256 sTok = tokens - jTok < sBal ? tokens - jTok : sBal;
        assertEq(jLoss - jLossBefore, jTok, "junior first");
        assertEq(sLoss - sLossBefore, sTok, "senior only what junior could not");
        (,, int256 netSettled) = pool.pools();
        uint256 paidWad = (jTok + sTok) * 1e12;
        uint256 owed = uint256(-netAfter);
        // What the tranches paid is settled to the wei (their token rounding remainder stays in the pnl pool); what
        // they could not pay (both empty) is socialized in the same call, so nothing stays owed for new capital.
        assertEq(netSettled, paidWad < owed ? int256(0) : netAfter + int256(owed), "settled to the wei");
        assertEq(pool.backstopInventoryLoss(), 0, "no residual loss left visible");
    }

    function _lossRealized(Vm.Log[] memory logs) internal pure returns (bool found, uint256 loss) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.InventoryLossRealized.selector) {
                found = true;
                loss = abi.decode(logs[i].data, (uint256));
            }
        }
    }

    /* NETTING: AN OPPOSITE TRANSFER CLOSES INVENTORY AT THE INDEX */

    function test_oppositeTransfers_netInTheInventory_andShrinkOpenInterest() public {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _openPosition(bob, ETH, 10_000e6, -45e18);
        _crashTo(ETH, 1850e18);
        _liqLong(alice); // backstop long 11.25 at 1,850
        _crashTo(ETH, 2150e18);
        assertTrue(lens.accountHealth(bob, 0).liquidatable, "setup: bob is due");
        MarketState memory m0 = pool.marketState(ETH);
        (,, int256 net0) = pool.pools();

        vm.prank(liquidator);
        int256 t = pool.liquidate(bob, 0, type(uint256).max);

        assertEq(t, -11.25e18, "a short, signed as the account's position");
        assertEq(pool.position(address(0), 0, ETH).size, 0, "netted against the long inventory: flat");
        MarketState memory m1 = pool.marketState(ETH);
        assertEq(m1.longOpenInterest, m0.longOpenInterest - 11.25e18, "the inventory's long is gone");
        assertEq(m1.shortOpenInterest, m0.shortOpenInterest - 11.25e18, "bob's short shrank, none was added");
        (,, int256 net1) = pool.pools();
        assertEq(net1 - net0, int256(11.25e18 * 300), "the inventory's gain at the index is owed to the backstop");
    }

    /* RISK 25: INVENTORY IN A THIN MARKET, THEN THE INDEX PUMPED */

    /// @dev A thin market with an absolute open-interest cap of 50 per side. An attacker shorts the whole cap; the
    /// index is pumped and he is liquidated into the backstop account; a second short cannot open because the
    /// inventory still counts against the cap; pumped 10x, the inventory's loss is bounded by cap x move.
    function test_thinMarket_pumpedIndex_openInterestCapBoundsTheInventoryLoss() public {
        _listMarket(2, 6000e18, 100e18);
        indexOf[2] = 100e18;
        MarketConfig memory c = defaultConfig();
        c.maxOpenInterestBase = 50e18;
        vm.prank(admin);
        pool.setMarketConfig(2, c);
        _deposit(carol, 0, 800e6);
        _trade(carol, 2, -50e18);
        _deposit(bob, 0, 100_000e6);
        vm.expectPartialRevert(IPerpPool.OpenInterestCapExceeded.selector);
        _trade(bob, 2, -1e18);

        uint256 index = 100e18;
        for (uint256 k; k < 60 && index < 1000e18; ++k) {
            index = index * 11 / 10;
            if (index > 1000e18) index = 1000e18;
            index = index / 1e10 * 1e10;
            _nextBlockAt(2, index);
            oracle.refresh(2); // the keeper refreshes the oracle every block (no 10x "jump" once carol is gone)
            vm.prank(liquidator);
            pool.liquidateIfUnhealthy(carol, 0, type(uint256).max);
        }
        assertEq(index, 1000e18);
        assertEq(pool.position(carol, 0, 2).size, 0, "the attacker is gone");
        int256 inv = pool.position(address(0), 0, 2).size;
        assertEq(inv, -50e18, "the backstop holds the whole short");
        uint256 loss = pool.backstopInventoryLoss();
        assertGt(loss, 0);
        assertLe(loss * 1e12, 50e18 * (1000 - 100) + 1e12, "at most cap x (pumped index - listing index)");

        // Back near the mark, a new short still cannot open: the inventory fills the cap.
        while (index > 100e18) {
            index = index * 10 / 11 / 1e10 * 1e10;
            if (index < 100e18) index = 100e18;
            _nextBlockAt(2, index);
            oracle.refresh(2);
        }
        vm.expectPartialRevert(IPerpPool.OpenInterestCapExceeded.selector);
        _trade(bob, 2, -1e18);
    }
}
