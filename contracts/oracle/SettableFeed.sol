// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SettableFeed
/// @notice A Chainlink-style feed whose answer is set by its owner or an owner-chosen `updater`.
/// For tests and the local chain (the devnet price driver is the updater); never a production price source.
/// @dev The answer (int160), its timestamp (uint64) and the round id (uint32) share one slot, so `latestRoundData`
/// costs one SLOAD.
contract SettableFeed is IAggregatorV3, Ownable {
    /// @notice The caller is neither the owner nor the updater.
    error NotUpdater(address caller);

    /// @notice Chainlink's event for a new answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    /// @notice The updater changed.
    event UpdaterSet(address indexed updater);

    uint8 public immutable decimals;

    int160 internal _answer;
    uint64 internal _updatedAt;
    uint32 internal _roundId;

    /// @notice The address allowed, besides the owner, to set answers.
    address public updater;

    constructor(address initialOwner, uint8 decimals_) Ownable(initialOwner) {
        decimals = decimals_;
    }

    modifier onlyUpdater() {
        if (msg.sender != updater && msg.sender != owner()) revert NotUpdater(msg.sender);
        _;
    }

    /// @notice Sets the address allowed to set answers (zero to allow only the owner).
    function setUpdater(address newUpdater) external onlyOwner {
        updater = newUpdater;
        emit UpdaterSet(newUpdater);
    }

    /// @notice Sets `answer` as of now and starts a new round.
    function setAnswer(int256 answer) external onlyUpdater {
        _setRound(answer, block.timestamp);
    }

    /// @notice Sets `answer` with an arbitrary `updatedAt` (stale, zero or future ones included) and starts a
    /// new round. Reverts if `answer` does not fit in int160 or `updatedAt` in uint64.
    function setRound(int256 answer, uint256 updatedAt) external onlyUpdater {
        _setRound(answer, updatedAt);
    }

    /// @inheritdoc IAggregatorV3
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        roundId = _roundId;
        answer = _answer;
        updatedAt = _updatedAt;
        return (roundId, answer, updatedAt, updatedAt, roundId);
    }

    function _setRound(int256 answer, uint256 updatedAt) internal {
        uint32 roundId = _roundId + 1;
        (_answer, _updatedAt, _roundId) = (SafeCast.toInt160(answer), SafeCast.toUint64(updatedAt), roundId);
        emit AnswerUpdated(answer, roundId, updatedAt);
    }
}
