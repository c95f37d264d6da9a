// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {AccountHealth, MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PoolInvariantSpec as Spec} from "./PoolInvariantSpec.sol";
import {PoolHandler} from "./handlers/PoolHandler.sol";
import {console} from "forge-std/console.sol";

/// @notice Invariant suite over the whole protocol (pool, backstop, both tranches, oracle), driven by `PoolHandler`.
/// The deployment is the fixture's, with thin tranches (so bad debt reaches senior and the socialization step),
/// thin curves (so traders move the mark and liquidations realize losses) and short LP cooldowns (so exits
/// complete within a run of 1 s .. 2 h warps). One property per function; the
/// property texts live in `PoolInvariantSpec`.
contract PerpPoolInvariantTest is PoolFixture {
    uint256 internal constant MARKETS = 2;
    uint256 internal constant JUNIOR_CAPITAL = 10_000e6;
    uint256 internal constant SENIOR_CAPITAL = 30_000e6;
    uint256 internal constant TRADER_MARGIN = 5000e6;

    PoolHandler internal handler;
    address internal dave = makeAddr("dave");

    function setUp() public override {
        _deployProtocol(1 hours, 2 hours, 1 days, 6 hours);
        // Thin curves: with thin tranches the OI cap allows only a few hundred thousand of notional per side, and on
        // the fixture's deep curves that could not move the mark enough for a liquidation to realize bad debt.
        _listMarket(ETH, 1000e18, ETH_PRICE);
        _listMarket(BTC, 25e18, BTC_PRICE);
        _lpDeposit(juniorLp, junior, JUNIOR_CAPITAL);
        _lpDeposit(seniorLp, senior, SENIOR_CAPITAL);
        pool.syncBackstopCapital();

        address[4] memory traders = [alice, bob, carol, dave];
        for (uint256 i; i < traders.length; ++i) {
            _deposit(traders[i], 0, TRADER_MARGIN);
        }
        _deposit(alice, 1, TRADER_MARGIN);
        _deposit(bob, 1, TRADER_MARGIN);

        SettableFeed[3][MARKETS] memory fs;
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < 3; ++i) {
                fs[m][i] = feeds[m][i];
            }
        }
        handler = new PoolHandler(
            PoolHandler.Deployment({
                pool: pool,
                lens: lens,
                usdc: usdc,
                oracle: oracle,
                backstop: backstop,
                junior: junior,
                senior: senior,
                feeds: fs,
                traders: traders,
                liquidator: liquidator,
                lps: [juniorLp, seniorLp, makeAddr("lp3")]
            })
        );
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < 3; ++i) {
                feeds[m][i].setUpdater(address(handler));
            }
        }

        // Weights: trading, price moves and liquidations are what reach the waterfall within 64 calls.
        bytes4[] memory selectors = new bytes4[](24);
        selectors[0] = PoolHandler.trade.selector;
        selectors[1] = PoolHandler.trade.selector;
        selectors[2] = PoolHandler.trade.selector;
        selectors[3] = PoolHandler.trade.selector;
        selectors[4] = PoolHandler.moveOracle.selector;
        selectors[5] = PoolHandler.moveOracle.selector;
        selectors[6] = PoolHandler.liquidate.selector;
        selectors[7] = PoolHandler.liquidate.selector;
        selectors[8] = PoolHandler.liquidate.selector;
        selectors[9] = PoolHandler.warp.selector;
        selectors[10] = PoolHandler.warp.selector;
        selectors[11] = PoolHandler.close.selector;
        selectors[12] = PoolHandler.deposit.selector;
        selectors[13] = PoolHandler.withdraw.selector;
        selectors[14] = PoolHandler.settleProfit.selector;
        selectors[15] = PoolHandler.updateFunding.selector;
        selectors[16] = PoolHandler.distributePremium.selector;
        selectors[17] = PoolHandler.syncBackstopCapital.selector;
        selectors[18] = PoolHandler.donate.selector;
        selectors[19] = PoolHandler.lpDeposit.selector;
        selectors[20] = PoolHandler.lpRequestWithdraw.selector;
        selectors[21] = PoolHandler.lpClaim.selector;
        selectors[22] = PoolHandler.moveOracle.selector;
        selectors[23] = PoolHandler.tradeLegs.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /* vAMM */

    function invariant_kNeverDecreases() public view {
        for (uint256 m; m < MARKETS; ++m) {
            MarketState memory s = pool.marketState(m);
            assertGe(uint256(s.baseReserve) * s.quoteReserve, handler.initialK(m), Spec.K_NEVER_DECREASES);
        }
    }

    function invariant_baseConserved() public view {
        for (uint256 m; m < MARKETS; ++m) {
            int256 sum;
            for (uint256 i; i < handler.accountCount(); ++i) {
                (address owner, uint96 subId) = handler.accountAt(i);
                sum += pool.position(owner, subId, m).size;
            }
            // What liquidations transferred sits in the backstop account (at the index, off the curve).
            sum += pool.position(address(0), 0, m).size;
            int256 moved = int256(handler.initialBase(m)) - int256(uint256(pool.marketState(m).baseReserve));
            assertEq(sum, moved, Spec.BASE_CONSERVED);
        }
    }

    function invariant_baseFlowMatchesCurve() public view {
        for (uint256 m; m < MARKETS; ++m) {
            int256 flow = int256(handler.baseBought(m)) - int256(handler.baseSold(m));
            int256 moved = int256(handler.initialBase(m)) - int256(uint256(pool.marketState(m).baseReserve));
            assertEq(flow, moved, Spec.BASE_FLOW_MATCHES_CURVE);
        }
    }

    function invariant_openInterestMatchesPositions() public view {
        for (uint256 m; m < MARKETS; ++m) {
            uint256 longs;
            uint256 shorts;
            for (uint256 i; i < handler.accountCount(); ++i) {
                (address owner, uint96 subId) = handler.accountAt(i);
                int256 size = pool.position(owner, subId, m).size;
                if (size > 0) longs += uint256(size);
                else shorts += uint256(-size);
            }
            int256 inventory = pool.position(address(0), 0, m).size; // counted in open interest like any position
            if (inventory > 0) longs += uint256(inventory);
            else shorts += uint256(-inventory);
            MarketState memory s = pool.marketState(m);
            assertEq(s.longOpenInterest, longs, Spec.OPEN_INTEREST_MATCHES_POSITIONS);
            assertEq(s.shortOpenInterest, shorts, Spec.OPEN_INTEREST_MATCHES_POSITIONS);
        }
    }

    /* MONEY */

    function invariant_tokenSolvency() public view {
        uint256 owed;
        for (uint256 i; i < handler.accountCount(); ++i) {
            (address owner, uint96 subId) = handler.accountAt(i);
            int256 c = pool.account(owner, subId).collateral;
            if (c > 0) owed += uint256(c);
        }
        int256 lc = pool.account(liquidator, 0).collateral;
        if (lc > 0) owed += uint256(lc);
        (uint256 pnlPool, uint256 premium,) = pool.pools();
        owed += pnlPool + premium;
        assertGe(usdc.balanceOf(address(pool)) * 1e12, owed, Spec.TOKEN_SOLVENCY);
    }

    function invariant_vaultAssetsMatchBalance() public view {
        TrancheVault[2] memory vaults = [junior, senior];
        for (uint256 i; i < 2; ++i) {
            assertEq(
                vaults[i].grossAssets() + vaults[i].unvestedPremium(),
                usdc.balanceOf(address(vaults[i])),
                Spec.VAULT_ASSETS_MATCH_BALANCE
            );
        }
    }

    /* WATERFALL */

    function invariant_seniorPaysOnlyAfterJunior() public view {
        assertEq(handler.seniorBeforeJunior(), 0, Spec.SENIOR_PAYS_ONLY_AFTER_JUNIOR);
    }

    function invariant_socializeOnlyAfterTranches() public view {
        assertEq(handler.socializedWithCapital(), 0, Spec.SOCIALIZE_ONLY_AFTER_TRANCHES);
    }

    function invariant_badDebtConserved() public view {
        assertEq(handler.badDebtMismatches(), 0, Spec.BAD_DEBT_CONSERVED);
        assertEq(
            handler.badDebtJunior() + handler.badDebtSenior() + handler.badDebtSocialized(),
            handler.badDebtTotal(),
            Spec.BAD_DEBT_CONSERVED
        );
    }

    function invariant_badDebtBackedByTranchePayments() public view {
        assertLe(
            handler.badDebtJunior(), handler.badDebtJuniorTokens() * 1e12, Spec.BAD_DEBT_BACKED_BY_TRANCHE_PAYMENTS
        );
        assertLe(
            handler.badDebtSenior(), handler.badDebtSeniorTokens() * 1e12, Spec.BAD_DEBT_BACKED_BY_TRANCHE_PAYMENTS
        );
    }

    /* ACCOUNTS */

    function invariant_flatAccountBearsNoLoss() public view {
        assertEq(handler.flatAccountChanged(), 0, Spec.FLAT_ACCOUNT_BEARS_NO_LOSS);
    }

    function invariant_marginWithdrawalNeedsInitial() public view {
        assertEq(handler.overWithdrawals(), 0, Spec.WITHDRAWAL_NEEDS_INITIAL_MARGIN);
    }

    function invariant_liquidatableImpliesBelowMaintenance() public view {
        for (uint256 i; i <= handler.accountCount(); ++i) {
            (address owner, uint96 subId) = i < handler.accountCount() ? handler.accountAt(i) : (liquidator, 0);
            AccountHealth memory h = lens.accountHealth(owner, subId);
            if (h.liquidatable) {
                assertLt(h.value, int256(h.maintenanceRequirement), Spec.LIQUIDATABLE_IMPLIES_BELOW_MAINTENANCE);
            }
        }
    }

    function invariant_healthyAccountNotLiquidated() public view {
        assertEq(handler.healthyLiquidated(), 0, Spec.HEALTHY_ACCOUNT_NOT_LIQUIDATED);
    }

    function invariant_expectedRejectionsOnly() public view {
        if (handler.unexpectedReverts() != 0) {
            console.log("unexpected revert in", handler.lastUnexpectedAction());
            console.logBytes(handler.lastUnexpectedError());
        }
        assertEq(handler.unexpectedReverts(), 0, Spec.EXPECTED_REJECTIONS_ONLY);
    }

    /* SUMMARY */

    /// @dev Printed with -vv: how many calls each action made, which typed rejections were seen, the ledger.
    function afterInvariant() external view {
        string[] memory actions = handler.actions();
        for (uint256 i; i < actions.length; ++i) {
            console.log(actions[i], handler.calls(actions[i]), "skipped", handler.skips(actions[i]));
        }
        bytes4[] memory sels = handler.rejectionSelectors();
        for (uint256 i; i < sels.length; ++i) {
            console.log("rejected with selector", vm.toString(abi.encodePacked(sels[i])), handler.rejections(sels[i]));
        }
        console.log("liquidations", handler.liquidations());
        console.log("bad debt events", handler.badDebtEvents(), "total (WAD)", handler.badDebtTotal());
        console.log("  junior / senior", handler.badDebtJunior(), handler.badDebtSenior());
        console.log("  socialized", handler.badDebtSocialized());
        console.log("fees (WAD)", handler.cumulativeFees(), "penalties (WAD)", handler.cumulativePenalties());
        console.log("funding draws (tokens)", handler.fundingDrawTokens());
        console.log("time elapsed (s)", block.timestamp - 1_700_000_000);
    }
}
