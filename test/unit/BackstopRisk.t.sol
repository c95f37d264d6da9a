// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationModule} from "../../contracts/LiquidationModule.sol";
import {PerpPool} from "../../contracts/PerpPool.sol";
import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IBackstop} from "../../contracts/interfaces/IBackstop.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {AccountHealth} from "../../contracts/interfaces/IPerpTypes.sol";
import {LadderRiskGrid} from "../utils/LadderRiskGrid.sol";
import {LiquidationBase} from "../utils/LiquidationBase.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice A contract account that refuses ETH, answers any unknown call with a 1 MB returndata bomb, and acts on
/// the pool only when its deployer tells it to: a target (or keeper) that would block anything that pushes to it.
contract HostileAccount {
    address private immutable _controller;

    constructor() {
        _controller = msg.sender;
    }

    function exec(address to, bytes calldata data) external returns (bytes memory ret) {
        require(msg.sender == _controller, "controller");
        bool ok;
        (ok, ret) = to.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    receive() external payable {
        revert("no ETH");
    }

    fallback() external payable {
        assembly {
            return(0, 1000000)
        }
    }
}

/// @notice A backstop that, when the pool pays it premium, tries to re-enter every pool entry point and records
/// how each attempt reverted.
contract ReentrantBackstop {
    PerpPool public pool;
    IERC20 public immutable asset;
    address public victim;
    bytes4[] public reverts;
    uint256 public attempts;

    constructor(IERC20 asset_) {
        asset = asset_;
    }

    function setTarget(PerpPool pool_, address victim_) external {
        pool = pool_;
        victim = victim_;
    }

    function capital() external pure returns (uint256) {
        return 1_000_000e6;
    }

    function distributePremium(uint256 amount) external {
        asset.transferFrom(msg.sender, address(this), amount);
        uint256 t = block.timestamp;
        _try(abi.encodeCall(IPerpPool.distributePremium, ()));
        _try(abi.encodeCall(IPerpPool.trade, (address(this), 0, 0, 1e18, type(uint256).max, t)));
        _try(abi.encodeCall(IPerpPool.closePosition, (victim, 0, 0, 0, t)));
        _try(abi.encodeCall(IPerpPool.liquidate, (victim, 0, type(uint256).max)));
        _try(abi.encodeCall(IPerpPool.liquidateMany, (new bytes32[](1))));
        _try(abi.encodeCall(IPerpPool.takeInventory, (0, 0, 1, type(uint256).max, t)));
        _try(abi.encodeCall(IPerpPool.liquidateIfUnhealthy, (victim, 0, type(uint256).max)));
        _try(abi.encodeCall(IPerpPool.depositMargin, (0, 1)));
        _try(abi.encodeCall(IPerpPool.withdrawMargin, (victim, 0, 1, address(this))));
        _try(abi.encodeCall(IPerpPool.settleProfit, (victim, 0)));
        _try(abi.encodeCall(IPerpPool.updateFunding, (0)));
    }

    function absorbLoss(uint256, IBackstop.LossKind) external pure returns (uint256, uint256) {
        return (0, 0);
    }

    function revertCount() external view returns (uint256) {
        return reverts.length;
    }

    function _try(bytes memory data) private {
        ++attempts;
        (bool ok, bytes memory ret) = address(pool).call(data);
        if (!ok && ret.length >= 4) reverts.push(bytes4(ret));
    }
}

/// @notice Risk tests on liquidation, the backstop and the tranches (RISK 18, 21, 23, 27, 29, 33, 35, 36, and the
/// premium split).
contract BackstopRiskTest is LiquidationBase {
    address internal attacker = makeAddr("attacker");

    /* RISK 18: DONATE-THEN-SELF-LIQUIDATE */

    function test_selfLiquidation_cannotProfit_andMarginPathsRunHealthCheck() public {
        _deposit(attacker, 1, 2650e6);
        _tradeSub(attacker, 1, ETH, 12e18); // ~24k notional, initial requirement ~2.4k

        // Every path that lowers margin runs the check: no way to push the own account under water.
        vm.startPrank(attacker);
        vm.expectPartialRevert(IPerpPool.InsufficientMargin.selector);
        pool.withdrawMargin(attacker, 1, 300e6, attacker);
        vm.expectPartialRevert(IPerpPool.InsufficientMargin.selector);
        pool.trade(attacker, 1, ETH, 2e18, type(uint256).max, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPerpPool.AccountHealthy.selector,
                lens.accountHealth(attacker, 1).value,
                lens.accountHealth(attacker, 1).maintenanceRequirement
            )
        );
        pool.liquidate(attacker, 1, type(uint256).max);
        vm.stopPrank();

        // Once the market makes it liquidatable, liquidating itself (reward to its own cross account) is worse
        // than closing the same size voluntarily: the step settles at the index, so the attacker's value falls by
        // exactly the penalty the backstop keeps, which is more than the fee and price impact of a voluntary close.
        _crashTo(ETH, 1850e18);
        // Next block: the arbitrage moved the mark 7.7% toward the index in the crash block, so the per-block move
        // limit would reject even a small voluntary sell in that block (the comparison needs a voluntary close).
        vm.warp(block.timestamp + 12);
        _refreshFeeds();
        assertTrue(lens.accountHealth(attacker, 1).liquidatable);
        uint256 snap = vm.snapshotState();
        vm.prank(attacker);
        uint256 quote = pool.trade(attacker, 1, ETH, -3e18, 0, block.timestamp);
        int256 wealthClose = _wealth(attacker);
        vm.revertToState(snap);

        int256 wealthBefore = _wealth(attacker);
        vm.recordLogs();
        vm.prank(attacker);
        int256 closed = pool.liquidate(attacker, 1, type(uint256).max);
        (LiquidationLog memory l,) = _decode(vm.getRecordedLogs());
        int256 wealthLiq = _wealth(attacker);

        assertEq(closed, 3e18, "same size as the voluntary close (signed as the position)");
        assertEq(l.quoteDelta, -int256(3 * l.indexPrice), "at the index, not on the curve");
        assertGt(l.reward, 0);
        assertGt(quote, 0);
        // Value at the index moves only by the kept penalty (and at most the 2 wei the transfer rounds away).
        assertApproxEqAbs(wealthBefore - wealthLiq, int256(l.penalty - l.reward), 2, "pays the kept penalty");
        assertGe(wealthBefore - wealthLiq, int256(l.penalty - l.reward));
        assertLt(wealthLiq, wealthClose, "self-liquidation loses against a voluntary close");
    }

    function _wealth(address who) internal view returns (int256) {
        return lens.accountHealth(who, 0).value + lens.accountHealth(who, 1).value;
    }

    /* RISK 21: A HOSTILE TARGET CANNOT BLOCK */

    function test_liquidate_hostileTargetAndKeeper_creditedInternally() public {
        HostileAccount target = new HostileAccount();
        HostileAccount keeper = new HostileAccount();
        usdc.mint(address(target), 2650e6);
        target.exec(address(usdc), abi.encodeCall(IERC20.approve, (address(pool), type(uint256).max)));
        target.exec(address(pool), abi.encodeCall(IPerpPool.depositMargin, (0, 2650e6)));
        target.exec(
            address(pool),
            abi.encodeCall(IPerpPool.trade, (address(target), 0, ETH, 12e18, type(uint256).max, block.timestamp))
        );
        _crashTo(ETH, 1850e18);
        assertTrue(lens.accountHealth(address(target), 0).liquidatable);
        uint256 poolTokens = usdc.balanceOf(address(pool));

        bytes memory ret =
            keeper.exec(address(pool), abi.encodeCall(IPerpPool.liquidate, (address(target), 0, type(uint256).max)));

        assertEq(abi.decode(ret, (int256)), 3e18, "liquidated despite the hostile target");
        assertEq(usdc.balanceOf(address(target)), 0, "nothing pushed to the target");
        assertEq(usdc.balanceOf(address(keeper)), 0, "nothing pushed to the keeper");
        assertGt(pool.account(address(keeper), 0).collateral, 0, "keeper's reward credited internally");
        assertEq(usdc.balanceOf(address(pool)), poolTokens, "no token moved");
    }

    /* RISK 23: LIQUIDATION WITH EMPTY TRANCHES */

    function test_liquidate_worksAfterAllLpsWithdrew_badDebtSocialized() public {
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _exitFixtureLps();
        assertEq(junior.totalSupply(), 1, "only the escrow sentinel left");
        assertEq(senior.totalSupply(), 1, "only the escrow sentinel left");
        assertEq(backstop.capital(), 0);
        _crashTo(ETH, 1700e18);
        int256 arbBefore = _value(arb);

        (LiquidationLog memory l, BadDebt memory d) = _liquidateLogged(alice);

        assertEq(l.sizeClosed, 45e18);
        assertTrue(d.found);
        assertGt(d.badDebt, 0);
        assertEq(d.juniorPaid, 0);
        assertEq(d.seniorPaid, 0);
        assertEq(d.socialized, d.badDebt, "all socialized");
        (,,,, uint256 shortfall) = backstop.totals();
        assertEq(shortfall, (d.badDebt + 1e12 - 1) / 1e12);
        // Spread over the traders' open interest only: not over the 45 ETH the backstop account took over (the empty
        // tranches would owe it back to themselves, and that residual would lock them against new deposits).
        uint256 oi = uint256(pool.marketState(ETH).longOpenInterest) + pool.marketState(ETH).shortOpenInterest;
        uint256 arbSize = _abs(pool.position(arb, 0, ETH).size);
        assertEq(oi, arbSize + 45e18, "the arbitrageur and the inventory are open");
        uint256 perBase = (d.socialized * 1e18 + arbSize - 1) / arbSize;
        assertEq(arbBefore - _value(arb), int256((arbSize * perBase + 1e18 - 1) / 1e18), "the arb pays it all");
        assertEq(lens.inventory()[0].fundingOwed, 0, "the inventory pays nothing");
    }

    /* RISK 24: GAS BOUNDED AT MAX MARKETS PER ACCOUNT */
    // See LiquidationGasTest below.

    /* RISK 27: EXITS DO NOT OUTRUN A KNOWN LOSS */

    function test_withdrawRequestAheadOfKnownLoss_stillBearsIt_juniorAndSenior() public {
        address jA = makeAddr("jA");
        address jB = makeAddr("jB");
        address sA = makeAddr("sA");
        address sB = makeAddr("sB");
        _openPosition(alice, ETH, 10_000e6, 45e18);
        _exitFixtureLps();
        _lpDeposit(jA, junior, 1000e6);
        _lpDeposit(jB, junior, 1000e6);
        _lpDeposit(sA, senior, 5000e6);
        _lpDeposit(sB, senior, 5000e6);
        _crashTo(ETH, 1700e18);
        assertLt(_value(alice), 0, "the loss is known: alice is under water");

        // jA and sA run for the exit before the keeper liquidates.
        _requestAll(jA, junior);
        uint256 sShares = _requestAll(sA, senior);
        (, uint256 sAtRequest,) = senior.withdrawRequest(sA);
        assertEq(sAtRequest, 5000e6);

        (, BadDebt memory d) = _liquidateLogged(alice);
        assertEq(d.juniorPaid, 2000e18, "junior wiped, escrowed shares included");
        assertGt(d.seniorPaid, 0, "the loss reaches senior");
        assertEq(d.socialized, 0);

        vm.warp(block.timestamp + senior.cooldown());
        uint256 sBValue = senior.convertToAssets(senior.balanceOf(sB));
        assertEq(_claim(jA, junior), 0, "junior leaver bears the loss");
        uint256 sAClaim = _claim(sA, senior);
        assertEq(senior.balanceOf(sB), sShares, "same shares");
        assertEq(sAClaim, sBValue, "senior leaver bears the same loss as the stayer");
        assertLt(sAClaim, sAtRequest);
        assertApproxEqAbs(2 * (5000e6 - sAClaim), d.seniorPaid / 1e12, 4, "half of senior's loss each");
    }

    /* RISK 29: NAV CANNOT BE MOVED INSIDE ONE TRANSACTION */

    function test_fuzz_trancheNav_unmovedByOpenAndClose(uint256 size, bool long) public {
        size = bound(size, 1e15, 50e18);
        int256 delta = long ? int256(size) : -int256(size);
        uint256 jNav = junior.totalAssets();
        uint256 sNav = senior.totalAssets();
        uint256 jPrice = junior.convertToAssets(1e12);
        uint256 sPrice = senior.convertToAssets(1e12);
        uint256 cap = backstop.capital();
        _deposit(attacker, 0, 100_000e6);

        _trade(attacker, ETH, delta);
        assertEq(junior.totalAssets(), jNav, "mid-transaction: junior NAV");
        assertEq(senior.totalAssets(), sNav, "mid-transaction: senior NAV");
        _close(attacker, ETH);

        assertEq(junior.totalAssets(), jNav);
        assertEq(senior.totalAssets(), sNav);
        assertEq(junior.convertToAssets(1e12), jPrice);
        assertEq(senior.convertToAssets(1e12), sPrice);
        assertEq(backstop.capital(), cap);
        assertLe(_collateral(attacker), 100_000e18, "the round trip never gains");
    }

    /* PREMIUM: SPLIT BY WEIGHT x CAPITAL, STREAMED, PAID ONCE (RISK 33) */

    function _generateFees() internal {
        _openPosition(bob, ETH, 100_000e6, 50e18);
        _close(bob, ETH);
    }

    function test_fuzz_distributePremium_splitsByWeightTimesCapital_andStreams(uint256 extraJunior) public {
        extraJunior = bound(extraJunior, 0, 20_000_000e6);
        if (extraJunior != 0) _lpDeposit(carol, junior, extraJunior);
        uint256 j = junior.totalAssets();
        uint256 s = senior.totalAssets();
        _generateFees();
        (, uint256 pending,) = pool.pools();

        uint256 amount = pool.distributePremium();

        assertEq(amount, pending / 1e12);
        uint256 toJunior = amount * (3 * j) / (3 * j + s);
        uint256 toSenior = amount - toJunior;
        (uint256 pJ, uint256 pS,,,) = backstop.totals();
        assertEq(pJ, toJunior, "junior: weight 3 x capital");
        assertEq(pS, toSenior, "senior: weight 1 x capital");
        // Per unit of capital, junior earns three times senior's rate (up to the one-token rounding).
        assertApproxEqAbs(toJunior * s, 3 * toSenior * j, 3 * j + s);

        // Streamed, not credited at once.
        assertEq(junior.unvestedPremium(), toJunior);
        assertEq(senior.unvestedPremium(), toSenior);
        assertEq(junior.totalAssets(), j, "nothing vested yet");
        // The payout vests linearly until (now / D + 2) * D.
        uint256 d = junior.premiumStreamDuration();
        uint256 end = (block.timestamp / d + 2) * d;
        uint256 span = end - block.timestamp;
        vm.warp(block.timestamp + span / 2);
        uint256 half = Math.mulDiv(toJunior, span - span / 2, span, Math.Rounding.Ceil);
        assertApproxEqAbs(junior.unvestedPremium(), half, 1, "half vested, rounded against the LP");
        assertEq(junior.totalAssets(), j + toJunior - junior.unvestedPremium());
        vm.warp(end);
        assertEq(junior.unvestedPremium(), 0);
        assertEq(junior.totalAssets(), j + toJunior);
        assertEq(senior.totalAssets(), s + toSenior);
    }

    function test_distributePremium_paysEachPremiumOnce() public {
        _generateFees();
        uint256 first = pool.distributePremium();
        assertGt(first, 0);
        (, uint256 pending,) = pool.pools();
        assertLt(pending, 1e12, "only the sub-token remainder is left");
        uint256 jBal = usdc.balanceOf(address(junior));
        uint256 sBal = usdc.balanceOf(address(senior));

        assertEq(pool.distributePremium(), 0, "second call pays nothing");
        assertEq(usdc.balanceOf(address(junior)), jBal);
        assertEq(usdc.balanceOf(address(senior)), sBal);

        vm.warp(block.timestamp + 1 days);
        _refreshFeeds();
        _generateFees();
        uint256 second = pool.distributePremium();
        assertGt(second, 0);
        (uint256 pJ, uint256 pS,,,) = backstop.totals();
        assertEq(pJ + pS, first + second, "every premium token paid exactly once");
        assertEq(junior.totalPremiumReceived() + senior.totalPremiumReceived(), first + second);
        assertEq(usdc.balanceOf(address(backstop)), 0, "nothing stuck in the backstop");
    }

    /* RISK 35: NO RE-ENTRY FROM AN EXTERNAL CALL */

    function test_backstopCallback_cannotReenterAnyPoolEntryPoint() public {
        ReentrantBackstop evil = new ReentrantBackstop(usdc);
        PerpPool p = new PerpPool(
            usdc, oracle, IBackstop(address(evil)), admin, new LiquidationModule(usdc, oracle, IBackstop(address(evil)))
        );
        vm.prank(admin);
        p.listMarket(10_000e18, 20_000_000e18, defaultConfig()); // priced by the ETH feeds (oracle market 0)
        p.syncBackstopCapital();
        evil.setTarget(p, bob);
        usdc.mint(bob, 10_000e6);
        vm.startPrank(bob);
        usdc.approve(address(p), type(uint256).max);
        p.depositMargin(0, 10_000e6);
        p.trade(bob, 0, 0, 10e18, type(uint256).max, block.timestamp);
        vm.stopPrank();
        (, uint256 pending,) = p.pools();

        uint256 amount = p.distributePremium();

        assertEq(amount, pending / 1e12);
        assertEq(usdc.balanceOf(address(evil)), amount);
        // Every entry point, liquidateMany and takeInventory included.
        assertEq(evil.attempts(), 11);
        assertEq(evil.revertCount(), 11, "every re-entry reverted");
        for (uint256 i; i < 11; ++i) {
            assertEq(evil.reverts(i), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        }
        assertEq(p.position(bob, 0, 0).size, 10e18, "victim untouched");
        assertEq(p.position(address(evil), 0, 0).size, 0);
    }

    /* RISK 36: ONLY OWNER OR OPERATOR; LIQUIDATION ONLY WHEN UNHEALTHY */

    function test_onlyOwnerOrOperator_canTradeOrWithdraw() public {
        _openPosition(alice, ETH, 10_000e6, 1e18);
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.closePosition(alice, 0, ETH, 0, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.withdrawMargin(alice, 0, 1e6, bob);
        AccountHealth memory h = lens.accountHealth(alice, 0);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.AccountHealthy.selector, h.value, h.maintenanceRequirement));
        pool.liquidate(alice, 0, type(uint256).max);
        vm.stopPrank();

        vm.prank(alice);
        pool.setOperator(bob, true);
        vm.startPrank(bob);
        pool.trade(alice, 0, ETH, 1e18, type(uint256).max, block.timestamp);
        pool.withdrawMargin(alice, 0, 1e6, alice);
        vm.stopPrank();
        assertEq(pool.position(alice, 0, ETH).size, 2e18, "operator traded");
        assertEq(usdc.balanceOf(alice), 1e6);

        vm.prank(alice);
        pool.setOperator(bob, false);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        vm.prank(bob);
        pool.withdrawMargin(alice, 0, 1e6, bob);
    }

    function test_onlyShareOwner_canExitTrancheShares() public {
        uint256 shares = junior.balanceOf(juniorLp);
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, shares));
        junior.requestWithdraw(shares);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, shares));
        junior.transferFrom(juniorLp, bob, shares);
        vm.stopPrank();
        assertEq(junior.balanceOf(juniorLp), shares);
    }
}

