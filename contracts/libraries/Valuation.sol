// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingMath} from "./FundingMath.sol";
import {MarginMath} from "./MarginMath.sol";

/// @title Valuation
/// @notice How one position counts toward its account's value at the index. The pool (every state-changing check)
/// and the lens (every view, the stress test) both call this one function, and both take requirements from
/// `PortfolioMargin`, so what the lens shows and what the pool enforces cannot drift apart.
library Valuation {
    /// @param size signed base
    /// @param openNotional signed quote paid
    /// @param fundingEntry the side's cumulative funding index at the position's last settlement
    /// @param cumSide the side's cumulative funding index now (cumLong for a long, cumShort for a short)
    /// @param index the index price the position is valued at
    /// @param halted the market has no trustworthy price (`index` is its last one): the position's loss counts,
    /// its gain does not (a halted market can never make an account look healthier than it is)
    /// @return value unrealized PnL at `index` minus funding owed (rounded against the account)
    function pnl(int256 size, int256 openNotional, int256 fundingEntry, int256 cumSide, uint256 index, bool halted)
        internal
        pure
        returns (int256 value)
    {
        value = MarginMath.unrealizedPnl(size, openNotional, index) - FundingMath.owed(size, cumSide, fundingEntry);
        if (halted && value > 0) value = 0;
    }
}
