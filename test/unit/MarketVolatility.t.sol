// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketView} from "../../contracts/interfaces/IPerpTypes.sol";
import {VolatilityMath} from "../../contracts/libraries/VolatilityMath.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

/// @notice A market's volatility scaling: its config bounds (PoolAdmin) and what the lens shows (SPEC-19 §1).
contract MarketVolatilityTest is PoolFixture {
    /// @dev ETH scales its IM above 80 % realized volatility, up to 3x (as `npm start` deploys it; the shared fixture
    /// leaves scaling off).
    function setUp() public override {
        super.setUp();
        MarketConfig memory c = defaultConfig();
        c.volReferenceBps = 8000;
        c.volCapBps = 30_000;
        _setConfig(c);
    }

    function _setConfig(MarketConfig memory c) internal {
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
    }

    function _expectOutOfBounds(bytes32 name, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, name, value));
    }

    /* CONFIG */

    function test_setMarketConfig_volReference_zeroOrWithinBounds() public {
        MarketConfig memory c = defaultConfig();
        uint32[4] memory ok = [uint32(0), 500, 8000, 50_000];
        for (uint256 i; i < ok.length; ++i) {
            c.volReferenceBps = ok[i];
            _setConfig(c);
            assertEq(pool.marketConfig(ETH).volReferenceBps, ok[i]);
        }
        uint32[3] memory bad = [uint32(1), 499, 50_001];
        for (uint256 i; i < bad.length; ++i) {
            c.volReferenceBps = bad[i];
            _expectOutOfBounds("volReferenceBps", bad[i]);
            _setConfig(c);
        }
    }

    function test_setMarketConfig_volCap_withinOneXAndFiveX_evenWhenScalingIsOff() public {
        MarketConfig memory c = defaultConfig();
        c.volCapBps = 10_000;
        _setConfig(c);
        c.volCapBps = 50_000;
        _setConfig(c);
        assertEq(pool.marketConfig(ETH).volCapBps, 50_000);
        c.volReferenceBps = 0;
        uint32[3] memory bad = [uint32(0), 9999, 50_001];
        for (uint256 i; i < bad.length; ++i) {
            c.volCapBps = bad[i];
            _expectOutOfBounds("volCapBps", bad[i]);
            _setConfig(c);
        }
    }

    function test_listMarket_volBoundsApply() public {
        MarketConfig memory c = defaultConfig();
        c.volCapBps = 9999;
        _expectOutOfBounds("volCapBps", 9999);
        vm.prank(admin);
        pool.listMarket(10_000e18, 20_000_000e18, c);
    }

    function test_eth_scalesAbove80PercentUpTo3x() public view {
        MarketConfig memory c = pool.marketConfig(ETH);
        assertEq(c.volReferenceBps, 8000);
        assertEq(c.volCapBps, 30_000);
    }

    /* LENS */

    function test_marketView_calm_oneX() public view {
        MarketView memory v = lens.marketView(ETH);
        assertEq(v.realizedVarianceBps2, 0);
        assertEq(v.initialMultiplierBps, 10_000);
    }

    function test_marketView_showsTheVarianceARefreshNowStores_andItsMultiplier() public {
        // 5 % moves every 12 s, under the 15 % breaker: σ far above the 80 % reference.
        uint256 price = ETH_PRICE;
        for (uint256 i; i < 4; ++i) {
            vm.warp(block.timestamp + 12);
            price = i % 2 == 0 ? price * 105 / 100 : price * 95 / 100;
            _setPrice(ETH, price);
            _setPrice(BTC, BTC_PRICE);
            MarketView memory shown = lens.marketView(ETH); // before any refresh in this block: peeks
            (,, uint256 stored) = oracle.observe(ETH);
            assertEq(shown.realizedVarianceBps2, stored, "the lens predicts the refresh");
            assertEq(lens.marketView(ETH).realizedVarianceBps2, stored, "and shows it once stored");
            assertEq(shown.initialMultiplierBps, VolatilityMath.initialMultiplierBps(stored, 8000, 30_000));
        }
        MarketView memory last = lens.marketView(ETH);
        assertGt(last.initialMultiplierBps, 10_000, "scaled up");
        assertLe(last.initialMultiplierBps, 30_000, "at most the cap");
    }

    function test_marketView_haltedOracle_keepsTheVariance() public {
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, ETH_PRICE * 105 / 100);
        (,, uint256 v) = oracle.observe(ETH);
        assertGt(v, 0);
        vm.warp(block.timestamp + 2 hours); // every feed stale
        assertEq(lens.marketView(ETH).realizedVarianceBps2, v, "a halt neither decays nor resets it");
        (,, uint256 stored) = oracle.observe(ETH);
        assertEq(stored, v);
    }

    function test_marketView_scalingOff_oneXWhateverTheVariance() public {
        MarketConfig memory c = defaultConfig();
        c.volReferenceBps = 0;
        _setConfig(c);
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, ETH_PRICE * 110 / 100);
        MarketView memory v = lens.marketView(ETH);
        assertGt(v.realizedVarianceBps2, 0, "still measured");
        assertEq(v.initialMultiplierBps, 10_000);
    }
}
