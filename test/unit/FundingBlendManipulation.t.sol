// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingParams} from "../../contracts/interfaces/IPerpTypes.sol";
import {FundingPolicyFixture} from "../utils/FundingPolicyFixture.sol";

/// @notice RISK 81: moving one market's mark to shift a correlated market's funding costs more than it earns. Two
/// markets A and B in a group (listed with their own depths, the index still); the attacker pushes B's mark through
/// B's whole funding window, B updates, A updates and blends B's premium in; the attacker holds a position on A from
/// before and/or opens one right after A's update, one funding period passes, and it closes everything. Its equity
/// (every account, fees, slippage and funding included) never ends above where it started.
contract FundingBlendManipulationTest is FundingPolicyFixture {
    uint256 internal constant A = 2;
    uint256 internal constant B = 3;
    uint256 internal constant PRICE = 2000e18;
    uint96 internal constant SUB_B = 0;
    uint96 internal constant SUB_A = 1;
    uint256 internal constant MARGIN = 2_000_000e6;

    address internal attacker = makeAddr("attacker");
    uint256 internal t0;

    struct Attack {
        uint256 baseA; // A's curve depth (base reserve)
        uint256 baseB;
        uint256 blendBps;
        uint256 honestLong; // honest open interest on A, base
        uint256 honestShort;
        uint256 pushBps; // B's push, in bps of its base reserve
        int256 preA; // the attacker's A position held through A's update (0: none)
        int256 postA; // opened on A right after A's update (0: none)
        bool closeBEarly; // close B right after the updates instead of after the period
    }

    struct Outcome {
        int256 premiumB;
        int256 premiumA;
        int256 blendedA;
        int256 chargedA;
        uint256 weight; // B's weight in A's blend, recomputed from the snapshots (1e-12)
    }

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        _deposit(alice, 0, 1_000_000e6);
        _deposit(bob, 0, 1_000_000e6);
        _deposit(attacker, SUB_B, MARGIN);
        _deposit(attacker, SUB_A, MARGIN);
    }

    function _equity() internal view returns (int256 e) {
        for (uint96 sub; sub <= SUB_A; ++sub) {
            e += int256(pool.account(attacker, sub).collateral)
            + int256(uint256(pool.account(attacker, sub).unsettledProfit));
        }
    }

    function _attackerTrade(uint96 sub, uint256 marketId, int256 size) internal returns (bool ok) {
        if (size == 0) return false;
        vm.prank(attacker);
        try pool.trade(attacker, sub, marketId, size, size > 0 ? type(uint256).max : 0, block.timestamp) {
            ok = true;
        } catch {}
    }

    function _closeAll(uint96 sub, uint256 marketId) internal {
        int256 size = pool.position(attacker, sub, marketId).size;
        if (size == 0) return;
        vm.prank(attacker);
        pool.closePosition(attacker, sub, marketId, size < 0 ? type(uint256).max : 0, block.timestamp);
    }

    function _fresh(uint256 t) internal {
        vm.warp(t);
        _setPrice(A, PRICE);
        _setPrice(B, PRICE);
        _setPrice(ETH, ETH_PRICE);
        _setPrice(BTC, BTC_PRICE);
    }

    /// @dev Lists A and B, sets the policy (blend `blendBps`) and the group, opens the honest book on A.
    function _market(Attack memory x) internal {
        x.baseA = bound(x.baseA, 500e18, 50_000e18);
        x.baseB = bound(x.baseB, 100e18, 50_000e18);
        _listMarket(A, x.baseA, PRICE);
        _listMarket(B, x.baseB, PRICE);
        FundingParams memory p = _defaultParams();
        // The fee bound: w x 50 bps <= 2 x 10 bps, so w <= 4,000.
        p.blendWeightBps = uint16(bound(x.blendBps, 1, 4000));
        _setParams(A, p);
        _setParams(B, p);
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (A, B);
        vm.prank(admin);
        pool.setFundingGroup(GROUP, ids);
        // Honest traders on A, at most ~0.8 % of its depth each (below the per-block move limit).
        _tryTrade(alice, A, int256(bound(x.honestLong, 0, x.baseA / 125)));
        _tryTrade(bob, A, -int256(bound(x.honestShort, 0, x.baseA / 125)));
    }

    function _run(Attack memory x) internal returns (Outcome memory o) {
        _market(x);
        int256 start = _equity();
        // The push on B for B's whole window (from its listing), up to ~0.95 % of its depth (the per-block limit).
        _attackerTrade(SUB_B, B, int256(x.baseB * bound(x.pushBps, 1, 95) / 10_000));
        vm.warp(t0 + 1);
        _attackerTrade(SUB_A, A, bound(x.preA, -int256(x.baseA / 125), int256(x.baseA / 125)));

        _fresh(t0 + INTERVAL);
        o.premiumB = _update(B).premium;
        Update memory u = _update(A);
        (o.premiumA, o.blendedA, o.chargedA) = (u.premium, u.blended, u.charged);
        o.weight = _weightOfB(x);
        _attackerTrade(SUB_A, A, bound(x.postA, -int256(x.baseA / 125), int256(x.baseA / 125)));
        if (x.closeBEarly) _closeAll(SUB_B, B);

        _fresh(t0 + INTERVAL + PERIOD);
        _closeAll(SUB_B, B);
        _closeAll(SUB_A, A);
        assertEq(pool.account(attacker, SUB_A).marketMask, 0, "everything closed");
        assertEq(pool.account(attacker, SUB_B).marketMask, 0, "everything closed");
        assertLe(_equity(), start, "pushing a sibling to shift a market's funding never pays");
    }

    /// @dev FundingPolicy step 2 from the pool's snapshots: min(w g_B / (g_A + g_B), pushCost_B / (2 g_A)).
    function _weightOfB(Attack memory x) internal view returns (uint256 w) {
        uint256 gA = pool.fundingSnapshot(A).grossNotional;
        uint256 gB = pool.fundingSnapshot(B).grossNotional;
        if (gA + gB == 0) return 0;
        w = bound(x.blendBps, 1, 4000) * 1e8 * gB / (gA + gB);
        if (gA != 0) {
            uint256 limit = uint256(pool.fundingSnapshot(B).pushCost) * 1e12 / (2 * gA);
            if (limit < w) w = limit;
        }
    }

    function testFuzz_pushingSiblingMark_neverPays(Attack memory x) public {
        Outcome memory o = _run(x);
        // Not vacuous: A's premium moved by exactly B's weighted difference.
        assertEq(o.blendedA, o.premiumA + int256(o.weight) * (o.premiumB - o.premiumA) / 1e12, "the blend applied");
    }

    /// @dev The strongest case the bounds allow: the largest blend weight, a deep B pushed to the cap, a shallow balanced
    /// A, the attacker short on A from right after A's update through the whole period. The blend moves A's charged
    /// premium by a whole change step, and the attacker still loses.
    function test_pushingSiblingMark_movesTheRate_butNeverPays() public {
        Attack memory x;
        x.baseA = 2000e18;
        x.baseB = 50_000e18;
        x.blendBps = 4000;
        x.honestLong = 16e18;
        x.honestShort = 16e18;
        x.pushBps = 60;
        x.postA = -16e18; // after A's update: its own sale does not lower A's measured premium
        x.closeBEarly = true;
        Outcome memory o = _run(x);
        assertGt(o.blendedA, o.premiumA, "the blend moved A's premium");
        assertEq(o.chargedA, int256(STEP), "A's longs pay a whole step more: the attacker's short on A earns it");
    }
}
