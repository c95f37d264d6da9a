// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {CommonBase} from "forge-std/Base.sol";

/// @notice The clock of a campaign whose index never moves: every block step re-posts each feed's answer unchanged
/// at the new time (keepers at work), so nothing goes stale and the oracle stays Normal at the listing price.
abstract contract StillIndex is CommonBase {
    uint256 internal constant MARKETS = 2;
    uint256 internal constant FEEDS = 3;

    SettableFeed[FEEDS][MARKETS] internal _feeds;
    /// @dev The feeds' updater (pranked to re-post the answers).
    address internal immutable _feedUpdater;

    constructor(SettableFeed[FEEDS][MARKETS] memory feeds, address feedUpdater) {
        _feeds = feeds;
        _feedUpdater = feedUpdater;
    }

    /// @dev `dt` seconds and one block later, every feed re-posted at its unchanged answer.
    function _nextBlock(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        _repostFeeds();
    }

    function _repostFeeds() internal {
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < FEEDS; ++i) {
                (, int256 answer,,,) = _feeds[m][i].latestRoundData();
                vm.prank(_feedUpdater);
                _feeds[m][i].setAnswer(answer);
            }
        }
    }
}
