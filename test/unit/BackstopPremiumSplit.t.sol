// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Backstop} from "../../contracts/Backstop.sol";
import {TailRiskOracle} from "../../contracts/TailRiskOracle.sol";
import {IBackstop} from "../../contracts/interfaces/IBackstop.sol";
import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {ITrancheBoost} from "../../contracts/interfaces/ITrancheBoost.sol";
import {ITrancheVault} from "../../contracts/interfaces/ITrancheVault.sol";
import {TestUSDC} from "../../contracts/test/TestUSDC.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {defaultTailRiskParams} from "../utils/TailRiskParams.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test, Vm} from "forge-std/Test.sol";

/// @dev The fixture with a tail-risk oracle wired into the backstop, and premium sent as the pool sends it.
abstract contract PremiumSplitBase is PoolFixture {
    TailRiskOracle internal tro;
    address internal steward = makeAddr("steward");

    function setUp() public override {
        super.setUp();
        tro = new TailRiskOracle(address(pool), admin, steward, defaultTailRiskParams());
        backstop.setLpEconomics(tro, _boostShareBps());
        vm.roll(1000);
    }

    function _boostShareBps() internal pure virtual returns (uint256);

    function _post(uint256 es99, uint256 capital) internal returns (uint256 share) {
        vm.prank(steward);
        share = tro.post(
            ITailRiskOracle.Post({
                juniorEs99: uint128(es99),
                juniorCapital: uint128(capital),
                stressLoss: 0,
                blockNumber: uint64(block.number - 1),
                seed: 1,
                paths: 1000,
                reportHash: bytes32(uint256(1))
            })
        );
    }

    /// @dev Premium as the pool sends it; returns what each tranche received and the `PremiumSplit` event's fields.
    function _distribute(uint256 amount)
        internal
        returns (uint256 toJunior, uint256 toSenior, uint256 shownBps, ITailRiskOracle.SplitSource source)
    {
        uint256 j0 = junior.totalPremiumReceived();
        uint256 s0 = senior.totalPremiumReceived();
        usdc.mint(address(pool), amount);
        vm.startPrank(address(pool));
        usdc.approve(address(backstop), amount);
        vm.recordLogs();
        backstop.distributePremium(amount);
        vm.stopPrank();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(backstop) && logs[i].topics[0] == IBackstop.PremiumSplit.selector) {
                (shownBps, source) = abi.decode(logs[i].data, (uint256, ITailRiskOracle.SplitSource));
                ++found;
            }
        }
        assertEq(found, 1, "one PremiumSplit");
        return (junior.totalPremiumReceived() - j0, senior.totalPremiumReceived() - s0, shownBps, source);
    }

    function _assertSplit(
        uint256 shownBps,
        ITailRiskOracle.SplitSource source,
        uint256 bps,
        ITailRiskOracle.SplitSource expected
    ) internal pure {
        assertEq(shownBps, bps, "PremiumSplit share");
        assertEq(uint8(source), uint8(expected), "PremiumSplit source");
    }

    function _capitalRule(uint256 amount) internal view returns (uint256) {
        uint256 wJ = junior.totalAssets() * backstop.juniorWeight();
        return amount * wJ / (wJ + senior.totalAssets() * backstop.seniorWeight());
    }
}

