// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {TestTailRiskOracle} from "../../../contracts/test/TestTailRiskOracle.sol";
import {TestUSDC} from "../../../contracts/test/TestUSDC.sol";
import {MockTrancheBackstop} from "../../utils/MockTrancheBackstop.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives one (junior) tranche vault with LP actors, the backstop (premium, boosted premium, losses),
/// donations, time warps, and the tail-risk oracle double (exit floor, boost multiplier). Every action bounds its
/// inputs or returns early, so with `fail_on_revert = true` any revert is a finding. Checks the exit gate at every
/// claim against an exact FIFO queue kept here (request order per actor).
contract TrancheVaultHandler is Test {
    uint256 internal constant MAX_DEPOSIT = 1e12; // 1M USDC per call
    uint256 internal constant MAX_PREMIUM = 1e11;
    uint256 internal constant MAX_DONATION = 1e10;
    uint256 internal constant VIRTUAL_SHARES = 1e6;

    TrancheVault public immutable vault;
    TestUSDC public immutable usdc;
    address public immutable backstop;
    TestTailRiskOracle public immutable tailRisk;
    address public immutable lossReceiver = makeAddr("lossReceiver");
    address public immutable donor = makeAddr("donor");

    address[] internal _actors;

    /* GHOSTS */

    mapping(address actor => uint256) public ghostAssetsIn;
    mapping(address actor => uint256) public ghostAssetsOut;
    uint256 public ghostSumIn;
    uint256 public ghostSumOut;
    uint256 public ghostPremium;
    uint256 public ghostDonations;
    uint256 public ghostLossPaid;
    uint256 public ghostRestored;
    bool public ghostClaimAboveNetShare;
    bool public ghostCancelAboveAtRequest;
    /// @dev Number of state-changing calls made: bounds the wei of rounding dust an actor can pick up from others.
    uint256 public ghostCalls;
    bool public ghostPriceFellWithoutLoss;
    bool public ghostClaimAboveAssetsAtRequest;
    bool public ghostLossPaidWrongAmount;
    /// @dev An advance drawn from vested assets, or its repayment, moved the share price.
    bool public ghostAdvanceMovedPrice;
    /// @dev A settlement paid more than the claim's cap.
    bool public ghostSettleAboveCap;
    mapping(address actor => uint256) public ghostAssetsAtRequest;
    /// @dev Caps of the claims started and not settled, per actor (a partial claim and the rest join).
    mapping(address actor => uint256) public ghostClaimCaps;

    /* LP ECONOMICS GHOSTS */

    uint256 public ghostBoostReceived;
    uint256 public ghostBoostPaid;
    /// @dev What `coverLoss` (and profit draws) took from the boost pot.
    uint256 public ghostBoostLoss;
    /// @dev The largest multiplier ever stored, and when the run started: points <= dt x cap x shares.
    uint256 public ghostMaxMultiplier = 10_000;
    /// @dev The largest `totalSupply()` seen after any call.
    uint256 public ghostMaxSupply;
    /// @dev A claim left junior's priced shares, less those settling, below floor + the live requests ahead of it.
    bool public ghostGateBreached;
    /// @dev A claim took other than what `claimableNow` said just before.
    bool public ghostClaimableViewWrong;
    /// @dev A boost claim paid other than `claimableBoost`, or more than the pot.
    bool public ghostBoostClaimWrong;
    /// @dev Request order per actor (0: none open): the exact FIFO queue.
    mapping(address actor => uint256) public ghostRequestOrder;
    uint256 internal _orderCounter;

    mapping(bytes32 action => uint256) public calls;

    constructor(TrancheVault vault_, TestUSDC usdc_, address backstop_, TestTailRiskOracle tailRisk_) {
        vault = vault_;
        usdc = usdc_;
        backstop = backstop_;
        tailRisk = tailRisk_;
        _actors.push(makeAddr("lp0"));
        _actors.push(makeAddr("lp1"));
        _actors.push(makeAddr("lp2"));
        _actors.push(makeAddr("lp3"));
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            usdc.approve(address(vault_), type(uint256).max);
        }
        vm.prank(backstop_);
        usdc.approve(address(vault_), type(uint256).max);
    }

    function reaching() external view returns (uint256) {
        return MockTrancheBackstop(backstop).reaching(address(vault));
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    /// @dev Records the price before and after; flags any fall in an action that is not `coverLoss`.
    modifier trackPrice(bool isLoss) {
        uint256 a0 = vault.totalAssets();
        uint256 s0 = _pricedSupply();
        _;
        uint256 a1 = vault.totalAssets();
        uint256 s1 = _pricedSupply();
        // price = (assets + 1) / (supply + 1e6); compare cross-multiplied, exact.
        if (!isLoss && (a1 + 1) * (s0 + VIRTUAL_SHARES) < (a0 + 1) * (s1 + VIRTUAL_SHARES)) {
            ghostPriceFellWithoutLoss = true;
        }
        if (vault.totalSupply() > ghostMaxSupply) ghostMaxSupply = vault.totalSupply();
        ++ghostCalls;
    }

    /* LP ACTIONS */

    function deposit(uint256 actorSeed, uint256 assets) external trackPrice(false) {
        if (vault.maxDeposit(address(1)) == 0) return;
        address actor = _actor(actorSeed);
        assets = bound(assets, 1, MAX_DEPOSIT);
        usdc.mint(actor, assets);
        vm.prank(actor);
        vault.deposit(assets, actor);
        _in(actor, assets);
        ++calls["deposit"];
    }

    function mint(uint256 actorSeed, uint256 shares) external trackPrice(false) {
        if (vault.maxDeposit(address(1)) == 0) return;
        address actor = _actor(actorSeed);
        shares = bound(shares, 1, Math.max(1, vault.previewDeposit(MAX_DEPOSIT)));
        uint256 assets = vault.previewMint(shares);
        usdc.mint(actor, assets);
        vm.prank(actor);
        uint256 paid = vault.mint(shares, actor);
        _in(actor, paid);
        ++calls["mint"];
    }

    function requestWithdraw(uint256 actorSeed, uint256 shares) external trackPrice(false) {
        actorSeed %= _actors.length;
        address actor;
        uint256 balance;
        for (uint256 i; i < _actors.length && balance == 0; ++i) {
            actor = _actor(actorSeed + i);
            (uint256 open,,) = vault.withdrawRequest(actor);
            (uint256 settling,,) = vault.pendingClaim(actor);
            if (open == 0 && settling == 0) balance = vault.balanceOf(actor) - vault.writtenOffBalance(actor);
        }
        if (balance == 0) return;
        shares = bound(shares, 1, balance);
        vm.prank(actor);
        vault.requestWithdraw(shares);
        ghostRequestOrder[actor] = ++_orderCounter;
        ++calls["requestWithdraw"];
    }

    /// @dev Starts a claim: warps into the claim window when still cooling down; skips an expired request (see
    /// `cancelWithdraw`). The cap is checked here, the payout at `settleClaim`; the gate against the exact queue.
    function claim(uint256 actorSeed, uint256 offset) external trackPrice(false) {
        address actor = _actorWithRequest(actorSeed);
        (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime) = vault.withdrawRequest(actor);
        if (shares == 0) return;
        if (block.timestamp < unlockTime) vm.warp(unlockTime + bound(offset, 0, vault.claimWindow()));
        else if (block.timestamp > unlockTime + vault.claimWindow()) return;
        (uint256 claimable,,) = vault.claimableNow(actor);
        (uint256 settlingBefore,,) = vault.pendingClaim(actor);
        vm.prank(actor);
        (uint256 cap,) = vault.claim();
        if (cap != claimable) ghostClaimableViewWrong = true;
        // The cap is the request's value (the payout is min(cap, value at settlement), checked there).
        if (cap > assetsAtRequest) ghostClaimAboveAssetsAtRequest = true;
        ghostAssetsAtRequest[actor] = assetsAtRequest;
        ghostClaimCaps[actor] += cap;
        (uint256 settlingAfter,,) = vault.pendingClaim(actor);
        if (settlingAfter > settlingBefore) _checkGate(actor);
        (uint256 rest,,) = vault.withdrawRequest(actor);
        if (rest == 0) ghostRequestOrder[actor] = 0;
        ++calls[cap == 0 ? bytes32("claim held back") : bytes32("claim")];
    }

    /// @dev Anyone settles a claim: warps to its settlement time (plus up to a day) when still settling.
    function settleClaim(uint256 actorSeed, uint256 offset) external trackPrice(false) {
        actorSeed %= _actors.length;
        address actor = _actor(actorSeed);
        for (uint256 i; i < _actors.length; ++i) {
            (uint256 pending,,) = vault.pendingClaim(_actor(actorSeed + i));
            if (pending != 0) {
                actor = _actor(actorSeed + i);
                break;
            }
        }
        (uint256 shares, uint256 cap, uint64 settleAt) = vault.pendingClaim(actor);
        if (shares == 0) return;
        if (block.timestamp < settleAt) vm.warp(settleAt + bound(offset, 0, 1 days));
        uint256 netShare = vault.convertToAssets(shares);
        // A payout above the vested cash waits for the receivable's repayment (ClaimExceedsLiquidity).
        if (Math.min(cap, netShare) > vault.grossAssets()) {
            ++calls["settleClaim waits for liquidity"];
            return;
        }
        uint256 assets = vault.settleClaim(actor);
        if (assets > netShare) ghostClaimAboveNetShare = true;
        if (assets > ghostClaimCaps[actor]) ghostClaimAboveAssetsAtRequest = true;
        ghostClaimCaps[actor] = 0;
        if (assets > cap) ghostSettleAboveCap = true;
        ghostAssetsOut[actor] += assets;
        ghostSumOut += assets;
        ++calls["settleClaim"];
    }

    function cancelWithdraw(uint256 actorSeed) external trackPrice(false) {
        address actor = _actor(actorSeed);
        (uint256 shares, uint256 assetsAtRequest,) = vault.withdrawRequest(actor);
        if (shares == 0) return;
        vm.prank(actor);
        uint256 returned = vault.cancelWithdraw();
        ghostRequestOrder[actor] = 0;
        if (vault.previewRedeem(returned) > assetsAtRequest) ghostCancelAboveAtRequest = true;
        ++calls["cancelWithdraw"];
    }

    /* ADVERSARIAL AND ENVIRONMENT */

    function donate(uint256 assets) external trackPrice(false) {
        assets = bound(assets, 1, MAX_DONATION);
        usdc.mint(donor, assets);
        vm.prank(donor);
        usdc.transfer(address(vault), assets);
        ghostDonations += assets;
        ++calls["donate"];
    }

    function warp(uint256 seconds_) external trackPrice(false) {
        vm.warp(block.timestamp + bound(seconds_, 0, 3 days));
        ++calls["warp"];
    }

    /* BACKSTOP */

    function addPremium(uint256 assets) external trackPrice(false) {
        assets = bound(assets, 0, MAX_PREMIUM);
        usdc.mint(backstop, assets);
        vm.prank(backstop);
        vault.addPremium(assets);
        ghostPremium += assets;
        ++calls["addPremium"];
    }

    function restoreCapital(uint256 assets) external trackPrice(false) {
        assets = bound(assets, 0, MAX_PREMIUM);
        usdc.mint(backstop, assets);
        vm.prank(backstop);
        vault.restoreCapital(assets);
        ghostRestored += assets;
        ++calls["restoreCapital"];
    }

    /// @dev A profit draw (`LossKind.ProfitDraw`): the vault pays, the backstop records the advance. Drawn from vested
    /// assets it moves no price; drawn into unvested premium it lifts it (that premium counts as receivable at once).
    function drawAdvance(uint256 assets) external trackPrice(false) {
        uint256 balance = usdc.balanceOf(address(vault));
        uint256 vested = balance - vault.boostPot() - vault.unvestedPremium();
        // The backstop lends only vested assets for an advance (`Backstop.absorbLoss(ProfitDraw)`).
        assets = bound(assets, 0, vested);
        (uint256 a0, uint256 s0) = (vault.totalAssets(), _pricedSupply());
        uint256 pot = vault.boostPot();
        vm.prank(backstop);
        uint256 paid = vault.coverLoss(assets, lossReceiver);
        ghostBoostLoss += pot - vault.boostPot();
        MockTrancheBackstop(backstop).setAdvances(MockTrancheBackstop(backstop).advanceJunior() + paid, 0);
        // Known exception: tokens the visible loss was eating become a receivable that absorbs nothing (see
        // `repayAdvance`); the price then rises, never falls.
        bool exempt = _lossExceedsTokens();
        if (!exempt && paid <= vested && (vault.totalAssets() != a0 || _pricedSupply() != s0)) {
            ghostAdvanceMovedPrice = true;
        }
        ghostLossPaid += paid;
        ++calls["drawAdvance"];
    }

    /// @dev The pool repays part of the outstanding advance: the backstop lowers it, then restores the vault.
    /// Known exception, not checked: while the visible loss exceeds the tranche's tokens (deposits locked), repaid
    /// tokens are first loss again and absorb it (the waterfall: a receivable absorbs nothing until it is cash).
    function repayAdvance(uint256 assets) external trackPrice(_lossExceedsTokens()) {
        uint256 owed = MockTrancheBackstop(backstop).advanceJunior();
        assets = bound(assets, 0, owed);
        bool exempt = _lossExceedsTokens();
        uint256 a0 = vault.totalAssets();
        MockTrancheBackstop(backstop).setAdvances(owed - assets, 0);
        usdc.mint(backstop, assets);
        vm.prank(backstop);
        vault.restoreCapital(assets);
        if (!exempt && vault.totalAssets() != a0) ghostAdvanceMovedPrice = true;
        ghostRestored += assets;
        ++calls["repayAdvance"];
    }

    /// @dev The pool's inventory moves: the visible loss reaching this tranche is set anywhere in [0, 2 x gross].
    function setVisibleLoss(uint256 loss) external trackPrice(true) {
        MockTrancheBackstop(backstop).setReaching(address(vault), bound(loss, 0, 2 * vault.grossAssets() + 1));
        ++calls["setVisibleLoss"];
    }

    function coverLoss(uint256 assets) external trackPrice(true) {
        uint256 balance = usdc.balanceOf(address(vault));
        assets = bound(assets, 0, balance + 1e6);
        uint256 pot = vault.boostPot();
        vm.prank(backstop);
        uint256 paid = vault.coverLoss(assets, lossReceiver);
        ghostBoostLoss += pot - vault.boostPot();
        if (paid != Math.min(assets, balance)) ghostLossPaidWrongAmount = true;
        ghostLossPaid += paid;
        ++calls["coverLoss"];
    }

    /* LP ECONOMICS */

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 shares) external trackPrice(false) {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        uint256 balance = vault.balanceOf(from) - vault.writtenOffBalance(from);
        if (balance == 0) return;
        vm.prank(from);
        vault.transfer(to, bound(shares, 1, balance));
        ++calls["transfer"];
    }

    function addBoostedPremium(uint256 assets, uint256 boost) external trackPrice(false) {
        assets = bound(assets, 0, MAX_PREMIUM);
        boost = bound(boost, 0, MAX_PREMIUM);
        usdc.mint(backstop, assets + boost);
        vm.prank(backstop);
        vault.addBoostedPremium(assets, boost);
        ghostPremium += assets;
        ghostBoostReceived += boost;
        ++calls["addBoostedPremium"];
    }

    function claimBoost(uint256 actorSeed) external trackPrice(false) {
        address actor = _actor(actorSeed);
        uint256 claimable = vault.claimableBoost(actor);
        if (claimable == 0) return;
        uint256 pot = vault.boostPot();
        vm.prank(actor);
        uint256 paid = vault.claimBoost();
        if (paid != claimable || paid > pot) ghostBoostClaimWrong = true;
        ghostBoostPaid += paid;
        ghostAssetsOut[actor] += paid;
        ++calls["claimBoost"];
    }

    function setMultiplier(uint256 bps) external trackPrice(false) {
        tailRisk.setBoostMultiplierBps(bound(bps, 0, 60_000));
        vault.refreshBoost();
        if (vault.boostMultiplierBps() > ghostMaxMultiplier) ghostMaxMultiplier = vault.boostMultiplierBps();
        ++calls["setMultiplier"];
    }

    /// @dev The exit floor anywhere in [0, 1.2 x totalAssets].
    function setExitFloor(uint256 floor) external trackPrice(false) {
        tailRisk.setFloor(bound(floor, 0, vault.totalAssets() * 6 / 5), true);
        ++calls["setExitFloor"];
    }

    function advanceExitQueue(uint256 steps) external trackPrice(false) {
        vault.advanceExitQueue(bound(steps, 0, 8));
        ++calls["advanceExitQueue"];
    }

    /// @dev After `actor`'s claim took shares: the priced shares not settling must still cover the floor plus every
    /// live request ahead of it (exact: the actors' open, unexpired requests made before).
    function _checkGate(address actor) internal {
        uint256 ahead;
        uint256 settling;
        uint256 order = ghostRequestOrder[actor];
        for (uint256 i; i < _actors.length; ++i) {
            address a = _actors[i];
            (uint256 pending,,) = vault.pendingClaim(a);
            settling += pending;
            (uint256 shares,, uint64 windowStart) = vault.withdrawRequest(a);
            uint256 o = ghostRequestOrder[a];
            if (shares != 0 && o != 0 && o < order && block.timestamp <= windowStart + vault.claimWindow()) {
                ahead += shares;
            }
        }
        uint256 priced = _pricedSupply();
        (uint256 floor,) = tailRisk.juniorExitFloor();
        uint256 floorShares =
            floor == 0 ? 0 : Math.mulDiv(floor, priced + VIRTUAL_SHARES, vault.totalAssets() + 1, Math.Rounding.Ceil);
        if (settling + ahead + floorShares > priced) ghostGateBreached = true;
    }

    /* HELPERS */

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev The first actor from `seed` on with an open request (the seed's actor when none has).
    function _actorWithRequest(uint256 seed) internal view returns (address) {
        seed %= _actors.length;
        for (uint256 i; i < _actors.length; ++i) {
            (uint256 shares,,) = vault.withdrawRequest(_actor(seed + i));
            if (shares != 0) return _actor(seed + i);
        }
        return _actor(seed);
    }

    function _in(address actor, uint256 assets) internal {
        ghostAssetsIn[actor] += assets;
        ghostSumIn += assets;
    }

    function _lossExceedsTokens() internal view returns (bool) {
        return MockTrancheBackstop(backstop).loss() > vault.grossAssets();
    }

    function _pricedSupply() internal view returns (uint256) {
        return vault.totalSupply() - vault.writtenOffSupply() - vault.ESCROW_SENTINEL_SHARES();
    }
}
