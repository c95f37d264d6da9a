// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRiskEngine
/// @notice Portfolio margin's scenario grid: the worst loss of an account's positions over K joint moves of up to 8
/// markets, floored at a share of the sum of their standalone requirements. The grid lives in the engine's code
/// (immutables), so reading it costs no storage; a new grid is a new engine the pool is pointed at.
/// @dev An exposure x_c (WAD quote) is the signed standalone requirement of the account's position in column c (market
/// id c): positive for a long, negative for a short, 0 for none. A scenario's move m_{k,c} is in 1/50 of that
/// requirement (50 = a move that costs the position exactly its standalone requirement), scaled by the row's weight
/// in percent. With e_{k,c} = weightPct_k * m_{k,c} (|e| <= 5000):
///   loss_k(x) = - sum_c e_{k,c} * x_c                (> 0 is a loss)
///   L(x)      = max(0, max_k ceilDiv(loss_k, 5000))
///   F(x)      = ceilDiv(floorBps * sum_c |x_c|, 10_000)
///   net(x)    = max(L(x), F(x))
/// Validation makes every column, alone, cost exactly its standalone requirement on either side (some row moves it by
/// exactly +5000 and some by exactly -5000, none by more), so a one-market account posts today's requirement,
/// net(x) <= sum |x_c| always, and net is positively homogeneous (up to 1 wei of rounding).
interface IRiskEngine {
    /// @notice One joint move: `moves[c]` in 1/50 of column c's standalone requirement, applied at `weightPct` %.
    struct Scenario {
        uint8 weightPct;
        int8[8] moves;
    }

    /// @notice The grid has no rows or more than `MAX_SCENARIOS`.
    error GridSize(uint256 count);
    /// @notice A row's weight is 0 or above 100 %.
    error ScenarioWeight(uint256 row, uint256 weightPct);
    /// @notice A weighted move exceeds one standalone requirement (|weightPct * move| > 5000).
    error ScenarioMoveTooLarge(uint256 row, uint256 column);
    /// @notice Column `column` alone would not be margined exactly as standalone: its largest weighted move up or down
    /// is not exactly 5000.
    error ColumnNotStandalone(uint256 column, int256 maxUp, int256 maxDown);
    /// @notice The floor is outside [1_000, 10_000] bps of the standalone sum.
    error FloorOutOfBounds(uint256 floorBps);

    /// @notice Markets 0..COLUMNS-1 can net; any other market is margined standalone.
    function COLUMNS() external view returns (uint256);

    /// @notice The floor, in bps of the sum of the standalone requirements (a perfect hedge is never free).
    function floorBps() external view returns (uint256);

    /// @notice The grid's rows, in order (a row index in `worstScenario` refers to this list).
    function scenarios() external view returns (Scenario[] memory);

    /// @notice net(maint) and net(initial): the netted maintenance and initial requirements of two exposure vectors.
    function netRequirements(int256[8] calldata maint, int256[8] calldata initial)
        external
        view
        returns (uint256 maintReq, uint256 initialReq);

    /// @notice net(exposure), the row of the largest loss (the first such row; 0 when no row loses), and whether the
    /// floor binds (F >= L).
    function worstScenario(int256[8] calldata exposure)
        external
        view
        returns (uint256 requirement, uint256 row, bool floorBinds);
}
