// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OracleStatus} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {MarketState, Position} from "../interfaces/IPerpTypes.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {MarginMath} from "../libraries/MarginMath.sol";
import {MarketMask} from "../libraries/MarketMask.sol";
import {InventoryLogic} from "./InventoryLogic.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title SettlementLogic
/// @notice The keeper-paced settlement with the backstop (`distributePremium`): its net flow, advance repayments,
/// premium, the capital that caps open interest, and, once the tranches hold no more than the loss the chain shows,
/// the residual of the old LPs realized and socialized so new capital can always enter.
abstract contract SettlementLogic is InventoryLogic {
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    function _distributePremium() internal returns (uint256 amount) {
        _settleBackstopFunding();
        _repayBackstopAdvance();
        uint256 pending = _pendingPremium;
        amount = pending / TOKEN_TO_WAD;
        if (amount != 0) {
            _pendingPremium = uint128(pending - amount * TOKEN_TO_WAD);
            collateralToken.forceApprove(address(backstop), amount);
            backstop.distributePremium(amount);
            emit IPerpPool.PremiumDistributed(amount);
        }
        // Keeper-paced anyway: also refresh the capital that caps open interest (LP exits lower it).
        uint256 capital = _syncBackstopCapital();
        // Capital 0 with the net flow settled: the inventory's unrealized loss takes all the tranches hold (or they are
        // empty). It is what keeps them locked against deposits (a visible loss no new LP may pay): realize it now.
        if (capital == 0 && _inventoryMask != 0 && _markInventoryLossToIndex()) {
            _settleBackstopFunding();
            _syncBackstopCapital();
        }
    }

    /// @dev Marks every backstop position under water (funding owed included) to its index, where the oracle vouches
    /// for the index (Normal): the loss is realized into the backstop's net flow and the position keeps its size,
    /// opened at the index (its value there is unchanged: nothing is created or lost). Returns whether any was.
    function _markInventoryLossToIndex() internal returns (bool marked) {
        uint256 mask = _inventoryMask;
        while (mask != 0) {
            uint256 marketId = MarketMask.lowest(mask);
            mask &= mask - 1;
            MarketState storage m = _markets[marketId];
            KnownPrice memory q = _indexAndAccrue(m, _configs[marketId], marketId, false);
            (uint256 index, OracleStatus status) = (q.index, q.status);
            if (status != OracleStatus.Normal) continue;
            Position memory b = _positions[BACKSTOP_ACCOUNT][marketId];
            int256 pnl = _settleFunding(m, b) + MarginMath.unrealizedPnl(b.size, b.openNotional, index);
            if (pnl >= 0) continue;
            // The value `unrealizedPnl` gives the position at the index, so it is worth exactly 0 PnL there now.
            b.openNotional = FixedPoint.mulDivFloor(b.size, index, FixedPoint.WAD).toInt128();
            _positions[BACKSTOP_ACCOUNT][marketId] = b;
            _bookInventoryPnl(marketId, pnl);
            emit IPerpPool.InventoryMarkedToIndex(marketId, index, pnl);
            marked = true;
        }
    }
}
