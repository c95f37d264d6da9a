// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {TestTailRiskOracle} from "../../contracts/test/TestTailRiskOracle.sol";
import {TestUSDC} from "../../contracts/test/TestUSDC.sol";
import {MockTrancheBackstop} from "../utils/MockTrancheBackstop.sol";
import {trancheConfig} from "../utils/TrancheConfig.sol";
import {TrancheVaultHandler} from "./handlers/TrancheVaultHandler.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The properties, one string constant each (also the assertion message that names a failure).
abstract contract TrancheVaultInvariantSpec {
    string internal constant BALANCE_IS_ASSETS_PLUS_UNVESTED =
        "token balance == grossAssets + unvestedPremium + boostPot";
    string internal constant NET_OF_VISIBLE_LOSS =
        "totalAssets == grossAssets - min(visible loss reaching, grossAssets) + receivable";
    string internal constant CLAIM_AT_MOST_NET_SHARE =
        "a claim never exceeds the holder's share net of visible losses (convertToAssets before the claim)";
    string internal constant CANCEL_AT_MOST_AT_REQUEST = "a cancel gives back shares worth at most assetsAtRequest";
    string internal constant TOKEN_CONSERVATION =
        "token balance == deposits + premium + boost + restored + donations - claims - boost paid - losses paid";
    string internal constant PRICE_FALLS_ONLY_ON_LOSS = "share price only falls on coverLoss";
    string internal constant SHARES_SUM_TO_SUPPLY = "sum of share balances == totalSupply";
    string internal constant ESCROW_MATCHES_REQUESTS = "vault's own shares == sentinel + open request shares";
    string internal constant NO_ACTOR_PROFITS_BEYOND_PREMIUM =
        "no actor gets out more than it put in plus premium and donations (plus 1 wei of dust per call)";
    string internal constant CLAIM_AT_MOST_ASSETS_AT_REQUEST = "a claim never pays more than assetsAtRequest";
    string internal constant LOSS_PAYS_MIN_OF_ASK_AND_BALANCE = "coverLoss pays min(assets, balance)";
    string internal constant WIPED_LOCKS_OR_RESTARTS =
        "a wiped tranche locks deposits (maxDeposit == maxMint == 0) or a deposit restarts it at the initial price";
    string internal constant ADVANCE_LEAVES_PRICE =
        "an advance drawn from vested assets, and its repayment, leave totalAssets and the priced supply unchanged";
    string internal constant SETTLE_AT_MOST_CAP = "a settlement never pays more than the cap fixed at the claim";
    string internal constant TOTALS_MATCH_GHOSTS = "totalPremiumReceived and totalLossCovered match the ghosts";
    string internal constant POINTS_SUM_TO_TOTAL = "sum of holders' boost points == totalBoostPoints, exactly";
    string internal constant POINTS_BOUNDED =
        "total boost points <= seconds elapsed x the largest multiplier x the largest supply";
    string internal constant POT_CONSERVED = "boost pot + boost paid == boost received - boost taken by losses";
    string internal constant BOOST_CLAIM_PAYS_VIEW = "a boost claim pays claimableBoost, never more than the pot";
    string internal constant GATE_HOLDS =
        "after any claim, priced shares not settling cover the exit floor plus every live request ahead (FIFO)";
    string internal constant CLAIMABLE_VIEW_IS_CLAIM = "a claim takes exactly what claimableNow said";
}

