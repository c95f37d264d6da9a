// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {StressResult} from "../../contracts/interfaces/IPerpTypes.sol";
import {LadderRiskGrid} from "../utils/LadderRiskGrid.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice RISK 58 / DESIGN property 9: what `stressTest` predicts for a shock is what the liquidations then
/// realize, to the wei. Random books (six accounts, both sides, two markets, random leverage), random tranche sizes
/// (junior wiped, senior touched, both wiped) and random shocks on one market or on every market at once
/// (`ALL_MARKETS`); the shock arrives in the block of the prediction, and every liquidatable account is then
/// liquidated in the listed order, each until it is healthy or closed. RISK 72: the same for joint shocks moving ETH
/// and BTC by different amounts (`stressTestJoint`) on netted books (a `RiskEngine` set), liquidated by the
/// proportional ladder.
contract StressPredictionTest is LiquidationBase {
    uint256 internal constant TRADERS = 6;
    /// @dev Joint shocks stay within the oracle's jump breaker (15 %): a larger jump turns the market ReduceOnly, which
    /// takes its netting credit away on chain while `stressTestJoint` still nets it (the view does not model the trip).
    int256 internal constant JOINT_MAX_BPS = 1400;

    struct Realized {
        uint256 badDebt;
        uint256 junior;
        uint256 senior;
        uint256 socialized;
        uint256 events;
        bool skewed; // a later account holding a position in a socialized market was liquidated after it
        uint256 socializedMarkets; // bitmask of the markets a loss was socialized on
    }

    address[TRADERS] internal traders;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < TRADERS; ++i) {
            traders[i] = makeAddr(string.concat("trader", vm.toString(i)));
        }
    }

    function test_fuzz_stressTest_predictsTheLiquidationOutcome_toTheWei(
        uint256 seed,
        uint256 marketSel,
        int256 shockBps,
        uint256 juniorTokens,
        uint256 seniorTokens
    ) public {
        // The book opens against the fixture's deep tranches (open-interest caps), then those LPs leave and thin
        // tranches of fuzzed sizes stand behind it: junior wiped, senior touched, both wiped all occur.
        _openBook(seed);
        _exitFixtureLps();
        juniorTokens = bound(juniorTokens, 1e6, 40_000e6);
        seniorTokens = bound(seniorTokens, 1e6, 400_000e6);
        _lpDeposit(juniorLp, junior, juniorTokens);
        _lpDeposit(seniorLp, senior, seniorTokens);

        uint256 marketId = marketSel % 3 == 2 ? lens.ALL_MARKETS() : marketSel % 3;
        _predictAndCheck(marketId, bound(shockBps, -3500, 3500));
    }

    function test_fuzz_stressTestJoint_predictsTheLiquidationOutcome_toTheWei(
        uint256 seed,
        int256 ethShockBps,
        int256 btcShockBps,
        uint256 juniorTokens,
        uint256 seniorTokens
    ) public {
        _setEngine();
        _openBook(seed);
        _exitFixtureLps();
        _lpDeposit(juniorLp, junior, bound(juniorTokens, 1e6, 40_000e6));
        _lpDeposit(seniorLp, senior, bound(seniorTokens, 1e6, 400_000e6));
        _predictAndCheckJoint(
            [bound(ethShockBps, -JOINT_MAX_BPS, JOINT_MAX_BPS), bound(btcShockBps, -JOINT_MAX_BPS, JOINT_MAX_BPS)]
        );
    }

    /// @dev A desk long 40 ETH and short 1.2 BTC on a netted margin, a naked ETH long beside it; ETH -14 % while BTC
    /// rises 8 %: the hedge breaks both ways, junior (1,000) is wiped and senior pays the rest, as predicted.
    function test_stressTestJoint_exact_hedgeBrokenBothWays() public {
        _setEngine();
        _deposit(traders[0], 0, 9000e6);
        _trade(traders[0], ETH, 40e18);
        _trade(traders[0], BTC, -1.2e18);
        _deposit(traders[1], 0, 4000e6);
        _trade(traders[1], ETH, 15e18);
        _exitFixtureLps();
        _lpDeposit(juniorLp, junior, 1000e6);
        _lpDeposit(seniorLp, senior, 50_000e6);
        (StressResult memory r, Realized memory x) = _predictAndCheckJoint([int256(-1400), int256(800)]);
        assertFalse(x.skewed, "no socialized loss: exact");
        assertEq(x.junior, 1000e18, "junior wiped");
        assertGt(x.senior, 0, "senior touched");
        assertEq(r.seniorLoss, x.senior);
        assertGt(r.accounts[0].badDebt, 0, "the desk's hedge broke");
    }

    function _setEngine() internal {
        RiskEngine engine = LadderRiskGrid.deploy();
        vm.prank(admin);
        pool.setRiskEngine(engine);
    }

    /// @dev `_predictAndCheck` for a joint shock: `stressTestJoint` with one shock per market, both arriving in the
    /// block of the prediction.
    function _predictAndCheckJoint(int256[2] memory shocks)
        internal
        returns (StressResult memory r, Realized memory x)
    {
        vm.warp(block.timestamp + 12);
        _refreshFeeds();
        address[] memory owners = new address[](TRADERS);
        uint96[] memory subIds = new uint96[](TRADERS);
        for (uint256 i; i < TRADERS; ++i) {
            owners[i] = traders[i];
        }
        int256[] memory shockBps = new int256[](2);
        (shockBps[0], shockBps[1]) = (shocks[0], shocks[1]);
        r = lens.stressTestJoint(shockBps, owners, subIds);
        assertEq(r.marketId, lens.ALL_MARKETS(), "a joint result");
        for (uint256 m; m < 2; ++m) {
            _setIndex(m, indexOf[m] * uint256(10_000 + shocks[m]) / 10_000);
        }
        x = _liquidateAll(r);
        _assertRealizedAsPredicted(r, x);
    }

    function _assertRealizedAsPredicted(StressResult memory r, Realized memory x) internal pure {
        if (x.skewed) {
            assertGe(x.badDebt, r.totalBadDebt, "a socialized loss only makes the later accounts worse");
            assertEq(x.junior + x.senior + x.socialized, x.badDebt);
            return;
        }
        assertEq(x.badDebt, r.totalBadDebt, "bad debt");
        assertEq(x.junior, r.juniorLoss, "junior's share");
        assertEq(x.senior, r.seniorLoss, "senior's share");
        assertEq(x.socialized, r.socialized, "socialized");
        assertEq(r.juniorLoss + r.seniorLoss + r.socialized, r.totalBadDebt, "the prediction adds up");
    }

    /// @dev Alice long 45 ETH on 10k, bob short BTC; ETH -30 %: junior (1,000) is wiped and senior pays the rest.
    function test_stressTest_exact_juniorWipedSeniorTouched() public {
        (StressResult memory r, Realized memory x) = _fixedBook(1000e6, 50_000e6, ETH, -3000);
        assertEq(x.junior, 1000e18, "junior wiped");
        assertGt(x.senior, 0, "senior touched");
        assertEq(x.socialized, 0);
        assertEq(r.seniorLoss, x.senior);
    }

    /// @dev The same book, thinner senior: both wiped, the rest socialized, still exactly as predicted.
    function test_stressTest_exact_bothWipedRestSocialized() public {
        (StressResult memory r, Realized memory x) = _fixedBook(1000e6, 2000e6, lens.ALL_MARKETS(), -3000);
        assertEq(x.junior, 1000e18);
        assertEq(x.senior, 2000e18);
        assertGt(x.socialized, 0, "socialized");
        assertEq(r.socialized, x.socialized);
    }

    function _fixedBook(uint256 j, uint256 s, uint256 marketId, int256 shockBps)
        internal
        returns (StressResult memory r, Realized memory x)
    {
        _deposit(traders[0], 0, 10_000e6);
        _trade(traders[0], ETH, 45e18);
        _deposit(traders[1], 0, 10_000e6);
        _trade(traders[1], BTC, -1e18);
        _exitFixtureLps();
        _lpDeposit(juniorLp, junior, j);
        _lpDeposit(seniorLp, senior, s);
        (r, x) = _predictAndCheck(marketId, shockBps);
        assertFalse(x.skewed, "one debtor: exact");
        assertGt(x.badDebt, 0);
    }

    /// @dev Next block: the prediction, then the shock in that same block, then every liquidation; checks the
    /// outcome against the prediction to the wei.
    function _predictAndCheck(uint256 marketId, int256 shockBps)
        internal
        returns (StressResult memory r, Realized memory x)
    {
        vm.warp(block.timestamp + 12);
        _refreshFeeds();

        address[] memory owners = new address[](TRADERS);
        uint96[] memory subIds = new uint96[](TRADERS);
        for (uint256 i; i < TRADERS; ++i) {
            owners[i] = traders[i];
        }
        r = lens.stressTest(marketId, shockBps, owners, subIds);

        // The shock arrives in this same block (indices chosen so the shocked price is exact in 8 decimals).
        for (uint256 m; m < 2; ++m) {
            if (marketId == m || marketId == lens.ALL_MARKETS()) {
                _setIndex(m, indexOf[m] * uint256(10_000 + shockBps) / 10_000);
            }
        }
        x = _liquidateAll(r);

        if (x.skewed) {
            assertGe(x.badDebt, r.totalBadDebt, "a socialized loss only makes the later accounts worse");
            assertEq(x.junior + x.senior + x.socialized, x.badDebt);
            return (r, x);
        }
        assertEq(x.badDebt, r.totalBadDebt, "bad debt");
        assertEq(x.junior, r.juniorLoss, "junior's share");
        assertEq(x.senior, r.seniorLoss, "senior's share");
        assertEq(x.socialized, r.socialized, "socialized");
        assertEq(r.juniorLoss + r.seniorLoss + r.socialized, r.totalBadDebt, "the prediction adds up");
    }

    /// @dev Every account the prediction calls liquidatable is liquidated in the listed order until it is healthy
    /// or closed; per account, the realized bad debt equals the predicted one.
    function _liquidateAll(StressResult memory r) internal returns (Realized memory x) {
        for (uint256 i; i < TRADERS; ++i) {
            if (pool.account(traders[i], 0).marketMask & x.socializedMarkets != 0) x.skewed = true;
            if (!x.skewed) {
                assertEq(lens.accountHealth(traders[i], 0).liquidatable, r.accounts[i].liquidatable, "who falls");
            }
            uint256 before = x.badDebt;
            vm.recordLogs();
            for (uint256 k; k < 60 && lens.accountHealth(traders[i], 0).liquidatable; ++k) {
                vm.prank(liquidator);
                pool.liquidate(traders[i], 0, type(uint256).max);
            }
            assertFalse(lens.accountHealth(traders[i], 0).liquidatable, "healthy or closed");
            Vm.Log[] memory logs = vm.getRecordedLogs();
            for (uint256 l; l < logs.length; ++l) {
                if (logs[l].topics[0] != IPerpPool.BadDebtResolved.selector) continue;
                (uint256 debt, uint256 j, uint256 s, uint256 soc) =
                    abi.decode(logs[l].data, (uint256, uint256, uint256, uint256));
                x.badDebt += debt;
                x.junior += j;
                x.senior += s;
                x.socialized += soc;
                ++x.events;
                if (soc != 0) x.socializedMarkets |= 1 << uint256(logs[l].topics[3]);
            }
            if (!x.skewed) assertEq(x.badDebt - before, r.accounts[i].badDebt, "this account's bad debt");
        }
    }

    /// @dev Six accounts with 1.5k..12k margin, each long or short on ETH and BTC at 1x..8x in total, split at
    /// random between the markets. A trade the margin, a guard or an OI cap rejects is skipped.
    function _openBook(uint256 seed) internal {
        for (uint256 i; i < TRADERS; ++i) {
            uint256 h = uint256(keccak256(abi.encode(seed, i)));
            uint256 margin = 1500e6 + h % 10_500e6;
            _deposit(traders[i], 0, margin);
            uint256 levBps = 10_000 + (h >> 64) % 70_000;
            uint256 notional = margin * 1e12 * levBps / 10_000;
            uint256 ethShare = (h >> 128) % 10_001;
            _tryOpen(traders[i], ETH, notional * ethShare / 10_000, (h >> 200) & 1 == 0);
            _tryOpen(traders[i], BTC, notional * (10_000 - ethShare) / 10_000, (h >> 201) & 1 == 0);
        }
    }

    function _tryOpen(address who, uint256 marketId, uint256 notional, bool long) internal {
        uint256 size = notional * 1e18 / indexOf[marketId];
        if (size < 1e15) return;
        int256 delta = long ? int256(size) : -int256(size);
        vm.prank(who);
        try pool.trade(who, 0, marketId, delta, long ? type(uint256).max : 0, block.timestamp) {} catch {}
    }
}
