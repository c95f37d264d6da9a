// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IInventoryLossSource} from "./interfaces/IInventoryLossSource.sol";
import {ITailRiskOracle} from "./interfaces/ITailRiskOracle.sol";
import {ITrancheBoost} from "./interfaces/ITrancheBoost.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title Backstop
/// @notice Premium split between the junior and senior tranches by the junior share the tail-risk oracle posts
/// (measured tail risk), or by risk weight x capital while no fresh figure applies; a fixed part of each tranche's
/// premium goes to its boost pot. And the loss waterfall: junior pays first, senior only what junior could not, the
/// rest goes back to the pool to socialize.
/// @dev Deployed first (the vaults and the pool take its address), then wired once by its deployer.
contract Backstop is IBackstop {
    using SafeERC20 for IERC20;

    error AlreadyInitialized();
    error NotDeployer(address caller);
    error VaultMismatch(address vault);

    IERC20 public immutable asset;
    address private immutable _deployer;
    /// @inheritdoc IBackstop
    uint256 public immutable juniorWeight;
    /// @inheritdoc IBackstop
    uint256 public immutable seniorWeight;

    /// @inheritdoc IBackstop
    address public pool;
    /// @inheritdoc IBackstop
    bool public inventoryLossTracked;
    /// @inheritdoc IBackstop
    ITrancheVault public junior;
    /// @inheritdoc IBackstop
    ITrancheVault public senior;
    /// @inheritdoc IBackstop
    ITailRiskOracle public tailRiskOracle;
    /// @inheritdoc IBackstop
    uint256 public boostShareBps;
    /// @notice The most of a tranche's premium its boost pot may take.
    uint256 public constant MAX_BOOST_SHARE_BPS = 5000;
    uint256 private constant BPS = 10_000;
    bool private _lpEconomicsSet;

    /// @dev What neither tranche could pay (tokens). Premium and losses per tranche are each vault's own record
    /// (`totalPremiumReceived`, `totalLossCovered`: only this contract moves them), not kept twice.
    uint256 private _shortfall;
    /// @dev Outstanding profit advances per tranche, one slot (tokens).
    uint128 private _advanceJunior;
    uint128 private _advanceSenior;

    /// @param juniorWeight_ premium weight of one unit of junior capital (e.g. 3)
    /// @param seniorWeight_ premium weight of one unit of senior capital (e.g. 1); junior must weigh more
    constructor(IERC20 asset_, uint256 juniorWeight_, uint256 seniorWeight_) {
        if (seniorWeight_ == 0 || juniorWeight_ <= seniorWeight_ || juniorWeight_ > 100 * seniorWeight_) {
            revert InvalidWeights(juniorWeight_, seniorWeight_);
        }
        asset = asset_;
        juniorWeight = juniorWeight_;
        seniorWeight = seniorWeight_;
        _deployer = msg.sender;
    }

    /// @notice One-time wiring by the deployer: the pool and the two vaults (which must point back here).
    function initialize(address pool_, ITrancheVault junior_, ITrancheVault senior_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (pool != address(0)) revert AlreadyInitialized();
        if (pool_ == address(0)) revert OnlyPool(pool_);
        _checkVault(junior_);
        _checkVault(senior_);
        if (address(junior_) == address(senior_)) revert VaultMismatch(address(senior_));
        pool = pool_;
        junior = junior_;
        senior = senior_;
        // A pool without a backstop inventory has no inventory loss; one that has it must answer from the start. Only
        // an empty revert with gas to spare means "not implemented": the source's own revert (an oracle's gas floor)
        // or a probe starved of gas proves nothing, so the wiring reverts rather than record "not tracked" forever.
        uint256 gasBefore = gasleft();
        try IInventoryLossSource(pool_).backstopInventoryLoss() returns (uint256) {
            inventoryLossTracked = true;
        } catch (bytes memory reason) {
            if (reason.length != 0 || gasleft() <= gasBefore / 64) revert InventoryLossUnknown();
        }
        emit InventoryLossTracking(pool_, inventoryLossTracked);
    }

    /// @inheritdoc IBackstop
    function setLpEconomics(ITailRiskOracle oracle, uint256 boostShareBps_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        if (pool == address(0) || _lpEconomicsSet) revert AlreadyInitialized();
        if (boostShareBps_ > MAX_BOOST_SHARE_BPS) revert InvalidBoostShare(boostShareBps_);
        _lpEconomicsSet = true;
        tailRiskOracle = oracle;
        boostShareBps = boostShareBps_;
        emit LpEconomicsSet(address(oracle), boostShareBps_);
    }

    function _checkVault(ITrancheVault v) private view {
        if (v.backstop() != address(this) || v.asset() != address(asset)) revert VaultMismatch(address(v));
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert OnlyPool(msg.sender);
        _;
    }

    /// @inheritdoc IBackstop
    function capital() external view returns (uint256) {
        (uint256 j, uint256 s) = _netAssets();
        return j + s;
    }

    /// @dev Each tranche's assets net of its part of the visible loss (what its `totalAssets()` reports), from one
    /// read of the loss. Reverts `InventoryLossUnknown` when the read fails (a reverting source, or a call starved of
    /// gas): nothing that moves money or stores a figure proceeds with the 0 a view would show.
    function _netAssets() private view returns (uint256 j, uint256 s) {
        (uint256 loss, bool known) = inventoryLoss();
        if (!known) revert InventoryLossUnknown();
        j = junior.grossAssets();
        s = senior.grossAssets();
        uint256 juniorPart = loss < j ? loss : j;
        uint256 rest = loss - juniorPart;
        j -= juniorPart;
        s -= rest < s ? rest : s;
    }

    /* VISIBLE LOSS */

    /// @inheritdoc IBackstop
    function inventoryLoss() public view returns (uint256 loss, bool known) {
        if (!inventoryLossTracked) return (0, true);
        try IInventoryLossSource(pool).backstopInventoryLoss() returns (uint256 l) {
            return (l, true);
        } catch {
            return (0, false);
        }
    }

    /// @inheritdoc IBackstop
    function visibleLoss() external view returns (uint256 juniorPart, uint256 seniorPart) {
        (uint256 loss, bool known) = inventoryLoss();
        uint256 jGross = junior.grossAssets();
        uint256 sGross = senior.grossAssets();
        if (!known) return (jGross, sGross);
        juniorPart = loss < jGross ? loss : jGross;
        uint256 rest = loss - juniorPart;
        seniorPart = rest < sGross ? rest : sGross;
    }

    /// @inheritdoc IBackstop
    function visibleLossReaching(address tranche) external view returns (uint256 loss, bool known) {
        (loss, known) = inventoryLoss();
        if (loss == 0) return (0, known);
        if (tranche == address(junior)) return (loss, known);
        if (tranche != address(senior)) return (0, known);
        uint256 jGross = junior.grossAssets();
        return (loss > jGross ? loss - jGross : 0, known);
    }

    /* ADVANCES */

    /// @inheritdoc IBackstop
    function advances() external view returns (uint256, uint256) {
        return (_advanceJunior, _advanceSenior);
    }

    /// @inheritdoc IBackstop
    function repayAdvance(uint256 toJunior, uint256 toSenior) external onlyPool {
        uint256 owedJ = _advanceJunior;
        uint256 owedS = _advanceSenior;
        if (toJunior > owedJ || toSenior > owedS) revert RepayExceedsAdvance(toJunior, toSenior, owedJ, owedS);
        if (toJunior + toSenior == 0) return;
        // Checked above: both fit their uint128 slots.
        _advanceJunior = uint128(owedJ - toJunior);
        _advanceSenior = uint128(owedS - toSenior);
        asset.safeTransferFrom(msg.sender, address(this), toJunior + toSenior);
        _restore(junior, toJunior);
        _restore(senior, toSenior);
        emit AdvanceRepaid(toJunior, toSenior);
    }

    function _restore(ITrancheVault v, uint256 amount) private {
        if (amount == 0) return;
        asset.forceApprove(address(v), amount);
        v.restoreCapital(amount);
    }

    /// @inheritdoc IBackstop
    function distributePremium(uint256 amount) external onlyPool {
        asset.safeTransferFrom(msg.sender, address(this), amount);
        // Premium that arrived while both tranches were empty is paid out with this one.
        uint256 total = asset.balanceOf(address(this));
        (uint256 j, uint256 s) = _netAssets();
        if (j + s == 0 || total == 0) {
            emit PremiumDistributed(amount, 0, 0);
            return;
        }
        (uint256 num, uint256 den, ITailRiskOracle.SplitSource source) = _juniorShare(j, s);
        uint256 toJunior = total * num / den;
        uint256 toSenior = total - toJunior;
        _pay(junior, toJunior);
        _pay(senior, toSenior);
        emit PremiumSplit(num * BPS / den, source);
        emit PremiumDistributed(total, toJunior, toSenior);
    }

    /// @dev The junior's share as num / den: the posted figure's bounded share while fresh (all of it to the other
    /// tranche when one is empty), else weight x capital (`toJunior` rounds down either way).
    function _juniorShare(uint256 j, uint256 s)
        private
        view
        returns (uint256 num, uint256 den, ITailRiskOracle.SplitSource source)
    {
        ITailRiskOracle oracle = tailRiskOracle;
        if (address(oracle) != address(0) && j != 0 && s != 0) {
            uint256 shareBps;
            (shareBps, source) = oracle.splitShare();
            if (source == ITailRiskOracle.SplitSource.PostedFigure) return (shareBps, BPS, source);
        }
        uint256 wJ = j * juniorWeight;
        return (wJ, wJ + s * seniorWeight, ITailRiskOracle.SplitSource.CapitalRule);
    }

    function _pay(ITrancheVault v, uint256 amount) private {
        if (amount == 0) return;
        asset.forceApprove(address(v), amount);
        uint256 boost = amount * boostShareBps / BPS;
        if (boost == 0) v.addPremium(amount);
        else ITrancheBoost(address(v)).addBoostedPremium(amount - boost, boost);
    }

    /// @inheritdoc IBackstop
    function absorbLoss(uint256 amount, LossKind kind)
        external
        onlyPool
        returns (uint256 juniorPaid, uint256 seniorPaid)
    {
        if (amount == 0) return (0, 0);
        if (kind == LossKind.ProfitDraw) {
            // An advance becomes the paying tranche's receivable (part of its value): lend only vested assets, so
            // neither the advance nor its repayment moves a share price (premium still streaming is not value yet,
            // and must not become value through a receivable). Senior lends only what junior's vested could not.
            juniorPaid = _lendVested(junior, amount);
            if (juniorPaid < amount) seniorPaid = _lendVested(senior, amount - juniorPaid);
        } else {
            juniorPaid = junior.coverLoss(amount, msg.sender);
            // Senior pays only what junior could not: junior is empty whenever seniorPaid > 0.
            if (juniorPaid < amount) seniorPaid = senior.coverLoss(amount - juniorPaid, msg.sender);
        }
        uint256 shortfall;
        if (kind == LossKind.ProfitDraw) {
            // Not a loss: profit the tranches could not advance stays deferred (a claim on later collected losses).
            _advanceJunior += SafeCast.toUint128(juniorPaid);
            _advanceSenior += SafeCast.toUint128(seniorPaid);
        } else {
            // The pool socializes (or writes off) this part at once and never asks for it again: counted once.
            shortfall = amount - juniorPaid - seniorPaid;
            if (shortfall != 0) _shortfall += shortfall;
        }
        emit LossAbsorbed(kind, amount, juniorPaid, seniorPaid, shortfall);
    }

    /// @dev Draws at most `v`'s vested assets (`grossAssets`: its balance less unvested premium) for an advance.
    function _lendVested(ITrancheVault v, uint256 amount) private returns (uint256) {
        uint256 vested = v.grossAssets();
        uint256 ask = amount < vested ? amount : vested;
        return ask == 0 ? 0 : v.coverLoss(ask, msg.sender);
    }

    /// @inheritdoc IBackstop
    function totals()
        external
        view
        returns (
            uint256 premiumToJunior,
            uint256 premiumToSenior,
            uint256 juniorLoss,
            uint256 seniorLoss,
            uint256 shortfall
        )
    {
        ITrancheVault j = junior;
        ITrancheVault s = senior;
        if (address(j) == address(0)) return (0, 0, 0, 0, 0);
        return
            (j.totalPremiumReceived(), s.totalPremiumReceived(), j.totalLossCovered(), s.totalLossCovered(), _shortfall);
    }
}
