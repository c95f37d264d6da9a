// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketConfig, MarketView} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "./PoolFixture.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The pool with deep-pocketed traders, one funding period after listing (mark and index agreeing, rate 0),
/// and the keeper's moves for the repeg tests: time passing with the index at a level, funding when due, a step
/// while due.
abstract contract RepegFixture is PoolFixture {
    uint256 internal constant FEE_BPS = 10; // defaultConfig
    uint256 internal constant MAX_MOVE_BPS = 200; // defaultConfig
    uint256 internal constant THRESHOLD_BPS = 50; // defaultConfig.maxPremiumBps
    uint256 internal constant STEP_BPS_X2 = 3 * FEE_BPS; // a step: 1.5 x feeBps of the mark (x2 to stay integral)
    uint256 internal constant WINDOW = 10 minutes; // RepegMath.MIN_WINDOW
    uint256 internal constant BLOCK = 12;

    function setUp() public virtual override {
        super.setUp();
        _deposit(alice, 0, 1_000_000e6);
        _deposit(bob, 0, 1_000_000e6);
        _at(block.timestamp + 601, ETH_PRICE);
        pool.updateFunding(ETH);
        assertEq(pool.marketState(ETH).fundingRate, 0, "setup: no funding runs");
    }

    /// @dev Warps to `t` and has every feed answer `price` in a fresh round.
    function _at(uint256 t, uint256 price) internal {
        vm.warp(t);
        _setPrice(ETH, price);
    }

    /// @dev The index moves to `index` one second on (the keeper's refresh sees it), then nobody trades for `wait`.
    function _crashAndWait(uint256 index, uint256 wait) internal {
        _at(block.timestamp + 1, index);
        oracle.refresh(ETH);
        _at(block.timestamp + wait, index);
    }

    /// @dev One block of the keeper, in its order: funding if due, then a repeg step if the lens says it is due.
    /// Returns whether a step ran.
    function _keeperBlock(uint256 dt, uint256 index) internal returns (bool stepped) {
        _at(block.timestamp + dt, index);
        if (block.timestamp >= lens.marketView(ETH).nextFundingUpdate) pool.updateFunding(ETH);
        if (lens.marketView(ETH).repegDue) {
            pool.repeg(ETH);
            stepped = true;
        }
    }

    function _mark() internal view returns (uint256) {
        return lens.marketView(ETH).markPrice;
    }

    function _net() internal view returns (int256 net) {
        (,, net) = pool.pools();
    }

    /// @dev What the backstop is owed by the pool: the premium and the net flow (> 0 owed to it).
    function _backstopClaim() internal view returns (int256) {
        (, uint256 premium, int256 net) = pool.pools();
        return int256(premium) + net;
    }

    function _budget() internal view returns (uint256) {
        return pool.backstopCapital() * 1e12 * 10 / 10_000;
    }

    function _setConfig(uint256 feeBps, uint256 maxMoveBps, uint256 thresholdBps, uint256 fundingInterval) internal {
        MarketConfig memory c = defaultConfig();
        c.feeBps = uint16(feeBps);
        c.maxMoveBps = uint16(maxMoveBps);
        c.maxPremiumBps = uint16(thresholdBps);
        c.fundingInterval = uint32(fundingInterval);
        vm.prank(admin);
        pool.setMarketConfig(ETH, c);
    }

    function _repegLogged() internal returns (uint256 markBefore, uint256 markAfter, int256 gain) {
        vm.recordLogs();
        uint256 returned = pool.repeg(ETH);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.Repegged.selector) {
                (markBefore, markAfter, gain) = abi.decode(logs[i].data, (uint256, uint256, int256));
            }
        }
        assertEq(returned, markAfter, "returns the evented mark");
    }

    /// @dev What `RepegNotDue` reports now, from the lens's view of the repeg's window.
    function _notDue() internal view returns (bytes memory) {
        MarketView memory v = lens.marketView(ETH);
        uint256 gap = v.repegTwapMark > v.repegTwapIndex
            ? v.repegTwapMark - v.repegTwapIndex
            : v.repegTwapIndex - v.repegTwapMark;
        return abi.encodeWithSelector(
            IPerpPool.RepegNotDue.selector, ETH, gap * 10_000 / v.repegTwapIndex, block.timestamp - v.repegWindowStart
        );
    }
}
