// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "../interfaces/IBackstop.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {FixedPoint} from "../libraries/FixedPoint.sol";
import {AccountLogic} from "./AccountLogic.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title BackstopLogic
/// @notice Money between the pool and the tranches: draws (bad debt, funding the backstop owes, profit
/// advances), repayment of advances, funding income, and the capital figure that caps open interest.
abstract contract BackstopLogic is AccountLogic {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    /// @dev Draws `amount` (WAD) from the tranches into the pnl pool. Returns what each paid, in WAD, capped so
    /// that juniorPaid + seniorPaid <= amount exactly (the token rounding remainder stays in the pnl pool).
    function _drawBackstop(uint256 amount, IBackstop.LossKind kind)
        internal
        returns (uint256 juniorPaid, uint256 seniorPaid)
    {
        uint256 tokens = amount.mulDivUp(1, TOKEN_TO_WAD);
        (uint256 j, uint256 s) = backstop.absorbLoss(tokens, kind);
        uint256 received = (j + s) * TOKEN_TO_WAD;
        _pnlPool = (uint256(_pnlPool) + received).toUint128();
        uint256 capital = _backstopCapital;
        // Paid less than asked: both tranches are empty now (a vault pays everything it holds first).
        _backstopCapital = uint128(capital > j + s && j + s >= tokens ? capital - (j + s) : 0);
        juniorPaid = FixedPoint.min(j * TOKEN_TO_WAD, amount);
        seniorPaid = FixedPoint.min(s * TOKEN_TO_WAD, amount - juniorPaid);
    }

    /// @dev Profit the backstop advanced goes back, once collected losses exceed every deferred claim, to the
    /// tranche that paid it (senior first: it paid only after junior was empty), as restored capital, not premium.
    function _repayBackstopAdvance() internal {
        uint256 advance = _backstopAdvance;
        if (advance == 0) return;
        uint256 tokens = FixedPoint.min(advance, _pnlSurplus()) / TOKEN_TO_WAD;
        if (tokens == 0) return;
        (uint256 owedJunior, uint256 owedSenior) = backstop.advances();
        uint256 toSenior = FixedPoint.min(tokens, owedSenior);
        uint256 toJunior = FixedPoint.min(tokens - toSenior, owedJunior);
        uint256 repaid = (toJunior + toSenior) * TOKEN_TO_WAD;
        if (repaid == 0) return;
        _backstopAdvance = uint128(advance - repaid);
        _pnlPool -= uint128(repaid);
        collateralToken.forceApprove(address(backstop), toJunior + toSenior);
        backstop.repayAdvance(toJunior, toSenior);
        emit IPerpPool.BackstopAdvanceRepaid(repaid);
    }

    /// @dev Funding income owed to the backstop is paid only out of collected losses; what the backstop owes (funding
    /// imbalance, realized inventory losses, repeg costs) is drawn from the tranches into the pnl pool, and what they
    /// cannot pay (both are empty then) is socialized over the traders' open interest at once, or written off with
    /// none: it is asked for once (the shortfall counts it once) and never waits for, or locks out, new capital.
    function _settleBackstopFunding() internal {
        int256 net = _backstopFundingNet;
        int256 settled;
        if (net > 0) {
            uint256 pay = FixedPoint.min(uint256(net), _pnlSurplus());
            if (pay == 0) return;
            _pnlPool -= uint128(pay);
            _pendingPremium = (uint256(_pendingPremium) + pay).toUint128();
            net -= int256(pay);
            settled = int256(pay);
        } else if (net < 0) {
            uint256 owed = uint256(-net);
            (uint256 j, uint256 s) = _drawBackstop(owed, IBackstop.LossKind.FundingImbalance);
            uint256 paid = j + s;
            if (paid < owed) _socializeOnLargestMarket(owed - paid);
            net = 0;
            settled = -int256(paid);
        } else {
            return;
        }
        _backstopFundingNet = net.toInt128();
        emit IPerpPool.BackstopFundingSettled(settled);
    }

    function _syncBackstopCapital() internal returns (uint256 capital) {
        capital = backstop.capital();
        _backstopCapital = capital.toUint128();
        emit IPerpPool.BackstopCapitalSynced(capital);
    }
}