contract TrancheVaultInvariantTest is Test, TrancheVaultInvariantSpec {
    TestUSDC internal usdc;
    TrancheVault internal vault;
    TrancheVaultHandler internal handler;

    uint256 internal startTime;

    function setUp() public {
        vm.warp(1_700_000_000);
        startTime = block.timestamp;
        usdc = new TestUSDC();
        address backstop = address(new MockTrancheBackstop());
        vault = new TrancheVault(
            IERC20(address(usdc)),
            "Junior",
            "jUSDC",
            trancheConfig(backstop, backstop, address(0), 1 days, 1 days, 2 days)
        );
        TestTailRiskOracle tailRisk = new TestTailRiskOracle();
        MockTrancheBackstop(backstop).setTailRiskOracle(address(tailRisk));
        handler = new TrancheVaultHandler(vault, usdc, backstop, tailRisk);

        bytes4[] memory selectors = new bytes4[](23);
        selectors[0] = TrancheVaultHandler.deposit.selector;
        selectors[1] = TrancheVaultHandler.mint.selector;
        selectors[2] = TrancheVaultHandler.requestWithdraw.selector;
        selectors[3] = TrancheVaultHandler.claim.selector;
        selectors[4] = TrancheVaultHandler.cancelWithdraw.selector;
        selectors[5] = TrancheVaultHandler.donate.selector;
        selectors[6] = TrancheVaultHandler.warp.selector;
        selectors[7] = TrancheVaultHandler.addPremium.selector;
        selectors[8] = TrancheVaultHandler.coverLoss.selector;
        selectors[9] = TrancheVaultHandler.restoreCapital.selector;
        selectors[10] = TrancheVaultHandler.setVisibleLoss.selector;
        selectors[11] = TrancheVaultHandler.settleClaim.selector;
        selectors[12] = TrancheVaultHandler.drawAdvance.selector;
        selectors[13] = TrancheVaultHandler.repayAdvance.selector;
        selectors[14] = TrancheVaultHandler.transfer.selector;
        selectors[15] = TrancheVaultHandler.addBoostedPremium.selector;
        selectors[16] = TrancheVaultHandler.claimBoost.selector;
        selectors[17] = TrancheVaultHandler.setMultiplier.selector;
        selectors[18] = TrancheVaultHandler.setExitFloor.selector;
        selectors[19] = TrancheVaultHandler.advanceExitQueue.selector;
        // Requests and claims weigh double and triple: the gate is the point.
        selectors[20] = TrancheVaultHandler.claim.selector;
        selectors[21] = TrancheVaultHandler.claim.selector;
        selectors[22] = TrancheVaultHandler.requestWithdraw.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function invariant_balanceIsAssetsPlusUnvested() public view {
        assertEq(
            usdc.balanceOf(address(vault)),
            vault.grossAssets() + vault.unvestedPremium() + vault.boostPot(),
            BALANCE_IS_ASSETS_PLUS_UNVESTED
        );
    }

    function invariant_totalAssetsNetOfVisibleLoss() public view {
        uint256 gross = vault.grossAssets();
        uint256 reaching = handler.reaching();
        assertEq(
            vault.totalAssets(), (gross > reaching ? gross - reaching : 0) + vault.receivable(), NET_OF_VISIBLE_LOSS
        );
    }

    function invariant_claimAtMostNetShare() public view {
        assertFalse(handler.ghostClaimAboveNetShare(), CLAIM_AT_MOST_NET_SHARE);
    }

    function invariant_cancelAtMostAtRequest() public view {
        assertFalse(handler.ghostCancelAboveAtRequest(), CANCEL_AT_MOST_AT_REQUEST);
    }

    function invariant_tokenConservation() public view {
        assertEq(
            usdc.balanceOf(address(vault)) + handler.ghostSumOut() + handler.ghostBoostPaid() + handler.ghostLossPaid(),
            handler.ghostSumIn() + handler.ghostPremium() + handler.ghostBoostReceived() + handler.ghostRestored()
                + handler.ghostDonations(),
            TOKEN_CONSERVATION
        );
    }

    function invariant_priceFallsOnlyOnLoss() public view {
        assertFalse(handler.ghostPriceFellWithoutLoss(), PRICE_FALLS_ONLY_ON_LOSS);
    }

    function invariant_sharesSumToSupply() public view {
        address[] memory actors = handler.actors();
        uint256 sum = vault.balanceOf(address(vault));
        for (uint256 i; i < actors.length; ++i) {
            sum += vault.balanceOf(actors[i]);
        }
        assertEq(sum, vault.totalSupply(), SHARES_SUM_TO_SUPPLY);
    }

    function invariant_escrowMatchesOpenRequests() public view {
        address[] memory actors = handler.actors();
        uint256 escrowed = vault.ESCROW_SENTINEL_SHARES();
        for (uint256 i; i < actors.length; ++i) {
            (uint256 shares,,) = vault.withdrawRequest(actors[i]);
            (uint256 settling,,) = vault.pendingClaim(actors[i]);
            escrowed += shares + settling;
        }
        assertEq(vault.balanceOf(address(vault)), escrowed, ESCROW_MATCHES_REQUESTS);
    }

    function invariant_noActorProfitsBeyondPremium() public view {
        address[] memory actors = handler.actors();
        uint256 allowance = handler.ghostPremium() + handler.ghostBoostReceived() + handler.ghostRestored()
            + handler.ghostDonations() + handler.ghostCalls();
        for (uint256 i; i < actors.length; ++i) {
            assertLe(
                handler.ghostAssetsOut(actors[i]),
                handler.ghostAssetsIn(actors[i]) + allowance,
                NO_ACTOR_PROFITS_BEYOND_PREMIUM
            );
        }
    }

    function invariant_claimAtMostAssetsAtRequest() public view {
        assertFalse(handler.ghostClaimAboveAssetsAtRequest(), CLAIM_AT_MOST_ASSETS_AT_REQUEST);
    }

    function invariant_lossPaysMinOfAskAndBalance() public view {
        assertFalse(handler.ghostLossPaidWrongAmount(), LOSS_PAYS_MIN_OF_ASK_AND_BALANCE);
    }

    function invariant_wipedLocksOrRestartsFresh() public view {
        if (!vault.isWiped()) return;
        if (vault.maxDeposit(address(1)) == 0) {
            assertEq(vault.maxMint(address(1)), 0, WIPED_LOCKS_OR_RESTARTS);
        } else {
            assertEq(vault.previewDeposit(1e6), 1e6 * 1e6, WIPED_LOCKS_OR_RESTARTS);
        }
    }

    function invariant_advanceAndRepaymentLeavePriceUnchanged() public view {
        assertFalse(handler.ghostAdvanceMovedPrice(), ADVANCE_LEAVES_PRICE);
    }

    function invariant_settlementAtMostCap() public view {
        assertFalse(handler.ghostSettleAboveCap(), SETTLE_AT_MOST_CAP);
    }

    function invariant_totalsMatchGhosts() public view {
        assertEq(vault.totalPremiumReceived(), handler.ghostPremium(), TOTALS_MATCH_GHOSTS);
        assertEq(vault.totalLossCovered(), handler.ghostLossPaid(), TOTALS_MATCH_GHOSTS);
    }

    function invariant_boostPointsSumToTotal() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        for (uint256 i; i < actors.length; ++i) {
            sum += vault.boostPoints(actors[i]);
        }
        assertEq(vault.boostPoints(address(vault)), 0, POINTS_SUM_TO_TOTAL);
        assertEq(sum, vault.totalBoostPoints(), POINTS_SUM_TO_TOTAL);
    }

    function invariant_boostPointsBounded() public view {
        // Every point is a share held outside the vault for a second at a stored multiplier (claims only spend them).
        uint256 elapsed = block.timestamp - startTime;
        assertLe(
            vault.totalBoostPoints(), elapsed * handler.ghostMaxMultiplier() * handler.ghostMaxSupply(), POINTS_BOUNDED
        );
    }

    function invariant_boostPotConserved() public view {
        assertEq(
            vault.boostPot() + handler.ghostBoostPaid(),
            handler.ghostBoostReceived() - handler.ghostBoostLoss(),
            POT_CONSERVED
        );
        assertFalse(handler.ghostBoostClaimWrong(), BOOST_CLAIM_PAYS_VIEW);
    }

    function invariant_exitGateHoldsInFifoOrder() public view {
        assertFalse(handler.ghostGateBreached(), GATE_HOLDS);
    }

    function invariant_claimTakesWhatClaimableNowSaid() public view {
        assertFalse(handler.ghostClaimableViewWrong(), CLAIMABLE_VIEW_IS_CLAIM);
    }
}
