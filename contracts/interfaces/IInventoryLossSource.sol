// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IInventoryLossSource
/// @notice What the backstop reads from the pool to value the tranches net of losses the chain already shows.
interface IInventoryLossSource {
    /// @notice Unrealized LOSS of the backstop's inventory at the index, in collateral token units (gains do not
    /// count). Must not revert: the backstop treats a reverting source as "loss unknown" (see `IBackstop`).
    function backstopInventoryLoss() external view returns (uint256 tokens);
}
