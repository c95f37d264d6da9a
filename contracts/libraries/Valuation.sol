// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingMath} from "./FundingMath.sol";
import {MarginMath} from "./MarginMath.sol";

/// @title Valuation
/// @notice How one position counts toward its account's value and requirements at the index. The pool (every
/// state-changing check) and the lens (every view, the stress test) both call this one function, so what the
/// lens shows and what the pool enforces cannot drift apart.
library Valuation {
    /// @param size signed base
    /// @param openNotional signed quote paid
    /// @param fundingEntry the side's cumulative funding index at the position's last settlement
    /// @param cumSide the side's cumulative funding index now (cumLong for a long, cumShort for a short)
    /// @param tiers the market's packed margin tiers
    /// @param index the index price the position is valued at
    /// @param halted the market has no trustworthy price (`index` is its last one): the position's loss counts,
    /// its gain does not (a halted market can never make an account look healthier than it is)
    /// @return pnl unrealized PnL at `index` minus funding owed (rounded against the account)
    /// @return initialReq initial requirement (rounded up)
    /// @return maintReq maintenance requirement (rounded up)
    function contribution(
        int256 size,
        int256 openNotional,
        int256 fundingEntry,
        int256 cumSide,
        uint256 tiers,
        uint256 index,
        bool halted
    ) internal pure returns (int256 pnl, uint256 initialReq, uint256 maintReq) {
        (initialReq, maintReq) = MarginMath.requirements(tiers, MarginMath.notionalUp(size, index));
        pnl = MarginMath.unrealizedPnl(size, openNotional, index) - FundingMath.owed(size, cumSide, fundingEntry);
        if (halted && pnl > 0) pnl = 0;
    }
}
