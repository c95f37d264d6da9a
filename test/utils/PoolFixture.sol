// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../contracts/Backstop.sol";
import {LiquidationModule} from "../../contracts/LiquidationModule.sol";
import {OracleRouter} from "../../contracts/OracleRouter.sol";
import {PerpLens} from "../../contracts/PerpLens.sol";
import {PerpPool} from "../../contracts/PerpPool.sol";
import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {FundingParams, MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {MarginMath} from "../../contracts/libraries/MarginMath.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {TestUSDC} from "../../contracts/test/TestUSDC.sol";
import {DefaultRiskGrid} from "./DefaultRiskGrid.sol";
import {trancheConfig} from "./TrancheConfig.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The whole protocol deployed as on the local chain: USDC, 3 feeds per market, the oracle router,
/// the backstop with junior and senior vaults, and the pool with two markets (ETH at 2,000, BTC at 60,000), netting
/// with the default risk grid (DefaultRiskGrid: the rows `npm start` deploys).
abstract contract PoolFixture is Test {
    uint256 internal constant ETH = 0;
    uint256 internal constant BTC = 1;
    uint256 internal constant ETH_PRICE = 2000e18;
    uint256 internal constant BTC_PRICE = 60_000e18;
    uint256 internal constant FEEDS_PER_MARKET = 3;

    TestUSDC internal usdc;
    OracleRouter internal oracle;
    Backstop internal backstop;
    TrancheVault internal junior;
    TrancheVault internal senior;
    PerpPool internal pool;
    PerpLens internal lens;
    RiskEngine internal riskEngine;
    mapping(uint256 marketId => SettableFeed[]) internal feeds;

    address internal admin = makeAddr("admin");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal liquidator = makeAddr("liquidator");
    address internal juniorLp = makeAddr("juniorLp");
    address internal seniorLp = makeAddr("seniorLp");

    function setUp() public virtual {
        _deployProtocol(7 days, 7 days, 2 days, 7 days);

        _listMarket(ETH, 10_000e18, ETH_PRICE);
        _listMarket(BTC, 500e18, BTC_PRICE);

        _lpDeposit(juniorLp, junior, 2_000_000e6);
        _lpDeposit(seniorLp, senior, 6_000_000e6);
        pool.syncBackstopCapital();
    }

    /// @dev The protocol as `npm start` deploys it (backstop, module, pool, junior, senior, then the backstop's wiring),
    /// at a fixed start time, with these tranche timings: cooldowns, the claim window, the premium stream.
    function _deployProtocol(uint64 juniorCooldown, uint64 seniorCooldown, uint64 claimWindow, uint64 stream) internal {
        vm.warp(1_700_000_000);
        usdc = new TestUSDC();
        oracle = new OracleRouter(admin);
        backstop = new Backstop(usdc, 3, 1);
        pool = new PerpPool(usdc, oracle, backstop, admin, new LiquidationModule(usdc, oracle, backstop));
        junior = new TrancheVault(
            usdc,
            "Junior tranche",
            "jTRN",
            trancheConfig(address(backstop), address(pool), address(0), juniorCooldown, claimWindow, stream)
        );
        senior = new TrancheVault(
            usdc,
            "Senior tranche",
            "sTRN",
            trancheConfig(address(backstop), address(pool), address(junior), seniorCooldown, claimWindow, stream)
        );
        backstop.initialize(address(pool), junior, senior);
        lens = new PerpLens(pool, oracle, backstop);
        riskEngine = new RiskEngine(DefaultRiskGrid.scenarios(), DefaultRiskGrid.FLOOR_BPS);
        vm.prank(admin);
        pool.setRiskEngine(riskEngine);
    }

    function defaultConfig() internal pure returns (MarketConfig memory c) {
        MarginMath.Tier[3] memory tiers;
        tiers[0] = MarginMath.Tier({notionalCap: 100_000e18, initialBps: 1000, maintenanceBps: 500});
        tiers[1] = MarginMath.Tier({notionalCap: 1_000_000e18, initialBps: 2000, maintenanceBps: 1000});
        tiers[2] = MarginMath.Tier({notionalCap: 100_000_000e18, initialBps: 3300, maintenanceBps: 1650});
        c = MarketConfig({
            feeBps: 10,
            bandBps: 500,
            maxMoveBps: 200,
            liquidationPenaltyBps: 250,
            liquidatorShareBps: 4000,
            liquidationFractionBps: 2500,
            maxPremiumBps: 50,
            fundingPeriod: 1 hours,
            fundingInterval: 10 minutes,
            oiCapBps: 50_000,
            minPositionBase: 1e15,
            // IM volatility scaling off in the shared fixture (tests move prices in large steps to test other
            // properties); PortfolioMargin.t.sol and MarketVolatility.t.sol turn it on.
            volReferenceBps: 0,
            volCapBps: 30_000,
            tiers: MarginMath.packTiers(tiers),
            maxOpenInterestBase: 1_000_000e18,
            fundingBudgetPerSecond: 1e16
        });
    }

    function defaultOracleConfig() internal pure returns (IOracleRouter.MarketOracleConfig memory) {
        return IOracleRouter.MarketOracleConfig({
            maxAge: 1 hours, minFeeds: 2, maxDeviationBps: 200, jumpThresholdBps: 1500, breakerCooldown: 5 minutes
        });
    }

    function _listMarket(uint256 marketId, uint256 baseReserve, uint256 price) internal {
        address[] memory list = new address[](FEEDS_PER_MARKET);
        for (uint256 i; i < FEEDS_PER_MARKET; ++i) {
            SettableFeed f = new SettableFeed(address(this), 8);
            f.setAnswer(int256(price / 1e10));
            feeds[marketId].push(f);
            list[i] = address(f);
        }
        vm.startPrank(admin);
        oracle.setFeeds(marketId, list, defaultOracleConfig());
        uint256 id = pool.listMarket(baseReserve, baseReserve * price / 1e18, defaultConfig());
        vm.stopPrank();
        assertEq(id, marketId);
    }

    /* ACTIONS */

    function _setPrice(uint256 marketId, uint256 price) internal {
        SettableFeed[] storage fs = feeds[marketId];
        for (uint256 i; i < fs.length; ++i) {
            fs[i].setAnswer(int256(price / 1e10));
        }
    }

    function _lpDeposit(address lp, TrancheVault vault, uint256 amount) internal returns (uint256 shares) {
        usdc.mint(lp, amount);
        vm.startPrank(lp);
        usdc.approve(address(vault), amount);
        shares = vault.deposit(amount, lp);
        vm.stopPrank();
    }

    function _deposit(address who, uint96 subId, uint256 amount) internal {
        usdc.mint(who, amount);
        vm.startPrank(who);
        usdc.approve(address(pool), amount);
        pool.depositMargin(subId, amount);
        vm.stopPrank();
    }

    function _trade(address who, uint256 marketId, int256 size) internal returns (uint256 quote) {
        vm.prank(who);
        quote = pool.trade(who, 0, marketId, size, size > 0 ? type(uint256).max : 0, block.timestamp);
    }

    function _tradeSub(address who, uint96 subId, uint256 marketId, int256 size) internal returns (uint256 quote) {
        vm.prank(who);
        quote = pool.trade(who, subId, marketId, size, size > 0 ? type(uint256).max : 0, block.timestamp);
    }

    function _close(address who, uint256 marketId) internal returns (uint256 quote) {
        int256 size = pool.position(who, 0, marketId).size;
        vm.prank(who);
        quote = pool.closePosition(who, 0, marketId, size < 0 ? type(uint256).max : 0, block.timestamp);
    }

    function _liquidate(address target) internal returns (int256 closed) {
        vm.prank(liquidator);
        closed = pool.liquidate(target, 0, type(uint256).max);
    }

    /// @dev A quote limit that accepts any price (liquidation closing either side).
    function _openLimit(address target) internal view returns (uint256) {
        (, uint256 m) = _largestPosition(target);
        int256 size = pool.position(target, 0, m).size;
        return size < 0 ? type(uint256).max : 0;
    }

    function _largestPosition(address target) internal view returns (uint256 best, uint256 marketId) {
        for (uint256 i; i < pool.marketCount(); ++i) {
            int256 s = pool.position(target, 0, i).size;
            uint256 a = s >= 0 ? uint256(s) : uint256(-s);
            if (a > best) (best, marketId) = (a, i);
        }
    }

    function _value(address who) internal view returns (int256) {
        return lens.accountHealth(who, 0).value;
    }

    function _collateral(address who) internal view returns (int256) {
        return pool.account(who, 0).collateral;
    }

    /// @dev Token solvency: tokens the pool holds cover every positive trader balance, the pnl pool and premium.
    function _assertSolvent(address[] memory accounts) internal view {
        uint256 owed;
        for (uint256 i; i < accounts.length; ++i) {
            int256 c = pool.account(accounts[i], 0).collateral;
            if (c > 0) owed += uint256(c);
        }
        (uint256 pnlPool, uint256 premium,) = pool.pools();
        owed += pnlPool + premium;
        assertGe(usdc.balanceOf(address(pool)) * 1e12, owed, "solvency: pool tokens cover balances");
    }

    /// @dev The funding policy's chosen parameters (the deploy config's defaults; README "Funding: predictable carry").
    function _defaultFundingParams() internal pure returns (FundingParams memory p) {
        p.capMultipleBps = 1000;
        p.maxChangeBps = 2500;
        p.extremeVolBps = 15_000;
        p.extremeCapBps = 5000;
        p.blendWeightBps = 3000;
        p.kickerThresholdBps = 5000;
        p.kickerMaxE8 = 50_000;
    }

    /// @dev ETH and BTC on `p`, in correlation group 1 (as the admin).
    function _fundingPolicyOn(FundingParams memory p) internal {
        vm.startPrank(admin);
        pool.setFundingParams(ETH, p);
        pool.setFundingParams(BTC, p);
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (ETH, BTC);
        pool.setFundingGroup(1, ids);
        vm.stopPrank();
    }
}
