// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "./ITailRiskOracle.sol";
import {ITrancheVault} from "./ITrancheVault.sol";

/// @title IBackstop
/// @notice Splits premium between the junior and senior tranches and runs the loss waterfall:
/// junior first, senior only once junior is empty; what both cannot pay is returned to the pool to socialize.
/// @dev Amounts are in collateral token units (6 decimals). Only the pool calls the mutating functions.
///
/// Visible loss (DESIGN "The backstop's inventory"): the pool's `backstopInventoryLoss()` (an
/// `IInventoryLossSource`) is split junior first, `visibleLoss()`, and each vault values its shares net of its
/// part, so no claim pays out, and no deposit buys, ahead of a loss the chain already shows.
/// - `initialize` probes the pool once: a pool that does not implement `backstopInventoryLoss()` (an empty revert)
///   holds no inventory and its visible loss is 0 forever (`inventoryLossTracked() == false`). Any other failed
///   probe (the source's own revert, or a probe starved of gas) reverts `InventoryLossUnknown`.
/// - Once tracked, a reverting source makes the loss UNKNOWN: `visibleLossReaching` returns `known = false`, the
///   vaults value their shares at 0 in every view (max* 0) and revert `VisibleLossUnknown()` in
///   deposit/mint/request/claim/cancel until the source answers again; `capital()` and `distributePremium` revert
///   `InventoryLossUnknown()`. A read that fails (a reverting source, or a caller that starves the read of gas) is
///   never stored as a value nor used to move money: nothing is paid or priced against a number the chain cannot
///   show.
///
/// Advances: a `LossKind.ProfitDraw` is recorded per tranche (`advances()`); the pool repays it with
/// `repayAdvance`, each tranche exactly what it is owed, credited at once as restored capital (not premium).
interface IBackstop {
    /// @notice Why a loss was drawn from the tranches.
    enum LossKind {
        BadDebt,
        FundingImbalance,
        ProfitDraw
    }

    error OnlyPool(address caller);
    error PoolAlreadySet();
    error InvalidWeights(uint256 juniorWeight, uint256 seniorWeight);
    /// @notice `repayAdvance` asked to repay a tranche more than it advanced and is still owed.
    error RepayExceedsAdvance(uint256 toJunior, uint256 toSenior, uint256 juniorOwed, uint256 seniorOwed);
    /// @notice The pool's inventory loss could not be read (its source reverted, or the call ran short of gas): a
    /// figure that needs it (`capital`, the premium split) is not computed from a guess.
    error InventoryLossUnknown();

    /// @notice Premium of `amount` split: `toJunior` and `toSenior` streamed into the vaults.
    event PremiumDistributed(uint256 amount, uint256 toJunior, uint256 toSenior);
    /// @notice A draw ran down the waterfall. For a loss (`BadDebt`, `FundingImbalance`), `shortfall` = requested -
    /// juniorPaid - seniorPaid is what neither tranche could pay (the pool socializes or writes it off at once); for a
    /// `ProfitDraw` it is 0 (profit the tranches could not advance stays deferred: no loss).
    event LossAbsorbed(
        LossKind indexed kind, uint256 requested, uint256 juniorPaid, uint256 seniorPaid, uint256 shortfall
    );

    /// @notice An advance was repaid: `toJunior` and `toSenior` credited at once to the tranches that paid them.
    event AdvanceRepaid(uint256 toJunior, uint256 toSenior);
    /// @notice `initialize` found whether the pool reports its backstop inventory's loss.
    event InventoryLossTracking(address indexed pool, bool tracked);

    /// @notice The premium split and boost were wired (`setLpEconomics`).
    event LpEconomicsSet(address indexed tailRiskOracle, uint256 boostShareBps);
    /// @notice The junior's share (bps) one `distributePremium` used, and whether it came from the posted figure
    /// (`ITailRiskOracle.SplitSource.PostedFigure`) or the capital rule.
    event PremiumSplit(uint256 juniorShareBps, ITailRiskOracle.SplitSource source);

    error InvalidBoostShare(uint256 bps);

