// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IInventoryLossSource} from "./interfaces/IInventoryLossSource.sol";
import {ITailRiskOracle} from "./interfaces/ITailRiskOracle.sol";
import {ITrancheBoost} from "./interfaces/ITrancheBoost.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {PremiumStream, PremiumStreamMath} from "./libraries/PremiumStreamMath.sol";
import {SharePriceMath} from "./libraries/SharePriceMath.sol";
import {TrancheExitQueue} from "./tranche/TrancheExitQueue.sol";
import {TrancheExits} from "./tranche/TrancheExits.sol";
import {TrancheValue} from "./tranche/TrancheValue.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheVault
/// @notice ERC-4626 vault for one risk tranche: premium streams in, losses are drawn out by the backstop, shares are
/// valued net of the loss the chain already shows and with the advances the tranche is owed, exits go request ->
/// cooldown -> claim -> settlement (junior claims gated by coverage, FIFO), a wiped tranche restarts at a fresh share
/// price, and part of the premium is paid by boost points for staying through volatile windows. See {ITrancheVault},
/// {ITrancheBoost}, {ITrancheExitGate}.
/// @dev The share token (epochs, write-offs) is `TrancheShares`, the boost `TrancheBoost`, the exit records and the
/// junior's gate `TrancheExitQueue`, the withdrawal entry points `TrancheExits`. The tail-risk oracle (exit floor,
/// boost multiplier) is read through `IBackstop.tailRiskOracle()` (none: floor 0, multiplier 1×).
/// Deployment: backstop -> pool -> junior (lossSource = pool, junior = 0) -> senior (lossSource = pool,
/// junior = the junior vault) -> `backstop.initialize(pool, junior, senior)`. No initializer, no owner.
///
/// Storage besides the shares and the queue: `_stream`, one slot, two linear ramps as vesting rates
/// (`PremiumStreamMath`); `_totals`, one slot (uint128 premium received | uint128 loss covered) and `_restored`,
/// one slot (uint128 capital restored | uint128 receivable written off by restarts), touched by the backstop only.
/// The boost pot is held in the vault's token balance but is not tranche value: `grossAssets` leaves it out.
contract TrancheVault is TrancheExits {
    using SafeCast for uint256;
    using PremiumStreamMath for PremiumStream;

    uint64 public constant MIN_STREAM_DURATION = 1 hours;
    uint64 public constant MAX_STREAM_DURATION = 30 days;
    /// @notice Virtual-share offset (decimals of shares = asset decimals + 6) against first-depositor inflation.
    uint8 public constant DECIMALS_OFFSET = SharePriceMath.DECIMALS_OFFSET;
    /// @notice The tranche counts as wiped when the share price is below 1 / WIPED_PRICE_FACTOR of the initial price.
    uint256 public constant WIPED_PRICE_FACTOR = SharePriceMath.WIPED_PRICE_FACTOR;

    /// @inheritdoc ITrancheVault
    address public immutable override backstop;
    /// @inheritdoc ITrancheVault
    address public immutable override lossSource;
    /// @inheritdoc ITrancheVault
    address public immutable override juniorTranche;
    /// @inheritdoc ITrancheVault
    uint64 public immutable override premiumStreamDuration;

    struct Totals {
        uint128 premiumReceived;
        uint128 lossCovered;
    }

    struct Restored {
        uint128 capital;
        uint128 writtenOffReceivable;
    }

    PremiumStream internal _stream;
    Totals internal _totals;
    Restored internal _restored;

    constructor(IERC20 asset_, string memory name_, string memory symbol_, Config memory config)
        ERC20(name_, symbol_)
        ERC4626(asset_)
        TrancheExitQueue(config.cooldown, config.claimWindow, config.settlementDelay)
    {
        if (config.backstop == address(0)) {
            revert ZeroBackstop();
        }
        if (config.junior == address(this) || (config.junior != address(0) && config.junior.code.length == 0)) {
            revert InvalidJunior(config.junior);
        }
        uint64 d = config.premiumStreamDuration;
        if (d < MIN_STREAM_DURATION || d > MAX_STREAM_DURATION) revert InvalidPremiumStreamDuration(d);
        backstop = config.backstop;
        lossSource = _probe(config.lossSource);
        juniorTranche = config.junior;
        premiumStreamDuration = d;
        _mint(address(this), ESCROW_SENTINEL_SHARES);
        if (_receivable() != 0) _supply.receivableMayBeOwed = true;
    }

    modifier onlyBackstop() {
        _checkBackstop();
        _;
    }

    /* ACCOUNTING */

    /// @inheritdoc IERC4626
    /// @dev Gross assets minus this tranche's part of the visible loss plus its receivable (0 while the loss is
    /// unknown).
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return _value().net;
    }

    /// @inheritdoc ITrancheVault
    /// @dev The boost pot is left out (it is paid by points, not by shares).
    function grossAssets() public view returns (uint256) {
        uint256 balance = _heldForShares();
        uint256 unvested = _unvested(_stream);
        return balance > unvested ? balance - unvested : 0;
    }

    /// @inheritdoc ITrancheVault
    function visibleLoss() external view returns (uint256) {
        TrancheValue memory v = _value();
        return v.known ? Math.min(v.reaching, v.gross) : v.gross;
    }

    /// @inheritdoc ITrancheVault
    function receivable() external view returns (uint256) {
        return _receivable();
    }

    /// @inheritdoc ITrancheVault
    /// @dev Never more than the vault holds: the streams' per-ramp rounding (up) can exceed, by a wei, a balance that a
    /// loss drew down, and the vault values (and covers losses from) at most its balance, as `grossAssets` does.
    function unvestedPremium() external view returns (uint256) {
        return Math.min(_unvested(_stream), _heldForShares());
    }

    /// @inheritdoc ITrancheVault
    function totalPremiumReceived() external view returns (uint256) {
        return _totals.premiumReceived;
    }

    /// @inheritdoc ITrancheVault
    function totalLossCovered() external view returns (uint256) {
        return _totals.lossCovered;
    }

    /// @inheritdoc ITrancheVault
    function totalCapitalRestored() external view returns (uint256) {
        return _restored.capital;
    }

    /// @inheritdoc ITrancheVault
    function isWiped() public view returns (bool) {
        TrancheValue memory v = _value();
        return SharePriceMath.priceWiped(v.net, v.priced);
    }

    /* DEPOSITS */

    /// @inheritdoc IERC4626
    /// @dev 0 while deposits are locked (see `ITrancheVault.isWiped`) and for `receiver == vault`.
    function maxDeposit(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return receiver != address(this) && _gate(_value()) != Gate.Locked ? type(uint256).max : 0;
    }

    /// @inheritdoc IERC4626
    /// @dev 0 while deposits are locked (see `ITrancheVault.isWiped`) and for `receiver == vault`.
    function maxMint(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return maxDeposit(receiver);
    }

    /// @inheritdoc IERC4626
    /// @dev At the fresh price when this deposit would restart a wiped tranche.
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        (uint256 net, uint256 priced) = _depositPrice(_value());
        return SharePriceMath.toSharesDown(assets, net, priced);
    }

    /// @inheritdoc IERC4626
    /// @dev At the fresh price when this mint would restart a wiped tranche.
    function previewMint(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        (uint256 net, uint256 priced) = _depositPrice(_value());
        return SharePriceMath.toAssetsUp(shares, net, priced);
    }

    /// @inheritdoc IERC4626
    /// @dev Reverts `InvalidReceiver(vault)`, `VisibleLossUnknown()`, or `TrancheWiped()` while deposits are locked;
    /// restarts a wiped tranche first when it may (see `ITrancheVault.isWiped`). Shares rounded down.
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        (uint256 net, uint256 priced) = _openForDeposit(receiver);
        shares = SharePriceMath.toSharesDown(assets, net, priced);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    /// @dev Same gates as `deposit`. Assets rounded up.
    function mint(uint256 shares, address receiver)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        (uint256 net, uint256 priced) = _openForDeposit(receiver);
        assets = SharePriceMath.toAssetsUp(shares, net, priced);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /* BACKSTOP */

    /// @inheritdoc ITrancheVault
    /// @dev Pulls before writing the stream (as OpenZeppelin's `_deposit` does): a token hook firing during the
    /// pull sees the old, consistent state; the reentrancy lock blocks any state change from it.
    function addPremium(uint256 assets) external nonReentrant onlyBackstop {
        _receivePremium(assets, 0);
    }

    /// @inheritdoc ITrancheBoost
    /// @dev `assets` streams exactly as `addPremium(assets)` would (`PremiumAdded`); `boostAssets` joins the pot at
    /// once (`BoostPremiumAdded`): it is paid by points, never by shares, so it does not touch the share price.
    function addBoostedPremium(uint256 assets, uint256 boostAssets) external nonReentrant onlyBackstop {
        _receivePremium(assets, boostAssets);
    }

    /// @inheritdoc ITrancheVault
    /// @dev The backstop lowered `advances()` before this call, so the receivable fell by `assets` as the balance
    /// rises by it. A repayment of a receivable written off by a restart streams in instead (it was not counted).
    function restoreCapital(uint256 assets) external nonReentrant onlyBackstop {
        if (assets == 0) return;
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(this), assets);
        Restored memory r = _restored;
        uint256 old = Math.min(assets, r.writtenOffReceivable);
        r.capital += assets.toUint128();
        r.writtenOffReceivable -= uint128(old);
        _restored = r;
        if (old != 0) _streamAdd(old);
        _syncReceivableFlag();
        emit CapitalRestored(assets);
    }

    /// @inheritdoc ITrancheVault
    function coverLoss(uint256 assets, address to) external nonReentrant onlyBackstop returns (uint256 paid) {
        if (to == address(0)) revert ZeroRecipient();
        if (assets == 0) return 0;

        uint256 balance = IERC20(asset()).balanceOf(address(this));
        uint256 pot = Math.min(_supply.boostPot, balance);
        uint256 held = balance - pot;
        PremiumStream memory st = _stream;
        uint256 vested = held - Math.min(_unvested(st), held);
        paid = Math.min(assets, balance);

        // Vested assets first; then the stream (latest-vesting ramp first, no end moves); the boost pot last. Once
        // everything outside the pot is paid, the whole stream goes: each ramp rounds its own part up, so covering
        // just the (once-rounded) total could leave a wei "unvesting" that would swallow the next deposit's first wei.
        if (paid > vested) {
            _stream = st.cover(paid >= held ? type(uint256).max : paid - vested, premiumStreamDuration);
        }
        if (paid > held) {
            uint256 fromPot = paid - held;
            _supply.boostPot = uint88(pot - fromPot);
        }
        _totals.lossCovered += paid.toUint128();
        // The backstop may record what was paid as this tranche's advance right after this call returns.
        if (paid != 0 && !_supply.receivableMayBeOwed) _supply.receivableMayBeOwed = true;

        emit LossCovered(assets, paid, to);
        if (paid != 0) SafeERC20.safeTransfer(IERC20(asset()), to, paid);
    }

    /* INTERNAL: VALUATION */

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset), at the net value.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        TrancheValue memory v = _value();
        return SharePriceMath.toShares(assets, v.net, v.priced, rounding);
    }

    /// @dev Same formula as OpenZeppelin's (virtual shares and one virtual asset), at the net value.
    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        TrancheValue memory v = _value();
        return SharePriceMath.toAssets(shares, v.net, v.priced, rounding);
    }

    /// @dev Balance = tokens held less the boost pot; gross = balance - unvested premium; net = gross - min(visible
    /// loss reaching this tranche, gross) + receivable, or 0 while the loss is unknown; priced = every current-epoch
    /// share but the sentinel.
    function _value() internal view override returns (TrancheValue memory v) {
        SupplySlot memory s = _supply;
        uint256 tokens = IERC20(asset()).balanceOf(address(this));
        v.balance = tokens > s.boostPot ? tokens - s.boostPot : 0;
        v.unvested = _unvested(_stream);
        v.gross = v.balance > v.unvested ? v.balance - v.unvested : 0;
        (v.reaching, v.known) = _visibleLossReaching();
        if (v.known) {
            v.receivable = _supply.receivableMayBeOwed ? _receivable() : 0;
            v.net = (v.gross > v.reaching ? v.gross - v.reaching : 0) + v.receivable;
        }
        v.priced = s.amount - ESCROW_SENTINEL_SHARES;
        v.epoch = s.epoch;
    }

    /// @dev The pool's inventory loss, read directly, split junior first: all of it reaches junior, what junior's
    /// gross assets do not cover reaches senior. `known` is false while the pool's view reverts.
    function _visibleLossReaching() private view returns (uint256 loss, bool known) {
        if (lossSource == address(0)) return (0, true);
        try IInventoryLossSource(lossSource).backstopInventoryLoss() returns (uint256 l) {
            loss = l;
        } catch {
            return (0, false);
        }
        known = true;
        if (loss == 0 || juniorTranche == address(0)) return (loss, true);
        uint256 juniorGross = ITrancheVault(juniorTranche).grossAssets();
        loss = loss > juniorGross ? loss - juniorGross : 0;
    }

    /// @dev A source that does not answer at construction has no inventory: not tracked (`Backstop.initialize`
    /// probes the same pool the same way), so its visible loss is 0 forever.
    function _probe(address source) private view returns (address) {
        if (source == address(0)) return source;
        try IInventoryLossSource(source).backstopInventoryLoss() returns (uint256) {
            return source;
        } catch {
            return address(0);
        }
    }

    /// @dev This tranche's outstanding advance (`IBackstop.advances()`) less what restarts wrote off. Prices read it
    /// only while `receivableMayBeOwed` (saving the backstop call, ~5k gas, on every LP action otherwise): the flag is
    /// set by every `coverLoss` that pays (an advance grows only right after its tranche's `coverLoss` paid it, in
    /// `Backstop.absorbLoss`), and re-evaluated at each `addPremium` and `restoreCapital`, when the backstop is
    /// settled. Set at construction when the backstop already records an advance for this tranche.
    function _receivable() private view returns (uint256) {
        (uint256 j, uint256 s) = IBackstop(backstop).advances();
        uint256 owed = juniorTranche == address(0) ? j : s;
        uint256 writtenOff = _restored.writtenOffReceivable;
        return owed > writtenOff ? owed - writtenOff : 0;
    }

    /// @dev Clears `receivableMayBeOwed` once the backstop records nothing owed (no-op when already clear).
    function _syncReceivableFlag() private {
        if (_supply.receivableMayBeOwed && _receivable() == 0) _supply.receivableMayBeOwed = false;
    }

    enum Gate {
        Open,
        Restart,
        Locked
    }

    /// @dev Open: deposits at the current price. Restart: the tranche is wiped, everything it holds (premium
    /// included) and is owed is below the floor, and no visible loss reaches it (a visible loss can still reverse:
    /// restarting on it would hand the recovery to the new epoch): the next deposit starts a new epoch.
    /// Locked: the loss is unknown, the visible loss exceeds the tranche (new money would pay it), or the price is
    /// wiped while the tranche still holds or is owed something above the floor, or a visible loss reaches it.
    function _gate(TrancheValue memory v) private pure returns (Gate) {
        if (!v.known || v.reaching > v.gross) return Gate.Locked;
        if (!SharePriceMath.priceWiped(v.net, v.priced)) return Gate.Open;
        if (v.reaching == 0 && v.balance + v.receivable < SharePriceMath.floor(v.priced)) return Gate.Restart;
        return Gate.Locked;
    }

    /// @dev The price a deposit gets now: after a restart no LP share is left and everything held is unvested.
    function _depositPrice(TrancheValue memory v) private pure returns (uint256 net, uint256 priced) {
        return _gate(v) == Gate.Restart ? (0, 0) : (v.net, v.priced);
    }

    function _openForDeposit(address receiver) private returns (uint256 net, uint256 priced) {
        if (receiver == address(this)) revert InvalidReceiver(receiver);
        TrancheValue memory v = _value();
        if (!v.known) revert VisibleLossUnknown();
        Gate gate = _gate(v);
        if (gate == Gate.Locked) revert TrancheWiped();
        if (gate == Gate.Open) return (v.net, v.priced);
        _restart(v);
        return (0, 0);
    }

    /// @dev Writes every share of the current epoch off, streams what was left (all below the floor) into the new
    /// epoch like premium, and writes the dust receivable off (its repayment will stream in too).
    function _restart(TrancheValue memory v) private {
        (uint32 next, uint256 writtenOff) = _writeOffEpoch();
        _resetExitQueue();
        if (v.gross != 0) _streamAdd(v.gross);
        if (v.receivable != 0) _restored.writtenOffReceivable += v.receivable.toUint128();
        emit TrancheRestarted(next, writtenOff, v.balance, v.receivable);
    }

    /// @dev Out of the modifier so its revert is compiled once.
    function _checkBackstop() private view {
        if (msg.sender != backstop) revert NotBackstop(msg.sender);
    }

    /* INTERNAL: LP ECONOMICS */

    /// @dev Junior (no junior below it): its exits are gated.
    function _gated() internal view override returns (bool) {
        return juniorTranche == address(0);
    }

    /// @dev The backstop's tail-risk oracle (`setLpEconomics`), address(0) before it is wired.
    function _tailRiskOracle() internal view override returns (ITailRiskOracle) {
        return IBackstop(backstop).tailRiskOracle();
    }

    /// @dev The vault's tokens less the boost pot (saturating; the pot never exceeds them).
    function _heldForShares() private view returns (uint256) {
        uint256 tokens = IERC20(asset()).balanceOf(address(this));
        uint256 pot = _supply.boostPot;
        return tokens > pot ? tokens - pot : 0;
    }

    /* INTERNAL: PREMIUM STREAM */

    /// @dev Pulls `assets + boostAssets` from the backstop: `assets` streams in, `boostAssets` joins the boost pot.
    function _receivePremium(uint256 assets, uint256 boostAssets) private {
        uint256 pulled = assets + boostAssets;
        if (pulled == 0) return;
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(this), pulled);
        if (assets != 0) {
            uint64 end = _streamAdd(assets);
            _totals.premiumReceived += assets.toUint128();
            emit PremiumAdded(assets, end);
        }
        if (boostAssets != 0) {
            _supply.boostPot = (uint256(_supply.boostPot) + boostAssets).toUint88();
            emit BoostPremiumAdded(boostAssets);
        }
        _syncReceivableFlag();
    }

    /// @dev Adds `assets` to the ramp ending at `(now / D + 2) * D`; returns that end.
    function _streamAdd(uint256 assets) private returns (uint64) {
        PremiumStream memory s = _stream.add(assets, premiumStreamDuration);
        _stream = s;
        return s.farEnd;
    }

    function _unvested(PremiumStream memory s) private view returns (uint256) {
        return s.unvested(premiumStreamDuration);
    }
}