/// @notice RISK 24: a liquidation of an account in the maximum number of markets costs bounded gas.
/// @dev Eight markets (the fixture's two plus six listed here), every oracle read fresh in the block and every
/// touched account cold, as for a keeper's first transaction in a block.
contract LiquidationGasTest is LiquidationBase {
    uint256 internal constant MARKETS = 8;

    function setUp() public override {
        super.setUp();
        for (uint256 i = 2; i < MARKETS; ++i) {
            _listMarket(i, 200_000e18, 100e18);
            indexOf[i] = 100e18;
        }
        assertEq(pool.marketCount(), MARKETS);
        assertEq(pool.MAX_MARKETS_PER_ACCOUNT(), MARKETS);
        // Netting on: the eight-market account's requirement takes an engine call (a one-market account's never does).
        RiskEngine engine = LadderRiskGrid.deploy();
        vm.prank(admin);
        pool.setRiskEngine(engine);
    }

    function _openEverywhere(address who, uint256 count, uint256 margin) internal {
        _deposit(who, 0, margin);
        for (uint256 i; i < count; ++i) {
            int256 size = i == ETH ? int256(10e18) : i == BTC ? int256(0.3e18) : int256(150e18);
            _trade(who, i, size);
        }
    }

    function _dropAll(uint256 bps) internal {
        vm.warp(block.timestamp + 12); // the liquidation is the first oracle read of this block
        for (uint256 i; i < MARKETS; ++i) {
            _setIndex(i, indexOf[i] * (10_000 - bps) / 10_000 / 1e10 * 1e10);
        }
    }

    function _refreshAllLater() internal {
        vm.warp(block.timestamp + 12);
        for (uint256 i; i < MARKETS; ++i) {
            _setIndex(i, indexOf[i]);
            oracle.refresh(i);
        }
    }

    function _coolAll() internal {
        vm.cool(address(pool));
        vm.cool(address(oracle));
        vm.cool(address(usdc));
        for (uint256 i; i < MARKETS; ++i) {
            for (uint256 f; f < FEEDS_PER_MARKET; ++f) {
                vm.cool(address(feeds[i][f]));
            }
        }
    }

    function _measureLiquidation(address target) internal returns (uint256 gasUsed) {
        _coolAll();
        vm.prank(liquidator);
        uint256 g = gasleft();
        pool.liquidate(target, 0, type(uint256).max);
        gasUsed = g - gasleft();
    }

    function test_liquidate_gasBounded_atMaxMarketsPerAccount() public {
        _openEverywhere(alice, MARKETS, 15_000e6);
        _openEverywhere(bob, 1, 2500e6);
        _refreshAllLater(); // live markets: every oracle has an index integral already (no first-ever slot write)
        _dropAll(1000);
        assertTrue(lens.accountHealth(alice, 0).liquidatable);
        assertTrue(lens.accountHealth(bob, 0).liquidatable);

        uint256 snap = vm.snapshotState();
        uint256 gasOne = _measureLiquidation(bob);
        vm.revertToState(snap);
        uint256 gasMax = _measureLiquidation(alice);
        emit log_named_uint("liquidate, 1 market", gasOne);
        emit log_named_uint("liquidate, 8 markets", gasMax);

        // The proportional ladder transfers every market in each step. Each further market costs one oracle refresh
        // (3 cold feed reads + the stored observation, ~60k) and one position valuation, plus its transfer leg in the
        // worst case measured here, the backstop's first inventory in that market (~65k: the account's position and the
        // market's open interest rewritten, the backstop's position and sale slots written from zero, the event), and
        // its seventh of the one engine call over 8 columns (~264k with this 10-row grid, ~38k a market): 163k
        // measured, bounded by 175k. The whole call stays under 1.5M gas, 5% of a 30M block, so a keeper can always
        // include it, even in a crash when many accounts are due.
        assertLt((gasMax - gasOne) / (MARKETS - 1), 175_000, "per extra market");
        assertLt(gasMax, 1_500_000, "whole liquidation");

        // The account cannot enter a ninth market: the bound holds.
        _listMarket(MARKETS, 200_000e18, 100e18);
        indexOf[MARKETS] = 100e18;
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.TooManyMarkets.selector, MARKETS + 1, MARKETS));
        vm.prank(alice);
        pool.trade(alice, 0, MARKETS, 1e18, type(uint256).max, block.timestamp);
    }
}
