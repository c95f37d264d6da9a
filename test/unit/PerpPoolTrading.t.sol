// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";

contract PerpPoolTradingTest is PoolFixture {
    function test_trade_opensLongAtTheCurvePrice() public {
        _deposit(alice, 0, 10_000e6);
        uint256 quote = _trade(alice, ETH, 10e18);
        // base 10_000, quote 20M: buying 10 base costs k/(base-10) - quote, rounded up.
        uint256 expected =
            (uint256(10_000e18) * 20_000_000e18 + (10_000e18 - 10e18) - 1) / (10_000e18 - 10e18) - 20_000_000e18;
        assertEq(quote, expected);
        assertEq(pool.position(alice, 0, ETH).size, 10e18);
        assertEq(pool.position(alice, 0, ETH).openNotional, int256(expected));
    }

    function test_trade_roundTripNeverGains() public {
        _deposit(alice, 0, 10_000e6);
        _trade(alice, ETH, 10e18);
        _close(alice, ETH);
        assertLt(_collateral(alice), 10_000e18);
        assertEq(pool.account(alice, 0).marketMask, 0);
    }
}
