// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccountHealth, MarketConfig, MarketState, PositionView} from "../../contracts/interfaces/IPerpTypes.sol";
import {VammMath} from "../../contracts/libraries/VammMath.sol";
import {PoolFixture} from "./PoolFixture.sol";

/// @notice PoolFixture plus what the trading, funding and risk tests share: exact curve quotes computed from the
/// stored reserves, config edits, and oracle moves that stay below the jump breaker.
abstract contract TradingFixture is PoolFixture {
    uint256 internal constant FEE_BPS = 10;
    uint256 internal constant BPS = 10_000;
    /// @dev Below the fixture oracle's 15 % jump threshold.
    uint256 internal constant SAFE_STEP_BPS = 1400;

    /* CURVE */

    function _reserves(uint256 marketId) internal view returns (uint256 base, uint256 quote) {
        MarketState memory m = pool.marketState(marketId);
        return (m.baseReserve, m.quoteReserve);
    }

    function _mark(uint256 marketId) internal view returns (uint256) {
        (uint256 base, uint256 quote) = _reserves(marketId);
        return VammMath.markPrice(base, quote);
    }

    function _k(uint256 marketId) internal view returns (uint256) {
        (uint256 base, uint256 quote) = _reserves(marketId);
        return base * quote;
    }

    /// @dev Quote a buy of `size` base would pay now, and the mark after it.
    function _quoteBuy(uint256 marketId, uint256 size) internal view returns (uint256 quoteIn, uint256 markAfter) {
        (uint256 base, uint256 quote) = _reserves(marketId);
        (uint256 q, uint256 nb, uint256 nq) = VammMath.quoteToBuyBase(base, quote, size);
        return (q, VammMath.markPrice(nb, nq));
    }

    /// @dev Quote a sale of `size` base would receive now, and the mark after it.
    function _quoteSell(uint256 marketId, uint256 size) internal view returns (uint256 quoteOut, uint256 markAfter) {
        (uint256 base, uint256 quote) = _reserves(marketId);
        (uint256 q, uint256 nb, uint256 nq) = VammMath.quoteForSellingBase(base, quote, size);
        return (q, VammMath.markPrice(nb, nq));
    }

    function _fee(uint256 quote) internal pure returns (uint256) {
        return (quote * FEE_BPS + BPS - 1) / BPS;
    }

    /* CONFIG AND ORACLE */

    function _config(uint256 marketId) internal view returns (MarketConfig memory) {
        return pool.marketConfig(marketId);
    }

    function _setConfig(uint256 marketId, MarketConfig memory c) internal {
        vm.prank(admin);
        pool.setMarketConfig(marketId, c);
    }

    /// @dev Next block (one second later), then every feed of `marketId` at `price`.
    function _nextBlockPrice(uint256 marketId, uint256 price) internal {
        vm.warp(block.timestamp + 1);
        _setPrice(marketId, price);
    }

    /// @dev Moves the index to `target` in steps below the jump breaker, one block each, refreshing the oracle
    /// at every step so it stays Normal (a pump "in minutes").
    function _walkIndex(uint256 marketId, uint256 target) internal {
        (uint256 price,) = oracle.refresh(marketId);
        while (price != target) {
            uint256 step = price * SAFE_STEP_BPS / BPS;
            if (target > price) price = target - price > step ? price + step : target;
            else price = price - target > step ? price - step : target;
            // Feeds carry 8 decimals: keep the price representable.
            price = price / 1e10 * 1e10;
            _nextBlockPrice(marketId, price);
            oracle.refresh(marketId);
        }
    }

    /* ACCOUNTS */

    function _health(address who) internal view returns (AccountHealth memory) {
        return lens.accountHealth(who, 0);
    }

    /// @dev Collateral plus deferred profit: what the account holds after realizations (WAD).
    function _balance(address who) internal view returns (int256) {
        return int256(pool.account(who, 0).collateral) + int256(uint256(pool.account(who, 0).unsettledProfit));
    }

    /// @dev Sum of the negative per-position parts (unrealized PnL minus funding owed) of an account.
    function _negativePnl(address who, uint96 subId) internal view returns (int256 neg) {
        PositionView[] memory ps = lens.positions(who, subId);
        for (uint256 i; i < ps.length; ++i) {
            int256 p = ps[i].unrealizedPnl - ps[i].fundingOwed;
            if (p < 0) neg += p;
        }
    }

    function _buy(address who, uint256 marketId, uint256 size) internal returns (uint256) {
        return _trade(who, marketId, int256(size));
    }

    function _sell(address who, uint256 marketId, uint256 size) internal returns (uint256) {
        return _trade(who, marketId, -int256(size));
    }
}
