// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskTimelock} from "../../contracts/RiskTimelock.sol";
import {TailRiskOracle} from "../../contracts/TailRiskOracle.sol";
import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {FundingParams, MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {IRiskTimelock} from "../../contracts/interfaces/IRiskTimelock.sol";
import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {MarginMath} from "../../contracts/libraries/MarginMath.sol";
import {RiskChangeClassifier} from "../../contracts/libraries/RiskChangeClassifier.sol";
import {PoolAdmin} from "../../contracts/pool/PoolAdmin.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {defaultTailRiskParams} from "../utils/TailRiskParams.sol";
import {SETTLEMENT_DELAY} from "../utils/TrancheConfig.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice The risk timelock as the owner of the fixture's pool, oracle router and tail-risk oracle, with real tranche
/// vaults (junior: 5-day cooldown, senior: 9 days, both a 2-day claim window): RISK 77.
contract RiskTimelockTest is PoolFixture {
    uint64 internal constant JUNIOR_COOLDOWN = 5 days;
    uint64 internal constant SENIOR_COOLDOWN = 9 days;
    uint64 internal constant CLAIM_WINDOW = 2 days;

    RiskTimelock internal timelock;
    TailRiskOracle internal tro;
    address internal steward = makeAddr("steward");

    function setUp() public override {
        _deployProtocol(JUNIOR_COOLDOWN, SENIOR_COOLDOWN, CLAIM_WINDOW, 7 days);
        _listMarket(ETH, 10_000e18, ETH_PRICE);
        _listMarket(BTC, 500e18, BTC_PRICE);
        _lpDeposit(juniorLp, junior, 2_000_000e6);
        _lpDeposit(seniorLp, senior, 6_000_000e6);
        pool.syncBackstopCapital();

        tro = new TailRiskOracle(address(pool), admin, steward, defaultTailRiskParams());
        backstop.setLpEconomics(tro, 0); // the junior vault's exit floor reads this oracle
        timelock = new RiskTimelock(admin, address(pool), address(oracle), address(tro), junior, senior);
        vm.startPrank(admin);
        pool.transferOwnership(address(timelock));
        oracle.transferOwnership(address(timelock));
        tro.transferOwnership(address(timelock));
        timelock.acceptOwnership(address(pool));
        timelock.acceptOwnership(address(oracle));
        timelock.acceptOwnership(address(tro));
        vm.stopPrank();
    }

    function _propose(address target, bytes memory data) internal returns (uint256 id) {
        vm.prank(admin);
        id = timelock.propose(target, data);
    }

    function _setConfig(MarketConfig memory c) internal pure returns (bytes memory) {
        return abi.encodeCall(PoolAdmin.setMarketConfig, (ETH, c));
    }

    function test_setUp_timelockOwnsTheThreeTargets() public view {
        assertEq(pool.owner(), address(timelock));
        assertEq(oracle.owner(), address(timelock));
        assertEq(tro.owner(), address(timelock));
    }

    function test_riskRaisingDelay_longestCooldownPlusClaimWindowPlusSettlementDelay() public view {
        assertEq(timelock.riskRaisingDelay(), SENIOR_COOLDOWN + CLAIM_WINDOW + SETTLEMENT_DELAY);
    }

    /* RISK 77 */

    /// @notice RISK 77: a junior and a senior LP who request at a risk-raising change's announcement can claim (and
    /// their claims settle) before it applies, whenever in their claim windows they claim; it applies at its eta.
    function test_fuzz_riskRaisingChange_neverAppliesBeforeAnLpWhoRequestedAtItsAnnouncementCanClaim(
        uint256 juniorClaimAt,
        uint256 seniorClaimAt
    ) public {
        MarketConfig memory before = pool.marketConfig(ETH);
        MarketConfig memory next = _copy(before);
        next.feeBps = 5; // cheaper trading: raises risk
        uint256 t0 = block.timestamp;
        uint256 id = _propose(address(pool), _setConfig(next));
        IRiskTimelock.Change memory c = timelock.change(id);
        assertTrue(c.raisesRisk);
        assertEq(c.eta, t0 + timelock.riskRaisingDelay());
        assertEq(pool.marketConfig(ETH).feeBps, before.feeBps, "not applied");

        // Both LPs request in the announcement's block.
        uint256 juniorShares = junior.balanceOf(juniorLp);
        uint256 seniorShares = senior.balanceOf(seniorLp);
        vm.prank(juniorLp);
        uint256 juniorUnlock = junior.requestWithdraw(juniorShares);
        vm.prank(seniorLp);
        uint256 seniorUnlock = senior.requestWithdraw(seniorShares);

        juniorClaimAt = bound(juniorClaimAt, juniorUnlock, juniorUnlock + CLAIM_WINDOW);
        seniorClaimAt = bound(seniorClaimAt, seniorUnlock, seniorUnlock + CLAIM_WINDOW);
        uint256 juniorSettled = _claimAndSettle(junior, juniorLp, juniorClaimAt, id, c.eta);
        uint256 seniorSettled = _claimAndSettle(senior, seniorLp, seniorClaimAt, id, c.eta);
        assertEq(juniorSettled, 2_000_000e6, "junior left at the old parameters");
        assertEq(seniorSettled, 6_000_000e6, "senior left at the old parameters");

        vm.warp(c.eta);
        vm.prank(admin);
        timelock.execute(id);
        assertEq(pool.marketConfig(ETH).feeBps, 5, "applied at its eta");
    }

    /// @dev Claims at `at` and settles at once when due; checks the change is still not executable at each step.
    function _claimAndSettle(TrancheVault v, address lp, uint256 at, uint256 id, uint256 eta)
        internal
        returns (uint256 paid)
    {
        vm.warp(at);
        _assertNotReady(id, eta);
        vm.prank(lp);
        (, uint64 settleAt) = v.claim();
        assertLe(settleAt, eta, "the claim settles by the change's eta");
        vm.warp(settleAt);
        if (settleAt < eta) _assertNotReady(id, eta);
        paid = v.settleClaim(lp);
    }

    function _assertNotReady(uint256 id, uint256 eta) internal {
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotReady.selector, id, eta));
        vm.prank(admin);
        timelock.execute(id);
    }

    /// @notice RISK 77 with the junior exit gate: a junior LP who requested at the announcement and is held back by
    /// the coverage floor (claiming each window, so the request stays live) keeps the change from applying after its
    /// eta, until coverage returns and the LP's claim starts.
    function test_riskRaisingChange_waitsWhileTheJuniorExitGateHoldsBackAnLpWhoRequestedAtItsAnnouncement() public {
        MarketConfig memory next = _copy(pool.marketConfig(ETH));
        next.feeBps = 5;
        uint256 id = _propose(address(pool), _setConfig(next));
        uint256 eta = timelock.change(id).eta;
        uint256 shares = junior.balanceOf(juniorLp);
        vm.prank(juniorLp);
        junior.requestWithdraw(shares);

        // Junior's tail: ES99 1M, so exits keep 1.5M of its 2M.
        vm.roll(block.number + 1);
        _postFigure(1_000_000e6);
        vm.warp(block.timestamp + JUNIOR_COOLDOWN);
        // Held back: at most 0.5M may leave. Claiming once a day keeps the request live until the eta.
        while (block.timestamp < eta) {
            _postFigure(1_000_000e6);
            _claimWhatIsClaimable(juniorLp);
            vm.warp(block.timestamp + 1 days);
        }
        vm.warp(eta);
        _postFigure(1_000_000e6);
        (, uint256 capacity, uint256 queued) = junior.exitGate();
        assertGt(queued, capacity, "the LP is still held back");
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.JuniorExitsHeldBack.selector, queued, capacity));
        vm.prank(admin);
        timelock.execute(id);

        // New junior capital: the LP's claim can start, and then the change applies.
        _lpDeposit(carol, junior, 4_000_000e6);
        _claimWhatIsClaimable(juniorLp);
        (uint256 left,,) = junior.withdrawRequest(juniorLp);
        assertEq(left, 0, "the whole request is claimed");
        vm.prank(admin);
        timelock.execute(id);
        assertEq(pool.marketConfig(ETH).feeBps, 5);
    }

    function _postFigure(uint256 es99) internal {
        vm.roll(block.number + 1);
        vm.prank(steward);
        tro.post(
            ITailRiskOracle.Post({
                juniorEs99: uint128(es99),
                juniorCapital: 2_000_000e6,
                stressLoss: uint128(es99),
                blockNumber: uint64(block.number - 1),
                seed: 1,
                paths: 1000,
                reportHash: bytes32(0)
            })
        );
    }

    /// @dev Settles a claim whose delay has passed, then claims what the gate lets through (nothing, part or all).
    function _claimWhatIsClaimable(address lp) internal {
        (uint256 settling,, uint64 settleAt) = junior.pendingClaim(lp);
        if (settling != 0) {
            if (block.timestamp < settleAt) vm.warp(settleAt);
            junior.settleClaim(lp);
        }
        vm.prank(lp);
        junior.claim();
    }

    function test_riskLoweringChange_appliesAtOnce() public {
        MarketConfig memory next = pool.marketConfig(ETH);
        next.feeBps = 20;
        next.bandBps = 400;
        uint256 id = _propose(address(pool), _setConfig(next));
        assertEq(pool.marketConfig(ETH).feeBps, 20, "applied in propose");
        assertEq(pool.marketConfig(ETH).bandBps, 400);
        IRiskTimelock.Change memory c = timelock.change(id);
        assertFalse(c.raisesRisk);
        assertTrue(c.executed);
        assertEq(c.eta, block.timestamp);
        assertEq(c.data.length, 0, "the calldata lives in the event");
        assertEq(timelock.pendingChanges().length, 0);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.AlreadyDone.selector, id));
        vm.prank(admin);
        timelock.execute(id);
    }

    function test_propose_emitsChangeQueued_thenExecuted_forALoweringChange() public {
        bytes memory data = abi.encodeCall(PoolAdmin.setProfitDrawCap, (0));
        vm.expectEmit(address(timelock));
        emit IRiskTimelock.ChangeQueued(
            0, address(pool), PoolAdmin.setProfitDrawCap.selector, data, block.timestamp, false
        );
        vm.expectEmit(address(timelock));
        emit IRiskTimelock.ChangeExecuted(0);
        _propose(address(pool), data);
        (,, uint256 cap) = pool.profitLedger();
        assertEq(cap, 0);
    }

    /* CLASSIFICATION */

    /// @notice Any field of a market config moved the unsafe way raises risk, whatever safe moves come with it; safe
    /// moves alone lower it.
    function test_fuzz_classification_anyFieldMovedTheUnsafeWay_isDelayed(uint256 seed, uint256 field, uint256 by)
        public
    {
        // Scaling on first (0 -> 80 %: a safe move, applied at once), so the volatility reference can move both ways.
        MarketConfig memory prev = pool.marketConfig(ETH);
        prev.volReferenceBps = 8000;
        _propose(address(pool), _setConfig(prev));
        assertEq(pool.marketConfig(ETH).volReferenceBps, 8000, "applied at once");

        MarketConfig memory next = _safeMoves(prev, seed);
        assertFalse(timelock.raisesRisk(address(pool), _setConfig(next)), "safe moves lower risk");
        by = bound(by, 1, 1000);
        field = bound(field, 0, 17);
        _unsafeMove(next, prev, field, by);
        assertTrue(timelock.raisesRisk(address(pool), _setConfig(next)), "one unsafe move raises risk");

        uint256 id = _propose(address(pool), _setConfig(next));
        assertTrue(timelock.change(id).raisesRisk, "queued");
        assertEq(timelock.change(id).eta, block.timestamp + timelock.riskRaisingDelay());
        assertEq(abi.encode(pool.marketConfig(ETH)), abi.encode(prev), "nothing applied");
        _assertNotReady(id, timelock.change(id).eta);
    }

    /// @dev Every field left alone or moved the safe way by a seeded amount.
    function _safeMoves(MarketConfig memory p, uint256 seed) internal pure returns (MarketConfig memory n) {
        n = _copy(p);
        uint256 r = uint256(keccak256(abi.encode(seed)));
        n.feeBps = uint16(p.feeBps + (r % 7));
        n.bandBps = uint16(p.bandBps - ((r >> 8) % 3) * 100);
        n.maxMoveBps = uint16(p.maxMoveBps - ((r >> 16) % 100));
        n.liquidationPenaltyBps = uint16(p.liquidationPenaltyBps + ((r >> 24) % 50));
        n.oiCapBps = uint32(p.oiCapBps - ((r >> 32) % 1000));
        n.volReferenceBps = uint32(p.volReferenceBps - ((r >> 40) % 7000));
        n.volCapBps = uint32(p.volCapBps + ((r >> 48) % 10_000));
        n.maxOpenInterestBase = uint128(p.maxOpenInterestBase - ((r >> 56) % 1e18));
        n.fundingBudgetPerSecond = uint128(p.fundingBudgetPerSecond - ((r >> 64) % 1e15));
        n.tiers = _tiersUp(p.tiers, r >> 72);
    }

    /// @dev Raises each tier's initial and maintenance ratio by up to 9 bps (caps unchanged).
    function _tiersUp(uint256 packed, uint256 r) internal pure returns (uint256) {
        MarginMath.Tier[3] memory t;
        for (uint256 i; i < 3; ++i) {
            t[i] = MarginMath.unpackTier(packed, i);
            t[i].initialBps += (r >> (8 * i)) % 10;
            t[i].maintenanceBps += (r >> (8 * i + 4)) % 10;
        }
        return MarginMath.packTiers(t);
    }

    function _unsafeMove(MarketConfig memory n, MarketConfig memory p, uint256 field, uint256 by) internal pure {
        if (field == 0) {
            n.feeBps = uint16(p.feeBps - (by % (p.feeBps + 1) == 0 ? 1 : by % (p.feeBps + 1)));
        } else if (field == 1) {
            n.bandBps = uint16(p.bandBps + by);
        } else if (field == 2) {
            n.maxMoveBps = uint16(p.maxMoveBps + by);
        } else if (field == 3) {
            n.liquidationPenaltyBps = uint16(p.liquidationPenaltyBps - 1 - by % 200);
        } else if (field == 4) {
            n.liquidatorShareBps = uint16(by % 2 == 0 ? p.liquidatorShareBps + by : p.liquidatorShareBps - by);
        } else if (field == 5) {
            n.liquidationFractionBps = uint16(p.liquidationFractionBps + by);
        } else if (field == 6) {
            n.maxPremiumBps = uint16(p.maxPremiumBps + by);
        } else if (field == 7) {
            n.fundingPeriod = uint32(p.fundingPeriod + by);
        } else if (field == 8) {
            n.fundingInterval = uint32(p.fundingInterval - by % 500 - 1);
        } else if (field == 9) {
            n.oiCapBps = uint32(p.oiCapBps + by);
        } else if (field == 10) {
            n.minPositionBase = uint96(p.minPositionBase + by);
        } else if (field == 11) {
            n.volReferenceBps = by % 2 == 0 ? 0 : uint32(p.volReferenceBps + by);
        } else if (field == 12) {
            n.volCapBps = uint32(p.volCapBps - by);
        } else if (field == 13) {
            n.maxOpenInterestBase = uint128(p.maxOpenInterestBase + by);
        } else if (field == 14) {
            n.fundingBudgetPerSecond = uint128(p.fundingBudgetPerSecond + by);
        } else {
            n.tiers = _tierDown(n.tiers, field - 15, by);
        }
    }

    /// @dev Tier `i`: its cap moved (either way), or its initial or maintenance ratio lowered below the old one.
    function _tierDown(uint256 packed, uint256 i, uint256 by) internal pure returns (uint256) {
        MarginMath.Tier[3] memory t;
        for (uint256 k; k < 3; ++k) {
            t[k] = MarginMath.unpackTier(packed, k);
        }
        uint256 kind = by % 3;
        if (kind == 0) t[i].notionalCap = by % 2 == 0 ? t[i].notionalCap + by * 1e18 : t[i].notionalCap - by * 1e18;
        else if (kind == 1) t[i].initialBps -= 10 + by % 100; // below the old one even after _tiersUp's +9
        else t[i].maintenanceBps -= 10 + by % 100;
        return MarginMath.packTiers(t);
    }

    function _copy(MarketConfig memory c) internal pure returns (MarketConfig memory n) {
        n = abi.decode(abi.encode(c), (MarketConfig));
    }

    function test_classification_volReference_offIsUnsafe_onIsSafe() public view {
        MarketConfig memory prev = pool.marketConfig(ETH); // scaling off (0)
        MarketConfig memory next = _copy(prev);
        next.volReferenceBps = 8000;
        assertFalse(timelock.raisesRisk(address(pool), _setConfig(next)), "turning scaling on");
        prev.volReferenceBps = 8000;
        next.volReferenceBps = 0;
        assertTrue(RiskClassifierHarness.marketConfigRaisesRisk(prev, next), "turning it off");
        next.volReferenceBps = 6000;
        assertFalse(RiskClassifierHarness.marketConfigRaisesRisk(prev, next), "scaling sooner");
        next.volReferenceBps = 9000;
        assertTrue(RiskClassifierHarness.marketConfigRaisesRisk(prev, next), "scaling later");
    }

    function test_classification_unchangedConfig_lowers() public view {
        assertFalse(timelock.raisesRisk(address(pool), _setConfig(pool.marketConfig(ETH))));
    }

    function test_classification_unlistedMarket_raises() public view {
        bytes memory data = abi.encodeCall(PoolAdmin.setMarketConfig, (7, pool.marketConfig(ETH)));
        assertTrue(timelock.raisesRisk(address(pool), data));
    }

    function test_classification_riskEngine_noneOrSameLowers_otherRaises() public view {
        bytes4 sel = bytes4(keccak256("setRiskEngine(address)"));
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeWithSelector(sel, address(0))), "standalone");
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeWithSelector(sel, address(riskEngine))), "same");
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeWithSelector(sel, alice)), "another grid");
    }

    function test_classification_profitDrawCap_downLowers_upRaises() public {
        uint256 id = _propose(address(pool), abi.encodeCall(PoolAdmin.setProfitDrawCap, (1000)));
        vm.warp(timelock.change(id).eta);
        vm.prank(admin);
        timelock.execute(id);
        (,, uint256 cap) = pool.profitLedger();
        assertEq(cap, 1000);
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.setProfitDrawCap, (cap))));
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.setProfitDrawCap, (cap - 1))));
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.setProfitDrawCap, (cap + 1))));
    }

    function test_classification_pauseAndGuardian_immediate() public {
        bytes4 paused = bytes4(keccak256("setPaused(bool)"));
        bytes4 guardian = bytes4(keccak256("setGuardian(address)"));
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeWithSelector(paused, true)));
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeWithSelector(paused, false)));
        assertFalse(timelock.raisesRisk(address(pool), abi.encodeWithSelector(guardian, bob)));
        _propose(address(pool), abi.encodeWithSelector(paused, true));
        assertTrue(pool.paused(), "paused at once");
    }

    function test_classification_listingFeedsTailRiskOwnershipAndUnknown_raise() public view {
        MarketConfig memory c = pool.marketConfig(ETH);
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.listMarket, (1e18, 1e18, c))));
        assertTrue(
            timelock.raisesRisk(
                address(pool),
                abi.encodeWithSelector(bytes4(keccak256("setInventoryDiscountRate(uint256,uint256)")), 0, 5)
            )
        );
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeCall(Ownable.transferOwnership, (bob))));
        assertTrue(timelock.raisesRisk(address(pool), hex"deadbeef"), "unknown selector");
        assertTrue(timelock.raisesRisk(address(pool), hex"01"), "no selector");
        address[] memory feeds_ = new address[](0);
        assertTrue(
            timelock.raisesRisk(
                address(oracle), abi.encodeCall(IOracleRouter.setFeeds, (ETH, feeds_, defaultOracleConfig()))
            )
        );
        assertTrue(
            timelock.raisesRisk(address(tro), abi.encodeCall(ITailRiskOracle.setParams, (defaultTailRiskParams())))
        );
        assertTrue(timelock.raisesRisk(address(tro), abi.encodeCall(ITailRiskOracle.setSteward, (bob))));
        assertTrue(timelock.raisesRisk(address(timelock), abi.encodeCall(IRiskTimelock.setAdmin, (bob))));
    }

    /* FUNDING POLICY ([6/6]): every change is announced for the whole delay */

    function _applyFundingParams() internal {
        uint256 id = _propose(address(pool), abi.encodeCall(PoolAdmin.setFundingParams, (ETH, _defaultFundingParams())));
        vm.warp(timelock.change(id).eta);
        vm.prank(admin);
        timelock.execute(id);
    }

    function test_classification_fundingParamsAndGroups_alwaysWaitTheDelay() public {
        FundingParams memory lower = _defaultFundingParams();
        lower.capMultipleBps = 1;
        lower.kickerMaxE8 = 0;
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.setFundingParams, (ETH, lower))));
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (ETH, BTC);
        assertTrue(timelock.raisesRisk(address(pool), abi.encodeCall(PoolAdmin.setFundingGroup, (1, ids))));
        uint256 id = _propose(address(pool), abi.encodeCall(PoolAdmin.setFundingParams, (ETH, _defaultFundingParams())));
        assertEq(pool.fundingParams(ETH).capMultipleBps, 0, "nothing applies at the announcement");
        vm.warp(timelock.change(id).eta - 1);
        vm.prank(admin);
        vm.expectRevert();
        timelock.execute(id);
        vm.warp(timelock.change(id).eta);
        vm.prank(admin);
        timelock.execute(id);
        // The cap is derived from the tiers: 10 % x (IM - MM) of the base tier, never above maxPremiumBps.
        MarginMath.Tier memory base = MarginMath.unpackTier(pool.marketConfig(ETH).tiers, 0);
        uint256 derived = 1000 * (base.initialBps - base.maintenanceBps);
        uint256 absolute = uint256(pool.marketConfig(ETH).maxPremiumBps) * 1e4;
        assertEq(pool.fundingParams(ETH).capE8, derived < absolute ? derived : absolute);
    }

    function test_classification_widerBaseTierGap_raisesOnceTheFundingCapIsDerivedFromIt() public {
        MarketConfig memory next = _copy(pool.marketConfig(ETH));
        MarginMath.Tier[3] memory t;
        for (uint256 i; i < 3; ++i) {
            t[i] = MarginMath.unpackTier(next.tiers, i);
        }
        t[0].initialBps += 10; // a higher initial margin alone lowers risk ...
        next.tiers = MarginMath.packTiers(t);
        assertFalse(timelock.raisesRisk(address(pool), _setConfig(next)), "no derived cap: lowers");
        _applyFundingParams();
        // ... but widens IM - MM, which would raise a derived funding cap without notice.
        assertTrue(timelock.raisesRisk(address(pool), _setConfig(next)), "derived cap: raises");
        t[0].maintenanceBps += 10; // both up by the same: the gap and the cap stay
        next.tiers = MarginMath.packTiers(t);
        assertFalse(timelock.raisesRisk(address(pool), _setConfig(next)), "same gap: lowers");
    }

    function test_propose_revertsWhen_targetNotGoverned() public {
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.TargetNotGoverned.selector, address(usdc)));
        _propose(address(usdc), hex"deadbeef");
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.TargetNotGoverned.selector, address(junior)));
        vm.prank(admin);
        timelock.acceptOwnership(address(junior));
    }

    /* QUEUE */

    function test_onlyAdmin() public {
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotAdmin.selector, alice));
        timelock.propose(address(pool), hex"deadbeef");
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotAdmin.selector, alice));
        timelock.execute(0);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotAdmin.selector, alice));
        timelock.cancel(0);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotAdmin.selector, alice));
        timelock.acceptOwnership(address(pool));
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.NotAdmin.selector, alice));
        timelock.setAdmin(alice);
        vm.stopPrank();
    }

    function test_queue_pendingUntilExecutedOrCancelled() public {
        uint256 a = _propose(address(tro), abi.encodeCall(ITailRiskOracle.setSteward, (bob)));
        uint256 b = _propose(address(pool), abi.encodeCall(PoolAdmin.setProfitDrawCap, (2000)));
        uint256 c = _propose(address(tro), abi.encodeCall(ITailRiskOracle.setSteward, (carol)));
        assertEq(timelock.changeCount(), 3);
        assertEq(timelock.pendingChanges().length, 3);

        vm.expectEmit(address(timelock));
        emit IRiskTimelock.ChangeCancelled(b);
        vm.prank(admin);
        timelock.cancel(b);
        uint256[] memory pending = timelock.pendingChanges();
        assertEq(pending.length, 2);
        assertTrue((pending[0] == a && pending[1] == c) || (pending[0] == c && pending[1] == a));
        assertTrue(timelock.change(b).cancelled);

        vm.warp(timelock.change(a).eta);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.AlreadyDone.selector, b));
        timelock.execute(b);
        timelock.execute(c);
        timelock.execute(a);
        vm.stopPrank();
        assertEq(tro.steward(), bob, "executed in the admin's order");
        assertEq(timelock.pendingChanges().length, 0);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.UnknownChange.selector, 3));
        timelock.change(3);
        vm.expectRevert(abi.encodeWithSelector(IRiskTimelock.UnknownChange.selector, 3));
        vm.prank(admin);
        timelock.execute(3);
    }

    function test_execute_bubblesTheTargetsRevert_andStaysPending() public {
        MarketConfig memory bad = pool.marketConfig(ETH);
        bad.volCapBps = 9999; // out of the pool's bounds
        uint256 id = _propose(address(pool), _setConfig(bad));
        vm.warp(timelock.change(id).eta);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.ParameterOutOfBounds.selector, bytes32("volCapBps"), 9999));
        vm.prank(admin);
        timelock.execute(id);
        assertEq(timelock.pendingChanges().length, 1);
        assertFalse(timelock.change(id).executed);
    }

    function test_setAdmin_onlyThroughTheDelay() public {
        uint256 id = _propose(address(timelock), abi.encodeCall(IRiskTimelock.setAdmin, (bob)));
        _assertNotReady(id, timelock.change(id).eta);
        vm.warp(timelock.change(id).eta);
        vm.expectEmit(address(timelock));
        emit IRiskTimelock.AdminSet(bob);
        vm.prank(admin);
        timelock.execute(id);
        assertEq(timelock.admin(), bob);
    }

    function test_ownershipHandOver_throughTheDelay_thenAccepted() public {
        uint256 id = _propose(address(tro), abi.encodeCall(Ownable.transferOwnership, (bob)));
        vm.warp(timelock.change(id).eta);
        vm.prank(admin);
        timelock.execute(id);
        vm.prank(bob);
        tro.acceptOwnership();
        assertEq(tro.owner(), bob);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(IRiskTimelock.ZeroAddress.selector);
        new RiskTimelock(address(0), address(pool), address(oracle), address(tro), junior, senior);
        vm.expectRevert(IRiskTimelock.ZeroAddress.selector);
        new RiskTimelock(admin, address(pool), address(oracle), address(tro), junior, TrancheVault(address(0)));
    }
}

/// @dev The classifier's pure comparison, for fuzzing configs the pool would not accept as current.
library RiskClassifierHarness {
    function marketConfigRaisesRisk(MarketConfig memory prev, MarketConfig memory next) internal pure returns (bool) {
        return RiskChangeClassifier.marketConfigRaisesRisk(prev, next);
    }
}
