// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Stands in for the backstop AND the pool's inventory-loss source in vault-only tests (deploy the vault with
/// `backstop = lossSource = this`, as junior): the inventory loss (all of it reaches a junior vault), whether it is
/// known, and the outstanding advances are set by hand (default: none, known). Tests prank this address for the
/// backstop-only calls.
contract MockTrancheBackstop {
    error LossUnknown();

    uint256 public loss;
    bool public unknown;
    uint256 public advanceJunior;
    uint256 public advanceSenior;
    /// @dev `IBackstop.tailRiskOracle()`: none by default (no exit floor, 1× boost).
    address public tailRiskOracle;

    /// @dev `tranche` is kept for readability at the call sites: a junior vault reads the whole loss.
    function setReaching(address, uint256 loss_) external {
        loss = loss_;
    }

    function reaching(address) external view returns (uint256) {
        return loss;
    }

    function setUnknown(bool unknown_) external {
        unknown = unknown_;
    }

    function setAdvances(uint256 junior, uint256 senior) external {
        advanceJunior = junior;
        advanceSenior = senior;
    }

    function setTailRiskOracle(address oracle) external {
        tailRiskOracle = oracle;
    }

    function backstopInventoryLoss() external view returns (uint256) {
        if (unknown) revert LossUnknown();
        return loss;
    }

    function advances() external view returns (uint256, uint256) {
        return (advanceJunior, advanceSenior);
    }
}
