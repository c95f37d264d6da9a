// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "./ITrancheVault.sol";

/// @title IBackstop
/// @notice Splits premium between the junior and senior tranches and runs the loss waterfall:
/// junior first, senior only once junior is empty; what both cannot pay is returned to the pool to socialize.
/// @dev Amounts are in collateral token units (6 decimals). Only the pool calls the mutating functions.
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

    /// @notice Premium of `amount` split: `toJunior` and `toSenior` streamed into the vaults.
    event PremiumDistributed(uint256 amount, uint256 toJunior, uint256 toSenior);
    /// @notice A loss ran down the waterfall. `shortfall` = requested - juniorPaid - seniorPaid goes back to the pool.
    event LossAbsorbed(
        LossKind indexed kind, uint256 requested, uint256 juniorPaid, uint256 seniorPaid, uint256 shortfall
    );

    function pool() external view returns (address);
    function junior() external view returns (ITrancheVault);
    function senior() external view returns (ITrancheVault);
    /// @notice Premium weight per unit of capital: junior earns juniorWeight / seniorWeight times senior's rate.
    function juniorWeight() external view returns (uint256);
    function seniorWeight() external view returns (uint256);

    /// @notice Capital that backs open interest: junior plus senior assets (token units).
    function capital() external view returns (uint256);

    /// @notice Pool-only. Pulls `amount` tokens from the pool and streams it into the two vaults in proportion
    /// to weight x capital. With both tranches empty the premium waits in the backstop until capital arrives.
    function distributePremium(uint256 amount) external;

    /// @notice Pool-only. Draws up to `amount` from junior, then the rest from senior, paid to the pool.
    /// @return juniorPaid tokens junior paid
    /// @return seniorPaid tokens senior paid
    function absorbLoss(uint256 amount, LossKind kind) external returns (uint256 juniorPaid, uint256 seniorPaid);

    /// @notice Cumulative totals, for anyone to inspect the waterfall.
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
