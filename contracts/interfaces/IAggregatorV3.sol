// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAggregatorV3
/// @notice The part of Chainlink's `AggregatorV3Interface` the oracle router reads.
interface IAggregatorV3 {
    /// @notice Number of decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice The latest round.
    /// @return roundId The round id.
    /// @return answer The price, scaled by `10 ** decimals()`.
    /// @return startedAt When the round started.
    /// @return updatedAt When `answer` was last updated (unix seconds).
    /// @return answeredInRound The round in which `answer` was computed.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
