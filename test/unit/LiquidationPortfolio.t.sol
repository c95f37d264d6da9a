// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth, MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {LadderRiskGrid} from "../utils/LadderRiskGrid.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The proportional ladder on netted books (RISK 70, DESIGN properties 3 and 11): a step transfers the same
/// fraction of every usable position, so the netted requirement falls at least by that fraction and a hedge stays a
/// hedge; an account that cannot pay a step's penalty transfers everything in one call; every account below
/// maintenance can be liquidated in the block it falls. Eight markets, a `RiskEngine` with `LadderRiskGrid`.
contract LiquidationPortfolioTest is LiquidationBase {
    uint256 internal constant MARKETS = 8;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant FRACTION = 2500; // the fixture's liquidationFractionBps
    uint256 internal constant PENALTY = 250; // the fixture's liquidationPenaltyBps

    RiskEngine internal engine;

    function setUp() public override {
        super.setUp();
        for (uint256 i = 2; i < MARKETS; ++i) {
            _listMarket(i, 200_000e18, 100e18);
            indexOf[i] = 100e18;
        }
        engine = LadderRiskGrid.deploy();
        vm.prank(admin);
        pool.setRiskEngine(engine);
    }

    /* BOOKS */

    /// @dev `who` opens `n` positions (markets 0..n-1) of random side and size (at least 0.01 base, so no step of at
    /// most 90 % leaves dust) on ample margin.
    function _openBook(address who, uint256 n, uint256 seed) internal returns (int256[8] memory sizes) {
        _deposit(who, 0, 5_000_000e6);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 hi = i == ETH ? 40e18 : i == BTC ? 1.5e18 : 600e18;
            int256 size = int256(bound(r >> 1, 0.01e18, hi));
            if (r & 1 == 1) size = -size;
            _trade(who, i, size);
            sizes[i] = size;
        }
    }

    /// @dev Sets `who`'s value at the index to `target` through its collateral.
    function _setValue(address who, int256 target) internal {
        int256 value = lens.accountHealth(who, 0).value;
        _setCollateral(who, 0, pool.account(who, 0).collateral + target - value);
        assertEq(lens.accountHealth(who, 0).value, target, "setup: value");
    }

    function _setFraction(uint256 marketId, uint256 fractionBps) internal {
        MarketConfig memory c = defaultConfig();
        c.liquidationFractionBps = uint16(fractionBps);
        vm.prank(admin);
        pool.setMarketConfig(marketId, c);
    }

    /// @dev ceil(|size| * f / BPS), signed as the position.
    function _stepOf(int256 size, uint256 f) internal pure returns (int256) {
        uint256 held = size >= 0 ? uint256(size) : uint256(-size);
        int256 step = int256((held * f + BPS - 1) / BPS);
        return size >= 0 ? step : -step;
    }

    /// @dev Rounding slack of a requirement after a step: a one-wei base rounding is worth up to index/1e18 wei of
    /// notional in each market, plus a few wei of ceilings per market.
    function _slack(uint256 n) internal view returns (uint256 tol) {
        for (uint256 i; i < n; ++i) {
            tol += indexOf[i] / 1e18 + 8;
        }
    }

    /* RISK 70 */

    function test_fuzz_proportionalStep_lowersNettedRequirementAtLeastByItsFraction(
        uint256 seed,
        uint256 count,
        uint256 btcFraction,
        uint256 valueSeed
    ) public {
        uint256 n = bound(count, 2, MARKETS);
        uint256 f1 = bound(btcFraction, 500, 9000);
        _setFraction(BTC, f1);
        uint256 f = f1 < FRACTION ? f1 : FRACTION; // the least fraction of the markets held
        int256[8] memory sizes = _openBook(alice, n, seed);
        uint256 before = _maint(alice);
        _setValue(alice, int256(bound(valueSeed, 1, before - 1)));

        _liqLong(alice);

        uint256 afterStep = _maint(alice);
        if (pool.account(alice, 0).marketMask != 0) {
            for (uint256 i; i < n; ++i) {
                assertEq(pool.position(alice, 0, i).size, sizes[i] - _stepOf(sizes[i], f), "the same fraction of each");
            }
        } else {
            assertEq(afterStep, 0, "everything transferred");
            assertGe(lens.accountHealth(alice, 0).value, 0, "a solvent account is never taken below 0");
        }
        assertLe(afterStep * BPS, before * (BPS - f) + _slack(n) * BPS, "requirement falls at least by f");
    }

    /// @dev Long 20 ETH, short `btc` BTC at the listing prices: what one 25 % step would charge.
    function _hedgePenalty(int256 btc) internal pure returns (uint256) {
        uint256 ethQuote = 5e18 * ETH_PRICE / 1e18; // a long sells at the index rounded down (exact here)
        uint256 btcStep = uint256(-_stepOf(btc, FRACTION));
        uint256 btcQuote = (btcStep * BTC_PRICE + 1e18 - 1) / 1e18; // a short buys back rounded up
        return ethQuote * PENALTY / BPS + btcQuote * PENALTY / BPS;
    }

    /// @dev The hedge survives its liquidation: both legs keep their side and shrink by the same fraction, the netted
    /// requirement falls at least by it, and the requirement per unit of value does not rise. (The last needs the
    /// step's penalty to be at most f of the value, i.e. value >= penaltyBps x notional: the domain fuzzed here. Below
    /// it a step charges more than the requirement it frees, for a naked position as for a hedge.)
    function test_fuzz_hedgedAccount_notLeftMoreExposedByItsOwnLiquidation(uint256 btcSeed, uint256 valueSeed) public {
        _deposit(alice, 0, 1_000_000e6);
        _trade(alice, ETH, 20e18);
        int256 btc = -int256(bound(btcSeed, 0.2e18, 1e18));
        _trade(alice, BTC, btc);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        assertLt(h.maintenanceRequirement, h.additiveMaintenance, "setup: the book nets");
        uint256 minValue = _hedgePenalty(btc) * BPS / FRACTION + 4;
        vm.assume(minValue < h.maintenanceRequirement);
        int256 value = int256(bound(valueSeed, minValue, h.maintenanceRequirement - 1));
        _setValue(alice, value);

        _liqLong(alice);

        AccountHealth memory h2 = lens.accountHealth(alice, 0);
        assertEq(pool.position(alice, 0, ETH).size, 15e18, "the long keeps its side, 25 % less");
        assertEq(pool.position(alice, 0, BTC).size, btc - _stepOf(btc, FRACTION), "the short too: still a hedge");
        assertLe(
            h2.maintenanceRequirement * BPS,
            h.maintenanceRequirement * (BPS - FRACTION) + _slack(2) * BPS,
            "requirement falls at least by f"
        );
        assertGe(h2.value, value - int256(_hedgePenalty(btc)) - 4, "value pays the penalty and rounding only");
        assertLe(
            h2.maintenanceRequirement * uint256(value),
            h.maintenanceRequirement * uint256(h2.value),
            "requirement per unit of value does not rise"
        );
    }

    /* CANNOT PAY THE STEP'S PENALTY: EVERYTHING AT ONCE */

    function _hedgedBook() internal {
        _deposit(alice, 0, 6000e6);
        _trade(alice, ETH, 20e18);
        _trade(alice, BTC, -0.6e18);
    }

    /// @dev The issue's accounts: left with a small positive value (+113 USDC) by a joint shock, they took 35 steps of
    /// penalty 0 down to dust. Now the step's penalty (475 USDC) exceeds what is left: one call transfers everything.
    function test_smallPositiveValueAfterShock_transfersEverythingInOneCall() public {
        _hedgedBook();
        _crashTo(ETH, 1800e18);
        _crashTo(BTC, 61_000e18);
        assertGt(lens.accountHealth(alice, 0).value, 0, "setup: the shock leaves value");
        _setValue(alice, 113e18);
        assertTrue(lens.accountHealth(alice, 0).liquidatable);

        vm.recordLogs();
        vm.prank(liquidator);
        uint256 g = gasleft();
        pool.liquidate(alice, 0, type(uint256).max);
        g -= gasleft();
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(pool.position(alice, 0, ETH).size, 0, "ETH transferred whole");
        assertEq(pool.position(alice, 0, BTC).size, 0, "BTC transferred whole");
        assertEq(pool.account(alice, 0).marketMask, 0, "nothing left for a second call");
        uint256 penalties;
        uint256 legs;
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != IPerpPool.BadDebtResolved.selector, "no bad debt");
            if (logs[i].topics[0] != IPerpPool.Liquidated.selector) continue;
            ++legs;
            (,,, uint256 penalty,,,,) =
                abi.decode(logs[i].data, (address, int256, uint256, uint256, uint256, int256, int256, int256));
            penalties += penalty;
        }
        assertEq(legs, 2, "one event per leg, one call");
        assertLe(penalties, 113e18, "the penalty is capped at what is left");
        assertGe(lens.accountHealth(alice, 0).value, 0, "never below 0");
        assertLt(g, 400_000, "one call's gas, not a tail of steps");
        vm.expectRevert();
        _liqLong(alice);
    }

    function test_stepPenalty_payableToTheWei_partial_oneWeiLess_everything() public {
        _hedgedBook();
        uint256 penalty = _hedgePenalty(-0.6e18);
        uint256 snap = vm.snapshotState();

        _setValue(alice, int256(penalty + 4)); // the penalty and 2 wei of rounding per leg
        _liqLong(alice);
        assertEq(pool.position(alice, 0, ETH).size, 15e18, "a partial step");
        assertEq(pool.position(alice, 0, BTC).size, -0.45e18, "a partial step");

        vm.revertToState(snap);
        _setValue(alice, int256(penalty + 3));
        _liqLong(alice);
        assertEq(pool.account(alice, 0).marketMask, 0, "one wei short: everything");
    }

    /* DESIGN PROPERTY 3 */

    /// @dev Three accounts with random 2-8 market books just above maintenance, a joint shock moving every market by
    /// its own amount (within +-8 %, no breaker): in that block, every account below maintenance is liquidated call
    /// after call without a revert until it is healthy or holds nothing, in a bounded number of calls. (A book whose
    /// value sits near the penalty rate on its notional takes many steps, each paying its penalty: the ladder's fixed
    /// point, as for a naked position whose value is near half its requirement.)
    function test_fuzz_everyAccountBelowMaintenance_liquidatableInTheSameBlock(uint256 seed) public {
        address[3] memory who = [alice, bob, carol];
        for (uint256 k; k < who.length; ++k) {
            uint256 n = bound(uint256(keccak256(abi.encode(seed, "n", k))), 2, MARKETS);
            vm.warp(block.timestamp + 12); // one book per block (the per-block move limit)
            _openBook(who[k], n, uint256(keccak256(abi.encode(seed, k))));
            uint256 m = _maint(who[k]);
            _setValue(who[k], int256(m + m * bound(uint256(keccak256(abi.encode(seed, "v", k))), 0, 2000) / BPS));
        }
        vm.warp(block.timestamp + 12);
        for (uint256 i; i < MARKETS; ++i) {
            int256 bps = int256(bound(uint256(keccak256(abi.encode(seed, "shock", i))), 0, 1600)) - 800;
            _setIndex(i, uint256(int256(indexOf[i]) * (10_000 + bps) / 10_000) / 1e10 * 1e10);
        }
        for (uint256 k; k < who.length; ++k) {
            uint256 calls;
            while (lens.accountHealth(who[k], 0).liquidatable) {
                vm.prank(liquidator);
                pool.liquidate(who[k], 0, type(uint256).max); // reverts fail the test
                ++calls;
                // Each call moves at least 25 % of every usable position and a remainder below the minimum size moves
                // whole: at most log(600e18 / 1e15) / log(4/3) < 47 calls (fewer once the value cannot pay a step).
                assertLe(calls, 47, "the ladder ends within a bounded number of calls");
            }
            AccountHealth memory h = lens.accountHealth(who[k], 0);
            assertTrue(
                pool.account(who[k], 0).marketMask == 0 || h.value >= int256(h.maintenanceRequirement),
                "healthy or holding nothing"
            );
        }
    }
}
