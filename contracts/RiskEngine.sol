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

    /// @param grid the rows (1..32), validated as `IRiskEngine` states
    /// @param floorBps_ the floor, in [1_000, 10_000] bps of the standalone sum
    constructor(Scenario[] memory grid, uint256 floorBps_) {
        uint256 n = grid.length;
        if (n == 0 || n > MAX_SCENARIOS) revert GridSize(n);
        if (floorBps_ < MIN_FLOOR_BPS || floorBps_ > BPS) revert FloorOutOfBounds(floorBps_);
        uint256[8] memory moves;
        uint256 weights;
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
            }
        }
        for (uint256 c; c < COLUMNS; ++c) {
            if (up[c] != FULL || down[c] != -FULL) revert ColumnNotStandalone(c, up[c], down[c]);
        }
        _count = n;
        _floorBps = floorBps_;
        _weights = weights;
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
        uint256[8] memory words = _words();
        (maintReq,) = _worstLoss(words, maint);
        (initialReq,) = _worstLoss(words, initial);
        uint256 maintFloor = _floor(maint);
        uint256 initialFloor = _floor(initial);
        if (maintFloor > maintReq) maintReq = maintFloor;
        if (initialFloor > initialReq) initialReq = initialFloor;
    }

    /// @inheritdoc IRiskEngine
    function worstScenario(int256[8] calldata exposure)
        external
        view
        returns (uint256 requirement, uint256 row, bool floorBinds)
    {
        uint256 worstLoss;
        (worstLoss, row) = _worstLoss(_words(), exposure);
        uint256 floor = _floor(exposure);
        floorBinds = floor >= worstLoss;
        requirement = floorBinds ? floor : worstLoss;
    }

    /// @dev L(x) and the first row that attains it (0 when no row loses).
    function _worstLoss(uint256[8] memory words, int256[8] calldata x)
        internal
        view
        returns (uint256 loss, uint256 row)
    {
        uint256 held; // bit c set: column c is non-zero
        for (uint256 c; c < COLUMNS; ++c) {
            if (x[c] != 0) held |= 1 << c;
        }
        int256 worst; // the largest positive sum_c -e * x (before dividing by FULL)
        uint256 weights = _weights;
        for (uint256 k; k < _count; ++k) {
            int256 w = int256(uint256(uint8(weights >> (8 * k))));
            int256 rowLoss;
            for (uint256 rest = held; rest != 0; rest &= rest - 1) {
                uint256 c = _lowestBit(rest);
                rowLoss -= w * _move(words, k, c) * x[c];
            }
            if (rowLoss > worst) (worst, row) = (rowLoss, k);
        }
        // worst >= 0: dividing rounds up (a loss is never understated).
        loss = (uint256(worst) + uint256(FULL) - 1) / uint256(FULL);
    }

    /// @dev F(x) = ceilDiv(floorBps * sum |x_c|, BPS).
    function _floor(int256[8] calldata x) internal view returns (uint256) {
        uint256 sum;
        for (uint256 c; c < COLUMNS; ++c) {
            int256 v = x[c];
            sum += uint256(v < 0 ? -v : v);
        }
        return (sum * _floorBps + BPS - 1) / BPS;
    }

    function _words() internal view returns (uint256[8] memory) {
        return [_moves0, _moves1, _moves2, _moves3, _moves4, _moves5, _moves6, _moves7];
    }

    function _move(uint256[8] memory words, uint256 k, uint256 c) internal pure returns (int8) {
        return int8(uint8(words[k / 4] >> (64 * (k % 4) + 8 * c)));
    }

    function _lowestBit(uint256 mask) internal pure returns (uint256 i) {
        uint256 isolated = mask & (~mask + 1);
        while (isolated > 1) {
            isolated >>= 1;
            ++i;
        }
    }
}
