// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Backstop
/// @notice Premium split by risk weight x capital between the junior and senior tranches, and the loss
/// waterfall: junior pays first, senior only what junior could not, the rest goes back to the pool to socialize.
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
    ITrancheVault public junior;
    /// @inheritdoc IBackstop
    ITrancheVault public senior;

    uint256 private _premiumToJunior;
    uint256 private _premiumToSenior;
    uint256 private _juniorLoss;
    uint256 private _seniorLoss;
    uint256 private _shortfall;

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
    }

    function _checkVault(ITrancheVault v) private view {
        if (v.backstop() != address(this) || v.asset() != address(asset)) revert VaultMismatch(address(v));
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert OnlyPool(msg.sender);
        _;
    }

    /// @inheritdoc IBackstop
    /// @dev Assets behind shares already queued for withdrawal are excluded: that capital is on its way out.
    function capital() external view returns (uint256) {
        return _available(junior) + _available(senior);
    }

    function _available(ITrancheVault v) private view returns (uint256) {
        uint256 total = v.totalAssets();
        uint256 leaving = v.convertToAssets(v.balanceOf(address(v)));
        return total > leaving ? total - leaving : 0;
    }

    /// @inheritdoc IBackstop
    function distributePremium(uint256 amount) external onlyPool {
        asset.safeTransferFrom(msg.sender, address(this), amount);
        // Premium that arrived while both tranches were empty is paid out with this one.
        uint256 total = asset.balanceOf(address(this));
        uint256 wJ = junior.totalAssets() * juniorWeight;
        uint256 wS = senior.totalAssets() * seniorWeight;
        if (wJ + wS == 0 || total == 0) {
            emit PremiumDistributed(amount, 0, 0);
            return;
        }
        uint256 toJunior = total * wJ / (wJ + wS);
        uint256 toSenior = total - toJunior;
        _premiumToJunior += toJunior;
        _premiumToSenior += toSenior;
        _pay(junior, toJunior);
        _pay(senior, toSenior);
        emit PremiumDistributed(total, toJunior, toSenior);
    }

    function _pay(ITrancheVault v, uint256 amount) private {
        if (amount == 0) return;
        asset.forceApprove(address(v), amount);
        v.addPremium(amount);
    }

    /// @inheritdoc IBackstop
    function absorbLoss(uint256 amount, LossKind kind)
        external
        onlyPool
        returns (uint256 juniorPaid, uint256 seniorPaid)
    {
        if (amount == 0) return (0, 0);
        juniorPaid = junior.coverLoss(amount, msg.sender);
        // Senior pays only what junior could not: junior is empty whenever seniorPaid > 0.
        if (juniorPaid < amount) seniorPaid = senior.coverLoss(amount - juniorPaid, msg.sender);
        uint256 shortfall = amount - juniorPaid - seniorPaid;
        _juniorLoss += juniorPaid;
        _seniorLoss += seniorPaid;
        _shortfall += shortfall;
        emit LossAbsorbed(kind, amount, juniorPaid, seniorPaid, shortfall);
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
        return (_premiumToJunior, _premiumToSenior, _juniorLoss, _seniorLoss, _shortfall);
    }
}
