// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Everything a tranche price needs, read once (see `TrancheVault._value`).
/// @param balance The vault's token balance less the boost pot (the pot is paid by points, not by shares).
/// @param unvested Premium not vested yet.
/// @param gross `balance - unvested`, saturating.
/// @param reaching The visible loss reaching this tranche before its own assets.
/// @param receivable The profit advance this tranche paid and is owed (this epoch's).
/// @param net `gross - min(reaching, gross) + receivable`; 0 while the loss is unknown.
/// @param priced Current-epoch shares but the never-redeemable sentinel.
/// @param epoch The share epoch.
/// @param known False while the loss source reverts.
struct TrancheValue {
    uint256 balance;
    uint256 unvested;
    uint256 gross;
    uint256 reaching;
    uint256 receivable;
    uint256 net;
    uint256 priced;
    uint32 epoch;
    bool known;
}