/// @notice RISK 75 at the backstop: `distributePremium` splits by the posted share while the figure is fresh and by
/// weight × capital otherwise (the rule before [5/6], to the wei), and says which in `PremiumSplit`. Real vaults with
/// no boost share here; with the deployment's 20 % below.
contract BackstopPremiumSplitTest is PremiumSplitBase {
    /// @dev No boost share: each tranche's whole part is premium (`totalPremiumReceived`).
    function _boostShareBps() internal pure override returns (uint256) {
        return 0;
    }

    function test_setLpEconomics_onlyDeployer_once() public {
        vm.expectRevert(abi.encodeWithSelector(Backstop.NotDeployer.selector, alice));
        vm.prank(alice);
        backstop.setLpEconomics(tro, 0);
        vm.expectRevert(Backstop.AlreadyInitialized.selector);
        backstop.setLpEconomics(tro, 0);
        assertEq(address(backstop.tailRiskOracle()), address(tro));
    }

    function test_distributePremium_noFigure_weightTimesCapital() public {
        uint256 expected = _capitalRule(1_000_000e6);
        (uint256 toJunior, uint256 toSenior, uint256 bps, ITailRiskOracle.SplitSource source) = _distribute(1_000_000e6);
        _assertSplit(bps, source, 5000, ITailRiskOracle.SplitSource.CapitalRule);
        assertEq(toJunior, expected);
        assertEq(toJunior, 500_000e6, "3 x 2M against 6M: half");
        assertEq(toSenior, 1_000_000e6 - expected);
    }

    function test_distributePremium_freshFigure_splitsByThePostedShare() public {
        assertEq(_post(3_900_000e6, 10_000_000e6), 7800);
        (uint256 toJunior, uint256 toSenior, uint256 bps, ITailRiskOracle.SplitSource source) = _distribute(1_000_001);
        _assertSplit(bps, source, 7800, ITailRiskOracle.SplitSource.PostedFigure);
        assertEq(toJunior, 780_000, "rounded down");
        assertEq(toSenior, 220_001);
    }

    function test_distributePremium_staleFigure_fallsBackToTheCapitalRule() public {
        _post(3_900_000e6, 10_000_000e6);
        vm.warp(block.timestamp + tro.params().maxAge + 1);
        uint256 expected = _capitalRule(777_777_777);
        (uint256 toJunior, uint256 toSenior, uint256 bps, ITailRiskOracle.SplitSource source) = _distribute(777_777_777);
        _assertSplit(bps, source, 5000, ITailRiskOracle.SplitSource.CapitalRule);
        assertEq(toJunior, expected);
        assertEq(toSenior, 777_777_777 - expected);
    }

    /// @notice With one tranche empty the posted share cannot apply: all premium goes to the other (capital rule).
    function test_distributePremium_seniorEmpty_allToJunior_evenWithAFreshFigure() public {
        _post(2_500_000e6, 10_000_000e6);
        _emptySenior();
        (uint256 toJunior, uint256 toSenior, uint256 bps, ITailRiskOracle.SplitSource source) = _distribute(1000e6);
        _assertSplit(bps, source, 10_000, ITailRiskOracle.SplitSource.CapitalRule);
        assertEq(toJunior, 1000e6);
        assertEq(toSenior, 0);
    }

    function _emptySenior() internal {
        uint256 shares = senior.balanceOf(seniorLp);
        vm.prank(seniorLp);
        senior.requestWithdraw(shares);
        vm.warp(block.timestamp + senior.cooldown());
        vm.prank(seniorLp);
        (, uint64 settleAt) = senior.claim();
        vm.warp(settleAt);
        senior.settleClaim(seniorLp);
        assertEq(senior.totalAssets(), 0);
    }

    function test_fuzz_distributePremium_freshFigure_juniorGetsExactlyTheShare(uint256 amount, uint64 es99) public {
        amount = bound(amount, 1, 1e9 * 1e6);
        uint256 share = _post(es99, 10_000_000e6);
        (uint256 toJunior, uint256 toSenior, uint256 bps, ITailRiskOracle.SplitSource source) = _distribute(amount);
        _assertSplit(bps, source, share, ITailRiskOracle.SplitSource.PostedFigure);
        assertEq(toJunior, amount * share / 10_000);
        assertEq(toJunior + toSenior, amount, "nothing kept");
    }
}

