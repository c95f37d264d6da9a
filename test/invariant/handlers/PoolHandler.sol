// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../../contracts/Backstop.sol";
import {OracleRouter} from "../../../contracts/OracleRouter.sol";
import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {IBackstop} from "../../../contracts/interfaces/IBackstop.sol";
import {OracleStatus} from "../../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../../contracts/interfaces/IPerpPool.sol";
import {
    Account,
    AccountHealth,
    MarketState,
    MarketView,
    PositionView,
    TradeLeg
} from "../../../contracts/interfaces/IPerpTypes.sol";
import {MarginMath} from "../../../contracts/libraries/MarginMath.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {TestUSDC} from "../../../contracts/test/TestUSDC.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Drives the whole protocol for the invariant suite: four traders (six accounts: four cross, two
/// isolated), a liquidator, three LPs, a donor, the oracle feeds and the clock. Every input is bounded so that a
/// call only fails for a reason the protocol is meant to reject; those calls are wrapped in try/catch and their
/// error selector must be one of the typed errors expected for the action (else `unexpectedReverts` counts it and
/// REV-1 fails). Calls that must never fail (deposits, bounded withdrawals, funding, premium, LP flows) are made
/// directly, so `fail_on_revert = true` turns any revert into a finding.
/// Around every call the handler checks the waterfall order (backstop.totals() deltas) and that accounts
/// without positions were untouched, and it reads the pool's and backstop's events to keep its ghost ledger.
contract PoolHandler is CommonBase, StdUtils {
    struct Acct {
        address owner;
        uint96 subId;
    }

    uint256 internal constant MARKETS = 2;
    uint256 internal constant MAX_WARP = 2 hours;
    /// @dev Largest trade: 1 % of the base reserve (about a 2 % mark move), so the 2 % per-block move limit is
    /// sometimes hit.
    uint256 internal constant MAX_TRADE_BPS_OF_RESERVE = 100;
    /// @dev One trade in eight is sized up to 105 % of the largest notional the account value supports under the
    /// margin tiers (other positions ignored), so the initial requirement is sometimes exceeded.
    uint256 internal constant OVERSIZE_BPS = 10_500;

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    TestUSDC public immutable usdc;
    OracleRouter public immutable oracle;
    Backstop public immutable backstop;
    TrancheVault public immutable junior;
    TrancheVault public immutable senior;

    SettableFeed[3][MARKETS] internal _feeds;
    int256[MARKETS] internal _initialAnswer;

    Acct[] internal _accts;
    address public immutable liquidator;
    address[3] internal _lps;

    /* GHOSTS: the ledger */

    uint256[MARKETS] public initialK;
    uint256[MARKETS] public initialBase;
    uint256[MARKETS] public baseBought;
    uint256[MARKETS] public baseSold;
    uint256 public cumulativeFees;
    uint256 public cumulativePenalties;
    uint256 public cumulativeLiquidatorRewards;
    uint256 public liquidations;

    uint256 public badDebtTotal;
    uint256 public badDebtJunior;
    uint256 public badDebtSenior;
    uint256 public badDebtSocialized;
    uint256 public badDebtEvents;
    /// @dev Tokens (6 decimals) the tranches paid for LossKind.BadDebt, from LossAbsorbed.
    uint256 public badDebtJuniorTokens;
    uint256 public badDebtSeniorTokens;
    /// @dev Tokens the tranches paid for funding imbalance.
    uint256 public fundingDrawTokens;

    /* GHOSTS: violations (each must stay 0) */

    uint256 public seniorBeforeJunior;
    uint256 public socializedWithCapital;
    uint256 public badDebtMismatches;
    uint256 public flatAccountChanged;
    uint256 public healthyLiquidated;
    uint256 public overWithdrawals;
    uint256 public unexpectedReverts;
    bytes public lastUnexpectedError;
    string public lastUnexpectedAction;

    /* COUNTERS */

    mapping(string action => uint256) public calls;
    mapping(string action => uint256) public skips;
    mapping(bytes4 selector => uint256) public rejections;
    bytes4[] internal _rejectionSelectors;
    string[] internal _actions;

    /* STEP STATE */

    bytes32 internal _actor;
    /// @dev Set by a liquidation action until its logs are consumed: its PositionChanged events are transfers to
    /// the backstop account at the index and move no base on the curve.
    bool internal _liquidating;
    bool[] internal _wasFlat;
    int256[] internal _flatCollateral;
    uint256[] internal _flatUnsettled;

    /// @notice What the handler drives: the deployed protocol, the feeds it may set and the actors.
    struct Deployment {
        PerpPool pool;
        PerpLens lens;
        TestUSDC usdc;
        OracleRouter oracle;
        Backstop backstop;
        TrancheVault junior;
        TrancheVault senior;
        SettableFeed[3][2] feeds;
        address[4] traders;
        address liquidator;
        address[3] lps;
    }

    constructor(Deployment memory d) {
        pool = d.pool;
        lens = d.lens;
        usdc = d.usdc;
        oracle = d.oracle;
        backstop = d.backstop;
        junior = d.junior;
        senior = d.senior;
        liquidator = d.liquidator;
        _lps = d.lps;
        for (uint256 m; m < MARKETS; ++m) {
            _feeds[m] = d.feeds[m];
            (, _initialAnswer[m],,,) = d.feeds[m][0].latestRoundData();
            MarketState memory s = d.pool.marketState(m);
            initialBase[m] = s.baseReserve;
            initialK[m] = uint256(s.baseReserve) * s.quoteReserve;
        }
        for (uint256 i; i < d.traders.length; ++i) {
            _accts.push(Acct(d.traders[i], 0));
        }
        // Two isolated sub-accounts next to their owners' cross accounts.
        _accts.push(Acct(d.traders[0], 1));
        _accts.push(Acct(d.traders[1], 1));
        for (uint256 i; i < _accts.length; ++i) {
            _wasFlat.push(false);
            _flatCollateral.push(0);
            _flatUnsettled.push(0);
        }
    }

    /* VIEWS FOR THE SUITE */

    function accountCount() external view returns (uint256) {
        return _accts.length;
    }

    function accountAt(uint256 i) external view returns (address owner, uint96 subId) {
        Acct memory a = _accts[i];
        return (a.owner, a.subId);
    }

    function rejectionSelectors() external view returns (bytes4[] memory) {
        return _rejectionSelectors;
    }

    function actions() external view returns (string[] memory) {
        return _actions;
    }

    /* STEP WRAPPER */

    /// @dev Records events, and checks the waterfall order and the untouched flat accounts around one action.
    modifier step(string memory action, bytes32 actor) {
        if (calls[action] == 0) _actions.push(action);
        ++calls[action];
        _actor = actor;
        _snapshotFlat();
        (,,, uint256 seniorLoss0, uint256 shortfall0) = backstop.totals();
        vm.recordLogs();
        _;
        _consumeLogs();
        _liquidating = false;
        _checkWaterfall(seniorLoss0, shortfall0);
        _checkFlat();
        _actor = bytes32(0);
    }

    /* TRADER ACTIONS */

    function deposit(uint256 actorSeed, uint256 amount) external step("deposit", _idOf(actorSeed)) {
        Acct memory a = _acct(actorSeed);
        amount = bound(amount, 1e6, 10_000e6);
        usdc.mint(a.owner, amount);
        vm.startPrank(a.owner);
        usdc.approve(address(pool), amount);
        pool.depositMargin(a.subId, amount);
        vm.stopPrank();
    }

    /// @dev Withdraws at most what the initial requirement allows (paper gains excluded), computed from
    /// accountHealth; one call in eight instead asks for one token more than that and must be rejected.
    function withdraw(uint256 actorSeed, uint256 amountSeed) external step("withdraw", _idOf(actorSeed)) {
        Acct memory a = _acct(actorSeed);
        Account memory acc = pool.account(a.owner, a.subId);
        // A Halted market cannot be valued: the withdrawal would (rightly) revert OracleHalted.
        if (!_oraclesUsable(acc.marketMask)) {
            _skip("withdraw");
            return;
        }
        AccountHealth memory h = lens.accountHealth(a.owner, a.subId);
        int256 free = h.collateral;
        if (acc.marketMask != 0) {
            // Withdrawals count every position's loss and no position's gain (PerpPool.withdrawMargin).
            PositionView[] memory ps = lens.positions(a.owner, a.subId);
            for (uint256 i; i < ps.length; ++i) {
                int256 pnl = ps[i].unrealizedPnl - ps[i].fundingOwed;
                if (pnl < 0) free += pnl;
            }
            free -= int256(h.initialRequirement);
        }
        uint256 tokens = free > 0 ? uint256(free) / 1e12 : 0;

        if (amountSeed % 8 == 0 && h.unsettledProfit == 0) {
            // Adversarial: one token beyond the free margin (RISK 12).
            vm.prank(a.owner);
            try pool.withdrawMargin(a.owner, a.subId, tokens + 1, a.owner) {
                ++overWithdrawals;
            } catch (bytes memory err) {
                bytes4[] memory ok = new bytes4[](2);
                ok[0] = IPerpPool.InsufficientMargin.selector;
                ok[1] = IPerpPool.InsufficientCollateral.selector;
                _rejected("withdraw", err, ok);
            }
            return;
        }
        if (tokens == 0) {
            _skip("withdraw");
            return;
        }
        uint256 amount = bound(amountSeed, 1, tokens);
        vm.prank(a.owner);
        pool.withdrawMargin(a.owner, a.subId, amount, a.owner);
    }

    /// @dev A buy or sell of at most 1.5 % of the base reserve and at most ~12x the account value (or the held
    /// size, so reductions are always possible), never leaving a dust position. Rejections must be typed.
    function trade(uint256 actorSeed, uint256 marketSeed, int256 sizeSeed) external step("trade", _idOf(actorSeed)) {
        Acct memory a = _acct(actorSeed);
        uint256 m = marketSeed % MARKETS;
        int256 size = _tradeSize(a, m, sizeSeed);
        vm.prank(a.owner);
        try pool.trade(a.owner, a.subId, m, size, size > 0 ? type(uint256).max : 0, block.timestamp) {}
        catch (bytes memory err) {
            bytes4[] memory ok = new bytes4[](7);
            ok[0] = IPerpPool.InsufficientMargin.selector;
            ok[1] = IPerpPool.PriceBandExceeded.selector;
            ok[2] = IPerpPool.BlockMoveLimitExceeded.selector;
            ok[3] = IPerpPool.OpenInterestCapExceeded.selector;
            ok[4] = IPerpPool.NegativeEquity.selector;
            ok[5] = IPerpPool.ReduceOnly.selector;
            ok[6] = IPerpPool.OracleHalted.selector;
            _rejected("trade", err, ok);
        }
    }

    /// @dev Both markets in one `tradeLegs` (either first), each leg sized as `trade` sizes it, checked once after
    /// the last leg. Rejections must be typed, and a rejected call changes nothing (the suite's invariants).
    function tradeLegs(uint256 actorSeed, bool ethFirst, int256 sizeSeed0, int256 sizeSeed1)
        external
        step("tradeLegs", _idOf(actorSeed))
    {
        Acct memory a = _acct(actorSeed);
        TradeLeg[] memory legs = new TradeLeg[](MARKETS);
        for (uint256 i; i < MARKETS; ++i) {
            uint256 m = ethFirst ? i : MARKETS - 1 - i;
            int256 size = _tradeSize(a, m, i == 0 ? sizeSeed0 : sizeSeed1);
            legs[i] = TradeLeg({marketId: m, sizeDelta: size, quoteLimit: size > 0 ? type(uint256).max : 0});
        }
        vm.prank(a.owner);
        try pool.tradeLegs(a.owner, a.subId, legs, block.timestamp) {}
        catch (bytes memory err) {
            // The legs emitted before the final check reverted with it, but forge's recorder keeps them: drop them.
            vm.getRecordedLogs();
            bytes4[] memory ok = new bytes4[](7);
            ok[0] = IPerpPool.InsufficientMargin.selector;
            ok[1] = IPerpPool.PriceBandExceeded.selector;
            ok[2] = IPerpPool.BlockMoveLimitExceeded.selector;
            ok[3] = IPerpPool.OpenInterestCapExceeded.selector;
            ok[4] = IPerpPool.NegativeEquity.selector;
            ok[5] = IPerpPool.ReduceOnly.selector;
            ok[6] = IPerpPool.OracleHalted.selector;
            _rejected("tradeLegs", err, ok);
        }
    }

    function close(uint256 actorSeed, uint256 marketSeed) external step("close", _idOf(actorSeed)) {
        Acct memory a = _acct(actorSeed);
        uint256 m = marketSeed % MARKETS;
        int256 size = pool.position(a.owner, a.subId, m).size;
        if (size == 0) {
            _skip("close");
            return;
        }
        vm.prank(a.owner);
        try pool.closePosition(a.owner, a.subId, m, size < 0 ? type(uint256).max : 0, block.timestamp) {}
        catch (bytes memory err) {
            bytes4[] memory ok = new bytes4[](4);
            ok[0] = IPerpPool.NegativeEquity.selector;
            ok[1] = IPerpPool.PriceBandExceeded.selector;
            ok[2] = IPerpPool.BlockMoveLimitExceeded.selector;
            ok[3] = IPerpPool.OracleHalted.selector;
            _rejected("close", err, ok);
        }
    }

    /// @dev Anyone may pay an account's deferred profit out of collected losses.
    function settleProfit(uint256 actorSeed) external step("settleProfit", _idOf(actorSeed)) {
        Acct memory a = _acct(actorSeed);
        pool.settleProfit(a.owner, a.subId);
    }

    /* LIQUIDATION */

    /// @dev Keeper-style: scans the accounts from `targetSeed` and liquidates the first one accountHealth calls
    /// liquidatable (a full step, or one in four a partial step of at most `maxBase`). With none liquidatable it
    /// tries the account at `targetSeed` anyway and requires AccountHealthy (strict) or a no-op (lenient).
    function liquidate(uint256 targetSeed, uint256 maxBaseSeed, bool lenient) external step("liquidate", bytes32(0)) {
        _liquidating = true;
        uint256 n = _accts.length;
        Acct memory a = _accts[targetSeed % n];
        bool found;
        for (uint256 k; k < n && !found; ++k) {
            Acct memory c = _accts[(targetSeed % n + k) % n];
            if (lens.accountHealth(c.owner, c.subId).liquidatable) (a, found) = (c, true);
        }
        _actor = pool.accountId(a.owner, a.subId);
        uint256 held = _abs(_largestPositionSize(a));
        uint256 maxBase = (maxBaseSeed % 4 == 0 && held > 1) ? bound(maxBaseSeed, 1, held) : type(uint256).max;

        if (!found) {
            if (lenient) {
                _liquidateHealthyLenient(a, maxBase);
                return;
            }
            vm.prank(liquidator);
            try pool.liquidate(a.owner, a.subId, maxBase) {
                ++healthyLiquidated;
            } catch (bytes memory err) {
                // A halted market is valued conservatively, never reverts: only AccountHealthy.
                bytes4[] memory okHealthy = new bytes4[](1);
                okHealthy[0] = IPerpPool.AccountHealthy.selector;
                _rejected("liquidateHealthy", err, okHealthy);
            }
            return;
        }

        // Settled at the index: no curve trade, so neither the band, the block limit nor a reduce-only oracle can
        // stop it. Only an account whose every position sits in a halted market waits.
        bool allHalted = _allPositionsHalted(a);
        vm.prank(liquidator);
        try pool.liquidate(a.owner, a.subId, maxBase) {
            ++liquidations;
        } catch (bytes memory err) {
            bytes4[] memory ok = new bytes4[](allHalted ? 1 : 0);
            if (allHalted) ok[0] = IPerpPool.OracleHalted.selector;
            _rejected("liquidate", err, ok);
        }
    }

    /// @dev Whether every position of the account sits in a market whose oracle is halted now.
    function _allPositionsHalted(Acct memory a) internal view returns (bool) {
        uint32 mask = pool.account(a.owner, a.subId).marketMask;
        if (mask == 0) return false;
        for (uint256 m; m < MARKETS; ++m) {
            if (mask & (1 << m) == 0) continue;
            (, OracleStatus status) = oracle.peek(m);
            if (status != OracleStatus.Halted) return false;
        }
        return true;
    }

    function _liquidateHealthyLenient(Acct memory a, uint256 maxBase) internal {
        Account memory before = pool.account(a.owner, a.subId);
        int256[MARKETS] memory sizes;
        for (uint256 m; m < MARKETS; ++m) {
            sizes[m] = pool.position(a.owner, a.subId, m).size;
        }
        vm.prank(liquidator);
        try pool.liquidateIfUnhealthy(a.owner, a.subId, maxBase) returns (int256 closed) {
            Account memory afterwards = pool.account(a.owner, a.subId);
            bool changed = closed != 0 || afterwards.collateral != before.collateral
                || afterwards.unsettledProfit != before.unsettledProfit;
            for (uint256 m; m < MARKETS; ++m) {
                if (pool.position(a.owner, a.subId, m).size != sizes[m]) changed = true;
            }
            if (changed) ++healthyLiquidated;
        } catch (bytes memory err) {
            // The lenient entry point never reverts on a healthy account.
            _rejected("liquidateHealthy", err, new bytes4[](0));
        }
    }

    /* KEEPER ACTIONS */

    function updateFunding(uint256 marketSeed) external step("updateFunding", bytes32(0)) {
        uint256 m = marketSeed % MARKETS;
        if (block.timestamp < lens.marketView(m).nextFundingUpdate) {
            _skip("updateFunding");
            return;
        }
        pool.updateFunding(m);
    }

    function distributePremium() external step("distributePremium", bytes32(0)) {
        pool.distributePremium();
    }

    function syncBackstopCapital() external step("syncBackstopCapital", bytes32(0)) {
        pool.syncBackstopCapital();
    }

    /* ADVERSARIAL ENVIRONMENT */

    /// @dev 1 s .. 2 h. Usually the feeds are re-posted at the new time (keepers at work); one time in eight they
    /// are left alone, so they may go stale (ReduceOnly / Halted).
    function warp(uint256 secondsSeed, uint256 refreshSeed) external step("warp", bytes32(0)) {
        uint256 dt = bound(secondsSeed, 1, MAX_WARP);
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        if (refreshSeed % 8 != 0) {
            for (uint256 m; m < MARKETS; ++m) {
                for (uint256 i; i < 3; ++i) {
                    (, int256 answer,,,) = _feeds[m][i].latestRoundData();
                    _feeds[m][i].setAnswer(answer);
                }
            }
        }
    }

    /// @dev Mode (of 16): 0-3 a move of up to +-14 % (beyond the 5 % band, below the 15 % breaker), 4-5 a jump of
    /// up to +-30 % (trips the breaker), 6 one feed alone moves (an outlier, dropped beyond the 2 % tolerance), else a move within +-4 %.
    /// Prices stay within [1/4, 4] x the listing price.
    function moveOracle(uint256 marketSeed, uint256 modeSeed, int256 bpsSeed) external step("moveOracle", bytes32(0)) {
        uint256 m = marketSeed % MARKETS;
        uint256 mode = modeSeed % 16;
        int256 bps =
            mode < 4 ? bound(bpsSeed, -1400, 1400) : mode < 6 ? bound(bpsSeed, -3000, 3000) : bound(bpsSeed, -400, 400);
        // A new price lands in a later block than the last oracle refresh: within one timestamp `refresh` serves
        // its cached observation while the pool's views (`peek`) read the feeds, and the two would disagree.
        (,, uint64 observedAt) = oracle.lastObservation(m);
        if (observedAt == block.timestamp) {
            vm.warp(block.timestamp + 1);
            vm.roll(block.number + 1);
        }
        (, int256 current,,,) = _feeds[m][0].latestRoundData();
        int256 next = current * (10_000 + bps) / 10_000;
        int256 lo = _initialAnswer[m] / 4;
        int256 hi = _initialAnswer[m] * 4;
        if (next < lo) next = lo;
        if (next > hi) next = hi;
        if (mode == 6) {
            _feeds[m][modeSeed % 3].setAnswer(next);
        } else {
            for (uint256 i; i < 3; ++i) {
                _feeds[m][i].setAnswer(next);
            }
        }
    }

    /// @dev Tokens sent straight to the pool, a tranche vault or the backstop.
    function donate(uint256 targetSeed, uint256 amount) external step("donate", bytes32(0)) {
        amount = bound(amount, 1, 5000e6);
        uint256 t = targetSeed % 4;
        address target =
            t == 0 ? address(pool) : t == 1 ? address(junior) : t == 2 ? address(senior) : address(backstop);
        usdc.mint(target, amount);
    }

    /* LP ACTIONS */

    function lpDeposit(uint256 lpSeed, uint256 trancheSeed, uint256 amount) external step("lpDeposit", bytes32(0)) {
        TrancheVault v = _vault(trancheSeed);
        address lp = _lps[lpSeed % _lps.length];
        if (v.isWiped()) {
            _skip("lpDeposit"); // a wiped tranche refuses deposits, by design
            return;
        }
        amount = bound(amount, 1e6, 20_000e6);
        usdc.mint(lp, amount);
        vm.startPrank(lp);
        usdc.approve(address(v), amount);
        v.deposit(amount, lp);
        vm.stopPrank();
    }

    function lpRequestWithdraw(uint256 lpSeed, uint256 trancheSeed, uint256 sharesSeed)
        external
        step("lpRequestWithdraw", bytes32(0))
    {
        TrancheVault v = _vault(trancheSeed);
        address lp = _lps[lpSeed % _lps.length];
        (uint256 pending,,) = v.withdrawRequest(lp);
        (uint256 settling,,) = v.pendingClaim(lp);
        uint256 balance = v.balanceOf(lp);
        if (pending != 0 || settling != 0 || balance == 0) {
            _skip("lpRequestWithdraw");
            return;
        }
        vm.prank(lp);
        v.requestWithdraw(bound(sharesSeed, 1, balance));
    }

    /// @dev Settles a claim whose settlement delay has passed; claims an unlocked request; cancels one whose claim
    /// window has passed; skips one still cooling down or settling.
    function lpClaim(uint256 lpSeed, uint256 trancheSeed) external step("lpClaim", bytes32(0)) {
        TrancheVault v = _vault(trancheSeed);
        address lp = _lps[lpSeed % _lps.length];
        (uint256 claimed,, uint64 settleAt) = v.pendingClaim(lp);
        if (claimed != 0) {
            // A payout above the vested cash waits for a receivable's repayment (ClaimExceedsLiquidity).
            if (block.timestamp < settleAt || v.previewSettle(lp) > v.grossAssets()) _skip("lpClaim");
            else v.settleClaim(lp);
            return;
        }
        (uint256 shares,, uint64 unlockTime) = v.withdrawRequest(lp);
        if (shares == 0 || block.timestamp < unlockTime) {
            _skip("lpClaim");
            return;
        }
        bool expired = block.timestamp > uint256(unlockTime) + v.claimWindow();
        vm.prank(lp);
        if (expired) v.cancelWithdraw();
        else v.claim();
    }

    /* INTERNAL: CHECKS AND LEDGER */

    function _snapshotFlat() internal {
        for (uint256 i; i < _accts.length; ++i) {
            Account memory acc = pool.account(_accts[i].owner, _accts[i].subId);
            _wasFlat[i] = acc.marketMask == 0;
            _flatCollateral[i] = acc.collateral;
            _flatUnsettled[i] = acc.unsettledProfit;
        }
    }

    function _checkFlat() internal {
        for (uint256 i; i < _accts.length; ++i) {
            if (!_wasFlat[i] || pool.accountId(_accts[i].owner, _accts[i].subId) == _actor) continue;
            Account memory acc = pool.account(_accts[i].owner, _accts[i].subId);
            if (acc.collateral != _flatCollateral[i] || acc.unsettledProfit != _flatUnsettled[i]) ++flatAccountChanged;
        }
    }

    /// @dev Senior may only have paid if junior's whole balance (vested or not) is gone; a shortfall only if both
    /// tranches are empty.
    function _checkWaterfall(uint256 seniorLoss0, uint256 shortfall0) internal {
        (,,, uint256 seniorLoss1, uint256 shortfall1) = backstop.totals();
        bool juniorEmpty = usdc.balanceOf(address(junior)) == 0 && junior.totalAssets() == 0;
        bool seniorEmpty = usdc.balanceOf(address(senior)) == 0;
        if (seniorLoss1 > seniorLoss0 && !juniorEmpty) ++seniorBeforeJunior;
        if (shortfall1 > shortfall0 && !(juniorEmpty && seniorEmpty)) ++socializedWithCapital;
    }

    function _consumeLogs() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory l = logs[i];
            if (l.topics.length == 0) continue;
            bytes32 t0 = l.topics[0];
            if (l.emitter == address(pool)) {
                if (t0 == IPerpPool.PositionChanged.selector) _onPositionChanged(l);
                else if (t0 == IPerpPool.Liquidated.selector) _onLiquidated(l);
                else if (t0 == IPerpPool.BadDebtResolved.selector) _onBadDebt(l);
            } else if (l.emitter == address(backstop) && t0 == IBackstop.LossAbsorbed.selector) {
                _onLossAbsorbed(l);
            }
        }
    }

    /// @dev PositionChanged data: sizeDelta, quoteDelta, newSize, newOpenNotional, realizedPnl, fee, markAfter.
    /// A liquidation's PositionChanged is a transfer to the backstop account at the index, not curve flow.
    function _onPositionChanged(Vm.Log memory l) internal {
        if (_liquidating) return;
        uint256 m = uint256(l.topics[3]);
        int256 sizeDelta = int256(uint256(_word(l.data, 0)));
        if (sizeDelta > 0) baseBought[m] += uint256(sizeDelta);
        else baseSold[m] += uint256(-sizeDelta);
        cumulativeFees += uint256(_word(l.data, 5));
    }

    /// @dev Liquidated data: liquidator, transferred, indexPrice, penalty, liquidatorReward, quoteDelta, realizedPnl,
    /// newSize.
    function _onLiquidated(Vm.Log memory l) internal {
        cumulativePenalties += uint256(_word(l.data, 3));
        cumulativeLiquidatorRewards += uint256(_word(l.data, 4));
    }

    /// @dev BadDebtResolved data: badDebt, juniorPaid, seniorPaid, socialized (WAD).
    function _onBadDebt(Vm.Log memory l) internal {
        uint256 debt = uint256(_word(l.data, 0));
        uint256 j = uint256(_word(l.data, 1));
        uint256 s = uint256(_word(l.data, 2));
        uint256 soc = uint256(_word(l.data, 3));
        ++badDebtEvents;
        badDebtTotal += debt;
        badDebtJunior += j;
        badDebtSenior += s;
        badDebtSocialized += soc;
        if (j + s + soc != debt) ++badDebtMismatches;
        bool juniorHasTokens = usdc.balanceOf(address(junior)) != 0;
        if (s != 0 && juniorHasTokens) ++seniorBeforeJunior;
        if (soc != 0 && (juniorHasTokens || usdc.balanceOf(address(senior)) != 0)) ++socializedWithCapital;
    }

    /// @dev LossAbsorbed(kind indexed) data: requested, juniorPaid, seniorPaid, shortfall (tokens).
    function _onLossAbsorbed(Vm.Log memory l) internal {
        uint256 paid = uint256(_word(l.data, 1)) + uint256(_word(l.data, 2));
        if (uint256(l.topics[1]) == uint256(IBackstop.LossKind.BadDebt)) {
            badDebtJuniorTokens += uint256(_word(l.data, 1));
            badDebtSeniorTokens += uint256(_word(l.data, 2));
        } else {
            fundingDrawTokens += paid;
        }
    }

    function _word(bytes memory data, uint256 i) internal pure returns (bytes32 w) {
        assembly ("memory-safe") {
            w := mload(add(data, add(32, mul(32, i))))
        }
    }

    /// @dev Counts a rejection whose selector is in `ok`; anything else (a panic, an untyped revert, an
    /// unexpected error) is recorded as unexpected and fails REV-1.
    function _rejected(string memory action, bytes memory err, bytes4[] memory ok) internal {
        bytes4 sel = err.length >= 4 ? bytes4(err) : bytes4(0);
        for (uint256 i; i < ok.length; ++i) {
            if (sel == ok[i]) {
                if (rejections[sel] == 0) _rejectionSelectors.push(sel);
                ++rejections[sel];
                return;
            }
        }
        ++unexpectedReverts;
        lastUnexpectedError = err;
        lastUnexpectedAction = action;
    }

    function _skip(string memory action) internal {
        ++skips[action];
    }

    /* INTERNAL: HELPERS */

    /// @dev See `trade`: bounded by the reserve, the account value and the held size; no dust left behind.
    function _tradeSize(Acct memory a, uint256 m, int256 sizeSeed) internal view returns (int256 size) {
        int256 oldSize = pool.position(a.owner, a.subId, m).size;
        MarketView memory mv = lens.marketView(m);
        uint256 minPos = pool.marketConfig(m).minPositionBase;
        int256 value = lens.accountHealth(a.owner, a.subId).value;

        uint256 cap = mv.baseReserve * MAX_TRADE_BPS_OF_RESERVE / 10_000;
        // A market whose oracle never priced (Halted from the start) reports index 0.
        uint256 byMargin = value > 0 && mv.indexPrice != 0
            ? _maxNotional(pool.marketConfig(m).tiers, uint256(value))
                * (uint256(sizeSeed) % 8 == 1 ? OVERSIZE_BPS : 10_000) / 10_000 * 1e18 / mv.indexPrice
            : 0;
        uint256 held = _abs(oldSize);
        uint256 lim = byMargin > held ? byMargin : held;
        if (lim < cap) cap = lim;
        if (cap < minPos) cap = minPos;
        size = bound(sizeSeed, -int256(cap), int256(cap));
        // Half the trades go to 92-100 % of the cap: leveraged accounts are what price moves turn into liquidations.
        if (uint256(sizeSeed) % 2 == 0) {
            uint256 near = cap * (9200 + uint256(sizeSeed >> 8) % 801) / 10_000;
            size = size >= 0 ? int256(near) : -int256(near);
        }
        if (_abs(size) < minPos) size = size >= 0 ? int256(minPos) : -int256(minPos);
        // One trade in three arbitrages: it pushes the mark toward the index. Without it the curve lags the oracle and
        // liquidations close at a mark that hides the loss, so bad debt would rarely reach the waterfall.
        if ((uint256(sizeSeed) >> 16) % 3 == 0 && (mv.markPrice < mv.indexPrice) != (size > 0)) size = -size;
        int256 newSize = oldSize + size;
        if (newSize != 0 && _abs(newSize) < minPos) size = -oldSize; // close rather than leave dust
    }

    function _acct(uint256 seed) internal view returns (Acct memory) {
        return _accts[seed % _accts.length];
    }

    function _idOf(uint256 seed) internal view returns (bytes32) {
        Acct memory a = _acct(seed);
        return pool.accountId(a.owner, a.subId);
    }

    function _vault(uint256 seed) internal view returns (TrancheVault) {
        return seed % 2 == 0 ? junior : senior;
    }

    function _oraclesUsable(uint32 mask) internal view returns (bool) {
        for (uint256 m; m < MARKETS; ++m) {
            if (mask & (1 << m) == 0) continue;
            (, OracleStatus status) = oracle.peek(m);
            if (status == OracleStatus.Halted) return false;
        }
        return true;
    }

    /// @dev The size of the position a liquidation step closes: the largest maintenance requirement, first
    /// market on ties (the pool's own rule), so the quote limit can face the right way.
    function _largestPositionSize(Acct memory a) internal view returns (int256 size) {
        PositionView[] memory ps = lens.positions(a.owner, a.subId);
        uint256 best;
        for (uint256 i; i < ps.length; ++i) {
            if (ps[i].maintenanceRequirement > best || best == 0) {
                best = ps[i].maintenanceRequirement;
                size = ps[i].size;
            }
        }
    }

    /// @dev Largest notional whose initial requirement `value` covers: per tier, min(tier cap, value / initial
    /// ratio); the last tier has no cap.
    function _maxNotional(uint256 tiers, uint256 value) internal pure returns (uint256 best) {
        for (uint256 i; i < MarginMath.TIER_COUNT; ++i) {
            MarginMath.Tier memory t = MarginMath.unpackTier(tiers, i);
            uint256 n = value * 10_000 / t.initialBps;
            if (i + 1 < MarginMath.TIER_COUNT && n > t.notionalCap) n = t.notionalCap;
            if (n > best) best = n;
        }
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }
}
