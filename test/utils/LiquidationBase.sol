// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheVault} from "../../contracts/TrancheVault.sol";
import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {MarketState} from "../../contracts/interfaces/IPerpTypes.sol";
import {PoolFixture} from "./PoolFixture.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Shared actors and helpers for the liquidation, waterfall and backstop tests: an arbitrageur that drags
/// the vAMM mark to the index (so a crash is realized on the curve, which is what creates bad debt), LP exits,
/// and decoders for the liquidation events.
abstract contract LiquidationBase is PoolFixture {
    /// @dev Storage slot of `PoolStorage._accounts` (forge inspect PerpPool storageLayout).
    uint256 internal constant ACCOUNTS_SLOT = 2;
    /// @dev Largest index move per step: below the oracle's 15 % jump breaker.
    uint256 internal constant MAX_STEP_BPS = 1000;

    /// @dev Trades the mark to the index after every index move: a market whose mark never follows the index
    /// realizes no loss on the curve, so a crash without arbitrage creates no bad debt.
    address internal arb = makeAddr("arb");

    mapping(uint256 marketId => uint256) internal indexOf;

    struct BadDebt {
        bool found;
        uint256 marketId;
        uint256 badDebt;
        uint256 juniorPaid;
        uint256 seniorPaid;
        uint256 socialized;
    }

    struct LiquidationLog {
        uint256 marketId;
        /// @dev base transferred to the backstop, signed as the account's position (a long of 10 -> +10)
        int256 sizeClosed;
        uint256 indexPrice;
        uint256 penalty;
        uint256 reward;
        int256 quoteDelta;
        int256 realizedPnl;
    }

    function setUp() public virtual override {
        super.setUp();
        indexOf[ETH] = ETH_PRICE;
        indexOf[BTC] = BTC_PRICE;
        _deposit(arb, 0, 100_000_000e6);
    }

    /* PRICES */

    /// @dev Moves the index of `marketId` to `target` in steps of at most MAX_STEP_BPS (one block each), the
    /// arbitrageur trading the mark onto the index after each step.
    function _crashTo(uint256 marketId, uint256 target) internal {
        uint256 index = indexOf[marketId];
        while (index != target) {
            uint256 maxStep = index * MAX_STEP_BPS / 10_000;
            uint256 next;
            if (target < index) next = index - target > maxStep ? index - maxStep : target;
            else next = target - index > maxStep ? index + maxStep : target;
            next = next / 1e10 * 1e10; // feed precision (8 decimals)
            vm.warp(block.timestamp + 12);
            _setIndex(marketId, next);
            _dragMarkTo(marketId, next);
            index = next;
        }
    }

    /// @dev Sets every feed of `marketId` to `price` now (no arbitrage).
    function _setIndex(uint256 marketId, uint256 price) internal {
        indexOf[marketId] = price;
        _setPrice(marketId, price);
    }

    /// @dev Re-publishes the current index of every market (after a warp beyond the feeds' max age).
    function _refreshFeeds() internal {
        for (uint256 i; i < pool.marketCount(); ++i) {
            _setPrice(i, indexOf[i]);
        }
    }

    /// @dev The arbitrageur trades the curve so that its mark lands on `price` (mark = k / base^2).
    function _dragMarkTo(uint256 marketId, uint256 price) internal {
        MarketState memory m = pool.marketState(marketId);
        uint256 targetBase = Math.sqrt(uint256(m.baseReserve) * m.quoteReserve / price * 1e18);
        if (targetBase > m.baseReserve) _trade(arb, marketId, -int256(targetBase - m.baseReserve));
        else if (targetBase < m.baseReserve) _trade(arb, marketId, int256(m.baseReserve - targetBase));
    }

    /* ACCOUNTS */

    function _openPosition(address who, uint256 marketId, uint256 margin, int256 size) internal {
        _deposit(who, 0, margin);
        _trade(who, marketId, size);
    }

    /// @dev Overwrites the stored collateral of `(who, subId)` (boundary tests only). Checks the slot first.
    function _setCollateral(address who, uint96 subId, int256 collateral) internal {
        bytes32 slot = keccak256(abi.encode(pool.accountId(who, subId), ACCOUNTS_SLOT));
        uint256 word = uint256(vm.load(address(pool), slot));
        assertEq(int128(uint128(word)), pool.account(who, subId).collateral, "accounts slot");
        word = (word >> 128 << 128) | uint256(uint128(int128(collateral)));
        vm.store(address(pool), slot, bytes32(word));
        assertEq(pool.account(who, subId).collateral, collateral);
    }

    function _maint(address who) internal view returns (uint256) {
        return lens.accountHealth(who, 0).maintenanceRequirement;
    }

    /* LPS */

    function _requestAll(address lp, TrancheVault vault) internal returns (uint256 shares) {
        shares = vault.balanceOf(lp);
        vm.prank(lp);
        vault.requestWithdraw(shares);
    }

    /// @dev Claims and settles at once: the settlement delay passes with nothing else happening (feeds refreshed).
    function _claim(address lp, TrancheVault vault) internal returns (uint256 assets) {
        _startClaim(lp, vault);
        vm.warp(block.timestamp + vault.settlementDelay());
        _refreshFeeds();
        assets = vault.settleClaim(lp);
    }

    function _startClaim(address lp, TrancheVault vault) internal returns (uint256 assetsCap) {
        vm.prank(lp);
        (assetsCap,) = vault.claim();
    }

    /// @dev The fixture's LPs request everything, wait the cooldown, claim and settle: both tranches end empty.
    function _exitFixtureLps() internal {
        _requestAll(juniorLp, junior);
        _requestAll(seniorLp, senior);
        vm.warp(block.timestamp + junior.cooldown());
        _refreshFeeds();
        _startClaim(juniorLp, junior);
        _startClaim(seniorLp, senior);
        vm.warp(block.timestamp + junior.settlementDelay());
        _refreshFeeds();
        junior.settleClaim(juniorLp);
        senior.settleClaim(seniorLp);
    }

    /* LIQUIDATION */

    /// @dev Liquidates `target`'s cross account as `liquidator`, returning the decoded logs (the first step's
    /// transfer; the bad debt, if any).
    function _liquidateLogged(address target) internal returns (LiquidationLog memory l, BadDebt memory d) {
        vm.recordLogs();
        _liqLong(target);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (l, d) = _decode(logs);
    }

    /// @dev Liquidates `target`'s cross account as `liquidator` (no slippage bound or deadline exists: the step
    /// settles at the index). No external call precedes the liquidation itself, so it can follow `vm.expectRevert`.
    function _liqLong(address target) internal returns (int256 closed) {
        vm.prank(liquidator);
        closed = pool.liquidate(target, 0, type(uint256).max);
    }

    /// @dev The first liquidation step of the logs (the largest market's, as `liquidate` returns) and the bad debt.
    function _decode(Vm.Log[] memory logs) internal pure returns (LiquidationLog memory l, BadDebt memory d) {
        for (uint256 i; i < logs.length; ++i) {
            bytes32 t0 = logs[i].topics[0];
            if (t0 == IPerpPool.Liquidated.selector && l.indexPrice == 0) {
                l.marketId = uint256(logs[i].topics[3]);
                (, l.sizeClosed, l.indexPrice, l.penalty, l.reward, l.quoteDelta, l.realizedPnl,) =
                    abi.decode(logs[i].data, (address, int256, uint256, uint256, uint256, int256, int256, int256));
            } else if (t0 == IPerpPool.BadDebtResolved.selector) {
                d.found = true;
                d.marketId = uint256(logs[i].topics[3]);
                (d.badDebt, d.juniorPaid, d.seniorPaid, d.socialized) =
                    abi.decode(logs[i].data, (uint256, uint256, uint256, uint256));
            }
        }
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }
}