/// @notice The deployment's 20 % boost share on the real vaults: each tranche's part (still split by the posted share)
/// goes 80 % to its premium stream and 20 % to its boost pot (`ITrancheBoost.addBoostedPremium`), the boost rounded
/// down (`part × 2000 / 10_000`).
contract BackstopBoostedPremiumSplitTest is PremiumSplitBase {
    function _boostShareBps() internal pure override returns (uint256) {
        return 2000;
    }

    function test_distributePremium_postedShare_thenBoostShareOfEachPart() public {
        _post(3_900_000e6, 10_000_000e6); // 78 %
        uint256 jPot = ITrancheBoost(address(junior)).boostPot();
        uint256 sPot = ITrancheBoost(address(senior)).boostPot();
        (uint256 jPremium, uint256 sPremium, uint256 bps,) = _distribute(1_000_001);
        assertEq(bps, 7800);
        uint256 toJunior = 780_000;
        uint256 toSenior = 220_001;
        assertEq(ITrancheBoost(address(junior)).boostPot() - jPot, toJunior * 2000 / 10_000, "junior pot");
        assertEq(ITrancheBoost(address(senior)).boostPot() - sPot, toSenior * 2000 / 10_000, "senior pot");
        assertEq(jPremium, toJunior - toJunior * 2000 / 10_000, "junior stream");
        assertEq(sPremium, toSenior - toSenior * 2000 / 10_000, "senior stream");
    }

    function test_fuzz_distributePremium_nothingKept_potsPlusStreamsEqualTheAmount(uint256 amount, uint64 es99) public {
        amount = bound(amount, 1, 1e9 * 1e6);
        uint256 share = _post(es99, 10_000_000e6);
        uint256 pots0 = ITrancheBoost(address(junior)).boostPot() + ITrancheBoost(address(senior)).boostPot();
        (uint256 jPremium, uint256 sPremium,,) = _distribute(amount);
        uint256 pots = ITrancheBoost(address(junior)).boostPot() + ITrancheBoost(address(senior)).boostPot() - pots0;
        uint256 toJunior = amount * share / 10_000;
        assertEq(jPremium, toJunior - toJunior * 2000 / 10_000);
        assertEq(jPremium + sPremium + pots, amount);
        assertEq(usdc.balanceOf(address(backstop)), 0);
    }
}

/// @dev A tranche standing in for the vault's boost entry point (helper V's `ITrancheBoost.addBoostedPremium`): it
/// records what each entry point received and pulls the tokens as the vault does.
contract BoostVaultStub {
    address public immutable backstop;
    address public immutable asset;
    uint256 public grossAssets;
    uint256 public premium;
    uint256 public boostPremium;
    uint256 public plainCalls;

    constructor(address backstop_, address asset_, uint256 gross) {
        backstop = backstop_;
        asset = asset_;
        grossAssets = gross;
    }

    function addPremium(uint256 assets) external {
        IERC20(asset).transferFrom(msg.sender, address(this), assets);
        premium += assets;
        ++plainCalls;
    }

    function addBoostedPremium(uint256 assets, uint256 boostAssets) external {
        IERC20(asset).transferFrom(msg.sender, address(this), assets + boostAssets);
        premium += assets;
        boostPremium += boostAssets;
    }
}

/// @notice The boost share of each tranche's part (`boost = part × boostShareBps / 10_000`, rounded down, the rest as
/// premium), on stub tranches. This test is the backstop's pool.
contract BackstopBoostSplitTest is Test {
    TestUSDC internal usdc;
    Backstop internal backstop;
    BoostVaultStub internal junior;
    BoostVaultStub internal senior;
    TailRiskOracle internal tro;

    function setUp() public {
        usdc = new TestUSDC();
        backstop = new Backstop(usdc, 3, 1);
        junior = new BoostVaultStub(address(backstop), address(usdc), 1_000_000e6);
        senior = new BoostVaultStub(address(backstop), address(usdc), 4_000_000e6);
        backstop.initialize(address(this), ITrancheVault(address(junior)), ITrancheVault(address(senior)));
        tro = new TailRiskOracle(address(this), address(this), address(this), defaultTailRiskParams());
    }

    function test_setLpEconomics_boostShareAtMostHalf() public {
        vm.expectRevert(abi.encodeWithSelector(IBackstop.InvalidBoostShare.selector, 5001));
        backstop.setLpEconomics(tro, 5001);
    }

    function test_fuzz_distributePremium_boostShareOfEachPart(uint128 amount, uint16 boostShare) public {
        uint256 b = bound(boostShare, 0, 5000);
        backstop.setLpEconomics(tro, b);
        usdc.mint(address(this), amount);
        usdc.approve(address(backstop), amount);
        backstop.distributePremium(amount);

        uint256 toJunior = uint256(amount) * 3_000_000e6 / 7_000_000e6; // 3 × 1M against 4M
        uint256 toSenior = amount - toJunior;
        assertEq(junior.boostPremium(), toJunior * b / 10_000, "junior boost");
        assertEq(senior.boostPremium(), toSenior * b / 10_000, "senior boost");
        assertEq(junior.premium() + junior.boostPremium(), toJunior, "junior part");
        assertEq(senior.premium() + senior.boostPremium(), toSenior, "senior part");
        if (junior.boostPremium() == 0 && toJunior != 0) assertEq(junior.plainCalls(), 1, "no boost: addPremium");
        assertEq(usdc.balanceOf(address(backstop)), 0);
    }
}
