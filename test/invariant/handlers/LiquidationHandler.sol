// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../../contracts/Backstop.sol";
import {OracleRouter} from "../../../contracts/OracleRouter.sol";
import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {OracleStatus} from "../../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth, MarketState, PositionView} from "../../../contracts/interfaces/IPerpTypes.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Adversarial driver of the liquidation campaign: leveraged traders (cross accounts) that also leave dust
/// in every market, a second account of the first trader that pins the mark as far as the guards allow, feeds that
/// move, jump, get stuck at an old price while fresh, or go stale (halting their market), time warps, funding
/// updates, keeper liquidations and inventory sales. After every action it checks, for every account below
/// maintenance, that a fresh caller can liquidate it in that block (inside a state snapshot that is then
/// discarded) unless every one of its positions sits in a halted market, and that the step leaves the account
/// healthier or closed; around every action it checks the waterfall order. No handler call ever reverts
/// (`fail_on_revert`): rejections are caught and must carry an expected typed error.
contract LiquidationHandler is CommonBase, StdUtils {
    struct Acct {
        address owner;
        uint96 subId;
    }

    uint256 public constant MARKETS = 3;
    uint256 internal constant MAX_WARP = 2 hours;
    uint256 internal constant BPS = 10_000;
    /// @dev Every market's `liquidationFractionBps` (the fixture's config).
    uint256 internal constant FRACTION_BPS = 2500;

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    OracleRouter public immutable oracle;
    Backstop public immutable backstop;
    TrancheVault public immutable junior;
    TrancheVault public immutable senior;
    address public immutable keeper;

    SettableFeed[3][MARKETS] internal _feeds;
    int256[MARKETS] internal _initialAnswer;
    /// @dev 0: none; i + 1: feed i is stuck at `_stuckAnswer` (kept fresh) while the others move.
    uint256[MARKETS] internal _stuck;
    int256[MARKETS] internal _stuckAnswer;
    /// @dev The market's feeds are no longer re-posted: after the max age it is halted.
    bool[MARKETS] internal _stale;

    Acct[] internal _accts;
    uint256 internal _freshNonce;

    /* GHOSTS: violations, each must stay 0 */

    /// @dev A liquidatable account a fresh caller could not liquidate although a position had a usable price.
    uint256 public blocked;
    bytes public lastBlockedError;
    /// @dev A step that left the account neither healthier (value - maintenance up), nor closed, nor with the
    /// requirement of its usable positions down by at least the step's fraction (a netted book whose requirement is
    /// below the penalty rate on its notional pays more penalty than the requirement a step frees: the ladder then
    /// goes on, proportionally, until the value cannot pay a step and everything moves at once).
    uint256 public notHealthier;
    /// @dev An account whose every position was halted and which was nevertheless liquidated, or reverted other
    /// than `OracleHalted`.
    uint256 public haltedMisbehaved;
    uint256 public seniorBeforeJunior;
    uint256 public socializedWithCapital;
    uint256 public lossSplitMismatches;
    uint256 public unexpectedReverts;
    bytes public lastUnexpectedError;

    /* COUNTERS (printed by the suite) */

    uint256 public liquidatableChecks;
    uint256 public haltedWaits;
    uint256 public keeperLiquidations;
    uint256 public sales;
    uint256 public pins;
    uint256 public opens;
    uint256 public hedges;
    uint256 public jointMoves;
    /// @dev Steps that left a netted book's surplus lower while its requirement fell by the fraction.
    uint256 public proportionalNotHealthier;
    mapping(bytes4 => uint256) public rejections;

    /// @notice What the handler drives.
    struct Deployment {
        PerpPool pool;
        PerpLens lens;
        OracleRouter oracle;
        Backstop backstop;
        TrancheVault junior;
        TrancheVault senior;
        SettableFeed[3][MARKETS] feeds;
        address[4] traders;
        address keeper;
    }

    constructor(Deployment memory d) {
        pool = d.pool;
        lens = d.lens;
        oracle = d.oracle;
        backstop = d.backstop;
        junior = d.junior;
        senior = d.senior;
        keeper = d.keeper;
        for (uint256 m; m < MARKETS; ++m) {
            _feeds[m] = d.feeds[m];
            (, _initialAnswer[m],,,) = d.feeds[m][0].latestRoundData();
        }
        for (uint256 i; i < d.traders.length; ++i) {
            _accts.push(Acct(d.traders[i], 0));
        }
        _accts.push(Acct(d.traders[0], 1)); // the pinner: the first trader's second account
    }

    /* VIEWS */

    function accountCount() external view returns (uint256) {
        return _accts.length;
    }

    function accountAt(uint256 i) external view returns (address owner, uint96 subId) {
        return (_accts[i].owner, _accts[i].subId);
    }

    /* STEP WRAPPER */

    modifier checked() {
        (,,, uint256 sLoss0, uint256 shortfall0) = backstop.totals();
        vm.recordLogs();
        _;
        _consumeLogs();
        _checkWaterfall(sLoss0, shortfall0);
        _checkEveryLiquidatableAccount();
    }

    /// @dev For actions that can only move a mark or the inventory (no trader's value at the index changes): the
    /// waterfall is still checked, the per-account liquidation probe is not (it is the campaign's main cost).
    modifier markOnly() {
        (,,, uint256 sLoss0, uint256 shortfall0) = backstop.totals();
        vm.recordLogs();
        _;
        _consumeLogs();
        _checkWaterfall(sLoss0, shortfall0);
    }

    /* TRADERS */

    /// @dev A trader opens or adds at 2x..8x (or 12x, rejected) of its free margin in a random market and direction.
    function open(uint256 actorSeed, uint256 marketSeed, uint256 levSeed, bool long) external checked {
        Acct memory a = _accts[actorSeed % 4];
        uint256 m = marketSeed % MARKETS;
        AccountHealth memory h = lens.accountHealth(a.owner, a.subId);
        int256 free = h.value - int256(h.initialRequirement);
        uint256 index = lens.marketView(m).indexPrice;
        if (free <= 0 || index == 0) return;
        // Mostly 2x..8x of the free margin (what price moves turn into liquidations), one in eight beyond it.
        uint256 lev = levSeed % 8 == 0 ? 120_000 : 20_000 + (levSeed >> 8) % 60_000;
        uint256 notional = uint256(free) * lev / 10_000;
        uint256 size = notional * 1e18 / index;
        uint256 minPos = pool.marketConfig(m).minPositionBase;
        if (size < minPos) size = minPos;
        _tryTrade(a, m, long ? int256(size) : -int256(size));
    }

    /// @dev Dust: the minimum position in a market (adds a market to the account, however small).
    function dust(uint256 actorSeed, uint256 marketSeed, bool long) external checked {
        Acct memory a = _accts[actorSeed % 4];
        uint256 m = marketSeed % MARKETS;
        if (pool.position(a.owner, a.subId, m).size != 0) return;
        int256 size = int256(uint256(pool.marketConfig(m).minPositionBase));
        _tryTrade(a, m, long ? size : -size);
    }

    /// @dev A hedge: one leg long in a market, the other short in another, each 1x..4x of the free margin in
    /// notional (a netted book: its requirement is below the sum of the standalone ones).
    function hedge(uint256 actorSeed, uint256 marketSeed, uint256 levSeed, bool longFirst) external checked {
        Acct memory a = _accts[actorSeed % 4];
        uint256 m1 = marketSeed % MARKETS;
        uint256 m2 = (m1 + 1 + (marketSeed >> 8) % (MARKETS - 1)) % MARKETS;
        AccountHealth memory h = lens.accountHealth(a.owner, a.subId);
        int256 free = h.value - int256(h.initialRequirement);
        if (free <= 0) return;
        uint256 notional = uint256(free) * (10_000 + levSeed % 30_000) / 10_000;
        uint256 i1 = lens.marketView(m1).indexPrice;
        uint256 i2 = lens.marketView(m2).indexPrice;
        if (i1 == 0 || i2 == 0) return;
        int256 s1 = int256(_atLeastMin(m1, notional * 1e18 / i1));
        int256 s2 = int256(_atLeastMin(m2, notional * 1e18 / i2));
        ++hedges;
        _tryTrade(a, m1, longFirst ? s1 : -s1);
        _tryTrade(a, m2, longFirst ? -s2 : s2);
    }

    function _atLeastMin(uint256 m, uint256 size) internal view returns (uint256) {
        uint256 minPos = pool.marketConfig(m).minPositionBase;
        return size < minPos ? minPos : size;
    }

    function close(uint256 actorSeed, uint256 marketSeed) external checked {
        Acct memory a = _accts[actorSeed % _accts.length];
        uint256 m = marketSeed % MARKETS;
        int256 size = pool.position(a.owner, a.subId, m).size;
        if (size == 0) return;
        vm.prank(a.owner);
        try pool.closePosition(a.owner, a.subId, m, size < 0 ? type(uint256).max : 0, block.timestamp) {}
        catch (bytes memory err) {
            _expectTradeRejection(err);
        }
    }

    /// @dev The second account pushes the mark up or down as far as the band and the per-block limit allow
    /// (largest of 4 %, 2 %, 1 %, 0.5 % of the base reserve that passes), crossing the index if it can.
    function pin(uint256 marketSeed, bool up) external checked {
        Acct memory p = _accts[4];
        uint256 m = marketSeed % MARKETS;
        uint256 base = pool.marketState(m).baseReserve;
        for (uint256 bps = 200; bps >= 25; bps /= 2) {
            int256 size = int256(base * bps / 10_000);
            vm.prank(p.owner);
            try pool.trade(p.owner, p.subId, m, up ? size : -size, up ? type(uint256).max : 0, block.timestamp) {
                ++pins;
                return;
            } catch (bytes memory err) {
                _expectTradeRejection(err);
            }
        }
    }

    /// @dev The same second account arbitrages: it trades the mark toward the index (at most 1 % of the base
    /// reserve, never past the index), so the curve follows the oracle and traders can keep opening.
    function arb(uint256 marketSeed) external markOnly {
        Acct memory p = _accts[4];
        uint256 m = marketSeed % MARKETS;
        MarketState memory s = pool.marketState(m);
        uint256 index = lens.marketView(m).indexPrice;
        if (index == 0) return;
        uint256 target = Math.sqrt(uint256(s.baseReserve) * s.quoteReserve / index * 1e18);
        uint256 cap = uint256(s.baseReserve) / 100;
        int256 size;
        if (target > s.baseReserve) size = -int256(Math.min(target - s.baseReserve, cap));
        else size = int256(Math.min(s.baseReserve - target, cap));
        if (size == 0 || (size > -1e15 && size < 1e15)) return;
        _tryTrade(p, m, size);
    }

    /* ORACLE */

    /// @dev Mode (of 8): 0-3 all fresh feeds move up to +-12 %, 4 a jump up to +-30 % (trips the breaker), 5 one
    /// feed gets stuck at its current answer (kept fresh) or is released, 6 the market's feeds stop (stale after the
    /// max age: halted) or resume, else a move within +-3 %. Prices stay within [1/4, 4] x the listing price.
    function moveOracle(uint256 marketSeed, uint256 modeSeed, int256 bpsSeed) external checked {
        uint256 m = marketSeed % MARKETS;
        uint256 mode = modeSeed % 8;
        (,, uint64 observedAt) = oracle.lastObservation(m);
        if (observedAt == block.timestamp) _nextBlock(1); // a new price lands after the block's observation
        if (mode == 5) {
            if (_stuck[m] != 0) {
                _stuck[m] = 0;
            } else {
                uint256 f = (modeSeed >> 8) % 3;
                _stuck[m] = f + 1;
                (, _stuckAnswer[m],,,) = _feeds[m][f].latestRoundData();
            }
            return;
        }
        if (mode == 6) {
            _stale[m] = !_stale[m];
            if (!_stale[m]) _repost(m);
            return;
        }
        if (_stale[m]) return; // a stale market publishes nothing
        int256 bps = mode < 4
            ? bound(bpsSeed, -1200, 1200)
            : mode == 4 ? bound(bpsSeed, -3000, 3000) : bound(bpsSeed, -300, 300);
        uint256 moving = _stuck[m] == 0 ? 0 : _stuck[m] == 1 ? 1 : 0;
        (, int256 current,,,) = _feeds[m][moving].latestRoundData();
        int256 next = current * (10_000 + bps) / 10_000;
        int256 lo = _initialAnswer[m] / 4;
        int256 hi = _initialAnswer[m] * 4;
        if (next < lo) next = lo;
        if (next > hi) next = hi;
        for (uint256 i; i < 3; ++i) {
            _feeds[m][i].setAnswer(_stuck[m] == i + 1 ? _stuckAnswer[m] : next);
        }
    }

    /// @dev A joint move: every fresh market's feeds move in the same block, each by its own amount within +-12 %
    /// (below the jump breaker), e.g. ETH down while BTC rises (a hedge breaks). Stuck feeds stay stuck.
    function moveOracleJoint(int256 seed0, int256 seed1, int256 seed2) external checked {
        _nextBlock(1); // the new prices land after this block's observations
        int256[MARKETS] memory seeds = [seed0, seed1, seed2];
        for (uint256 m; m < MARKETS; ++m) {
            if (_stale[m]) continue;
            int256 bps = bound(seeds[m], -1200, 1200);
            uint256 moving = _stuck[m] == 1 ? 1 : 0;
            (, int256 current,,,) = _feeds[m][moving].latestRoundData();
            int256 next = current * (10_000 + bps) / 10_000;
            if (next < _initialAnswer[m] / 4) next = _initialAnswer[m] / 4;
            if (next > _initialAnswer[m] * 4) next = _initialAnswer[m] * 4;
            for (uint256 i; i < 3; ++i) {
                _feeds[m][i].setAnswer(_stuck[m] == i + 1 ? _stuckAnswer[m] : next);
            }
        }
        ++jointMoves;
    }

    /// @dev 1 s .. 2 h; the feeds of every market that is not stale are re-posted (the stuck one at its old answer).
    function warp(uint256 secondsSeed) external checked {
        _nextBlock(bound(secondsSeed, 1, MAX_WARP));
        for (uint256 m; m < MARKETS; ++m) {
            if (!_stale[m]) _repost(m);
        }
    }

    /* KEEPER */

    function updateFunding(uint256 marketSeed) external checked {
        uint256 m = marketSeed % MARKETS;
        if (block.timestamp < lens.marketView(m).nextFundingUpdate) return;
        pool.updateFunding(m);
    }

    /// @dev The keeper's batch over every account (healthy ones are skipped without reverting).
    function liquidateMany() external checked {
        bytes32[] memory ids = new bytes32[](_accts.length + 1);
        for (uint256 i; i < _accts.length; ++i) {
            ids[i] = pool.accountId(_accts[i].owner, _accts[i].subId);
        }
        ids[_accts.length] = pool.accountId(address(0), 0); // the backstop account is skipped too
        vm.prank(keeper);
        keeperLiquidations += pool.liquidateMany(ids);
    }

    /// @dev A trader's account takes part of the backstop's inventory at the descending discount (at the index -/+ a
    /// discount bounded by the penalties the backstop collected for it), margin-checked like a trade.
    function takeInventory(uint256 actorSeed, uint256 marketSeed, uint256 maxBaseSeed) external checked {
        Acct memory a = _accts[actorSeed % _accts.length];
        uint256 m = marketSeed % MARKETS;
        int256 held = pool.position(address(0), 0, m).size;
        uint256 abs = held >= 0 ? uint256(held) : uint256(-held);
        uint256 maxBase = abs == 0 ? 1 : bound(maxBaseSeed, 1, abs);
        vm.prank(a.owner);
        try pool.takeInventory(m, a.subId, maxBase, held > 0 ? type(uint256).max : 0, block.timestamp) {
            ++sales;
        } catch (bytes memory err) {
            bytes4 sel = bytes4(err);
            if (sel == IPerpPool.NoInventory.selector) ++rejections[sel];
            else _expectTradeRejection(err);
        }
    }

    /* CHECKS */

    /// @dev For every account below maintenance: in a snapshot, a fresh caller liquidates it once. It must succeed
    /// unless every position sits in a halted market (then `OracleHalted`), and leave it healthier or closed.
    function _checkEveryLiquidatableAccount() internal {
        for (uint256 i; i < _accts.length; ++i) {
            Acct memory a = _accts[i];
            if (pool.account(a.owner, a.subId).marketMask == 0 && pool.account(a.owner, a.subId).collateral >= 0) {
                continue; // flat and not in debt: never liquidatable
            }
            AccountHealth memory h = lens.accountHealth(a.owner, a.subId);
            if (!h.liquidatable) continue;
            uint32 mask = pool.account(a.owner, a.subId).marketMask;
            uint256 halted = _haltedMask();
            bool allHalted = mask != 0 && (mask & ~halted) == 0;
            address fresh = address(uint160(uint256(keccak256(abi.encode("fresh", ++_freshNonce)))));

            uint256 haltedReq = _haltedRequirement(a, halted);
            uint256 snap = vm.snapshotState();
            bool ok;
            bool healthierOrClosed;
            bytes memory err;
            vm.prank(fresh);
            try pool.liquidate(a.owner, a.subId, type(uint256).max) {
                ok = true;
                AccountHealth memory h2 = lens.accountHealth(a.owner, a.subId);
                uint32 mask2 = pool.account(a.owner, a.subId).marketMask;
                healthierOrClosed = (mask2 & ~halted) == 0
                    || h2.value - int256(h2.maintenanceRequirement) > h.value - int256(h.maintenanceRequirement);
                if (!healthierOrClosed && _fellByTheFraction(h, h2, haltedReq)) {
                    healthierOrClosed = true;
                    ++proportionalNotHealthier;
                }
            } catch (bytes memory e) {
                err = e;
            }
            vm.revertToStateAndDelete(snap);

            ++liquidatableChecks;
            if (allHalted) {
                if (!ok && bytes4(err) == IPerpPool.OracleHalted.selector) ++haltedWaits;
                else ++haltedMisbehaved;
            } else if (!ok) {
                ++blocked;
                lastBlockedError = err;
            } else if (!healthierOrClosed) {
                ++notHealthier;
            }
        }
    }

    /// @dev The standalone requirement of the account's positions in halted markets (no netting credit, never moved).
    function _haltedRequirement(Acct memory a, uint256 halted) internal view returns (uint256 req) {
        PositionView[] memory ps = lens.positions(a.owner, a.subId);
        for (uint256 i; i < ps.length; ++i) {
            if (halted & (1 << ps[i].marketId) != 0) req += ps[i].maintenanceRequirement;
        }
    }

    /// @dev RISK 70: the requirement of the usable positions fell at least by the step's fraction (up to the rounding
    /// of a one-wei base step, worth index/1e18 wei, and a few wei of ceilings per market).
    function _fellByTheFraction(AccountHealth memory h, AccountHealth memory h2, uint256 haltedReq)
        internal
        view
        returns (bool)
    {
        uint256 slack;
        for (uint256 m; m < MARKETS; ++m) {
            slack += lens.marketView(m).indexPrice / 1e18 + 8;
        }
        uint256 usable = h.maintenanceRequirement - haltedReq;
        uint256 usable2 = h2.maintenanceRequirement - haltedReq;
        return usable2 * BPS <= usable * (BPS - FRACTION_BPS) + slack * BPS;
    }

    function _haltedMask() internal view returns (uint256 halted) {
        for (uint256 m; m < MARKETS; ++m) {
            (, OracleStatus status) = oracle.peek(m);
            (, OracleStatus stored, uint64 at) = oracle.lastObservation(m);
            if (at == block.timestamp) status = stored;
            if (status == OracleStatus.Halted) halted |= 1 << m;
        }
    }

    /// @dev Senior may only have paid once junior is empty; a shortfall only once both are.
    function _checkWaterfall(uint256 sLoss0, uint256 shortfall0) internal {
        (,,, uint256 sLoss1, uint256 shortfall1) = backstop.totals();
        bool juniorEmpty = _balance(address(junior)) == 0;
        bool seniorEmpty = _balance(address(senior)) == 0;
        if (sLoss1 > sLoss0 && !juniorEmpty) ++seniorBeforeJunior;
        if (shortfall1 > shortfall0 && !(juniorEmpty && seniorEmpty)) ++socializedWithCapital;
    }

    /// @dev Every bad debt splits exactly into junior + senior + socialized. (A realized inventory loss is booked to the
    /// backstop's net flow and drawn at settlement; the backstop's own totals check that draw's order above.)
    function _consumeLogs() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool) || logs[i].topics.length == 0) continue;
            bytes32 t0 = logs[i].topics[0];
            if (t0 == IPerpPool.BadDebtResolved.selector) {
                (uint256 total, uint256 j, uint256 s, uint256 soc) =
                    abi.decode(logs[i].data, (uint256, uint256, uint256, uint256));
                if (j + s + soc != total) ++lossSplitMismatches;
                if (soc != 0 && (_balance(address(junior)) != 0 || _balance(address(senior)) != 0)) {
                    ++socializedWithCapital;
                }
                if (s != 0 && _balance(address(junior)) != 0) ++seniorBeforeJunior;
            }
        }
    }

    /* INTERNAL */

    function _tryTrade(Acct memory a, uint256 m, int256 size) internal {
        vm.prank(a.owner);
        try pool.trade(a.owner, a.subId, m, size, size > 0 ? type(uint256).max : 0, block.timestamp) {
            ++opens;
        } catch (bytes memory err) {
            _expectTradeRejection(err);
        }
    }

    function _expectTradeRejection(bytes memory err) internal {
        bytes4 sel = bytes4(err);
        if (
            sel == IPerpPool.InsufficientMargin.selector || sel == IPerpPool.PriceBandExceeded.selector
                || sel == IPerpPool.BlockMoveLimitExceeded.selector || sel == IPerpPool.OpenInterestCapExceeded.selector
                || sel == IPerpPool.NegativeEquity.selector || sel == IPerpPool.ReduceOnly.selector
                || sel == IPerpPool.OracleHalted.selector || sel == IPerpPool.DustPosition.selector
                || sel == IPerpPool.TooManyMarkets.selector || sel == IPerpPool.SlippageExceeded.selector
        ) {
            ++rejections[sel];
        } else {
            ++unexpectedReverts;
            lastUnexpectedError = err;
        }
    }

    function _repost(uint256 m) internal {
        for (uint256 i; i < 3; ++i) {
            (, int256 answer,,,) = _feeds[m][i].latestRoundData();
            _feeds[m][i].setAnswer(_stuck[m] == i + 1 ? _stuckAnswer[m] : answer);
        }
    }

    function _nextBlock(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
    }

    function _balance(address who) internal view returns (uint256) {
        return pool.collateralToken().balanceOf(who);
    }
}
