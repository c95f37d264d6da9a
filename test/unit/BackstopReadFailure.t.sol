// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../contracts/Backstop.sol";
import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";

/// @notice RISK 62: no gas limit makes a permissionless call store a lower capital, coverage or price. The backstop's
/// visible loss is read through the oracle, whose `peek` reverts on purpose below its per-feed gas floor, and the
/// backstop turns a reverting read into "unknown" (a view shows 0). A caller who picks the gas limit must never get
/// that 0 stored as capital, nor used to split premium: every call either reverts or stores exactly what a call with
/// all the gas it wants stores.
contract BackstopReadFailureTest is LiquidationBase {
    /// @dev Everything the backstop calls store: the synced capital, the premium each tranche received, the pool's
    /// money and the waterfall totals.
    struct Stored {
        uint256 capital;
        uint256 juniorPremium;
        uint256 seniorPremium;
        uint256 juniorAssets;
        uint256 seniorAssets;
        uint256 pnlPool;
        uint256 pendingPremium;
        int256 backstopNet;
        uint256 shortfall;
    }

    /// @dev The review's fixture (2 M junior, 6 M senior, ETH 2,000): the backstop holds 11.25 ETH taken over at
    /// 1,850, under water at 1,760, with liquidation premium pending; the next block has no stored observation, so
    /// the inventory-loss read goes through the oracle's `peek`.
    function setUp() public override {
        super.setUp();
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _crashTo(ETH, 1850e18);
        _liqLong(alice);
        _crashTo(ETH, 1760e18);
        vm.warp(block.timestamp + 12);
        _setIndex(ETH, 1760e18);
        assertGt(pool.backstopInventoryLoss(), 0, "setup: the inventory is under water");
        (, uint256 pending,) = pool.pools();
        assertGt(pending, 1e18, "setup: premium waits");
        (,, uint64 at) = oracle.lastObservation(ETH);
        assertLt(at, block.timestamp, "setup: the loss read peeks the feeds");
    }

    function test_syncBackstopCapital_anyGasLimit_revertsOrStoresTheFullCapital() public {
        _assertEveryGasLimitRevertsOrStoresTheSame(abi.encodeCall(IPerpPool.syncBackstopCapital, ()), 1000, 200_000);
    }

    function test_distributePremium_anyGasLimit_revertsOrStoresTheFullSplitAndCapital() public {
        _assertEveryGasLimitRevertsOrStoresTheSame(abi.encodeCall(IPerpPool.distributePremium, ()), 1000, 600_000);
    }

    /// @dev The other permissionless calls that store a read of the oracle: the funding update (rate and period from
    /// the oracle's integral) and the oracle's own refresh (the observation every later call in the block uses).
    function test_updateFundingAndRefresh_anyGasLimit_revertOrStoreTheSame() public {
        vm.warp(block.timestamp + 10 minutes);
        _setIndex(ETH, 1760e18);
        _assertFundingCallStoresTheSame(abi.encodeCall(IPerpPool.updateFunding, (ETH)), address(pool), 300_000);
        _assertFundingCallStoresTheSame(abi.encodeCall(oracle.refresh, (ETH)), address(oracle), 200_000);
    }

    /// @dev The backstop probes the pool once, at wiring, for whether it reports an inventory loss: a probe starved
    /// of gas (here the oracle's own gas floor inside the read) must not record "not tracked" (loss 0 forever).
    function test_backstopInitialize_anyGasLimit_revertsOrTracksTheInventoryLoss() public {
        uint256 succeeded;
        for (uint256 g = 20_000; g <= 200_000; g += 2000) {
            Backstop b = new Backstop(usdc, 3, 1);
            TrancheVault j = new TrancheVault(
                usdc, "J", "J", trancheConfig(address(b), address(pool), address(0), 7 days, 2 days, 7 days)
            );
            TrancheVault s = new TrancheVault(
                usdc, "S", "S", trancheConfig(address(b), address(pool), address(j), 7 days, 2 days, 7 days)
            );
            (bool ok,) = address(b).call{gas: g}(abi.encodeCall(Backstop.initialize, (address(pool), j, s)));
            if (ok) {
                ++succeeded;
                assertTrue(b.inventoryLossTracked(), "a starved probe is never recorded as untracked");
            }
        }
        assertGt(succeeded, 0, "the range reaches the call's own need");
    }

    /* HELPERS */

    function _stored() internal view returns (Stored memory s) {
        s.capital = pool.backstopCapital();
        s.juniorPremium = junior.totalPremiumReceived();
        s.seniorPremium = senior.totalPremiumReceived();
        s.juniorAssets = usdc.balanceOf(address(junior));
        s.seniorAssets = usdc.balanceOf(address(senior));
        (s.pnlPool, s.pendingPremium, s.backstopNet) = pool.pools();
        (,,,, s.shortfall) = backstop.totals();
    }

    function _assertEveryGasLimitRevertsOrStoresTheSame(bytes memory data, uint256 from, uint256 to) internal {
        uint256 snap = vm.snapshotState();
        (bool ok,) = address(pool).call(data);
        assertTrue(ok, "with all the gas it wants");
        Stored memory full = _stored();
        assertGt(full.capital, 7_000_000e6, "the full call stores the real capital");
        vm.revertToState(snap);
        uint256 succeeded;
        for (uint256 g = from; g <= to; g += 1000) {
            (ok,) = address(pool).call{gas: g}(data);
            if (ok) {
                ++succeeded;
                Stored memory s = _stored();
                assertEq(s.capital, full.capital, "capital");
                assertEq(s.juniorPremium, full.juniorPremium, "junior premium");
                assertEq(s.seniorPremium, full.seniorPremium, "senior premium");
                assertEq(s.juniorAssets, full.juniorAssets, "junior assets");
                assertEq(s.seniorAssets, full.seniorAssets, "senior assets");
                assertEq(s.pnlPool, full.pnlPool, "pnl pool");
                assertEq(s.pendingPremium, full.pendingPremium, "pending premium");
                assertEq(s.backstopNet, full.backstopNet, "backstop net flow");
                assertEq(s.shortfall, full.shortfall, "shortfall");
            }
            vm.revertToState(snap);
        }
        assertGt(succeeded, 0, "the range reaches the call's own need");
    }

    function _assertFundingCallStoresTheSame(bytes memory data, address target, uint256 to) internal {
        uint256 snap = vm.snapshotState();
        (bool ok,) = target.call(data);
        assertTrue(ok, "with all the gas it wants");
        bytes32 full = _marketAndOracle();
        vm.revertToState(snap);
        uint256 succeeded;
        for (uint256 g = 1000; g <= to; g += 1000) {
            (ok,) = target.call{gas: g}(data);
            if (ok) {
                ++succeeded;
                assertEq(_marketAndOracle(), full, "stored market state and observation");
            }
            vm.revertToState(snap);
        }
        assertGt(succeeded, 0, "the range reaches the call's own need");
    }

    function _marketAndOracle() internal view returns (bytes32) {
        MarketState memory m = pool.marketState(ETH);
        (uint256 price, OracleStatus status, uint64 at) = oracle.lastObservation(ETH);
        return keccak256(abi.encode(m, price, status, at, oracle.cumulativePrice(ETH)));
    }
}
