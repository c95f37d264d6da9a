// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Stands in for the backstop in vault-only tests: the visible loss reaching each tranche is set by hand
/// (default: none, known). Tests prank this address for the backstop-only calls.
contract MockTrancheBackstop {
    mapping(address tranche => uint256) public reaching;
    bool public unknown;

    function setReaching(address tranche, uint256 loss) external {
        reaching[tranche] = loss;
    }

    function setUnknown(bool unknown_) external {
        unknown = unknown_;
    }

    function visibleLossReaching(address tranche) external view returns (uint256 loss, bool known) {
        return (reaching[tranche], !unknown);
    }
}