    function pool() external view returns (address);
    /// @notice The tail-risk oracle the split reads (zero: the capital rule alone).
    function tailRiskOracle() external view returns (ITailRiskOracle);
    /// @notice The part of each tranche's premium paid into its boost pot (bps, at most 5,000).
    function boostShareBps() external view returns (uint256);
    /// @notice Deployer-only, once, after `initialize`: the tail-risk oracle that prices the split and the boost share.
    function setLpEconomics(ITailRiskOracle oracle, uint256 boostShareBps_) external;
    function junior() external view returns (ITrancheVault);
    function senior() external view returns (ITrancheVault);
    /// @notice Premium weight per unit of capital: junior earns juniorWeight / seniorWeight times senior's rate.
    function juniorWeight() external view returns (uint256);
    function seniorWeight() external view returns (uint256);

    /// @notice Capital that backs open interest: junior plus senior `totalAssets()` (token units), i.e. net of the
    /// visible loss. Shares queued for withdrawal count until they are claimed: they still bear every loss, and
    /// leaving them out would let one LP shrink every market's cap with a rolling request.
    /// @dev Warning: a claim lowers the real capital at once; the pool learns it at its next capital sync.
    /// Reverts `InventoryLossUnknown` while the visible loss cannot be read (never reports a 0 it did not measure).
    function capital() external view returns (uint256);

    /// @notice Whether the pool reports `backstopInventoryLoss()` (probed once in `initialize`).
    function inventoryLossTracked() external view returns (bool);

    /// @notice The pool's unrealized inventory loss (tokens) and whether it is known (see the contract NatSpec).
    function inventoryLoss() external view returns (uint256 loss, bool known);

    /// @notice The visible loss split junior first: junior's part is min(loss, junior's gross assets), senior's
    /// part is min(rest, senior's gross assets). With the loss unknown, each part is that tranche's gross assets.
    function visibleLoss() external view returns (uint256 junior, uint256 senior);

    /// @notice The visible loss that reaches `tranche` before its own assets: the whole inventory loss for junior,
    /// what junior's gross assets do not cover for senior, 0 for any other address.
    /// @return loss tokens reaching the tranche (it bears min(loss, its gross assets))
    /// @return known false when the pool's source reverted
    function visibleLossReaching(address tranche) external view returns (uint256 loss, bool known);

    /// @notice Outstanding profit advances (tokens) each tranche paid through `LossKind.ProfitDraw` draws and has not
    /// yet been repaid.
    function advances() external view returns (uint256 junior, uint256 senior);

    /// @notice Pool-only. Repays advances to the tranches that paid them: pulls `toJunior + toSenior` tokens from
    /// the pool (which must have approved the backstop) and credits each vault at once as restored capital
    /// (`ITrancheVault.restoreCapital`, not streamed premium). Emits `AdvanceRepaid`.
    /// @dev Reverts `RepayExceedsAdvance` when either amount exceeds that tranche's outstanding advance.
    /// Both zero is a no-op.
    function repayAdvance(uint256 toJunior, uint256 toSenior) external;

    /// @notice Pool-only. Pulls `amount` tokens from the pool and streams it into the two vaults in proportion
    /// to weight x capital (each tranche's assets net of its visible loss). With both tranches empty the premium
    /// waits in the backstop until capital arrives.
    /// @dev Reverts `InventoryLossUnknown` while the visible loss cannot be read (the split would be a guess).
    function distributePremium(uint256 amount) external;

    /// @notice Pool-only. Draws up to `amount` from junior, then the rest from senior, paid to the pool. A
    /// `LossKind.ProfitDraw` adds what each paid to `advances()`; any other kind adds what neither paid to the
    /// shortfall (`totals()`): the pool asks for each loss once and socializes what comes back short.
    /// @return juniorPaid tokens junior paid
    /// @return seniorPaid tokens senior paid
    function absorbLoss(uint256 amount, LossKind kind) external returns (uint256 juniorPaid, uint256 seniorPaid);

    /// @notice Cumulative totals, for anyone to inspect the waterfall: premium and losses per tranche as each vault
    /// records them, and what neither could pay of the losses drawn (each loss counted once, socialized or written
    /// off by the pool; unpaid profit advances are not losses and are not counted).
    function totals()
        external
        view
        returns (
            uint256 premiumToJunior,
            uint256 premiumToSenior,
            uint256 juniorLoss,
            uint256 seniorLoss,
            uint256 shortfall
        );
}
