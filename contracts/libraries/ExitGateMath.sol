// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ExitGateMath
/// @notice The junior exit gate's arithmetic (see `ITrancheExitGate`), in shares: a share's value moves with the
/// tranche, so a queue in shares stays exact through losses and gains (a queue in assets at request would overcount
/// after a loss and hold the last LP back forever).
library ExitGateMath {
    /// @notice Shares that may still start leaving: priced shares − shares of claims settling − the shares the floor
    /// is worth (rounded up by the caller), saturating at 0.
    function capacityShares(uint256 priced, uint256 settlingShares, uint256 floorSharesUp)
        internal
        pure
        returns (uint256)
    {
        uint256 held = settlingShares + floorSharesUp;
        return priced > held ? priced - held : 0;
    }

    /// @notice What a request may claim now: min(its shares, capacity − the shares queued ahead of it), saturating.
    function claimableShares(uint256 remaining, uint256 capacity, uint256 ahead) internal pure returns (uint256) {
        uint256 room = capacity > ahead ? capacity - ahead : 0;
        return remaining < room ? remaining : room;
    }

    /// @notice The cap of a partial claim: the request's assets pro rata to the shares claimed, rounded down (the
    /// remainder keeps the rest, so the parts never pay more than the request recorded).
    function partialCapDown(uint256 assets, uint256 claimedShares, uint256 shares) internal pure returns (uint256) {
        return Math.mulDiv(assets, claimedShares, shares);
    }
}
