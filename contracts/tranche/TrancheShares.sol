// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "../interfaces/ITrancheVault.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheShares
/// @notice The tranche's share token: OpenZeppelin's ERC-20 balances and supply re-implemented with a share epoch
/// and the holder's boost checkpoint packed beside each amount (uint128 amount | uint32 epoch | uint96 boost index,
/// one slot), so a restart of a wiped tranche writes every old share off in O(1), every balance change still has its
/// `Transfer` event, and every balance change checkpoints the boost points (`TrancheBoost`) without an extra slot.
/// @dev Written-off shares (a balance tagged with an earlier epoch):
/// - keep reading in `balanceOf` and in `totalSupply()` (= current-epoch supply + `writtenOffSupply()`, always the
///   sum of the balances) until burned with `Transfer(holder, address(0), amount)`: on the holder's next share
///   movement (sending or receiving) or by anyone through `burnWrittenOff(holder)`;
/// - are worth nothing: the share price counts current-epoch shares only (`_supply`), and they cannot be moved
///   (a transfer of them reverts `ERC20InsufficientBalance(holder, 0, value)`, the balance being burned first).
/// Why not zero them at the restart: that would change every old holder's balance without an event (indexers and
/// wallets would keep showing them), and emitting one per holder is unbounded. Why not keep them live: they are
/// worth nothing and a new epoch must start at the initial price.
///
/// The vault itself holds the escrow of open requests and claims plus `ESCROW_SENTINEL_SHARES` (1 share wei,
/// locked forever), so its balance and `totalSupply()` never return to zero and neither the first deposit nor an
/// escrow pays a 20k zero-to-nonzero write; its slot is always of the current epoch (a restart burns the old escrow
/// with its event and keeps the sentinel).
abstract contract TrancheShares is ITrancheVault, ERC4626 {
    /// @notice Share wei minted to the vault itself at construction and never moved.
    uint256 public constant ESCROW_SENTINEL_SHARES = 1;

    /// @dev `boostIndex`: the volatility index up to which `amount` has earned its points (`TrancheBoost`).
    /// uint128 amounts: the supply is capped at 2^128 - 1 (a mint beyond reverts), so every balance fits.
    struct ShareSlot {
        uint128 amount;
        uint32 epoch;
        uint96 boostIndex;
    }

    /// @dev The hot slot every price reads: current-epoch shares (sentinel included), the boost pot (assets held for
    /// points, not part of the value), the epoch, and the vault's `receivableMayBeOwed` flag (see
    /// `TrancheVault._receivable`), packed here to cost no extra read.
    struct SupplySlot {
        uint128 amount;
        uint88 boostPot;
        uint32 epoch;
        bool receivableMayBeOwed;
    }

    mapping(address account => ShareSlot) internal _shareSlots;
    SupplySlot internal _supply;
    /// @dev Written-off shares not burned yet.
    uint256 internal _writtenOffSupply;

    /* VIEWS */

    /// @inheritdoc ITrancheVault
    function epoch() external view returns (uint32) {
        return _supply.epoch;
    }

    /// @inheritdoc ITrancheVault
    function writtenOffSupply() external view returns (uint256) {
        return _writtenOffSupply;
    }

    /// @inheritdoc ITrancheVault
    function writtenOffBalance(address holder) external view returns (uint256) {
        ShareSlot memory b = _shareSlot(holder);
        return b.epoch == _supply.epoch ? 0 : b.amount;
    }

    /// @inheritdoc IERC20
    /// @dev Includes a written-off balance until it is burned (see the contract NatSpec).
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _shareSlots[account].amount;
    }

    /// @inheritdoc IERC20
    /// @dev Current-epoch shares plus written-off shares not burned yet: the sum of every `balanceOf`.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return _supply.amount + _writtenOffSupply;
    }

    /* WRITE-OFFS */

    /// @inheritdoc ITrancheVault
    function burnWrittenOff(address holder) external returns (uint256 burned) {
        uint32 current = _supply.epoch;
        ShareSlot memory b = _shareSlot(holder);
        if (b.epoch == current || b.amount == 0) return 0;
        _accruePoints(holder, b, current, 0);
        burned = b.amount;
        _shareSlots[holder] = ShareSlot({amount: 0, epoch: current, boostIndex: 0});
        _dropWrittenOff(holder, burned);
    }

    /// @dev Ends the current epoch: the holders' shares become written off (burned later, see above), the escrow is
    /// burned now (with its event), the vault's slot keeps only the sentinel. Returns the priced shares written off.
    function _writeOffEpoch() internal returns (uint32 next, uint256 writtenOff) {
        SupplySlot memory s = _supply;
        _endBoostEpoch(s.epoch, s.amount);
        uint256 escrow = _escrowed() - ESCROW_SENTINEL_SHARES;
        writtenOff = s.amount - ESCROW_SENTINEL_SHARES;
        next = s.epoch + 1;
        _writtenOffSupply += writtenOff - escrow;
        _supply = SupplySlot({
            amount: uint128(ESCROW_SENTINEL_SHARES),
            boostPot: s.boostPot,
            epoch: next,
            receivableMayBeOwed: s.receivableMayBeOwed
        });
        _shareSlots[address(this)] = ShareSlot({amount: uint128(ESCROW_SENTINEL_SHARES), epoch: next, boostIndex: 0});
        if (escrow != 0) emit Transfer(address(this), address(0), escrow);
    }

    /* TRANSFERS */

    /// @inheritdoc IERC20
    /// @dev Reverts `ERC20InvalidReceiver(vault)` when sending shares to the vault: its own balance is escrow only.
    function transfer(address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transfer(to, value);
    }

    /// @inheritdoc IERC20
    /// @dev Reverts `ERC20InvalidReceiver(vault)` when sending shares to the vault: its own balance is escrow only.
    function transferFrom(address from, address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        if (to == address(this)) revert ERC20InvalidReceiver(to);
        return super.transferFrom(from, to, value);
    }

    /// @dev OpenZeppelin's `_update` over the epoch-tagged slots: a written-off balance is burned (with its event)
    /// before the movement, then counts as 0. Every holder's side is checkpointed first (its points accrued to now,
    /// its index snapshot moved to now); the total points accrue when the movement changes the shares that earn
    /// (a mint, an escrow into the vault, a return from it). The vault's own balance never earns.
    function _update(address from, address to, uint256 value) internal override {
        SupplySlot memory s = _supply;
        bool fromEarns = from != address(0) && from != address(this);
        bool toEarns = to != address(0) && to != address(this);
        // A burn of escrow (neither side earns) needs no index: the vault's own snapshot is never read.
        uint96 index;
        if (fromEarns || toEarns) index = _boostIndex(fromEarns != toEarns, s.amount);
        if (from == address(0)) {
            s.amount = SafeCast.toUint128(uint256(s.amount) + value);
        } else {
            uint256 fromBalance = _currentBalance(from, s.epoch, index);
            if (fromBalance < value) revert ERC20InsufficientBalance(from, fromBalance, value);
            _shareSlots[from] = ShareSlot({amount: uint128(fromBalance - value), epoch: s.epoch, boostIndex: index});
        }
        if (to == address(0)) {
            s.amount -= uint128(value); // value <= a balance <= supply
        } else {
            // Cannot overflow: toBalance + value <= current supply < 2^128, checked above for a mint.
            uint256 toBalance = _currentBalance(to, s.epoch, index);
            _shareSlots[to] = ShareSlot({amount: uint128(toBalance + value), epoch: s.epoch, boostIndex: index});
        }
        if (from == address(0) || to == address(0)) _supply = s;
        emit Transfer(from, to, value);
    }

    /// @dev `account`'s current-epoch balance, its points accrued to `index` (a written-off balance's up to the end of
    /// its epoch) and a written-off balance burned first.
    function _currentBalance(address account, uint32 current, uint96 index) private returns (uint256) {
        ShareSlot memory b = _shareSlot(account);
        if (account != address(this)) _accruePoints(account, b, current, index);
        if (b.epoch == current) return b.amount;
        if (b.amount != 0) _dropWrittenOff(account, b.amount);
        return 0;
    }

    /* BOOST HOOKS (TrancheBoost) */

    /// @dev The volatility index now; accrues (and stores) the total points first when `earningChanges`, with
    /// `supply` the current-epoch supply before the movement.
    function _boostIndex(bool earningChanges, uint256 supply) internal virtual returns (uint96 index);

    /// @dev Adds the points `b` (holder `account`'s slot) earned since its snapshot: up to `index` for a current-epoch
    /// balance, up to the end of its epoch for a written-off one.
    function _accruePoints(address account, ShareSlot memory b, uint32 current, uint96 index) internal virtual;

    /// @dev Closes `epoch`'s points: accrues the total with its last supply and records where the index stood.
    function _endBoostEpoch(uint32 epoch, uint256 supply) internal virtual;

    /// @dev One copy of the slot's unpacking (the vault is close to the size limit).
    function _shareSlot(address account) internal view returns (ShareSlot memory) {
        return _shareSlots[account];
    }

    /// @dev The vault's own balance: the escrow of open requests and settling claims, plus the sentinel.
    function _escrowed() internal view returns (uint256) {
        return _shareSlots[address(this)].amount;
    }

    function _dropWrittenOff(address holder, uint256 amount) private {
        _writtenOffSupply -= amount;
        emit Transfer(holder, address(0), amount);
    }
}
