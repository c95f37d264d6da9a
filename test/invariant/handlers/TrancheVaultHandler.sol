// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {TestUSDC} from "../../../contracts/test/TestUSDC.sol";
import {MockTrancheBackstop} from "../../utils/MockTrancheBackstop.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives one tranche vault with LP actors, the backstop (premium, losses), donations and time warps.
/// Every action bounds its inputs or returns early, so with `fail_on_revert = true` any revert is a finding.
contract TrancheVaultHandler is Test {
    uint256 internal constant MAX_DEPOSIT = 1e12; // 1M USDC per call
    uint256 internal constant MAX_PREMIUM = 1e11;
    uint256 internal constant MAX_DONATION = 1e10;
    uint256 internal constant VIRTUAL_SHARES = 1e6;

    TrancheVault public immutable vault;
    TestUSDC public immutable usdc;
    address public immutable backstop;
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

    mapping(bytes32 action => uint256) public calls;

    constructor(TrancheVault vault_, TestUSDC usdc_, address backstop_) {
        vault = vault_;
        usdc = usdc_;
        backstop = backstop_;
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
        address actor = _actor(actorSeed);
        (uint256 open,,) = vault.withdrawRequest(actor);
        (uint256 settling,,) = vault.pendingClaim(actor);
        uint256 balance = vault.balanceOf(actor) - vault.writtenOffBalance(actor);
        if (open != 0 || settling != 0 || balance == 0) return;
        shares = bound(shares, 1, balance);
        vm.prank(actor);
        vault.requestWithdraw(shares);
        ++calls["requestWithdraw"];
    }

    /// @dev Starts a claim: warps into the claim window when still cooling down; skips an expired request (see
    /// `cancelWithdraw`). The cap is checked here, the payout at `settleClaim`.
    function claim(uint256 actorSeed, uint256 offset) external trackPrice(false) {
        address actor = _actor(actorSeed);
        (uint256 shares, uint256 assetsAtRequest, uint64 unlockTime) = vault.withdrawRequest(actor);
        if (shares == 0) return;
        if (block.timestamp < unlockTime) vm.warp(unlockTime + bound(offset, 0, vault.claimWindow()));
        else if (block.timestamp > unlockTime + vault.claimWindow()) return;
        vm.prank(actor);
        (uint256 cap,) = vault.claim();
        // The cap is the request's value (the payout is min(cap, value at settlement), checked there).
        if (cap > assetsAtRequest) ghostClaimAboveAssetsAtRequest = true;
        ghostAssetsAtRequest[actor] = assetsAtRequest;
        ++calls["claim"];
    }

    /// @dev Anyone settles a claim: warps to its settlement time (plus up to a day) when still settling.
    function settleClaim(uint256 actorSeed, uint256 offset) external trackPrice(false) {
        address actor = _actor(actorSeed);
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
        if (assets > ghostAssetsAtRequest[actor]) ghostClaimAboveAssetsAtRequest = true;
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
        uint256 vested = balance - vault.unvestedPremium();
        // The backstop lends only vested assets for an advance (`Backstop.absorbLoss(ProfitDraw)`).
        assets = bound(assets, 0, vested);
        (uint256 a0, uint256 s0) = (vault.totalAssets(), _pricedSupply());
        vm.prank(backstop);
        uint256 paid = vault.coverLoss(assets, lossReceiver);
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
        vm.prank(backstop);
        uint256 paid = vault.coverLoss(assets, lossReceiver);
        if (paid != Math.min(assets, balance)) ghostLossPaidWrongAmount = true;
        ghostLossPaid += paid;
        ++calls["coverLoss"];
    }

    /* HELPERS */

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
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
