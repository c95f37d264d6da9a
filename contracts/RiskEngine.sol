// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRiskEngine} from "./interfaces/IRiskEngine.sol";

/// @title RiskEngine
/// @notice The portfolio-margin scenario grid, held in code. See `IRiskEngine` for the formula and its properties.
/// @dev Layout: `_weights` holds row k's weight in byte k; `_movesN` holds rows 4N..4N+3, 64 bits per row, byte c of a
/// row = the int8 move of column c. Immutables are part of the deployed code: reading the grid costs no storage.
contract RiskEngine is IRiskEngine {
    uint256 public constant override COLUMNS = 8;
    uint256 public constant MAX_SCENARIOS = 32;
    /// @notice A move of MOVE_UNIT costs a position its standalone requirement.
    int256 public constant MOVE_UNIT = 50;
    /// @dev weightPct 100 * MOVE_UNIT: a weighted move of exactly one standalone requirement.
    int256 internal constant FULL = 5000;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MIN_FLOOR_BPS = 1000;

    uint256 internal immutable _count;
    uint256 internal immutable _floorBps;
    uint256 internal immutable _weights;
    uint256 internal immutable _moves0;
    uint256 internal immutable _moves1;
    uint256 internal immutable _moves2;
    uint256 internal immutable _moves3;
    uint256 internal immutable _moves4;
    uint256 internal immutable _moves5;
    uint256 internal immutable _moves6;
    uint256 internal immutable _moves7;
    /// @dev Bits 32c..32c+31: the rows that move column c (a row moving none of an account's columns loses nothing).
    uint256 internal immutable _rowsOfColumn;

    /// @param grid the rows (1..32), validated as `IRiskEngine` states
    /// @param floorBps_ the floor, in [1_000, 10_000] bps of the standalone sum
    constructor(Scenario[] memory grid, uint256 floorBps_) {
        uint256 n = grid.length;
        if (n == 0 || n > MAX_SCENARIOS) revert GridSize(n);
        if (floorBps_ < MIN_FLOOR_BPS || floorBps_ > BPS) revert FloorOutOfBounds(floorBps_);
        uint256[8] memory moves;
        uint256 weights;
        uint256 rowsOfColumn;
        int256[8] memory up;
        int256[8] memory down;
        for (uint256 k; k < n; ++k) {
            uint256 w = grid[k].weightPct;
            if (w == 0 || w > 100) revert ScenarioWeight(k, w);
            weights |= w << (8 * k);
            for (uint256 c; c < COLUMNS; ++c) {
                int256 e = int256(w) * grid[k].moves[c];
                if (e > FULL || e < -FULL) revert ScenarioMoveTooLarge(k, c);
                if (e > up[c]) up[c] = e;
                if (e < down[c]) down[c] = e;
                moves[k / 4] |= uint256(uint8(grid[k].moves[c])) << (64 * (k % 4) + 8 * c);
                if (e != 0) rowsOfColumn |= 1 << (32 * c + k);
            }
        }
        for (uint256 c; c < COLUMNS; ++c) {
            if (up[c] != FULL || down[c] != -FULL) revert ColumnNotStandalone(c, up[c], down[c]);
        }
        _count = n;
        _floorBps = floorBps_;
        _weights = weights;
        _rowsOfColumn = rowsOfColumn;
        (_moves0, _moves1, _moves2, _moves3) = (moves[0], moves[1], moves[2], moves[3]);
        (_moves4, _moves5, _moves6, _moves7) = (moves[4], moves[5], moves[6], moves[7]);
    }

    /// @inheritdoc IRiskEngine
    function floorBps() external view returns (uint256) {
        return _floorBps;
    }

    /// @inheritdoc IRiskEngine
    function scenarios() external view returns (Scenario[] memory grid) {
        uint256[8] memory words = _words();
        grid = new Scenario[](_count);
        for (uint256 k; k < _count; ++k) {
            grid[k].weightPct = uint8(_weights >> (8 * k));
            for (uint256 c; c < COLUMNS; ++c) {
                grid[k].moves[c] = _move(words, k, c);
            }
        }
    }

    /// @inheritdoc IRiskEngine
    function netRequirements(int256[8] calldata maint, int256[8] calldata initial)
        external
        view
        returns (uint256 maintReq, uint256 initialReq)
    {
        Losses memory l = _worstLosses(maint, initial);
        maintReq = l.lossX > l.floorX ? l.lossX : l.floorX;
        initialReq = l.lossY > l.floorY ? l.lossY : l.floorY;
    }

    /// @inheritdoc IRiskEngine
    function worstScenario(int256[8] calldata exposure)
        external
        view
        returns (uint256 requirement, uint256 row, bool floorBinds)
    {
        Losses memory l = _worstLosses(exposure, exposure);
        row = l.rowX;
        floorBinds = l.floorX >= l.lossX;
        requirement = floorBinds ? l.floorX : l.lossX;
    }

    /// @dev L and F of two exposure vectors, and the first row attaining each L (0 when no row loses).
    struct Losses {
        uint256 lossX;
        uint256 rowX;
        uint256 floorX;
        uint256 lossY;
        uint256 rowY;
        uint256 floorY;
    }

    /// @dev L(x), L(y), F(x), F(y) in one pass over the grid: the non-zero columns of x or y are listed once
    /// (column shift, x_c, y_c) while summing |x_c| and |y_c|, then each row's packed moves are read once and only
    /// listed columns are visited. The hot loop of every margin check, in assembly.
    function _worstLosses(int256[8] calldata x, int256[8] calldata y) internal view returns (Losses memory l) {
        // The grid as one memory block: moves words 0..7, then the weights, the rows per column and the row count.
        uint256[11] memory g =
            [_moves0, _moves1, _moves2, _moves3, _moves4, _moves5, _moves6, _moves7, _weights, _rowsOfColumn, _count];
        int256 worstX; // the largest positive -sum_c e_{k,c} * x_c, before dividing by FULL
        int256 worstY;
        uint256 rowX;
        uint256 rowY;
        uint256 sumX; // sum |x_c|
        uint256 sumY;
        // |e| <= 5000 and |x_c| < 2^200 (a requirement in WAD): no product or sum overflows.
        assembly ("memory-safe") {
            // Scratch beyond the free memory pointer (not allocated: nothing else runs until we return).
            let list := mload(0x40)
            let end := list
            let rowsOfColumn := mload(add(g, 0x120))
            let rows := 0 // the rows that move any listed column: the others lose nothing and are skipped
            for { let c := 0 } lt(c, 8) { c := add(c, 1) } {
                let xv := calldataload(add(x, shl(5, c)))
                let yv := calldataload(add(y, shl(5, c)))
                if or(xv, yv) {
                    rows := or(rows, and(shr(shl(5, c), rowsOfColumn), 0xffffffff))
                    mstore(end, shl(3, c))
                    mstore(add(end, 0x20), xv)
                    mstore(add(end, 0x40), yv)
                    end := add(end, 0x60)
                    switch slt(xv, 0)
                    case 1 { sumX := add(sumX, sub(0, xv)) }
                    default { sumX := add(sumX, xv) }
                    switch slt(yv, 0)
                    case 1 { sumY := add(sumY, sub(0, yv)) }
                    default { sumY := add(sumY, yv) }
                }
            }
            let weights := mload(add(g, 0x100))
            let count := mload(add(g, 0x140))
            for { let k := 0 } lt(k, count) { k := add(k, 1) } {
                if iszero(and(shr(k, rows), 1)) { continue }
                let row := shr(shl(6, and(k, 3)), mload(add(g, shl(5, shr(2, k)))))
                let w := and(shr(shl(3, k), weights), 0xff)
                let rx := 0
                let ry := 0
                for { let p := list } lt(p, end) { p := add(p, 0x60) } {
                    let e := mul(w, signextend(0, and(shr(mload(p), row), 0xff)))
                    rx := sub(rx, mul(e, mload(add(p, 0x20))))
                    ry := sub(ry, mul(e, mload(add(p, 0x40))))
                }
                if sgt(rx, worstX) {
                    worstX := rx
                    rowX := k
                }
                if sgt(ry, worstY) {
                    worstY := ry
                    rowY := k
                }
            }
        }
        // All >= 0: dividing rounds up (a loss is never understated, nor the floor).
        l.lossX = (uint256(worstX) + uint256(FULL) - 1) / uint256(FULL);
        l.lossY = (uint256(worstY) + uint256(FULL) - 1) / uint256(FULL);
        l.rowX = rowX;
        l.rowY = rowY;
        l.floorX = (sumX * _floorBps + BPS - 1) / BPS;
        l.floorY = (sumY * _floorBps + BPS - 1) / BPS;
    }

    function _words() internal view returns (uint256[8] memory) {
        return [_moves0, _moves1, _moves2, _moves3, _moves4, _moves5, _moves6, _moves7];
    }

    function _move(uint256[8] memory words, uint256 k, uint256 c) internal pure returns (int8) {
        return int8(uint8(words[k / 4] >> (64 * (k % 4) + 8 * c)));
    }
}
