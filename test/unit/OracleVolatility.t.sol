// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../../contracts/interfaces/IOracleRouter.sol";
import {VolatilityMath} from "../../contracts/libraries/VolatilityMath.sol";
import {OracleRouterTestBase} from "./OracleRouter.t.sol";

/// @notice The oracle's realized variance (bps², annualized, one-hour window) and the initial-margin multiplier it
/// implies (SPEC-19 §1).
contract OracleVolatilityTest is OracleRouterTestBase {
    uint256 internal constant MAX_VARIANCE = type(uint40).max;
    /// @dev A 2 % move within the window: r2 = 4e14, 4e14 · YEAR · 1e8 / (1e18 · 1 h) = 350,400,000 (σ ≈ 187 %).
    uint256 internal constant TWO_PCT_MOVE = 350_400_000;

    function _observe() internal returns (uint256 price, OracleStatus status, uint256 variance) {
        return router.observe(MARKET);
    }

    /// @dev A first observation at 2,000, then a 2 % move 12 s later.
    function _jump() internal returns (uint256 variance) {
        _refresh();
        _nextBlock(12);
        _setAll(2040e8);
        (,, variance) = _observe();
    }

    /* THE ROUTER */

    function test_realizedVariance_zeroUntilTheSecondObservation() public {
        assertEq(router.realizedVariance(MARKET), 0, "never observed");
        (uint256 price, OracleStatus status, uint256 variance) = _observe();
        assertEq(price, P_WAD);
        assertEq(uint8(status), uint8(OracleStatus.Normal));
        assertEq(variance, 0, "a first observation has no return");
        _nextBlock(12);
        (,, variance) = _observe();
        assertEq(variance, 0, "an unchanged price adds nothing");
    }

    function test_realizedVariance_risesOnAMove_byTheSquaredReturnAnnualizedOverTheWindow() public {
        uint256 v = _jump();
        assertEq(v, TWO_PCT_MOVE);
        assertEq(router.realizedVariance(MARKET), v, "stored");
        assertEq(v, VolatilityMath.nextVariance(0, P_WAD, 2040e18, 12), "the library's");
        // A move down counts as much as the same move up (a return of 40 / 2,040 now).
        _nextBlock(12);
        _setAll(2000e8);
        (,, uint256 after2) = _observe();
        assertEq(after2, VolatilityMath.nextVariance(v, 2040e18, P_WAD, 12));
        assertGt(after2, v, "a second move adds to the first");
    }

    function test_realizedVariance_calmDecaysLinearlyOverTheHourWindow() public {
        uint256 v = _jump();
        _nextBlock(30 minutes);
        _setAll(2040e8); // fresh, unchanged
        (,, uint256 half) = _observe();
        assertEq(half, v - v / 2, "half the window: half the variance (the decay floors)");
        _nextBlock(1 hours);
        _setAll(2040e8);
        (,, uint256 none) = _observe();
        assertEq(none, 0, "a calm hour forgets everything");
    }

    function test_realizedVariance_calmDecaysTowardZero_refreshedEveryMinute() public {
        uint256 v = _jump();
        uint256 prev = v;
        for (uint256 i; i < 600; ++i) {
            _nextBlock(1 minutes);
            _setAll(2040e8);
            (,, uint256 now_) = _observe();
            assertLe(now_, prev, "calm never raises it");
            prev = now_;
        }
        // (59/60)^600 ≈ e^-10 of it is left: σ fell about 150-fold.
        assertLt(prev, v / 10_000, "ten calm hours");
    }

    function test_realizedVariance_gapLongerThanTheWindow_keepsOnlyTheLastMoveOverTheGap() public {
        _jump();
        _nextBlock(2 hours);
        _setAll(20_604e7); // +1 % from 2,040
        (,, uint256 v) = _observe();
        // r2 = 1e14: 1e14 · YEAR · 1e8 / (1e18 · 7,200 s).
        assertEq(v, 43_800_000);
        assertEq(v, VolatilityMath.nextVariance(TWO_PCT_MOVE, 2040e18, 2060.4e18, 2 hours));
    }

    function test_realizedVariance_haltKeepsIt_neitherResetNorDecayed() public {
        uint256 v = _jump();
        _nextBlock(MAX_AGE + 1); // every feed stale
        (uint256 price, OracleStatus status, uint256 halted) = _observe();
        assertEq(uint8(status), uint8(OracleStatus.Halted));
        assertEq(price, 2040e18, "the last price carried over");
        assertEq(halted, v, "a halt carries no news: the variance is kept");
        assertEq(router.realizedVariance(MARKET), v);
        // The feeds come back 12 s after the halted observation, 1 % higher: the move from the last price counts.
        _nextBlock(12);
        _setAll(20_604e7);
        (,, uint256 back) = _observe();
        assertEq(back, VolatilityMath.nextVariance(v, 2040e18, 2060.4e18, 12));
        assertGt(back, v - v * 12 / 1 hours, "the move after the halt is counted");
    }

    function test_realizedVariance_breakerTrip_countsTheJump() public {
        _refresh();
        _nextBlock(12);
        _setAll(2300e8); // +15 %: trips the breaker
        (uint256 price, OracleStatus status, uint256 v) = _observe();
        assertEq(uint8(status), uint8(OracleStatus.ReduceOnly));
        assertEq(price, 2300e18);
        // r2 = 0.0225e18: 2.25e16 · 8,760 · 1e8 / 1e18.
        assertEq(v, 19_710_000_000);
    }

    function test_realizedVariance_clampsAtUint40Max() public {
        _refresh();
        _nextBlock(12);
        _setAll(20_000e8); // tenfold: r2 = 81e18, far above what 40 bits hold
        (,, uint256 v) = _observe();
        assertEq(v, MAX_VARIANCE);
        _nextBlock(12);
        _setAll(20_000e8);
        (,, uint256 calmer) = _observe();
        assertEq(calmer, MAX_VARIANCE - MAX_VARIANCE * 12 / 1 hours, "decays from the clamp");
    }

    function test_observe_sameBlock_returnsTheStoredVarianceUnchanged() public {
        uint256 v = _jump();
        _setAll(2100e8); // ignored within the block: the observation is cached
        (uint256 price,, uint256 again) = _observe();
        assertEq(price, 2040e18);
        assertEq(again, v);
        (uint256 p2,,, uint256 v2) = router.refreshCumulative(MARKET);
        assertEq(p2, 2040e18);
        assertEq(v2, v, "refreshCumulative returns the same variance");
    }

    function test_refreshCumulative_returnsTheVarianceItStores() public {
        _refresh();
        _nextBlock(12);
        _setAll(2040e8);
        (,,, uint256 v) = router.refreshCumulative(MARKET);
        assertEq(v, TWO_PCT_MOVE);
        assertEq(router.realizedVariance(MARKET), v);
    }

    function test_setFeeds_keepsTheVariance() public {
        uint256 v = _jump();
        _setFeeds(MARKET, _list(address(feedA), address(feedB), address(feedC)), _cfg(3));
        assertEq(router.realizedVariance(MARKET), v);
    }

    /// @dev Every stored observation applies exactly `VolatilityMath.nextVariance` to the stored one.
    function testFuzz_router_storesTheLibrarysVariance(uint256 seed) public {
        _refresh();
        uint256 v;
        uint256 last = P_WAD;
        for (uint256 i; i < 8; ++i) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            uint256 dt = bound(seed % 10_000, 1, 3 hours);
            // Within +-9 % of the last price (in 8-decimal units), sometimes unchanged.
            uint256 answer = last / 1e10;
            uint256 span = answer * 9 / 100;
            answer = seed % 5 == 0 ? answer : bound(seed >> 32, answer - span, answer + span);
            _nextBlock(dt);
            _setAll(int256(answer));
            (uint256 price, OracleStatus status, uint256 stored) = _observe();
            assertTrue(status != OracleStatus.Halted);
            assertEq(price, answer * 1e10);
            v = VolatilityMath.nextVariance(v, last, price, dt);
            assertEq(stored, v, "the router's variance is the library's");
            last = price;
        }
    }

    /* THE LIBRARY */

    function test_nextVariance_unchangedWithoutALastPriceOrTime() public pure {
        assertEq(VolatilityMath.nextVariance(123, 0, P_WAD, 12), 123, "first observation");
        assertEq(VolatilityMath.nextVariance(123, P_WAD, 3000e18, 0), 123, "no time passed");
    }

    function testFuzz_nextVariance_atMostTheClamp_andCalmNeverRaisesIt(
        uint256 v,
        uint128 lastPrice,
        uint128 price,
        uint256 dt
    ) public pure {
        v = bound(v, 0, MAX_VARIANCE);
        lastPrice = uint128(bound(lastPrice, 1, type(uint128).max));
        dt = bound(dt, 0, type(uint40).max);
        assertLe(VolatilityMath.nextVariance(v, lastPrice, price, dt), MAX_VARIANCE);
        assertLe(VolatilityMath.nextVariance(v, lastPrice, lastPrice, dt), v, "calm");
    }

    function testFuzz_nextVariance_aBiggerMoveNeverLowersIt(
        uint256 v,
        uint128 lastPrice,
        uint128 a,
        uint128 b,
        uint256 dt
    ) public pure {
        v = bound(v, 0, MAX_VARIANCE);
        lastPrice = uint128(bound(lastPrice, 1e6, type(uint128).max / 2));
        dt = bound(dt, 1, 1 days);
        uint256 small = bound(a, 0, lastPrice);
        uint256 large = bound(b, small, lastPrice);
        assertLe(
            VolatilityMath.nextVariance(v, lastPrice, lastPrice + small, dt),
            VolatilityMath.nextVariance(v, lastPrice, lastPrice + large, dt)
        );
    }

    function test_initialMultiplier_oneXAtOrBelowTheReference() public pure {
        assertEq(VolatilityMath.initialMultiplierBps(0, 8000, 30_000), 10_000);
        assertEq(VolatilityMath.initialMultiplierBps(7999 ** 2, 8000, 30_000), 10_000);
        assertEq(VolatilityMath.initialMultiplierBps(8000 ** 2, 8000, 30_000), 10_000);
    }

    function test_initialMultiplier_scalesWithSigmaAboveTheReference_roundingUp() public pure {
        assertEq(VolatilityMath.initialMultiplierBps(16_000 ** 2, 8000, 30_000), 20_000, "twice the reference");
        // sqrtCeil(8000² + 1) = 8,001; 8,001 · 10,000 / 8,000 = 10,001.25, rounded up.
        assertEq(VolatilityMath.initialMultiplierBps(8000 ** 2 + 1, 8000, 30_000), 10_002);
    }

    function test_initialMultiplier_atMostTheCap() public pure {
        assertEq(VolatilityMath.initialMultiplierBps(MAX_VARIANCE, 8000, 30_000), 30_000);
        assertEq(VolatilityMath.initialMultiplierBps(24_000 ** 2, 8000, 30_000), 30_000, "exactly at the cap");
        assertEq(VolatilityMath.initialMultiplierBps(24_001 ** 2, 8000, 30_000), 30_000);
        assertEq(VolatilityMath.initialMultiplierBps(type(uint256).max, 500, 50_000), 50_000);
    }

    function test_initialMultiplier_offWhenTheReferenceIsZero() public pure {
        assertEq(VolatilityMath.initialMultiplierBps(MAX_VARIANCE, 0, 30_000), 10_000);
        assertEq(VolatilityMath.initialMultiplierBps(0, 0, 50_000), 10_000);
    }

    function testFuzz_initialMultiplier_monotoneInVariance_withinOneXAndTheCap(
        uint256 a,
        uint256 b,
        uint256 referenceBps,
        uint256 capBps
    ) public pure {
        referenceBps = referenceBps % 7 == 0 ? 0 : bound(referenceBps, 500, 50_000);
        capBps = bound(capBps, 10_000, 50_000);
        uint256 lo = bound(a, 0, MAX_VARIANCE);
        uint256 hi = bound(b, lo, MAX_VARIANCE);
        uint256 mLo = VolatilityMath.initialMultiplierBps(lo, referenceBps, capBps);
        uint256 mHi = VolatilityMath.initialMultiplierBps(hi, referenceBps, capBps);
        assertLe(mLo, mHi, "monotone");
        assertGe(mLo, 10_000, "never below 1x");
        assertLe(mHi, capBps, "at most the cap");
    }
}
