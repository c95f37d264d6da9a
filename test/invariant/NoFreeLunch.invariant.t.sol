// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TailRiskOracle} from "../../contracts/TailRiskOracle.sol";
import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {FundingParams, MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {AttackerBot} from "../utils/AttackerBot.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {defaultTailRiskParams} from "../utils/TailRiskParams.sol";
import {AttackerHandler} from "./handlers/AttackerHandler.sol";
import {CrowdHandler} from "./handlers/CrowdHandler.sol";
import {console} from "forge-std/console.sol";

/// @notice The no-free-lunch campaign (DESIGN property 10; RISK-TESTS 59-66, 78): with the index held still for the
/// whole run, an attacker with a budget wraps every permissionless call in trades before and after, in one
/// transaction, across blocks and across handler calls, some with starving gas limits, amid an honest crowd
/// (`CrowdHandler`) whose trades move the mark. Properties:
/// - W-1  no attacker action pays: its worth after the action never exceeds its worth in the counterfactual where it
///        did nothing (one transaction) or made the same call without the trades (across blocks; claims, cancels)
///        over the same time (`AttackerHandler` NatSpec). Dust: 64 wei (see `DUST_WAD`).
/// - W-2  summed over the run, the attacker's actions earned nothing (the brief's "never ends above what it put in",
///        with honest LP yield between its actions, which is not its doing, left out).
/// - TR-1 calls that must not move share prices (funding, premium, capital sync, profit settlement, deposits,
///        requests, cancels, claims, boost refreshes and claims, exit-queue advances), wrapped in trades in one transaction, leave both tranches' share prices no lower
///        than doing nothing (one token unit of assets tolerated: a WAD debt drawn in whole tokens, rounded up).
/// - CL-1 a claim made before an insolvent account's liquidation pays no more than one made after it (RISK 63); what a
///        junior claim leaves requested (the exit gate held it back, wholly or in part) counts at its value.
/// - GAS-1 a permissionless call made with any gas limit reverts or stores what it stores with ample gas (RISK 62).
/// Plus the protocol invariants that must hold whatever the attacker does: token solvency, open interest equal to the
/// positions, tranche assets (with the unvested premium and the boost pot, which is not tranche value) equal to their
/// balances.
/// Deployment: the funding policy on (SPEC-22's parameters, ETH + BTC one group, kicker from 5 % of capital), the
/// fixture's 2 M junior / 6 M senior, ETH at 2,000 (10,000 base) and BTC at 60,000 (500 base);
/// short LP cooldowns (1 h / 2 h, claim window 1 day, premium over 6 h) so exits complete within a run. Setup seeds
/// backstop inventory in both markets (two insolvent accounts liquidated) and leaves two insolvent debtors waiting, so
/// inventory sales and claims ahead of a deficit are reachable with the index still. LP economics as deployed
/// ([5/6]): a `TailRiskOracle` (default parameters, this contract its steward) wired with a 20 % boost share; a
/// first figure (ES99 = 25 % of the junior's assets: an exit floor of 37.5 %) is posted at setup and the crowd's
/// steward re-posts now and then (`CrowdHandler.stewardPost`), so the premium split and the junior exit floor move
/// and junior claims are held back wholly, in part or not at all.
/// One campaign checks every property (`invariant_noFreeLunch`): forge runs a whole campaign per invariant function, and
/// an attacker action costs two executions (counterfactual and real), so eight functions would cost eight times the
/// default profile's 128 runs x 64 calls.
contract NoFreeLunchInvariantTest is LiquidationBase {
    uint256 internal constant BUDGET = 3_000_000e6;
    /// @dev W-1/W-2 tolerance per action, in WAD (64 wei, far below one token unit = 1e12 WAD). Each curve swap rounds
    /// its far reserve in the pool's favour and each fee rounds up, but two different swap sequences between the same
    /// reserves (the real closes after the attacker's trades, the worth's simulated closes) can differ by up to about
    /// one wei per swap and per fee either way: at most 7 trades (14 swaps on flips) in a batch plus 6 simulated closes.
    /// The campaign reproduced a 1-wei difference that way (A0 -255.227897 USDC, A1 +255.227897 USDC + 1 wei).
    /// Token amounts (wallets, tranche values) are floored in the vaults' favour and add no dust.
    int256 internal constant DUST_WAD = 64;

    AttackerHandler internal attacker;
    CrowdHandler internal crowd;
    AttackerBot internal bot;
    AttackerBot internal bot2;
    TailRiskOracle internal tailRisk;

    address[] internal _crowd;
    address[] internal _debtors;
    address[] internal _seeds;
    address internal poker = makeAddr("poker");

    function setUp() public override {
        _deployProtocol(1 hours, 2 hours, 1 days, 6 hours);
        tailRisk = new TailRiskOracle(address(pool), admin, address(this), defaultTailRiskParams());
        backstop.setLpEconomics(tailRisk, 2000);
        _listMarket(ETH, 10_000e18, ETH_PRICE);
        _listMarket(BTC, 500e18, BTC_PRICE);
        indexOf[ETH] = ETH_PRICE;
        indexOf[BTC] = BTC_PRICE;
        _setFundingPolicy();
        _lpDeposit(juniorLp, junior, 2_000_000e6);
        _lpDeposit(seniorLp, senior, 6_000_000e6);
        pool.syncBackstopCapital();

        _crowd = [alice, bob, carol, makeAddr("dave"), makeAddr("erin")];
        for (uint256 i; i < _crowd.length; ++i) {
            _deposit(_crowd[i], 0, 300_000e6);
        }
        _deposit(poker, 0, 50_000e6);
        _seedInventory();
        _seedDebtors();
        pool.syncBackstopCapital();
        _setUpAttacker();
        _postFirstFigure();
        _setUpHandlers();
    }

    /* SETUP */

    /// @dev The funding policy as deployed (SPEC-22: cap from the tiers, change limit, extreme cap, ETH + BTC blended
    /// in group 1), with the kicker from 5 % of tranche capital so the crowd and the attacker can reach it.
    function _setFundingPolicy() internal {
        FundingParams memory p = _defaultFundingParams();
        p.kickerThresholdBps = 500;
        _fundingPolicyOn(p);
    }

    /// @dev Two accounts open (a crowd trader takes the other side, so the mark is back at the index), are made
    /// insolvent and liquidated: the backstop holds 90 ETH long and 3 BTC short at the index.
    function _seedInventory() internal {
        address seedLong = makeAddr("seedLong");
        address seedShort = makeAddr("seedShort");
        _seeds = [seedLong, seedShort];
        _deposit(seedLong, 0, 150_000e6);
        _deposit(seedShort, 0, 150_000e6);
        _trade(seedLong, ETH, 90e18);
        _trade(bob, ETH, -90e18);
        _trade(seedShort, BTC, -3e18);
        _trade(carol, BTC, 3e18);
        _setCollateral(seedLong, 0, -1000e18);
        _setCollateral(seedShort, 0, -1000e18);
        vm.startPrank(liquidator);
        pool.liquidate(seedLong, 0, type(uint256).max);
        pool.liquidate(seedShort, 0, type(uint256).max);
        vm.stopPrank();
        assertGt(pool.position(address(0), 0, ETH).size, 0, "setup: ETH inventory");
        assertLt(pool.position(address(0), 0, BTC).size, 0, "setup: BTC inventory");
    }

    /// @dev Two insolvent accounts nobody liquidates until the attacker's claim probe does.
    function _seedDebtors() internal {
        address d1 = makeAddr("debtor1");
        address d2 = makeAddr("debtor2");
        _debtors = [d1, d2];
        _deposit(d1, 0, 50_000e6);
        _deposit(d2, 0, 50_000e6);
        _trade(d1, ETH, 20e18);
        _trade(alice, ETH, -20e18);
        _trade(d2, BTC, -1e18);
        _trade(_crowd[3], BTC, 1e18);
        _setCollateral(d1, 0, -30_000e18);
        _setCollateral(d2, 0, -8000e18);
    }

    function _setUpAttacker() internal {
        bot = new AttackerBot(address(this));
        bot2 = new AttackerBot(address(this));
        usdc.mint(address(bot), BUDGET);
        AttackerBot.Call[] memory c = new AttackerBot.Call[](8);
        c[0] = _call(address(usdc), abi.encodeCall(usdc.approve, (address(pool), type(uint256).max)));
        c[1] = _call(address(usdc), abi.encodeCall(usdc.approve, (address(junior), type(uint256).max)));
        c[2] = _call(address(usdc), abi.encodeCall(usdc.approve, (address(senior), type(uint256).max)));
        c[3] = _call(address(pool), abi.encodeCall(IPerpPool.depositMargin, (0, 800_000e6)));
        c[4] = _call(address(pool), abi.encodeCall(IPerpPool.depositMargin, (1, 200_000e6)));
        c[5] = _call(address(usdc), abi.encodeCall(usdc.transfer, (address(bot2), 20_000e6)));
        c[6] = _call(address(junior), abi.encodeCall(junior.deposit, (400_000e6, address(bot))));
        c[7] = _call(address(senior), abi.encodeCall(senior.deposit, (600_000e6, address(bot))));
        bot.run(c);
        c = new AttackerBot.Call[](3);
        c[0] = _call(address(usdc), abi.encodeCall(usdc.approve, (address(pool), type(uint256).max)));
        c[1] = _call(address(pool), abi.encodeCall(IPerpPool.depositMargin, (0, 20_000e6)));
        c[2] = _call(address(pool), abi.encodeCall(IPerpPool.setOperator, (address(bot), true)));
        bot2.run(c);
        // Matured requests exist from the first cooldown on (claims, claims ahead of a deficit).
        c = new AttackerBot.Call[](2);
        c[0] = _call(address(junior), abi.encodeCall(junior.requestWithdraw, (junior.balanceOf(address(bot)) / 2)));
        c[1] = _call(address(senior), abi.encodeCall(senior.requestWithdraw, (senior.balanceOf(address(bot)) / 2)));
        bot.run(c);
    }

    /// @dev ES99 = 25 % of the junior's assets, stress loss 20 %: the floor is 37.5 % of the junior (1.5 x ES99).
    function _postFirstFigure() internal {
        vm.roll(block.number + 1);
        uint256 capital = junior.totalAssets();
        tailRisk.post(
            ITailRiskOracle.Post({
                juniorEs99: uint128(capital / 4),
                juniorCapital: uint128(capital),
                stressLoss: uint128(capital / 5),
                blockNumber: uint64(block.number - 1),
                seed: 1,
                paths: 10_000,
                reportHash: keccak256("setup")
            })
        );
        (uint256 floor,) = tailRisk.juniorExitFloor();
        assertGt(floor, 0, "setup: the exit floor gates junior");
    }

    function _setUpHandlers() internal {
        SettableFeed[3][2] memory fs;
        for (uint256 m; m < 2; ++m) {
            for (uint256 i; i < 3; ++i) {
                fs[m][i] = feeds[m][i];
            }
        }
        address[] memory others = new address[](_crowd.length + _debtors.length);
        for (uint256 i; i < _crowd.length; ++i) {
            others[i] = _crowd[i];
        }
        for (uint256 i; i < _debtors.length; ++i) {
            others[_crowd.length + i] = _debtors[i];
        }
        attacker = new AttackerHandler(
            AttackerHandler.Deployment({
                pool: pool,
                lens: lens,
                usdc: usdc,
                oracle: oracle,
                backstop: backstop,
                junior: junior,
                senior: senior,
                feeds: fs,
                feedUpdater: address(this),
                bot: bot,
                bot2: bot2,
                keeper: liquidator,
                poker: poker,
                others: others,
                budget: BUDGET
            })
        );
        bot.addController(address(attacker));
        bot2.addController(address(attacker));
        address[] memory lps = new address[](3);
        (lps[0], lps[1], lps[2]) = (juniorLp, seniorLp, makeAddr("lp3"));
        crowd = new CrowdHandler(pool, lens, usdc, junior, senior, fs, address(this), liquidator, _crowd, lps);
        crowd.wireTailRisk(tailRisk, address(this));

        bytes4[] memory a = new bytes4[](12);
        a[0] = AttackerHandler.sandwich.selector;
        a[1] = AttackerHandler.sandwich.selector;
        a[2] = AttackerHandler.sandwich.selector;
        a[3] = AttackerHandler.sandwich.selector;
        a[4] = AttackerHandler.sandwich.selector;
        a[5] = AttackerHandler.sandwichLp.selector;
        a[6] = AttackerHandler.openLeg.selector;
        a[7] = AttackerHandler.armSecondAccount.selector;
        a[8] = AttackerHandler.claimAroundDeficit.selector;
        a[9] = AttackerHandler.claimAroundDeficit.selector;
        a[10] = AttackerHandler.gasLimitedCall.selector;
        a[11] = AttackerHandler.gasLimitedCall.selector;
        targetContract(address(attacker));
        targetSelector(FuzzSelector({addr: address(attacker), selectors: a}));

        bytes4[] memory h = new bytes4[](14);
        h[0] = CrowdHandler.crowdTrade.selector;
        h[1] = CrowdHandler.crowdTrade.selector;
        h[2] = CrowdHandler.crowdTrade.selector;
        h[3] = CrowdHandler.crowdTrade.selector;
        h[4] = CrowdHandler.crowdClose.selector;
        h[5] = CrowdHandler.warp.selector;
        h[6] = CrowdHandler.warp.selector;
        h[7] = CrowdHandler.warp.selector;
        h[8] = CrowdHandler.keeperUpdateFunding.selector;
        h[9] = CrowdHandler.keeperDistributePremium.selector;
        h[10] = CrowdHandler.keeperLiquidate.selector;
        h[11] = CrowdHandler.takerTakesInventory.selector;
        h[12] = CrowdHandler.lpExit.selector;
        h[13] = CrowdHandler.stewardPost.selector;
        targetContract(address(crowd));
        targetSelector(FuzzSelector({addr: address(crowd), selectors: h}));
    }

    function _call(address target, bytes memory data) internal pure returns (AttackerBot.Call memory) {
        return AttackerBot.Call(target, data, 0, false);
    }

    /* THE CAMPAIGN */

    function invariant_noFreeLunch() public view {
        _noAttackerActionPays();
        _attackerEarnsNothingOverTheRun();
        _priceNeutralCallsKeepSharePrices();
        _claimAheadOfLiquidationPaysNoMore();
        _gasLimitStoresNothingElse();
        _tokenSolvency();
        _openInterestMatchesPositions();
        _vaultAssetsMatchBalance();
    }

    /* THE GATED JUNIOR CLAIM, DRIVEN (the random campaign reaches it a few times per profile; these pin it) */

    /// @dev A floor above the junior's whole value: the attacker's matured junior claim, wrapped in trades, is held
    /// back ((0, 0), the request keeps its place) and pays nothing.
    function test_gatedJuniorClaim_heldBack_neverPays() public {
        crowd.warp(1 hours + 100);
        crowd.stewardPost(7500, 0); // ES99 75 %: floor 112.5 % of the junior
        (uint256 requested,,) = junior.withdrawRequest(address(bot));
        attacker.sandwichLp(1 << 8, 2, 5e18, -3e18, 2e18, 1, 1); // Claim, junior, one transaction
        assertEq(attacker.juniorClaimsHeldBack(), 1, "held back");
        (uint256 left,,) = junior.withdrawRequest(address(bot));
        assertEq(left, requested, "the request keeps its place whole");
        invariant_noFreeLunch();
    }

    /// @dev A floor leaving about 100 k of capacity: the claim takes its prorated part and leaves the rest requested;
    /// once the floor falls, a second claim (trades around it) joins the settling one; the settlement pays. No step
    /// pays the attacker, and every campaign property holds after each.
    function test_gatedJuniorClaim_partThenRest_neverPays() public {
        crowd.warp(1 hours + 100);
        crowd.stewardPost(6390, 0); // ES99 63.9 %: capacity ~ 99 k of the 200 k requested
        attacker.sandwichLp(1 << 8, 2, 0, 0, 0, 1, 1);
        assertEq(attacker.juniorClaimsPartial(), 1, "a prorated part");
        (uint256 left,,) = junior.withdrawRequest(address(bot));
        (uint256 settling,,) = junior.pendingClaim(address(bot));
        assertGt(left, 0, "the rest stays requested");
        assertGt(settling, 0, "the part settles");
        invariant_noFreeLunch();

        crowd.warp(10);
        crowd.stewardPost(4000, 0); // the floor falls to 60 %
        attacker.sandwichLp(1 << 8, 2, 5e18, -3e18, 2e18, 0, 1); // across blocks
        (left,,) = junior.withdrawRequest(address(bot));
        (uint256 merged,,) = junior.pendingClaim(address(bot));
        assertEq(left, 0, "the rest claimed");
        assertGt(merged, settling, "joined the settling claim");
        invariant_noFreeLunch();

        crowd.warp(2 hours);
        attacker.sandwichLp(1 << 8, 2, 5e18, -3e18, 2e18, 1, 1); // the settlement
        (settling,,) = junior.pendingClaim(address(bot));
        assertEq(settling, 0, "settled");
        invariant_noFreeLunch();
    }

    /* NO FREE LUNCH */

    function _noAttackerActionPays() internal view {
        if (attacker.maxActionGain() > DUST_WAD) _logMaxGain();
        assertLe(attacker.maxActionGain(), DUST_WAD, "W-1: an attacker action never pays (vs doing nothing)");
    }

    function _attackerEarnsNothingOverTheRun() internal view {
        assertLe(
            attacker.cumulativeGain(),
            DUST_WAD * int256(attacker.attackerActions()),
            "W-2: the attacker's actions earn nothing in total"
        );
    }

    function _priceNeutralCallsKeepSharePrices() internal view {
        if (attacker.trancheDrops() != 0) {
            console.log(
                "TR-1 broken by", attacker.trancheDropAction(), "drop per 1e18 shares", attacker.trancheDropWad()
            );
        }
        assertEq(attacker.trancheDrops(), 0, "TR-1: a price-neutral call wrapped in trades never lowers a share price");
    }

    function _claimAheadOfLiquidationPaysNoMore() internal view {
        if (attacker.claimAheadGains() != 0) console.log("CL-1 largest gain (tokens)", attacker.claimAheadMax());
        assertEq(attacker.claimAheadGains(), 0, "CL-1: a claim before an insolvent account's liquidation pays no more");
    }

    function _gasLimitStoresNothingElse() internal view {
        if (attacker.gasMismatches() != 0) {
            console.log("GAS-1 broken by", attacker.gasMismatchAction(), "gas limit", attacker.gasMismatchLimit());
            console.log(
                "  capital stored / with ample gas (tokens)",
                attacker.gasMismatchStoredCapital(),
                attacker.gasMismatchAmpleCapital()
            );
        }
        assertEq(
            attacker.gasMismatches(), 0, "GAS-1: with any gas limit a call reverts or stores what ample gas stores"
        );
    }

    /* PROTOCOL INVARIANTS UNDER ATTACK */

    function _tokenSolvency() internal view {
        address[] memory owners = _allOwners();
        uint256 owed;
        for (uint256 i; i < owners.length; ++i) {
            for (uint96 sub; sub < 2; ++sub) {
                int256 c = pool.account(owners[i], sub).collateral;
                if (c > 0) owed += uint256(c);
            }
        }
        (uint256 pnlPool, uint256 premium,) = pool.pools();
        assertGe(usdc.balanceOf(address(pool)) * 1e12, owed + pnlPool + premium, "SOLV-1: pool tokens cover balances");
    }

    function _openInterestMatchesPositions() internal view {
        address[] memory owners = _allOwners();
        for (uint256 m; m < 2; ++m) {
            uint256 longs;
            uint256 shorts;
            for (uint256 i; i < owners.length; ++i) {
                for (uint96 sub; sub < 2; ++sub) {
                    int256 s = pool.position(owners[i], sub, m).size;
                    if (s > 0) longs += uint256(s);
                    else shorts += uint256(-s);
                }
            }
            MarketState memory st = pool.marketState(m);
            assertEq(st.longOpenInterest, longs, "OI-1: long open interest == sum of long positions");
            assertEq(st.shortOpenInterest, shorts, "OI-1: short open interest == sum of short positions");
        }
    }

    function _vaultAssetsMatchBalance() internal view {
        TrancheVault[2] memory vaults = [junior, senior];
        for (uint256 i; i < 2; ++i) {
            assertEq(
                vaults[i].grossAssets() + vaults[i].unvestedPremium() + vaults[i].boostPot(),
                usdc.balanceOf(address(vaults[i])),
                "4626-1: grossAssets + unvestedPremium + boostPot == USDC balance"
            );
        }
    }

    /// @dev Every owner that may hold a position or collateral (the backstop account is address(0)).
    function _allOwners() internal view returns (address[] memory owners) {
        owners = new address[](_crowd.length + _debtors.length + _seeds.length + 5);
        uint256 n;
        for (uint256 i; i < _crowd.length; ++i) {
            owners[n++] = _crowd[i];
        }
        for (uint256 i; i < _debtors.length; ++i) {
            owners[n++] = _debtors[i];
        }
        for (uint256 i; i < _seeds.length; ++i) {
            owners[n++] = _seeds[i];
        }
        owners[n++] = address(bot);
        owners[n++] = address(bot2);
        owners[n++] = poker;
        owners[n++] = liquidator;
        owners[n++] = address(0);
    }

    /* REPORT */

    function _logMaxGain() internal view {
        AttackerHandler.Plan memory p = attacker.maxGainPlan();
        console.log("W-1 largest gain (WAD)", uint256(attacker.maxActionGain()), "by", attacker.maxGainAction());
        console.log("  market", p.market, "across blocks", p.acrossBlocks ? 1 : 0);
        console.log("  before A0 / A1 (base WAD)");
        console.logInt(p.before0);
        console.logInt(p.before1);
        console.log("  after A0");
        console.logInt(p.after0);
        console.log("  gas limit", p.gas, "gap", p.gap);
        console.log("  kind arg", p.arg);
        int256[6] memory parts = attacker.maxGainParts();
        console.log("  gain by part (WAD): wallets, A0, A1, B, junior, senior");
        for (uint256 i; i < 6; ++i) {
            console.logInt(parts[i]);
        }
    }

    /// @dev Printed with -vv: what the attacker tried and what succeeded, and its standing.
    function afterInvariant() external view {
        string[16] memory names = [
            "none",
            "repeg",
            "updateFunding",
            "distributePremium",
            "syncBackstopCapital",
            "settleProfit",
            "deposit",
            "requestWithdraw",
            "cancelWithdraw",
            "claim",
            "liquidate",
            "liquidateMany",
            "inventorySale",
            "refreshBoost",
            "advanceExitQueue",
            "claimBoost"
        ];
        for (uint256 k; k < 16; ++k) {
            AttackerHandler.Kind kind = AttackerHandler.Kind(k);
            console.log(names[k], attacker.planned(kind), "succeeded", attacker.succeeded(kind));
            console.logInt(attacker.maxGainOf(kind));
        }
        console.log("attacker actions", attacker.attackerActions(), "cumulative gain (WAD):");
        console.logInt(attacker.cumulativeGain());
        console.log("claim probes", attacker.claimProbes(), "gas probes", attacker.gasProbes());
        console.log("gas-limited successes", attacker.gasLimitedSuccesses());
        console.log("worth now vs put in (WAD):");
        console.logInt(attacker.worth() - int256(BUDGET * 1e12));
        console.log("time elapsed (s)", block.timestamp - 1_700_000_000);
        (uint256 floor,, uint256 queued) = junior.exitGate();
        console.log("junior exit floor / queued (tokens)", floor / 1e6, queued / 1e6);
        console.log(
            "junior claims held back / partial", attacker.juniorClaimsHeldBack(), attacker.juniorClaimsPartial()
        );
        console.log("steward posts", crowd.calls("stewardPost"), "refused", crowd.refused("stewardPost"));
        console.log("boost pots junior / senior (tokens)", junior.boostPot() / 1e6, senior.boostPot() / 1e6);
    }
}
