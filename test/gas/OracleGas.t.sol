// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleRouter} from "../../contracts/OracleRouter.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Gas of a full `OracleRouter.refresh` (a later block than the stored observation, so the feeds are
/// read), each measured as its own transaction (`forge test --isolate`), recorded in snapshots/OracleGas.json.
/// Market 1 has three 8-decimal feeds, market 2 five; both were refreshed at 2,000 in two blocks in `setUp` (a live
/// market: its index integral is already non-zero, so the refresh writes no slot for the first time).
contract OracleGas is Test {
    int256 internal constant P = 2000e8;

    OracleRouter internal router;
    SettableFeed[5] internal feeds;

    function setUp() public {
        vm.warp(1_700_000_000);
        router = new OracleRouter(address(this));
        address[] memory three = new address[](3);
        address[] memory five = new address[](5);
        for (uint256 i; i < 5; ++i) {
            feeds[i] = new SettableFeed(address(this), 8);
            feeds[i].setAnswer(P);
            five[i] = address(feeds[i]);
            if (i < 3) three[i] = address(feeds[i]);
        }
        router.setFeeds(1, three, _cfg(2));
        router.setFeeds(2, five, _cfg(3));
        router.refresh(1);
        router.refresh(2);
        vm.warp(block.timestamp + 12);
        router.refresh(1);
        router.refresh(2);
        vm.warp(block.timestamp + 12);
    }

    function _cfg(uint16 minFeeds) internal pure returns (IOracleRouter.MarketOracleConfig memory) {
        return IOracleRouter.MarketOracleConfig({
            maxAge: 1 hours,
            minFeeds: minFeeds,
            maxDeviationBps: 200,
            jumpThresholdBps: 1000,
            breakerCooldown: 30 minutes
        });
    }

    function test_gas_refresh_threeFeedsAgree() public {
        feeds[0].setAnswer(2001e8);
        router.refresh(1);
        vm.snapshotGasLastCall("refresh 3 feeds");
    }

    function test_gas_refresh_threeFeeds_oneFarOff() public {
        feeds[0].setAnswer(2500e8);
        router.refresh(1);
        vm.snapshotGasLastCall("refresh 3 feeds, one far off");
    }

    function test_gas_refresh_fiveFeedsAgree() public {
        feeds[0].setAnswer(2001e8);
        router.refresh(2);
        vm.snapshotGasLastCall("refresh 5 feeds");
    }

    function test_gas_refresh_fiveFeeds_twoFarOff() public {
        feeds[0].setAnswer(2500e8);
        feeds[4].setAnswer(1500e8);
        router.refresh(2);
        vm.snapshotGasLastCall("refresh 5 feeds, two far off");
    }
}
