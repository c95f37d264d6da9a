// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TailRiskOracle} from "../../contracts/TailRiskOracle.sol";
import {MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {defaultTailRiskParams} from "../utils/TailRiskParams.sol";

/// @notice RISK 62 for the boost (RISK-TESTS 78): `refreshBoost` made with any gas limit either reverts or stores the
/// oracle's multiplier, never the 1x default a starved read would leave. The no-free-lunch campaign probes it too,
/// but its index never moves (its multiplier is 1x, the default itself): here ETH is volatile, so the two differ.
contract RefreshBoostGasLimitTest is PoolFixture {
    TailRiskOracle internal tailRisk;

    function setUp() public override {
        super.setUp();
        MarketConfig memory c = defaultConfig();
        c.volReferenceBps = 8000;
        c.volCapBps = 30_000;
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
        tailRisk = new TailRiskOracle(address(pool), admin, admin, defaultTailRiskParams());
        backstop.setLpEconomics(tailRisk, 2000);
        // 5 % moves every 12 s, under the 15 % breaker: σ far above the 80 % reference.
        uint256 price = ETH_PRICE;
        for (uint256 i; i < 4; ++i) {
            vm.warp(block.timestamp + 12);
            price = i % 2 == 0 ? price * 105 / 100 : price * 95 / 100;
            _setPrice(ETH, price);
            _setPrice(BTC, BTC_PRICE);
            oracle.observe(ETH);
        }
        vm.warp(block.timestamp + 1 hours);
    }

    function test_refreshBoost_anyGasLimit_revertsOrStoresTheOraclesMultiplier() public {
        uint256 expected = tailRisk.boostMultiplierBps();
        assertGt(expected, 10_000, "setup: the oracle's multiplier is not the default");
        uint256 stored;
        for (uint256 g = 5000; g <= 120_000; g += 500) {
            uint256 snap = vm.snapshotState();
            (bool ok,) = address(junior).call{gas: g}(abi.encodeCall(junior.refreshBoost, ()));
            if (ok) {
                assertEq(junior.boostMultiplierBps(), expected, "a refresh that ran stored the oracle's multiplier");
                ++stored;
            } else {
                assertEq(junior.boostMultiplierBps(), 10_000, "a refresh that failed stored nothing");
            }
            vm.revertToState(snap);
        }
        assertGt(stored, 0, "ample gas stores it");
    }
}
