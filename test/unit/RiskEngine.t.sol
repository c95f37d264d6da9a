// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskEngine} from "../../contracts/RiskEngine.sol";
import {IRiskEngine} from "../../contracts/interfaces/IRiskEngine.sol";
import {RiskGrids} from "../utils/RiskGrids.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The scenario grid (RISK 67, DESIGN property 11): validation, a lone column is margined standalone exactly,
/// netting never exceeds the standalone sum nor falls below the floor, and it is positively homogeneous.
contract RiskEngineTest is Test {
    uint256 internal constant MAX_EXPOSURE = 1e36;

    function _exposure(uint256 seed, uint256 columns) internal pure returns (int256[8] memory x) {
        for (uint256 c; c < 8; ++c) {
            if ((columns >> c) & 1 == 0) continue;
            seed = uint256(keccak256(abi.encode(seed, c)));
            int256 v = int256(seed % MAX_EXPOSURE);
            x[c] = (seed >> 255) == 1 ? -v : v;
        }
    }

    /// @dev The formula straight from the rows (no packing): the reference the engine must equal.
    function _reference(IRiskEngine.Scenario[] memory g, uint256 floorBps, int256[8] memory x)
        internal
        pure
        returns (uint256 req, uint256 row, bool floorBinds)
    {
        int256 worst;
        for (uint256 k; k < g.length; ++k) {
            int256 loss;
            for (uint256 c; c < 8; ++c) {
                loss -= int256(uint256(g[k].weightPct)) * g[k].moves[c] * x[c];
            }
            if (loss > worst) (worst, row) = (loss, k);
        }
        uint256 l = (uint256(worst) + 4999) / 5000;
        uint256 sum;
        for (uint256 c; c < 8; ++c) {
            sum += uint256(x[c] < 0 ? -x[c] : x[c]);
        }
        uint256 f = (sum * floorBps + 9999) / 10_000;
        floorBinds = f >= l;
        req = floorBinds ? f : l;
    }

    function testFuzz_engine_equalsTheFormulaOnItsRows(uint256 seed, uint8 rows, uint8 columns, uint16 floorBps)
        public
    {
        floorBps = uint16(bound(floorBps, 1000, 10_000));
        IRiskEngine.Scenario[] memory g = RiskGrids.random(seed, rows);
        RiskEngine engine = new RiskEngine(g, floorBps);
        int256[8] memory x = _exposure(seed, columns);
        (uint256 req, uint256 row, bool floorBinds) = engine.worstScenario(x);
        (uint256 refReq, uint256 refRow, bool refFloor) = _reference(g, floorBps, x);
        assertEq(req, refReq, "requirement");
        assertEq(floorBinds, refFloor, "floor binds");
        if (!floorBinds) assertEq(row, refRow, "row");
        (uint256 m, uint256 i) = engine.netRequirements(x, x);
        assertEq(m, req);
        assertEq(i, req);
    }

    function test_engine_returnsItsRowsAndFloor() public {
        IRiskEngine.Scenario[] memory g = RiskGrids.ethBtc();
        RiskEngine engine = new RiskEngine(g, 2500);
        IRiskEngine.Scenario[] memory back = engine.scenarios();
        assertEq(back.length, g.length);
        for (uint256 k; k < g.length; ++k) {
            assertEq(back[k].weightPct, g[k].weightPct);
            for (uint256 c; c < 8; ++c) {
                assertEq(back[k].moves[c], g[k].moves[c]);
            }
        }
        assertEq(engine.floorBps(), 2500);
        assertEq(engine.COLUMNS(), 8);
    }

    function testFuzz_loneColumn_isMarginedExactlyStandalone(uint256 seed, uint8 rows, uint8 column, int128 v) public {
        vm.assume(v != 0);
        RiskEngine engine = new RiskEngine(RiskGrids.random(seed, rows), 10_000);
        int256[8] memory x;
        x[column % 8] = v;
        (uint256 req,,) = engine.worstScenario(x);
        assertEq(req, uint256(v < 0 ? -int256(v) : int256(v)));
    }

    function testFuzz_netting_neverExceedsTheStandaloneSum_norFallsBelowTheFloor(
        uint256 seed,
        uint8 rows,
        uint8 columns,
        uint16 floorBps
    ) public {
        floorBps = uint16(bound(floorBps, 1000, 10_000));
        RiskEngine engine = new RiskEngine(RiskGrids.random(seed, rows), floorBps);
        int256[8] memory x = _exposure(seed, columns);
        uint256 sum;
        for (uint256 c; c < 8; ++c) {
            sum += uint256(x[c] < 0 ? -x[c] : x[c]);
        }
        (uint256 req,,) = engine.worstScenario(x);
        assertLe(req, sum, "above the standalone sum");
        assertGe(req, (sum * floorBps + 9999) / 10_000, "below the floor");
    }

    /// @dev A proportional step scales every exposure by the same fraction: the requirement scales at most as much.
    function testFuzz_netting_isPositivelyHomogeneous(uint256 seed, uint8 rows, uint8 columns, uint16 keepBps) public {
        keepBps = uint16(bound(keepBps, 0, 10_000));
        RiskEngine engine = new RiskEngine(RiskGrids.random(seed, rows), 2500);
        int256[8] memory x = _exposure(seed, columns);
        int256[8] memory y;
        for (uint256 c; c < 8; ++c) {
            y[c] = x[c] * int256(uint256(keepBps)) / 10_000;
        }
        (uint256 before,,) = engine.worstScenario(x);
        (uint256 afterStep,,) = engine.worstScenario(y);
        // Exposures truncate toward zero and each ceiling adds < 1 wei: at most 2 wei above the exact fraction.
        assertLe(afterStep, before * keepBps / 10_000 + 2);
    }

    function test_hedgedPair_postsHalfTheAdditiveSum_underTheEthBtcTestGrid() public {
        RiskEngine engine = new RiskEngine(RiskGrids.ethBtc(), 2500);
        int256[8] memory x;
        x[0] = 1000e18;
        x[1] = -1000e18;
        (uint256 req, uint256 row, bool floorBinds) = engine.worstScenario(x);
        assertEq(req, 1000e18);
        assertFalse(floorBinds);
        assertEq(row, 6, "the broken-correlation row binds");
    }

    function test_constructor_rejectsAnEmptyOrOversizedGrid() public {
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.GridSize.selector, 0));
        new RiskEngine(new IRiskEngine.Scenario[](0), 2500);
        IRiskEngine.Scenario[] memory big = new IRiskEngine.Scenario[](33);
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.GridSize.selector, 33));
        new RiskEngine(big, 2500);
    }

    function test_constructor_rejectsAFloorOutOfBounds() public {
        IRiskEngine.Scenario[] memory g = RiskGrids.ethBtc();
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.FloorOutOfBounds.selector, 999));
        new RiskEngine(g, 999);
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.FloorOutOfBounds.selector, 10_001));
        new RiskEngine(g, 10_001);
    }

    function test_constructor_rejectsAZeroOrOverfullWeight() public {
        IRiskEngine.Scenario[] memory g = RiskGrids.ethBtc();
        g[3].weightPct = 0;
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.ScenarioWeight.selector, 3, 0));
        new RiskEngine(g, 2500);
        g[3].weightPct = 101;
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.ScenarioWeight.selector, 3, 101));
        new RiskEngine(g, 2500);
    }

    function test_constructor_rejectsAMoveLargerThanOneRequirement() public {
        IRiskEngine.Scenario[] memory g = RiskGrids.ethBtc();
        g[8].moves[1] = -101; // 50 % * -101 = -5050
        vm.expectRevert(abi.encodeWithSelector(IRiskEngine.ScenarioMoveTooLarge.selector, 8, 1));
        new RiskEngine(g, 2500);
    }

    function test_constructor_rejectsAColumnThatIsNotStandaloneExact() public {
        IRiskEngine.Scenario[] memory g = RiskGrids.ethBtc();
        // No row moves column 5 down by a full requirement any more: a lone short there would be under-margined.
        g[1].moves[5] = -49;
        g[8].moves[5] = -98;
        vm.expectRevert(
            abi.encodeWithSelector(IRiskEngine.ColumnNotStandalone.selector, 5, int256(5000), int256(-4900))
        );
        new RiskEngine(g, 2500);
    }
}
