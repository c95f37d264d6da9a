// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The loss waterfall (RISK 19, DESIGN properties 2 and 7), fuzzed around each boundary: bad debt below
/// junior, equal to junior, between junior and junior + senior, equal to and above junior + senior.
/// @dev Setup: alice is long 45 ETH on 10k; the fixture's LPs exit (both tranches empty); each test crashes the
/// index (the arbitrageur dragging the mark along, so the loss is realized on the curve) to a fuzzed depth,
/// measures the resulting bad debt in a snapshot, then seeds the tranches at fuzzed sizes around it and replays.
/// The bad debt does not depend on the tranche sizes (the open-interest cap reads the synced capital), so the
/// replay produces the same debt, which the test checks.
contract WaterfallTest is LiquidationBase {
    address internal dave = makeAddr("dave");
    address internal juniorLp2 = makeAddr("juniorLp2");
    address internal seniorLp2 = makeAddr("seniorLp2");

    struct Snapshot {
        uint256 juniorAssets;
        uint256 seniorAssets;
        int256 arbValue;
        int256 carolCollateral;
        int256 carolValue;
        int256 daveValue;
        uint256 juniorLoss;
        uint256 seniorLoss;
        uint256 shortfall;
    }

    function setUp() public override {
        super.setUp();
        _deposit(carol, 0, 1000e6); // no position: must never bear a socialized loss
        _openPosition(dave, BTC, 20_000e6, 1e18); // a position in another market only
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _exitFixtureLps();
        assertEq(junior.totalAssets(), 0, "setup: junior empty");
        assertEq(senior.totalAssets(), 0, "setup: senior empty");
    }

    /* BOUNDARIES */

    function test_fuzz_waterfall_lossBelowJunior_seniorUntouched(uint256 depth, uint256 jExtra, uint256 s) public {
        (uint256 target, uint256 debt) = _measureBadDebt(depth);
        uint256 dt = _tokens(debt);
        _replay(target, debt, dt + bound(jExtra, 1, 1_000_000e6), bound(s, 1, 1_000_000e6));
        assertEq(senior.totalLossCovered(), 0, "senior pays nothing while junior has assets");
        assertGt(junior.totalAssets(), 0);
    }

    function test_fuzz_waterfall_lossEqualsJunior_juniorWipedSeniorUntouched(uint256 depth, uint256 s) public {
        (uint256 target, uint256 debt) = _measureBadDebt(depth);
        _replay(target, debt, _tokens(debt), bound(s, 1, 1_000_000e6));
        assertEq(junior.totalAssets(), 0, "junior paid all it had");
        assertEq(senior.totalLossCovered(), 0, "senior pays nothing");
        assertTrue(junior.isWiped());
    }

    function test_fuzz_waterfall_lossBetweenJuniorAndSenior_seniorPaysTheRest(uint256 depth, uint256 j, uint256 sExtra)
        public
    {
        (uint256 target, uint256 debt) = _measureBadDebt(depth);
        uint256 dt = _tokens(debt);
        j = bound(j, 1, dt - 1);
        _replay(target, debt, j, dt - j + bound(sExtra, 1, 1_000_000e6));
        assertEq(junior.totalAssets(), 0, "junior first");
        assertEq(senior.totalLossCovered(), dt - j, "senior pays exactly what junior could not");
        assertGt(senior.totalAssets(), 0);
    }

    function test_fuzz_waterfall_lossEqualsJuniorPlusSenior_bothWipedNothingSocialized(uint256 depth, uint256 j)
        public
    {
        (uint256 target, uint256 debt) = _measureBadDebt(depth);
        uint256 dt = _tokens(debt);
        j = bound(j, 1, dt - 1);
        BadDebt memory d = _replay(target, debt, j, dt - j);
        assertEq(junior.totalAssets(), 0);
        assertEq(senior.totalAssets(), 0);
        assertEq(d.socialized, 0, "the token round-up covers the sub-token remainder");
    }

    function test_fuzz_waterfall_lossAboveJuniorPlusSenior_restSocialized(uint256 depth, uint256 j, uint256 s) public {
        (uint256 target, uint256 debt) = _measureBadDebt(depth);
        uint256 dt = _tokens(debt);
        j = bound(j, 1, dt - 2);
        s = bound(s, 1, dt - j - 1);
        BadDebt memory d = _replay(target, debt, j, s);
        assertEq(junior.totalAssets(), 0);
        assertEq(senior.totalAssets(), 0);
        assertEq(d.socialized, debt - (j + s) * 1e12, "socialized exactly what both could not pay");
        assertGt(d.socialized, 0);
    }

    /* HELPERS */

    function _tokens(uint256 wad) internal pure returns (uint256) {
        return (wad + 1e12 - 1) / 1e12;
    }

    /// @dev Crash to a fuzzed depth and liquidate, inside a snapshot: the bad debt alice would leave.
    function _measureBadDebt(uint256 depth) internal returns (uint256 target, uint256 debt) {
        target = bound(depth, 1650, 1760) * 1e18;
        uint256 snap = vm.snapshotState();
        _crashTo(ETH, target);
        (, BadDebt memory d) = _liquidateLogged(alice);
        assertTrue(d.found, "bad debt");
        assertGt(d.badDebt, 1000e18);
        debt = d.badDebt;
        vm.revertToState(snap);
    }

    /// @dev Seeds junior with `j` and senior with `s` tokens, replays the crash and the liquidation, and checks the
    /// waterfall: order, conservation to the wei, backstop totals, NAV, and where the socialized part lands.
    function _replay(uint256 target, uint256 debt, uint256 j, uint256 s) internal returns (BadDebt memory d) {
        _lpDeposit(juniorLp2, junior, j);
        _lpDeposit(seniorLp2, senior, s);
        uint256 jShares = junior.balanceOf(juniorLp2);
        uint256 sShares = senior.balanceOf(seniorLp2);
        uint256 jValue = junior.convertToAssets(jShares);
        uint256 sValue = senior.convertToAssets(sShares);

        _crashTo(ETH, target);
        assertLt(_value(alice), 0, "alice insolvent");
        assertEq(junior.convertToAssets(jShares), jValue, "an unrealized loss does not move junior NAV");
        assertEq(senior.convertToAssets(sShares), sValue, "an unrealized loss does not move senior NAV");

        Snapshot memory b = _snapshot();
        vm.recordLogs();
        _liqLong(alice);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (, d) = _decode(logs);
        Snapshot memory a = _snapshot();

        assertTrue(d.found, "BadDebtResolved");
        assertEq(d.marketId, ETH);
        assertEq(d.badDebt, debt, "same debt as measured");
        assertEq(d.juniorPaid + d.seniorPaid + d.socialized, debt, "conservation to the wei");

        _checkDraws(debt, j, s, d, b, a);
        assertLe(junior.convertToAssets(jShares), jValue - (b.juniorAssets - a.juniorAssets), "junior price");
        assertLe(senior.convertToAssets(sShares), sValue - (b.seniorAssets - a.seniorAssets), "senior price");
        _checkSocialization(d, b, a, logs);
    }

    /// @dev Token amounts the waterfall must draw: junior first, senior only what junior could not; the event,
    /// backstop.totals() and the share prices agree with them.
    function _checkDraws(uint256 debt, uint256 j, uint256 s, BadDebt memory d, Snapshot memory b, Snapshot memory a)
        internal
        view
    {
        uint256 dt = _tokens(debt);
        uint256 jTok = dt < b.juniorAssets ? dt : b.juniorAssets;
        uint256 sTok = dt - jTok < b.seniorAssets ? dt - jTok : b.seniorAssets;
        assertEq(b.juniorAssets - a.juniorAssets, jTok, "junior drawn");
        assertEq(b.seniorAssets - a.seniorAssets, sTok, "senior drawn");
        if (sTok != 0) assertEq(a.juniorAssets, 0, "senior pays only once junior is empty");
        uint256 jWad = jTok * 1e12 < debt ? jTok * 1e12 : debt;
        assertEq(d.juniorPaid, jWad);
        assertEq(d.seniorPaid, sTok * 1e12 < debt - jWad ? sTok * 1e12 : debt - jWad);

        // backstop.totals() adds up.
        assertEq(a.juniorLoss - b.juniorLoss, jTok, "totals: junior loss");
        assertEq(a.seniorLoss - b.seniorLoss, sTok, "totals: senior loss");
        assertEq(a.shortfall - b.shortfall, dt - jTok - sTok, "totals: shortfall");

        // NAV falls by the realized loss only.
        assertEq(junior.totalAssets(), j - jTok);
        assertEq(senior.totalAssets(), s - sTok);
    }

    /// @dev The socialized part is charged to ETH's traders through the funding indices: the arbitrageur's short
    /// alone. The 45 ETH long the backstop account took over from alice stays open there but pays nothing (the
    /// tranches would owe it back to themselves); accounts without an ETH position are untouched.
    function _checkSocialization(BadDebt memory d, Snapshot memory b, Snapshot memory a, Vm.Log[] memory logs)
        internal
        view
    {
        assertEq(a.carolCollateral, b.carolCollateral, "no position: collateral untouched (property 7)");
        assertEq(a.carolValue, b.carolValue, "no position: value untouched (property 7)");
        assertEq(a.daveValue, b.daveValue, "other market untouched");
        if (d.socialized == 0) {
            assertEq(a.arbValue, b.arbValue, "nothing socialized");
            return;
        }
        MarketState memory m = pool.marketState(ETH);
        uint256 oi = uint256(m.longOpenInterest) + m.shortOpenInterest;
        uint256 arbSize = _abs(pool.position(arb, 0, ETH).size);
        uint256 perBase = (d.socialized * 1e18 + arbSize - 1) / arbSize;
        _checkSocializedShares(d.socialized, oi, perBase, uint256(b.arbValue - a.arbValue));
        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.LossSocialized.selector) {
                (uint256 amount, uint256 loggedPerBase) = abi.decode(logs[i].data, (uint256, uint256));
                assertEq(amount, d.socialized);
                assertEq(loggedPerBase, perBase);
                seen = true;
            }
        }
        assertTrue(seen, "LossSocialized");
    }

    /// @dev The arbitrageur's short pays it all, rounded up; the inventory's long pays nothing.
    function _checkSocializedShares(uint256 socialized, uint256 oi, uint256 perBase, uint256 arbCharged) internal view {
        uint256 arbSize = _abs(pool.position(arb, 0, ETH).size);
        uint256 inventory = _abs(pool.position(address(0), 0, ETH).size);
        assertEq(inventory, 45e18, "alice's whole long sits in the backstop account");
        assertEq(oi, arbSize + inventory, "only the arbitrageur and the inventory are open");
        uint256 charged = (arbSize * perBase + 1e18 - 1) / 1e18;
        assertEq(arbCharged, charged, "the arbitrageur pays it all");
        assertEq(lens.inventory()[0].fundingOwed, 0, "the inventory pays nothing");
        assertGe(charged, socialized, "the traders carry the whole socialized loss");
    }

    function _snapshot() internal view returns (Snapshot memory s) {
        s.juniorAssets = junior.totalAssets();
        s.seniorAssets = senior.totalAssets();
        s.arbValue = _value(arb);
        s.carolCollateral = _collateral(carol);
        s.carolValue = _value(carol);
        s.daveValue = _value(dave);
        (,, s.juniorLoss, s.seniorLoss, s.shortfall) = backstop.totals();
    }
}
