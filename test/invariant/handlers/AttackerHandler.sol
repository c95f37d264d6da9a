// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../../contracts/Backstop.sol";
import {OracleRouter} from "../../../contracts/OracleRouter.sol";
import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {IPerpPool} from "../../../contracts/interfaces/IPerpPool.sol";
import {Account, MarketState, MarketView, PositionView} from "../../../contracts/interfaces/IPerpTypes.sol";
import {VammMath} from "../../../contracts/libraries/VammMath.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {TestUSDC} from "../../../contracts/test/TestUSDC.sol";
import {AttackerBot} from "../../utils/AttackerBot.sol";
import {StillIndex} from "../../utils/StillIndex.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice The no-free-lunch attacker (DESIGN property 10, RISK-TESTS 59-66, 78). It owns two bots: `bot` holds
/// margin accounts A0 = (bot, 0) and A1 = (bot, 1), the tranche shares and the wallet; `bot2` holds B = (bot2, 0),
/// "its own second account", which `bot` trades as operator and may liquidate. Every action wraps one permissionless
/// call in trades before and after (any side, sizes bounded by the curve and margin) and closes A0 and A1 at the end:
/// - in ONE transaction: a single `bot.run` batch (trades, the call with an optional gas limit, trades, closes);
/// - across blocks: the same legs in three blocks (1-60 s apart) within the handler call (legs still open from
///   `openLeg` are closed first, in both worlds, see `_execute`);
/// - across handler calls: `openLeg` leaves a position open; honest calls and time pass; the next action closes it.
/// [5/6] (RISK 78): the LP-economics calls anyone may make are kinds like the others: `refreshBoost` (either vault),
/// `advanceExitQueue` (junior), the attacker's own `claimBoost`; `sandwichLp` draws among the LP calls so that junior
/// claims meet the exit gate closed and half open (held back: (0, 0); prorated: a part settles, the rest stays
/// requested; a second claim joins the settling one).
///
/// Measure (sound with an honest crowd around): each action is first run as a COUNTERFACTUAL inside a call that
/// reverts and carries its result out, then for real; the action's gain is the attacker's worth after the real run
/// minus its worth after the counterfactual (W-1), summed over the run (W-2). In one transaction the counterfactual
/// does nothing (so a call that pays by itself shows); across blocks it makes the same call at the same time without
/// the trades, and so do claims and cancels (see `_measuredAgainstTheCallAlone`), so what the call does with time
/// or with the attacker's own escrow cancels out and what the trades around it capture shows. Both worlds run the
/// same block steps, feed re-posts and bystander accrual poke (`_poke`).
/// Worth = wallet USDC of both bots + every attacker account's collateral + deferred profit + its positions closed on
/// the curve now (sequentially, A0, A1, B, with the pool's own curve math, net of the fee and funding owed), floored
/// at 0 per account (limited liability) + tranche shares at `convertToAssets` + a pending request at
/// min(assetsAtRequest, convertToAssets(escrow)) (what request + claim pays; a request the junior's exit gate holds
/// back, wholly or in part, is valued the same way, and a claim settling beside it at min(cap, convertToAssets)) +
/// its claimable boost in each vault (`claimableBoost`: the pot is not tranche value). Positions held across actions lie on
/// B's side per market (`openLeg`): for them that closing order is the cheapest, so a real close can never beat the
/// valuation by a fee-ordering effect. What honest parties do between actions (premium vesting to
/// the attacker's shares, the crowd moving the mark under a held leg) is not the attacker's doing and is not counted.
contract AttackerHandler is StillIndex, StdUtils {
    /* FLAGS: one per call. Each was `false` on the code this campaign was written against (2026-12-06, 4259e18),
       where it broke the property as its NatSpec says; all are `true` since the fixes landed (the repeg's own window
       and small steps, the descending-discount inventory sale, the two-step claim, reads that fail never stored). */

    /// @notice Trade around `repeg` (RISK 59). OFF: with B holding the side a due repeg favours, the attacker trades
    /// A0/A1 around it and closes: +3,597 USDC in one transaction (shrunk, 8 calls), +373 USDC across blocks against
    /// the same repeg without trades (A1 +35 directly, B's repeg loss cut by 366), all booked to the backstop.
    /// Still OFF after the fixes (the one-transaction sandwich is closed: a step is 3/4 of a round trip's fees, its
    /// trigger and its size read the block's first mark): a position held through a step on the side it favours
    /// earns ~1.5 x fee x its notional from the backstop, and an attacker who holds its second account B there can
    /// shape whether (and how far) a step runs with a push held across a block: +13.3 USDC (A1 pushes 47 ETH for a
    /// block: -188.5; B +201.8), seed 0x7e57 at the default profile. Open; see the README ("No free lunch").
    bool public constant WRAP_REPEG = false;
    /// @notice Trade around the inventory sale (`takeInventory`; RISK 61). Was OFF against `unwindInventory`: A1 buys 3.6 BTC, the unwind
    /// buys back the 3 BTC short inventory higher, A1 sells: +1,125 USDC, junior pays.
    bool public constant WRAP_INVENTORY_SALE = true;
    /// @notice Trade around `settleProfit`; its draw must leave share prices unchanged (RISK 64).
    bool public constant WRAP_SETTLE_PROFIT = true;
    /// @notice Claim a matured request before vs after an insolvent account's liquidation (RISK 63). OFF: the
    /// attacker's junior claim ahead of two insolvent debtors (38 k of bad debt) pays 3,190 USDC more.
    bool public constant CLAIM_AROUND_DEFICIT = true;
    /// @notice `syncBackstopCapital` and `distributePremium` (which re-syncs the capital) with a starving gas limit
    /// must revert or store what ample gas stores (RISK 62). OFF: `syncBackstopCapital` with 211,357 gas stores
    /// 6,600,000 USDC (junior read as 0: its visible-loss read ran out of gas) instead of 8,995,291.73.
    bool public constant GAS_LIMIT_CAPITAL_SYNC = true;
    /// @notice The other permissionless calls (funding, repeg, inventory sale, profit settlement, liquidateMany) with
    /// a starving gas limit: revert or store what ample gas stores (RISK 62).
    bool public constant GAS_LIMIT_OTHER_CALLS = true;

    /* CALL KINDS */

    enum Kind {
        None,
        Repeg,
        UpdateFunding,
        DistributePremium,
        SyncCapital,
        SettleProfit,
        Deposit,
        RequestWithdraw,
        CancelWithdraw,
        Claim,
        Liquidate,
        LiquidateMany,
        InventorySale,
        RefreshBoost,
        AdvanceExitQueue,
        ClaimBoost
    }

    uint256 internal constant KINDS = 16;
    /// @dev Largest attacker trade: 0.75 % of the base reserve (about 1.5 % of mark), so its own close stays within
    /// the 2 % per-block move in every order.
    uint256 internal constant MAX_ATTACK_BPS_OF_RESERVE = 75;
    uint256 internal constant MAX_GAP = 60;
    uint256 internal constant MIN_GAS = 25_000;
    uint256 internal constant MAX_GAS = 700_000;

    struct Plan {
        Kind kind;
        uint256 market;
        uint256 arg;
        int256 before0; // A0, before the call
        int256 before1; // A1, before the call
        int256 after0; // A0, after the call (then A0 and A1 close)
        bool acrossBlocks;
        uint256 gap;
        uint256 gas; // 0: ample
    }

    struct Snap {
        int256 worth; // WAD
        int256[6] parts; // wallets, A0, A1, B, junior position, senior position (WAD)
        uint256[2] assets; // junior, senior totalAssets
        uint256[2] supply; // junior, senior totalSupply
    }

    error Counterfactual(Snap snap, bool callOk);
    error ClaimProbe(uint256 assets, bool ok, bool split);
    error DigestProbe(bytes32 digest, bool ok, uint256 capital);
    error OnlySelf();

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    TestUSDC public immutable usdc;
    OracleRouter public immutable oracle;
    Backstop public immutable backstop;
    TrancheVault public immutable junior;
    TrancheVault public immutable senior;
    AttackerBot public immutable bot;
    AttackerBot public immutable bot2;
    address public immutable keeper;
    address public immutable poker;

    /// @dev Accounts the attacker may settle profit for, or that may wait insolvent (crowd, seeded debtors).
    address[] internal _others;

    /* GHOSTS */

    uint256 public immutable budget; // tokens the attacker put in, once, at setup
    uint256 public attackerActions;
    int256 public cumulativeGain; // WAD
    int256 public maxActionGain; // WAD
    string public maxGainAction;
    Plan internal _maxGainPlan;
    int256[6] internal _maxGainParts;
    mapping(Kind => int256) public maxGainOf;
    mapping(Kind => uint256) public planned;
    mapping(Kind => uint256) public succeeded;

    uint256 public trancheDrops;
    string public trancheDropAction;
    uint256 public trancheDropWad; // the larger relative drop seen, assets per 1e18 shares

    uint256 public claimAheadGains;
    /// @notice Actions measured against the call alone whose call reverted alone but ran wrapped (see `_measured`).
    uint256 public incomparable;
    uint256 public claimAheadMax; // tokens
    uint256 public claimProbes;

    /// @dev One transaction: the state after the accrual poke, i.e. what doing nothing leaves (see `_measured`).
    Snap internal _doNothing;

    /// @notice Junior claims the exit gate held back wholly / took in part (coverage of the gated claim).
    uint256 public juniorClaimsHeldBack;
    uint256 public juniorClaimsPartial;

    uint256 public gasMismatches;
    string public gasMismatchAction;
    uint256 public gasMismatchLimit;
    uint256 public gasMismatchStoredCapital; // tokens, what the starved call stored
    uint256 public gasMismatchAmpleCapital; // tokens, what ample gas stores
    uint256 public gasProbes;
    uint256 public gasLimitedSuccesses;

    struct Deployment {
        PerpPool pool;
        PerpLens lens;
        TestUSDC usdc;
        OracleRouter oracle;
        Backstop backstop;
        TrancheVault junior;
        TrancheVault senior;
        SettableFeed[FEEDS][MARKETS] feeds;
        address feedUpdater;
        AttackerBot bot;
        AttackerBot bot2;
        address keeper;
        address poker;
        address[] others;
        uint256 budget;
    }

    constructor(Deployment memory d) StillIndex(d.feeds, d.feedUpdater) {
        pool = d.pool;
        lens = d.lens;
        usdc = d.usdc;
        oracle = d.oracle;
        backstop = d.backstop;
        junior = d.junior;
        senior = d.senior;
        bot = d.bot;
        bot2 = d.bot2;
        keeper = d.keeper;
        poker = d.poker;
        _others = d.others;
        budget = d.budget;
    }

    /* ATTACKER ACTIONS */

    /// @notice Trades before, one permissionless call, trades after, A0 and A1 closed; in one transaction or across
    /// three blocks. Its gain against doing nothing is recorded (W-1); for the calls that must not move share prices
    /// (funding, premium, capital, profit settlement, deposits, requests, cancels, claims, the boost refresh and claim,
    /// the exit queue's advance, or none), made in one
    /// transaction, neither tranche's share price may end below the counterfactual's (TR-1).
    function sandwich(
        uint256 kindSeed,
        uint256 argSeed,
        int256 before0Seed,
        int256 before1Seed,
        int256 after0Seed,
        uint256 modeSeed,
        uint256 gasSeed
    ) external {
        Plan memory p = _plan(kindSeed, argSeed, before0Seed, before1Seed, after0Seed, modeSeed, gasSeed);
        _measured(p);
    }

    /// @notice A sandwich around one of the LP calls ([5/6]: the junior exit gate and the boost), which a uniform
    /// draw over every kind reaches too rarely for a junior claim to meet the gate both closed and half open: claims
    /// and settlements, requests, cancels, boost refreshes and claims, queue advances; junior three times in four.
    function sandwichLp(
        uint256 kindSeed,
        uint256 argSeed,
        int256 before0Seed,
        int256 before1Seed,
        int256 after0Seed,
        uint256 modeSeed,
        uint256 gasSeed
    ) external {
        Kind[8] memory kinds = [
            Kind.Claim,
            Kind.Claim,
            Kind.Claim,
            Kind.RequestWithdraw,
            Kind.CancelWithdraw,
            Kind.RefreshBoost,
            Kind.ClaimBoost,
            Kind.AdvanceExitQueue
        ];
        Plan memory p = _plan(0, argSeed, before0Seed, before1Seed, after0Seed, modeSeed, gasSeed);
        p.kind = kinds[kindSeed % kinds.length];
        if ((kindSeed >> 8) % 4 != 0) p.arg &= ~uint256(1);
        if (_gasLimitable(p.kind) && gasSeed % 4 == 0) p.gas = bound(gasSeed >> 2, MIN_GAS, MAX_GAS);
        _measured(p);
    }

    /// @notice The first half of a sandwich split across handler calls: A0 and A1 open and stay open; honest calls
    /// and time pass before the attacker's next action makes the call and closes them. Measured like any action.
    /// Legs still open are closed first (in both worlds), and both new legs lie on B's side (if B holds one): the
    /// worth closes A0, A1, then B on the curve, and only for same-side positions is that order the cheapest way to
    /// close them (for offsetting ones another order pays less fee, a gain no counterparty paid).
    function openLeg(uint256 marketSeed, int256 size0Seed, int256 size1Seed) external {
        Plan memory p;
        p.market = marketSeed % MARKETS;
        bool long = _sideOfB(p.market, size0Seed >= 0);
        p.before0 = _sided(_attackSize(size0Seed, p.market), long);
        p.before1 = _sided(_attackSize(size1Seed, p.market), long);
        p.after0 = type(int256).min; // marker: leave open
        _measured(p);
    }

    /// @notice B, the attacker's second account, takes a leveraged position it keeps across actions (funding may
    /// bleed it below maintenance, and the attacker may then liquidate it itself). Measured like any action; A0 and
    /// A1 legs still open are closed first (see `openLeg`).
    function armSecondAccount(uint256 marketSeed, uint256 fractionSeed, bool long) external {
        Plan memory p;
        p.market = marketSeed % MARKETS;
        p.after0 = type(int256).min + 1; // marker: arm B
        p.arg = bound(fractionSeed, 5000, 9500);
        p.before0 = long ? int256(1) : int256(-1);
        _measured(p);
    }

    /// @notice RISK 63: with a matured request and an insolvent (or liquidatable) account waiting, claiming before
    /// its liquidation must pay no more than claiming after it. Without a request it requests; with an expired one it
    /// cancels.
    function claimAroundDeficit(uint256 trancheSeed, uint256 sharesSeed) external {
        if (!CLAIM_AROUND_DEFICIT) return;
        TrancheVault v = trancheSeed % 2 == 0 ? junior : senior;
        (uint256 pending,, uint64 unlock) = v.withdrawRequest(address(bot));
        (uint256 settling,, uint64 settleAt) = v.pendingClaim(address(bot));
        if (settling != 0) {
            if (block.timestamp >= settleAt) _runOne(address(v), abi.encodeCall(v.settleClaim, (address(bot))), 0);
            return;
        }
        if (pending == 0) {
            uint256 balance = v.balanceOf(address(bot));
            if (balance != 0) {
                _runOne(address(v), abi.encodeCall(v.requestWithdraw, (bound(sharesSeed, 1, balance))), 0);
            }
            return;
        }
        if (block.timestamp < unlock) return;
        if (block.timestamp > uint256(unlock) + v.claimWindow()) {
            _runOne(address(v), abi.encodeCall(v.cancelWithdraw, ()), 0);
            return;
        }
        bytes32[] memory ids = _liquidatableIds();
        if (ids.length == 0) return;
        ++claimProbes;
        uint256 afterLiquidation;
        bool okAfter;
        bool splitAfter;
        (uint256 t0, uint256 n0) = (block.timestamp, block.number);
        try this.probeClaimAfterLiquidation(v, ids) {}
        catch (bytes memory err) {
            (afterLiquidation, okAfter, splitAfter) = abi.decode(_args(err, ClaimProbe.selector), (uint256, bool, bool));
        }
        // The probe's revert undoes its state, not its warps (cheatcodes persist): both paths start at t0.
        vm.warp(t0);
        vm.roll(n0);
        // Claimed before the liquidation: the keeper liquidates within the settlement delay, then it settles.
        (bool ok, uint256 first, bool split) = _claimAndSettle(v, ids);
        // An exit the gate split (a part paid, the rest still requested) is valued in two parts, each rounded down
        // (the part's cap and its payout, then the rest): up to two token units below the same exit made whole.
        uint256 dust = split || splitAfter ? 2 : 0;
        if (ok && okAfter && first > afterLiquidation + dust) {
            ++claimAheadGains;
            if (first - afterLiquidation > claimAheadMax) claimAheadMax = first - afterLiquidation;
        }
    }

    /// @notice RISK 62: a permissionless call made with gas limit `g` either reverts or stores exactly what it stores
    /// with ample gas (capital, funding, curve, oracle observation, ledgers, tranche values).
    function gasLimitedCall(uint256 kindSeed, uint256 argSeed, uint256 gasSeed) external {
        // refreshBoost: a starved oracle read must revert, never store a default multiplier; advanceExitQueue: a
        // starved skip must revert or skip what ample gas skips (the queue's head is in the digest).
        Kind[9] memory kinds = [
            Kind.SyncCapital,
            Kind.DistributePremium,
            Kind.UpdateFunding,
            Kind.Repeg,
            Kind.InventorySale,
            Kind.SettleProfit,
            Kind.LiquidateMany,
            Kind.RefreshBoost,
            Kind.AdvanceExitQueue
        ];
        Plan memory p;
        p.kind = kinds[kindSeed % kinds.length];
        p.market = argSeed % MARKETS;
        p.arg = argSeed;
        bool capitalSync = p.kind == Kind.SyncCapital || p.kind == Kind.DistributePremium;
        if (capitalSync ? !GAS_LIMIT_CAPITAL_SYNC : !GAS_LIMIT_OTHER_CALLS) return;
        (address target, bytes memory data, bool ready) = _callOf(p);
        if (!ready) return;
        uint256 g = bound(gasSeed, MIN_GAS, MAX_GAS);
        ++gasProbes;
        bytes32 ample;
        bool okAmple;
        uint256 ampleCapital;
        try this.probeDigest(target, data) {}
        catch (bytes memory err) {
            (ample, okAmple, ampleCapital) = abi.decode(_args(err, DigestProbe.selector), (bytes32, bool, uint256));
        }
        (bool ok,) = _runOne(target, data, g);
        if (!ok) return;
        ++gasLimitedSuccesses;
        if (!okAmple || stateDigest() != ample) {
            ++gasMismatches;
            gasMismatchAction = _name(p.kind);
            gasMismatchLimit = g;
            gasMismatchStoredCapital = pool.backstopCapital();
            gasMismatchAmpleCapital = ampleCapital;
        }
    }

    /* PROBES (called by this handler on itself; they always revert, carrying their result out) */

    function counterfactual(Plan memory p) external {
        if (msg.sender != address(this)) revert OnlySelf();
        bool ok = _execute(p, false);
        revert Counterfactual(snap(), ok);
    }

    function probeClaimAfterLiquidation(TrancheVault v, bytes32[] memory ids) external {
        if (msg.sender != address(this)) revert OnlySelf();
        vm.prank(keeper);
        pool.liquidateMany(ids);
        (bool ok, uint256 paid, bool split) = _claimAndSettle(v, new bytes32[](0));
        revert ClaimProbe(paid, ok, split);
    }

    function probeDigest(address target, bytes memory data) external {
        if (msg.sender != address(this)) revert OnlySelf();
        (bool ok,) = _runOne(target, data, 0);
        revert DigestProbe(stateDigest(), ok, pool.backstopCapital());
    }

    /* VIEWS */

    function snap() public view returns (Snap memory s) {
        s.parts = worthParts();
        for (uint256 i; i < 6; ++i) {
            s.worth += s.parts[i];
        }
        s.assets = [junior.totalAssets(), senior.totalAssets()];
        s.supply = [junior.totalSupply(), senior.totalSupply()];
    }

    /// @notice The attacker's worth (WAD): wallets, accounts closed out on the curve, tranche positions.
    function worth() public view returns (int256 w) {
        int256[6] memory parts = worthParts();
        for (uint256 i; i < 6; ++i) {
            w += parts[i];
        }
    }

    /// @notice The attacker's worth by part (WAD): both wallets; A0, A1 and B closed out on the curve in that order;
    /// its junior and senior positions.
    function worthParts() public view returns (int256[6] memory parts) {
        parts[0] = int256((usdc.balanceOf(address(bot)) + usdc.balanceOf(address(bot2))) * 1e12);
        uint256[MARKETS] memory base;
        uint256[MARKETS] memory quote;
        for (uint256 m; m < MARKETS; ++m) {
            MarketState memory s = pool.marketState(m);
            (base[m], quote[m]) = (s.baseReserve, s.quoteReserve);
        }
        parts[1] = _accountWorth(address(bot), 0, base, quote);
        parts[2] = _accountWorth(address(bot), 1, base, quote);
        parts[3] = _accountWorth(address(bot2), 0, base, quote);
        parts[4] = int256(_lpWorth(junior) * 1e12);
        parts[5] = int256(_lpWorth(senior) * 1e12);
    }

    /// @notice The worth parts, real minus counterfactual, of the action with the largest gain.
    function maxGainParts() external view returns (int256[6] memory) {
        return _maxGainParts;
    }

    /// @notice Everything a permissionless call may store that prices or bounds anything.
    function stateDigest() public view returns (bytes32) {
        bytes memory b = abi.encode(
            pool.backstopCapital(),
            junior.totalAssets(),
            senior.totalAssets(),
            junior.totalSupply(),
            senior.totalSupply()
        );
        (uint256 pnlPool, uint256 premium, int256 net) = pool.pools();
        (uint256 deferred, uint256 advance,) = pool.profitLedger();
        (uint256 aj, uint256 as_) = backstop.advances();
        b = abi.encode(b, pnlPool, premium, net, deferred, advance, aj, as_);
        b = abi.encode(b, _boostDigest(junior), _boostDigest(senior), _gateDigest());
        for (uint256 m; m < MARKETS; ++m) {
            (uint256 price, uint8 status, uint64 at) = _lastObservation(m);
            b = abi.encode(b, pool.marketState(m), pool.position(address(0), 0, m), price, status, at);
        }
        return keccak256(b);
    }

    /// @dev The boost state a call may store: the multiplier, the index and the points accrued to now, the pot.
    function _boostDigest(TrancheVault v) internal view returns (bytes32) {
        bytes memory b = abi.encode(v.boostMultiplierBps(), v.volatilityIndex(), v.totalBoostPoints());
        return keccak256(abi.encode(b, v.boostPot(), v.boostPoints(address(bot))));
    }

    /// @dev The junior's exit gate and queue as the views show them (the head's position shows in `queued`).
    function _gateDigest() internal view returns (bytes32) {
        (uint256 floor, uint256 capacity, uint256 queued) = junior.exitGate();
        (uint256 claimable, uint256 requested, uint256 ahead) = junior.claimableNow(address(bot));
        return keccak256(abi.encode(floor, capacity, queued, claimable, requested, ahead));
    }

    function maxGainPlan() external view returns (Plan memory) {
        return _maxGainPlan;
    }

    /* INTERNAL: THE MEASURE */

    function _measured(Plan memory p) internal {
        ++attackerActions;
        ++planned[p.kind];
        uint256 t0 = block.timestamp;
        uint256 n0 = block.number;
        Snap memory cf;
        bool cfOk;
        try this.counterfactual(p) {}
        catch (bytes memory err) {
            (cf, cfOk) = abi.decode(_args(err, Counterfactual.selector), (Snap, bool));
        }
        vm.warp(t0);
        vm.roll(n0);
        (uint256 requested,,) = junior.withdrawRequest(address(bot));
        bool callOk = _execute(p, true);
        if (callOk) ++succeeded[p.kind];
        if (callOk && p.kind == Kind.Claim && p.arg % 2 == 0) _countGate(requested);
        Snap memory real = snap();
        // Measured against the call alone, but the call alone reverted where the wrapped one ran (the trades made it
        // possible, e.g. a sale the taker's margin or size rules refuse without them): the two worlds differ by more
        // than the wrapping (the whole call), so there is nothing like-for-like to compare. Counted, not measured.
        // (Not for the repeg: trades that make a step due where it was not are measured whole.) Premium distribution
        // likewise: with a gas limit at the margin, the trades before it warm the slots it reads and it runs where
        // the call alone runs out of gas; what it pays then is the boost pots' premium to every holder's points.
        // (Not before [5/6], when it was measured against doing nothing and paid nothing at once.)
        bool callAloneIncomparable = p.kind == Kind.InventorySale || p.kind == Kind.DistributePremium;
        if (callAloneIncomparable && callOk && !cfOk) {
            ++incomparable;
            return;
        }

        int256 gain = real.worth - cf.worth;
        cumulativeGain += gain;
        if (gain > maxGainOf[p.kind]) maxGainOf[p.kind] = gain;
        if (gain > maxActionGain) {
            maxActionGain = gain;
            maxGainAction = _name(p.kind);
            _maxGainPlan = p;
            for (uint256 i; i < 6; ++i) {
                _maxGainParts[i] = real.parts[i] - cf.parts[i];
            }
        }
        if (!p.acrossBlocks && _lpNeutral(p.kind)) {
            // TR-1 is against doing nothing: for a kind measured against the call alone in one transaction only
            // because of what it pays (the premium's boost pots), that is the state the poke left.
            Snap memory base = p.kind == Kind.DistributePremium ? _doNothing : cf;
            for (uint256 i; i < 2; ++i) {
                // price real >= price counterfactual, less one token unit of assets (see TR-1)
                if ((real.assets[i] + 1) * base.supply[i] < base.assets[i] * real.supply[i]) {
                    ++trancheDrops;
                    trancheDropAction = string.concat(_name(p.kind), i == 0 ? " (junior)" : " (senior)");
                    uint256 drop = base.assets[i] * 1e18 / base.supply[i] - real.assets[i] * 1e18 / real.supply[i];
                    if (drop > trancheDropWad) trancheDropWad = drop;
                }
            }
        }
    }

    /// @dev A junior claim that ran: held back wholly (the request unchanged) or in part (a smaller request left).
    function _countGate(uint256 requestedBefore) internal {
        (uint256 left,,) = junior.withdrawRequest(address(bot));
        if (left == 0 || requestedBefore == 0) return;
        if (left == requestedBefore) ++juniorClaimsHeldBack;
        else ++juniorClaimsPartial;
    }

    /// @dev Runs the plan: the accrual poke, then (real only) the attacker's legs. Returns whether the call succeeded.
    function _execute(Plan memory p, bool real) internal returns (bool callOk) {
        _poke();
        if (p.after0 == type(int256).min || p.after0 == type(int256).min + 1) {
            // `openLeg` and `armSecondAccount` close the legs still open first, in both worlds: only B then holds a
            // position, and every new one lies on B's side (see `openLeg`).
            _run(_closeLegs());
            if (!real) return true;
            if (p.after0 == type(int256).min + 1) return _armB(p);
            _run(_legs(p, true, false, false));
            return true;
        }
        if (!p.acrossBlocks) {
            // The sale hands A1 the inventory's side, whatever side the held legs are on: close those first in both
            // worlds, or the order of the closes (offsetting positions, fees on different notionals) reads as a gain
            // nobody paid (see `openLeg`).
            if (p.kind == Kind.InventorySale) _run(_closeLegs());
            if (real && p.kind == Kind.DistributePremium) _doNothing = snap();
            if (real) callOk = _run(_legs(p, true, true, true));
            else if (_measuredAgainstTheCallAlone(p.kind)) callOk = _run(_legs(p, false, true, false));
            return callOk;
        }
        // Held legs are closed first, in both worlds: holding them through the blocks only moves funding, and
        // closing a leg early to pay less funding is no free lunch.
        _run(_closeLegs());
        // The sale's taker nets its before-legs at the sale price (no fee, no curve): holding them through the blocks
        // then earns their funding carry, legit and not the sale's doing, so for the sale the counterfactual holds the
        // same before-legs (what must not pay is the wrapping: the after-legs here, the before-legs in the
        // one-transaction mode and in `InventorySaleRisk.t.sol`).
        if (real || p.kind == Kind.InventorySale) _run(_legs(p, true, false, false));
        _nextBlock(p.gap);
        _poke();
        // Across blocks the counterfactual makes the same call at the same time, only without the trades: what the
        // call does by itself as time passes (a premium stream started earlier vests to the attacker's shares like
        // any LP's) cancels out; what the call alone is worth is measured in the one-transaction mode.
        callOk = _run(_legs(p, false, true, false));
        _nextBlock(p.gap);
        _poke();
        if (real) _run(_legs(p, false, false, true));
    }

    /// @dev Builds the batch: [before trades] [the call] [after trade, closes]. The call, if any, is always at index
    /// `callIndex` (0 when no before-leg is included, else 2), reported back through `_run`.
    function _legs(Plan memory p, bool withBefore, bool withCall, bool withAfter)
        internal
        returns (AttackerBot.Call[] memory calls)
    {
        calls = new AttackerBot.Call[](7);
        uint256 n;
        if (withBefore) {
            calls[n++] = _trade(address(bot), 0, p.market, p.before0);
            calls[n++] = _trade(address(bot), 1, p.market, p.before1);
        }
        _callIndex = type(uint256).max;
        if (withCall && p.kind != Kind.None && _enabled(p.kind)) {
            (address target, bytes memory data, bool ready) = _callOf(p);
            if (ready) {
                _callIndex = n;
                calls[n++] = AttackerBot.Call(target, data, p.gas, true);
            }
        }
        if (withAfter) {
            calls[n++] = _trade(address(bot), 0, p.market, p.after0);
            calls[n++] = _closeAll(address(bot), 0);
            calls[n++] = _closeAll(address(bot), 1);
        }
        assembly ("memory-safe") {
            mstore(calls, n)
        }
    }

    uint256 internal _callIndex = type(uint256).max;

    function _closeLegs() internal returns (AttackerBot.Call[] memory calls) {
        calls = new AttackerBot.Call[](2);
        calls[0] = _closeAll(address(bot), 0);
        calls[1] = _closeAll(address(bot), 1);
        _callIndex = type(uint256).max;
    }

    function _run(AttackerBot.Call[] memory calls) internal returns (bool callOk) {
        uint256 idx = _callIndex;
        _callIndex = type(uint256).max;
        if (calls.length == 0) return false;
        (bool[] memory ok,) = bot.run(calls);
        callOk = idx < ok.length && ok[idx];
    }

    function _runOne(address target, bytes memory data, uint256 gas) internal returns (bool ok, bytes memory ret) {
        AttackerBot.Call[] memory calls = new AttackerBot.Call[](1);
        calls[0] = AttackerBot.Call(target, data, gas, true);
        (bool[] memory oks, bytes[] memory rets) = bot.run(calls);
        return (oks[0], rets[0]);
    }

    function _armB(Plan memory p) internal returns (bool) {
        MarketView memory mv = lens.marketView(p.market);
        int256 value = lens.accountHealth(address(bot2), 0).value;
        if (value <= 0 || mv.indexPrice == 0) return false;
        // Tier 0 of the fixture: 10 % initial up to 100k notional, 20 % beyond (marginal): the notional `value`
        // supports, times the chosen fraction.
        uint256 v = uint256(value);
        uint256 notional = v <= 10_000e18 ? v * 10 : 100_000e18 + (v - 10_000e18) * 5;
        notional = notional * p.arg / 10_000;
        uint256 cap = mv.baseReserve * MAX_ATTACK_BPS_OF_RESERVE / 10_000;
        uint256 size = notional * 1e18 / mv.indexPrice;
        if (size > cap) size = cap;
        if (size < pool.marketConfig(p.market).minPositionBase) return false;
        AttackerBot.Call[] memory calls = new AttackerBot.Call[](1);
        calls[0] = _trade(address(bot2), 0, p.market, p.before0 > 0 ? int256(size) : -int256(size));
        (bool[] memory ok,) = bot.run(calls);
        return ok[0];
    }

    /// @dev Makes the pool accrue both markets now (a minimum-size trade toward the index and back by a bystander),
    /// in the counterfactual and the real run alike, so that time-driven accrual is never attributed to the attacker.
    function _poke() internal {
        for (uint256 m; m < MARKETS; ++m) {
            MarketView memory mv = lens.marketView(m);
            int256 size = int256(uint256(pool.marketConfig(m).minPositionBase));
            if (mv.markPrice > mv.indexPrice) size = -size;
            vm.prank(poker);
            try pool.trade(poker, 0, m, size, size > 0 ? type(uint256).max : 0, block.timestamp) {
                vm.prank(poker);
                try pool.trade(poker, 0, m, -size, size < 0 ? type(uint256).max : 0, block.timestamp) {} catch {}
            } catch {}
        }
    }

    /* INTERNAL: THE CALLS (entry points other helpers are replacing are isolated here) */

    /// @dev Today's repeg. The lead swaps this line when the entry point changes.
    function _repegData(uint256 m) internal pure returns (bytes memory) {
        return abi.encodeCall(IPerpPool.repeg, (m));
    }

    /// @dev The inventory sale: the backstop's position moves into A1 at the index minus (long) or plus (short) the
    /// descending discount; no price limit beyond the sale's own (the discount only ever favours the taker).
    function _inventorySaleData(uint256 m, uint256 maxBase, bool long) internal view returns (bytes memory) {
        return
            abi.encodeCall(
                IPerpPool.takeInventory, (m, uint96(1), maxBase, long ? type(uint256).max : 0, block.timestamp)
            );
    }

    /// @dev Step one of a claim (fixes the cap, starts the settlement delay).
    function _claimData(TrancheVault) internal pure returns (bytes memory) {
        return abi.encodeWithSignature("claim()");
    }

    /// @dev A whole exit from a matured request: claim; `between` (a liquidation, or nothing) runs in the settlement
    /// delay; then the settlement. Returns whether the claim ran and what the exit is worth once settled: what the
    /// attacker was paid plus, valued as in the worth, what is left of the request (a junior claim the exit gate held
    /// back, wholly or in part) and a claim still settling (a settlement refused, e.g. for liquidity).
    function _claimAndSettle(TrancheVault v, bytes32[] memory liquidateBetween)
        internal
        returns (bool ok, uint256 value, bool split)
    {
        uint256 before = usdc.balanceOf(address(bot));
        (ok,) = _runOne(address(v), _claimData(v), 0);
        if (!ok) return (false, 0, false);
        if (liquidateBetween.length != 0) {
            vm.prank(keeper);
            pool.liquidateMany(liquidateBetween);
        }
        _nextBlock(v.settlementDelay());
        (uint256 settling,,) = v.pendingClaim(address(bot));
        if (settling != 0) _runOne(address(v), abi.encodeCall(v.settleClaim, (address(bot))), 0);
        value = usdc.balanceOf(address(bot)) - before + _exitValue(v);
        (uint256 left,,) = v.withdrawRequest(address(bot));
        split = left != 0;
    }

    /// @dev The call of a plan: target, calldata, and whether its preconditions hold (else the plan's trades run
    /// as a bare round trip).
    function _callOf(Plan memory p) internal view returns (address target, bytes memory data, bool ready) {
        Kind k = p.kind;
        target = address(pool);
        ready = true;
        if (k == Kind.Repeg) {
            data = _repegData(p.market);
        } else if (k == Kind.UpdateFunding) {
            data = abi.encodeCall(IPerpPool.updateFunding, (p.market));
        } else if (k == Kind.DistributePremium) {
            data = abi.encodeCall(IPerpPool.distributePremium, ());
        } else if (k == Kind.SyncCapital) {
            data = abi.encodeCall(IPerpPool.syncBackstopCapital, ());
        } else if (k == Kind.SettleProfit) {
            (address owner, uint96 subId) = _settleTarget(p.arg);
            data = abi.encodeCall(IPerpPool.settleProfit, (owner, subId));
        } else if (k == Kind.Liquidate) {
            bool ownSub = p.arg % 2 == 0;
            uint256 maxBase = (p.arg >> 8) % 2 == 0 ? type(uint256).max : bound(p.arg >> 16, 1e15, 100e18);
            data = abi.encodeCall(
                IPerpPool.liquidate, (ownSub ? address(bot) : address(bot2), ownSub ? uint96(1) : uint96(0), maxBase)
            );
        } else if (k == Kind.LiquidateMany) {
            bytes32[] memory ids = new bytes32[](2);
            ids[0] = pool.accountId(address(bot), 1);
            ids[1] = pool.accountId(address(bot2), 0);
            data = abi.encodeCall(IPerpPool.liquidateMany, (ids));
        } else if (k == Kind.InventorySale) {
            int256 inventory = pool.position(address(0), 0, p.market).size;
            uint256 held = _abs(inventory);
            ready = held != 0;
            data = _inventorySaleData(p.market, held == 0 ? 1 : bound(p.arg, 1, held), inventory > 0);
        } else if (k == Kind.RefreshBoost) {
            TrancheVault v = p.arg % 2 == 0 ? junior : senior;
            target = address(v);
            data = abi.encodeCall(v.refreshBoost, ());
        } else if (k == Kind.AdvanceExitQueue) {
            // Junior only (the senior queue has no entries); 0 steps included (a no-op must stay one).
            target = address(junior);
            data = abi.encodeCall(junior.advanceExitQueue, (bound(p.arg >> 1, 0, 16)));
        } else if (k == Kind.ClaimBoost) {
            // The attacker's own boost, in either vault, once it pays a wei (else it reverts NothingToClaim).
            TrancheVault v = p.arg % 2 == 0 ? junior : senior;
            target = address(v);
            ready = v.claimableBoost(address(bot)) != 0;
            data = abi.encodeCall(v.claimBoost, ());
        } else {
            TrancheVault v = p.arg % 2 == 0 ? junior : senior;
            target = address(v);
            (uint256 pending,, uint64 unlock) = v.withdrawRequest(address(bot));
            if (k == Kind.Deposit) {
                uint256 wallet = usdc.balanceOf(address(bot));
                ready = wallet >= 1e6 && !v.isWiped();
                data = abi.encodeCall(
                    v.deposit, (wallet < 1e6 ? 1 : bound(p.arg >> 1, 1e6, _min(wallet, 300_000e6)), address(bot))
                );
            } else if (k == Kind.RequestWithdraw) {
                // A new request may start while a claim settles in its own slot (after a partial junior claim);
                // one settling in the request's slot refuses it (ClaimSettling), which the batch tolerates.
                uint256 balance = v.balanceOf(address(bot));
                ready = pending == 0 && balance != 0;
                data = abi.encodeCall(v.requestWithdraw, (balance == 0 ? 1 : bound(p.arg >> 1, 1, balance)));
            } else if (k == Kind.CancelWithdraw) {
                ready = pending != 0;
                data = abi.encodeCall(v.cancelWithdraw, ());
            } else {
                // A claim settling: its settlement once due; else step one of a matured request's claim. A junior
                // claim may be held back ((0, 0), the request keeps its place and its window restarts) or take a
                // prorated part and leave the rest requested beside the settling part: then both are possible and
                // the seed picks (a second claim joins the settling one).
                (uint256 settling,, uint64 settleAt) = v.pendingClaim(address(bot));
                bool settleable = settling != 0 && block.timestamp >= settleAt;
                bool claimable =
                    pending != 0 && block.timestamp >= unlock && block.timestamp <= uint256(unlock) + v.claimWindow();
                if (settleable && (!claimable || (p.arg >> 1) % 2 == 0)) {
                    data = abi.encodeCall(v.settleClaim, (address(bot)));
                } else {
                    ready = claimable;
                    data = _claimData(v);
                }
            }
        }
    }

    function _enabled(Kind k) internal pure returns (bool) {
        if (k == Kind.Repeg) return WRAP_REPEG;
        if (k == Kind.InventorySale) return WRAP_INVENTORY_SALE;
        if (k == Kind.SettleProfit) return WRAP_SETTLE_PROFIT;
        return true;
    }

    /// @dev A claim or a cancel hands the escrow's gain since the request to the LPs who stay, the attacker among them
    /// for its free shares: its own money partly coming back, which "doing nothing" does not show. These two are
    /// therefore measured against the same call made without the trades (what a claim pays is CL-1's and TR-1's).
    function _measuredAgainstTheCallAlone(Kind k) internal pure returns (bool) {
        // The inventory sale pays its taker the discount by design (funded by the penalties the backstop collected):
        // what must not pay is trading around it (RISK 61), so it is measured against the sale alone.
        // A due repeg step is made by the keeper in this block anyway: what must not pay is trading around it (RISK 59),
        // so it is measured against the step alone too. (What a position held through the steps earns is the
        // convergence the step exists for, bounded per step by the budget: not measured here; see the README.)
        // Premium distribution moves each tranche's boost share into its pot at once, and a pot is paid by points: the
        // attacker's claimable boost grows by its points' part, premium its shares earned like any LP's (whoever
        // distributes it, the keeper does every few minutes). What must not pay is trading around it, so in one
        // transaction too it is measured against the call alone (across blocks it already is); TR-1 still compares
        // it with doing nothing (`_doNothing`).
        return k == Kind.Claim || k == Kind.CancelWithdraw || k == Kind.InventorySale || k == Kind.Repeg
            || k == Kind.DistributePremium;
    }

    /// @dev The calls that must leave share prices where doing nothing leaves them (TR-1).
    /// [5/6]: refreshBoost only moves the boost index and multiplier; advanceExitQueue only the queue's head; a boost
    /// claim pays out of the pot, which is not tranche value (`grossAssets` leaves it out). None may move a share price.
    function _lpNeutral(Kind k) internal pure returns (bool) {
        return k == Kind.None || k == Kind.UpdateFunding || k == Kind.DistributePremium || k == Kind.SyncCapital
            || k == Kind.SettleProfit || k == Kind.Deposit || k == Kind.RequestWithdraw || k == Kind.CancelWithdraw
            || k == Kind.Claim || k == Kind.RefreshBoost || k == Kind.AdvanceExitQueue || k == Kind.ClaimBoost;
    }

    function _settleTarget(uint256 arg) internal view returns (address owner, uint96 subId) {
        uint256 i = arg % (3 + _others.length);
        if (i == 0) return (address(bot), 0);
        if (i == 1) return (address(bot), 1);
        if (i == 2) return (address(bot2), 0);
        return (_others[i - 3], 0);
    }

    function _trade(address owner, uint96 subId, uint256 m, int256 size)
        internal
        view
        returns (AttackerBot.Call memory)
    {
        if (size == 0) {
            // A harmless placeholder keeps the batch's layout fixed.
            return AttackerBot.Call(address(pool), abi.encodeCall(IPerpPool.marketCount, ()), 0, true);
        }
        return AttackerBot.Call(
            address(pool),
            abi.encodeCall(
                IPerpPool.trade, (owner, subId, m, size, size > 0 ? type(uint256).max : 0, type(uint256).max)
            ),
            0,
            true
        );
    }

    function _closeAll(address owner, uint96 subId) internal view returns (AttackerBot.Call memory) {
        return AttackerBot.Call(
            address(bot),
            abi.encodeCall(AttackerBot.closeAll, (IPerpPool(address(pool)), owner, subId, MARKETS)),
            0,
            true
        );
    }

    /* INTERNAL: PLANS AND VALUES */

    function _plan(
        uint256 kindSeed,
        uint256 argSeed,
        int256 before0Seed,
        int256 before1Seed,
        int256 after0Seed,
        uint256 modeSeed,
        uint256 gasSeed
    ) internal view returns (Plan memory p) {
        p.kind = Kind(kindSeed % KINDS);
        p.arg = argSeed;
        p.market = argSeed % MARKETS;
        p.before0 = (uint256(before0Seed) >> 200) % 4 == 0 ? int256(0) : _attackSize(before0Seed, p.market);
        p.before1 = (uint256(before1Seed) >> 200) % 2 == 0 ? int256(0) : _attackSize(before1Seed, p.market);
        p.after0 = (uint256(after0Seed) >> 200) % 2 == 0 ? int256(0) : _attackSize(after0Seed, p.market);
        p.acrossBlocks = modeSeed % 3 == 0;
        p.gap = bound(modeSeed >> 8, 1, MAX_GAP);
        if (_gasLimitable(p.kind) && gasSeed % 4 == 0) p.gas = bound(gasSeed >> 2, MIN_GAS, MAX_GAS);
    }

    /// @dev The calls a plan may make with a starving gas limit (flags permitting).
    function _gasLimitable(Kind k) internal pure returns (bool) {
        bool kind = k != Kind.None && uint256(k) <= uint256(Kind.SettleProfit) || k == Kind.LiquidateMany
            || k == Kind.InventorySale || k == Kind.RefreshBoost || k == Kind.AdvanceExitQueue;
        bool capitalSync = k == Kind.SyncCapital || k == Kind.DistributePremium;
        return kind && (capitalSync ? GAS_LIMIT_CAPITAL_SYNC : GAS_LIMIT_OTHER_CALLS);
    }

    /// @dev The side of B's position in `m`, or `fallbackLong` when it holds none.
    function _sideOfB(uint256 m, bool fallbackLong) internal view returns (bool long) {
        int256 held = pool.position(address(bot2), 0, m).size;
        return held != 0 ? held > 0 : fallbackLong;
    }

    function _sided(int256 size, bool long) internal pure returns (int256) {
        return (size > 0) == long ? size : -size;
    }

    /// @dev Any side, up to 0.75 % of the base reserve; 0 below the minimum position.
    function _attackSize(int256 seed, uint256 m) internal view returns (int256 size) {
        uint256 cap = uint256(pool.marketState(m).baseReserve) * MAX_ATTACK_BPS_OF_RESERVE / 10_000;
        size = bound(seed, -int256(cap), int256(cap));
        if (_abs(size) < pool.marketConfig(m).minPositionBase) size = 0;
    }

    function _accountWorth(address owner, uint96 subId, uint256[MARKETS] memory base, uint256[MARKETS] memory quote)
        internal
        view
        returns (int256 v)
    {
        Account memory a = pool.account(owner, subId);
        v = int256(a.collateral) + int256(uint256(a.unsettledProfit));
        if (a.marketMask != 0) {
            PositionView[] memory ps = lens.positions(owner, subId);
            for (uint256 i; i < ps.length; ++i) {
                uint256 m = ps[i].marketId;
                uint256 feeBps = pool.marketConfig(m).feeBps;
                uint256 q;
                if (ps[i].size > 0) {
                    (q, base[m], quote[m]) = VammMath.quoteForSellingBase(base[m], quote[m], uint256(ps[i].size));
                    v += int256(q) - ps[i].openNotional;
                } else {
                    (q, base[m], quote[m]) = VammMath.quoteToBuyBase(base[m], quote[m], uint256(-ps[i].size));
                    v += -ps[i].openNotional - int256(q);
                }
                v -= int256((q * feeBps + 9999) / 10_000) + ps[i].fundingOwed;
            }
        }
        if (v < 0) v = 0;
    }

    function _lpWorth(TrancheVault v) internal view returns (uint256 assets) {
        assets = v.convertToAssets(v.balanceOf(address(bot))) + _exitValue(v) + v.claimableBoost(address(bot));
    }

    /// @dev The attacker's open request at min(assets at request, value of its escrow) and its settling claim at
    /// min(cap, value): what request + claim + settlement pays.
    function _exitValue(TrancheVault v) internal view returns (uint256 assets) {
        (uint256 shares, uint256 atRequest,) = v.withdrawRequest(address(bot));
        if (shares != 0) assets += _min(atRequest, v.convertToAssets(shares));
        (uint256 settling, uint256 cap,) = v.pendingClaim(address(bot));
        if (settling != 0) assets += _min(cap, v.convertToAssets(settling));
    }

    function _liquidatableIds() internal view returns (bytes32[] memory ids) {
        ids = new bytes32[](_others.length + 2);
        uint256 n;
        for (uint256 i; i < _others.length; ++i) {
            if (lens.accountHealth(_others[i], 0).liquidatable) ids[n++] = pool.accountId(_others[i], 0);
        }
        if (lens.accountHealth(address(bot2), 0).liquidatable) ids[n++] = pool.accountId(address(bot2), 0);
        if (lens.accountHealth(address(bot), 1).liquidatable) ids[n++] = pool.accountId(address(bot), 1);
        assembly ("memory-safe") {
            mstore(ids, n)
        }
    }

    function _lastObservation(uint256 m) internal view returns (uint256 price, uint8 status, uint64 at) {
        (bool ok, bytes memory ret) = address(oracle).staticcall(abi.encodeWithSignature("lastObservation(uint256)", m));
        if (ok) (price, status, at) = abi.decode(ret, (uint256, uint8, uint64));
    }

    /// @dev The arguments of a custom error `selector` revert payload (reverts with the payload otherwise).
    function _args(bytes memory err, bytes4 selector) internal pure returns (bytes memory args) {
        if (err.length < 4 || bytes4(err) != selector) {
            assembly ("memory-safe") {
                revert(add(err, 32), mload(err))
            }
        }
        args = new bytes(err.length - 4);
        for (uint256 i; i < args.length; ++i) {
            args[i] = err[i + 4];
        }
    }

    function _name(Kind k) internal pure returns (string memory) {
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
        return names[uint256(k)];
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }
}
