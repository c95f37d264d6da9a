// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth, MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";
import {FixedPoint} from "../../contracts/libraries/FixedPoint.sol";
import {MarginMath} from "../../contracts/libraries/MarginMath.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {RiskGrids} from "../utils/RiskGrids.sol";

/// @notice Portfolio margin in the pool (RISK 67, 69; DESIGN properties 3 and 11): a lone position is margined exactly
/// as its tiers, a hedge posts less than two naked bets, and a market without a Normal oracle gives no netting credit.
contract PortfolioMarginTest is PoolFixture {
    RiskEngine internal engine;

    function setUp() public override {
        super.setUp();
        engine = new RiskEngine(RiskGrids.ethBtc(), 2500);
        vm.prank(admin);
        pool.setRiskEngine(engine);
    }

    function _standalone(uint256 marketId, int256 size, uint256 price) internal view returns (uint256 im, uint256 mm) {
        (im, mm) = MarginMath.requirements(pool.marketConfig(marketId).tiers, MarginMath.notionalUp(size, price));
    }

    /// @dev 20 ETH long (40,000 at 2,000) against BTC short of the same notional (40,000 at 60,000).
    function _openHedge(address who) internal {
        _trade(who, ETH, 20e18);
        _trade(who, BTC, -int256(uint256(40_000e18) * 1e18 / BTC_PRICE));
    }

    function testFuzz_oneMarketAccount_isMarginedExactlyAsItsTiers(uint256 size, bool long, bool btc) public {
        uint256 marketId = btc ? BTC : ETH;
        uint256 price = btc ? BTC_PRICE : ETH_PRICE;
        size = bound(size, 1e16, btc ? 4e18 : 90e18); // within the per-block move limit; ETH crosses tier 0 (50 ETH)
        int256 signed = long ? int256(size) : -int256(size);
        _deposit(alice, 0, 2_000_000e6);
        _trade(alice, marketId, signed);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        (uint256 im, uint256 mm) = _standalone(marketId, signed, price);
        assertEq(h.maintenanceRequirement, mm, "maintenance = tiers");
        assertEq(h.initialRequirement, im, "initial = tiers");
        assertEq(h.additiveMaintenance, mm);
        assertEq(h.bindingScenario, type(uint256).max, "nothing nets");
    }

    function test_hedgedDesk_postsLessThanTwoNakedBets() public {
        _deposit(alice, 0, 100_000e6);
        _openHedge(alice);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        // ~40,000 each at 5 %: ~2,000 + ~2,000 standalone; the test grid's broken-correlation row (ETH -0.5, BTC
        // +0.5 of a requirement each) costs half of their sum, rounded up.
        assertApproxEqRel(h.additiveMaintenance, 4000e18, 1e15);
        assertEq(h.maintenanceRequirement, (h.additiveMaintenance + 1) / 2, "netted");
        assertEq(h.bindingScenario, 6, "binding row");
        assertLt(h.initialRequirement, h.additiveInitial);
    }

    function testFuzz_netting_neverPostsMoreThanTheStandaloneSum(uint256 eth, uint256 btc, bool ethLong, bool btcLong)
        public
    {
        eth = bound(eth, 1e16, 90e18);
        btc = bound(btc, 1e15, 4e18);
        _deposit(alice, 0, 1_000_000e6);
        _trade(alice, ETH, ethLong ? int256(eth) : -int256(eth));
        _trade(alice, BTC, btcLong ? int256(btc) : -int256(btc));
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertLe(h.maintenanceRequirement, h.additiveMaintenance);
        assertLe(h.initialRequirement, h.additiveInitial);
        // The floor: a quarter of the tier-0 parts, never less.
        assertGe(h.maintenanceRequirement, h.additiveMaintenance / 4);
    }

    /// @dev The hedge only passes initial margin because it nets: the naked ETH long alone could not be opened.
    function test_aHedgeThatOnlyPassesNetted_opensLegByLeg_whenTheFirstLegFits() public {
        _deposit(alice, 0, 4300e6);
        _trade(alice, ETH, 20e18); // 4,000 IM standalone (and ~40 of fee)
        // Adding BTC (another 4,000 IM standalone) passes: netted IM ~ 4,000 + floor effects.
        vm.prank(alice);
        pool.trade(alice, 0, BTC, -int256(uint256(40_000e18) * 1e18 / BTC_PRICE), 0, block.timestamp);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertLt(h.initialRequirement, h.additiveInitial / 2 + 100e18);
        assertGe(h.value, int256(h.initialRequirement));
    }

    function test_reduceOnlyMarket_givesNoNettingCredit_fromTheBlockItTrips() public {
        _deposit(alice, 0, 100_000e6);
        _openHedge(alice);
        uint256 netted = lens.accountHealth(alice, 0).maintenanceRequirement;
        // BTC jumps past the breaker: from this block on its position is margined standalone.
        vm.warp(block.timestamp + 1);
        _setPrice(BTC, BTC_PRICE * 120 / 100);
        oracle.refresh(BTC);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertEq(h.maintenanceRequirement, h.additiveMaintenance, "no credit while reduce-only");
        assertGt(h.maintenanceRequirement, netted);
        // After the cooldown (Normal again) the hedge nets again.
        vm.warp(block.timestamp + 6 minutes);
        _setPrice(ETH, ETH_PRICE);
        _setPrice(BTC, BTC_PRICE * 120 / 100);
        h = lens.accountHealth(alice, 0);
        assertLt(h.maintenanceRequirement, h.additiveMaintenance, "credit back once Normal");
    }

    function test_haltedMarket_givesNoNettingCredit_andItsGainDoesNotCount() public {
        _deposit(alice, 0, 100_000e6);
        _openHedge(alice);
        vm.warp(block.timestamp + 2 hours); // every feed older than maxAge: halted
        _setPrice(ETH, ETH_PRICE); // ETH fresh again, BTC stays stale
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertEq(h.maintenanceRequirement, h.additiveMaintenance);
    }

    /// @dev Adversarial (issue 19): a hedge in a market whose oracle then halts never lets the account withdraw more
    /// than it could have without that position.
    function test_aHedgeInAMarketThatHalts_neverLetsTheAccountWithdrawMore() public {
        _deposit(alice, 0, 10_000e6);
        _deposit(bob, 0, 10_000e6);
        _trade(alice, ETH, 20e18);
        _trade(bob, ETH, 20e18);
        _trade(bob, BTC, -int256(uint256(40_000e18) * 1e18 / BTC_PRICE));
        vm.warp(block.timestamp + 2 hours);
        _setPrice(ETH, ETH_PRICE); // BTC halts (stale), ETH is fresh
        uint256 aliceFree = _withdrawable(alice);
        uint256 bobFree = _withdrawable(bob);
        assertLe(bobFree, aliceFree, "the halted hedge frees nothing");
        // And the pool enforces it: bob cannot take out a token more than alice could.
        vm.prank(bob);
        vm.expectRevert();
        pool.withdrawMargin(bob, 0, aliceFree / 1e12 + 1, bob);
    }

    function _withdrawable(address who) internal view returns (uint256) {
        AccountHealth memory h = lens.accountHealth(who, 0);
        int256 free = h.value - int256(h.initialRequirement);
        return free > 0 ? uint256(free) : 0;
    }

    function test_zeroEngine_marginsEveryPositionStandalone() public {
        vm.prank(admin);
        pool.setRiskEngine(IRiskEngine(address(0)));
        _deposit(alice, 0, 100_000e6);
        _openHedge(alice);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertEq(h.maintenanceRequirement, h.additiveMaintenance);
        assertEq(pool.riskEngine(), address(0));
    }

    function test_setRiskEngine_isOwnerOnly_andEmits() public {
        vm.expectRevert();
        vm.prank(alice);
        pool.setRiskEngine(engine);
        vm.expectEmit(address(pool));
        emit IPerpPool.RiskEngineSet(address(engine));
        vm.prank(admin);
        pool.setRiskEngine(engine);
    }

    /// @dev Property 3 with netting: a hedged account that falls below its netted maintenance is liquidatable in the
    /// same block, and one above it is not.
    function test_hedgedAccount_isLiquidatableExactlyBelowItsNettedMaintenance() public {
        _deposit(alice, 0, 4300e6);
        _openHedge(alice);
        // ETH -6 %, BTC +1 %: the hedge loses 2,400 + 400 = 2,800 of ~4,100; netted maintenance ~ 2,000.
        vm.warp(block.timestamp + 1);
        _setPrice(ETH, ETH_PRICE * 94 / 100);
        _setPrice(BTC, BTC_PRICE * 101 / 100);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertTrue(h.liquidatable);
        vm.prank(liquidator);
        pool.liquidate(alice, 0, type(uint256).max);
    }

    function test_hedgedAccount_aboveItsNettedMaintenance_cannotBeLiquidated() public {
        _deposit(alice, 0, 4300e6);
        _openHedge(alice);
        vm.warp(block.timestamp + 1);
        _setPrice(ETH, ETH_PRICE * 98 / 100); // -800
        AccountHealth memory h = lens.accountHealth(alice, 0);
        // Above the netted maintenance, below the additive one: healthy.
        assertGt(h.value, int256(h.maintenanceRequirement));
        assertLt(h.value, int256(h.additiveMaintenance));
        vm.prank(liquidator);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        pool.liquidate(alice, 0, type(uint256).max);
    }

    /// @dev IM scales with the oracle's realized volatility; maintenance never does, so a volatility spike by itself
    /// never makes an account liquidatable.
    function test_volatilitySpike_raisesInitialOnly_neverMaintenance() public {
        MarketConfig memory c = defaultConfig();
        c.volReferenceBps = 8000;
        c.volCapBps = 30_000;
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
        _deposit(alice, 0, 100_000e6);
        _trade(alice, ETH, 20e18);
        AccountHealth memory calm = lens.accountHealth(alice, 0);
        // Two 3 % swings in consecutive blocks: an hourly realized volatility far above 80 %.
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, ETH_PRICE * 103 / 100);
        oracle.refresh(ETH);
        vm.warp(block.timestamp + 12);
        _setPrice(ETH, ETH_PRICE);
        oracle.refresh(ETH);
        AccountHealth memory wild = lens.accountHealth(alice, 0);
        assertEq(wild.maintenanceRequirement, calm.maintenanceRequirement, "maintenance unchanged");
        assertEq(wild.initialRequirement, calm.initialRequirement * 3, "initial at the 3x cap");
        assertEq(wild.liquidatable, calm.liquidatable);
    }
}
