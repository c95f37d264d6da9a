// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {LadderRiskGrid} from "../utils/LadderRiskGrid.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {LiquidationHandler} from "./handlers/LiquidationHandler.sol";
import {console} from "forge-std/console.sol";

/// @notice The liquidation campaign (DESIGN property 3, RISK 17, 19, 48-51, 70): on multi-market books (hedges across
/// markets, netted by a risk engine), under a pinned mark, stuck, stale and jumping feeds, joint moves of every market
/// by its own amount, dust in every market, time warps, funding and inventory sales, every account below maintenance
/// can be liquidated by a fresh caller in the same block unless every one of its positions is in a halted market, and
/// the step leaves it healthier, closed, or with the requirement of its usable positions down by the step's fraction; the pool stays solvent and every loss (bad debt or realized inventory loss)
/// runs down the waterfall in order and adds up to the wei.
/// @dev Thin tranches (bad debt reaches senior and socialization), modest curves (the pinner moves the mark), three
/// markets. The handler does one snapshot-and-liquidate per liquidatable account after each call: sized for the
/// default profile (32 x 64) and for 128 x 64 in npm test.
contract LiquidationInvariantTest is PoolFixture {
    uint256 internal constant MARKETS = 3;
    uint256 internal constant SOL = 2;

    LiquidationHandler internal handler;
    address internal dave = makeAddr("dave");
    address internal keeper = makeAddr("keeper");

    function setUp() public override {
        _deployProtocol(1 hours, 2 hours, 1 days, 6 hours);
        _listMarket(ETH, 20_000e18, ETH_PRICE);
        _listMarket(BTC, 600e18, BTC_PRICE);
        _listMarket(SOL, 400_000e18, 100e18);
        _lpDeposit(juniorLp, junior, 30_000e6);
        _lpDeposit(seniorLp, senior, 300_000e6);
        pool.syncBackstopCapital();
        // Netting on: hedged books post less than the standalone sum, and the ladder takes them proportionally.
        RiskEngine engine = LadderRiskGrid.deploy();
        vm.prank(admin);
        pool.setRiskEngine(engine);

        address[4] memory traders = [alice, bob, carol, dave];
        for (uint256 i; i < traders.length; ++i) {
            _deposit(traders[i], 0, 10_000e6);
        }
        _deposit(alice, 1, 400_000e6); // the pinner

        SettableFeed[3][MARKETS] memory fs;
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < 3; ++i) {
                fs[m][i] = feeds[m][i];
            }
        }
        handler = new LiquidationHandler(
            LiquidationHandler.Deployment({
                pool: pool,
                lens: lens,
                oracle: oracle,
                backstop: backstop,
                junior: junior,
                senior: senior,
                feeds: fs,
                traders: traders,
                keeper: keeper
            })
        );
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < 3; ++i) {
                feeds[m][i].setUpdater(address(handler));
            }
        }

        // Weights: opening and price moves are what make accounts liquidatable within 64 calls.
        bytes4[] memory selectors = new bytes4[](21);
        selectors[0] = LiquidationHandler.open.selector;
        selectors[1] = LiquidationHandler.open.selector;
        selectors[2] = LiquidationHandler.open.selector;
        selectors[3] = LiquidationHandler.hedge.selector;
        selectors[4] = LiquidationHandler.dust.selector;
        selectors[5] = LiquidationHandler.close.selector;
        selectors[6] = LiquidationHandler.pin.selector;
        selectors[7] = LiquidationHandler.pin.selector;
        selectors[8] = LiquidationHandler.arb.selector;
        selectors[9] = LiquidationHandler.arb.selector;
        selectors[10] = LiquidationHandler.moveOracle.selector;
        selectors[11] = LiquidationHandler.moveOracle.selector;
        selectors[12] = LiquidationHandler.moveOracle.selector;
        selectors[13] = LiquidationHandler.moveOracleJoint.selector;
        selectors[14] = LiquidationHandler.warp.selector;
        selectors[15] = LiquidationHandler.updateFunding.selector;
        selectors[16] = LiquidationHandler.liquidateMany.selector;
        selectors[17] = LiquidationHandler.takeInventory.selector;
        selectors[18] = LiquidationHandler.hedge.selector;
        selectors[19] = LiquidationHandler.moveOracleJoint.selector;
        selectors[20] = LiquidationHandler.open.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev One campaign checks every property (each invariant function costs a campaign of its own, and the probe
    /// per liquidatable account is expensive); each assertion names the property it holds.
    function invariant_liquidation_solvency_waterfall() public view {
        _liquidatableAccountsAreLiquidatedByAFreshCaller_healthierOrClosed();
        _solvency_andWaterfallOrder_withInventoryLosses();
    }

    /// @dev DESIGN property 3 and RISK 17: nothing but a halt of every market the account holds makes its
    /// liquidation wait, each step leaves the account healthier or closed, and no handler call met an unexpected
    /// error.
    function _liquidatableAccountsAreLiquidatedByAFreshCaller_healthierOrClosed() internal view {
        if (handler.blocked() != 0) console.logBytes(handler.lastBlockedError());
        assertEq(handler.blocked(), 0, "LIQ-3: a liquidatable account with a usable price was not liquidated");
        assertEq(handler.haltedMisbehaved(), 0, "LIQ-4: an all-halted account must wait with OracleHalted");
        assertEq(
            handler.notHealthier(),
            0,
            "LIQ-5: a step left the account neither healthier, nor closed, nor its requirement down by the fraction"
        );
        if (handler.unexpectedReverts() != 0) console.logBytes(handler.lastUnexpectedError());
        assertEq(handler.unexpectedReverts(), 0, "REV-1: only expected typed errors");
    }

    /// @dev DESIGN properties 1 and 2, RISK 19, inventory losses included: tokens held cover every positive
    /// balance, the pnl pool and the premium; senior pays only once junior is empty, socialization only once both
    /// are, and every bad debt or realized inventory loss splits exactly into junior + senior + socialized.
    function _solvency_andWaterfallOrder_withInventoryLosses() internal view {
        uint256 owed;
        for (uint256 i; i < handler.accountCount(); ++i) {
            (address owner, uint96 subId) = handler.accountAt(i);
            int256 c = pool.account(owner, subId).collateral;
            if (c > 0) owed += uint256(c);
        }
        int256 kc = pool.account(keeper, 0).collateral;
        if (kc > 0) owed += uint256(kc);
        (uint256 pnlPool, uint256 premium,) = pool.pools();
        owed += pnlPool + premium;
        assertGe(usdc.balanceOf(address(pool)) * 1e12, owed, "SOLV-1: pool tokens cover balances, pnl pool, premium");
        assertEq(handler.seniorBeforeJunior(), 0, "WF-1: senior paid while junior held assets");
        assertEq(handler.socializedWithCapital(), 0, "WF-2: socialized while a tranche held assets");
        assertEq(handler.lossSplitMismatches(), 0, "WF-3: junior + senior + socialized == loss");
    }

    function afterInvariant() external view {
        console.log("liquidatable checks", handler.liquidatableChecks(), "halted waits", handler.haltedWaits());
        console.log("keeper liquidations", handler.keeperLiquidations(), "inventory sales", handler.sales());
        console.log("pins", handler.pins(), "opens", handler.opens());
        console.log("hedges", handler.hedges(), "joint moves", handler.jointMoves());
        console.log("steps whose penalty outran the requirement freed", handler.proportionalNotHealthier());
        console.log("rejected: margin", handler.rejections(IPerpPool.InsufficientMargin.selector));
        console.log("  band", handler.rejections(IPerpPool.PriceBandExceeded.selector));
        console.log("  block", handler.rejections(IPerpPool.BlockMoveLimitExceeded.selector));
        console.log("  OI", handler.rejections(IPerpPool.OpenInterestCapExceeded.selector));
        console.log("  reduce-only", handler.rejections(IPerpPool.ReduceOnly.selector));
        console.log("  halted", handler.rejections(IPerpPool.OracleHalted.selector));
        console.log("  no inventory to take", handler.rejections(IPerpPool.NoInventory.selector));
    }
}

