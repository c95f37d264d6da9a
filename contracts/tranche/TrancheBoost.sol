// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITailRiskOracle} from "../interfaces/ITailRiskOracle.sol";
import {ITrancheBoost} from "../interfaces/ITrancheBoost.sol";
import {BoostMath} from "../libraries/BoostMath.sol";
import {TrancheShares} from "./TrancheShares.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title TrancheBoost
/// @notice Boost points in volatility-seconds and the boost pot they are paid from. See {ITrancheBoost}.
/// @dev Curve-gauge checkpoints: a global index I (bps-seconds, `I += Δt × multiplier`) and, per holder, the index
/// its balance has earned up to (packed in its share slot, `TrancheShares.ShareSlot.boostIndex`). A holder's points
/// grow by `balance × (I − snapshot)` at each movement of its balance and at its `claimBoost`; the total grows by
/// `earning shares × ΔI` whenever the earning shares change (current-epoch supply − the vault's own balance:
/// escrowed shares and the sentinel never earn). Both are exact integer products over the same intervals, so the
/// holders' points, accrued to now, always sum to `totalBoostPoints()`. A restart records the index at its end:
/// a written-off balance earns up to it and never after.
///
/// Storage: `_boost` one slot (uint96 index | uint40 last accrual | uint32 multiplier); `_totalPoints` (as of the
/// last accrual); `_points` per holder; the pot itself lives in the supply slot (`SupplySlot.boostPot`), read by
/// every price anyway.
abstract contract TrancheBoost is TrancheShares, ITrancheBoost, ReentrancyGuardTransient {
    using SafeCast for uint256;

    struct BoostSlot {
        uint96 index;
        uint40 lastTime;
        uint32 multiplierBps;
    }

    BoostSlot internal _boost;
    uint256 internal _totalPoints;
    mapping(address holder => uint256) internal _points;
    mapping(uint32 epoch => uint256) internal _epochEndIndex;

    constructor() {
        _boost = BoostSlot({index: 0, lastTime: uint40(block.timestamp), multiplierBps: uint32(BoostMath.BPS)});
    }

    /// @dev The tail-risk oracle (`IBackstop.tailRiskOracle()`), address(0) when none is wired.
    function _tailRiskOracle() internal view virtual returns (ITailRiskOracle);

    /* VIEWS */

    /// @inheritdoc ITrancheBoost
    function volatilityIndex() public view returns (uint256) {
        BoostSlot memory g = _boost;
        return BoostMath.indexAfter(g.index, block.timestamp - g.lastTime, g.multiplierBps);
    }

    /// @inheritdoc ITrancheBoost
    function boostMultiplierBps() external view returns (uint256) {
        return _boost.multiplierBps;
    }

    /// @inheritdoc ITrancheBoost
    function boostPoints(address owner) public view returns (uint256) {
        if (owner == address(this)) return 0;
        return _points[owner] + _pendingPoints(_shareSlot(owner), _supply.epoch, volatilityIndex());
    }

    /// @inheritdoc ITrancheBoost
    function totalBoostPoints() public view returns (uint256) {
        BoostSlot memory g = _boost;
        uint256 index = BoostMath.indexAfter(g.index, block.timestamp - g.lastTime, g.multiplierBps);
        return _totalPoints + BoostMath.points(_earningShares(_supply.amount), g.index, index);
    }

    /// @inheritdoc ITrancheBoost
    function boostPot() external view returns (uint256) {
        return _supply.boostPot;
    }

    /// @inheritdoc ITrancheBoost
    function claimableBoost(address owner) external view returns (uint256) {
        return BoostMath.payoutDown(_supply.boostPot, boostPoints(owner), totalBoostPoints());
    }

    /* ACTIONS */

    /// @inheritdoc ITrancheBoost
    /// @dev No reentrancy lock needed: the oracle is read by STATICCALL (a view) after nothing but the accrual.
    function refreshBoost() external returns (uint256 multiplierBps) {
        BoostSlot memory g = _accrueTotal(_supply.amount);
        ITailRiskOracle oracle = _tailRiskOracle();
        multiplierBps =
            BoostMath.clampMultiplierBps(address(oracle) == address(0) ? BoostMath.BPS : oracle.boostMultiplierBps());
        g.multiplierBps = uint32(multiplierBps);
        _boost = g;
        emit BoostMultiplierSet(multiplierBps);
    }

    /// @inheritdoc ITrancheBoost
    function claimBoost() external nonReentrant returns (uint256 assets) {
        SupplySlot memory s = _supply;
        BoostSlot memory g = _accrueTotal(s.amount);
        _boost = g;
        ShareSlot memory b = _shareSlot(msg.sender);
        uint256 points = _points[msg.sender] + _pendingPoints(b, s.epoch, g.index);
        if (points == 0) revert NothingToClaim(msg.sender);
        uint256 total = _totalPoints;
        assets = BoostMath.payoutDown(s.boostPot, points, total);
        // Points are never spent for nothing: a claim too small to pay a wei keeps them.
        if (assets == 0) revert NothingToClaim(msg.sender);
        _totalPoints = total - points;
        _points[msg.sender] = 0;
        _shareSlots[msg.sender].boostIndex = b.epoch == s.epoch ? g.index : uint96(_epochEndIndex[b.epoch]);
        s.boostPot -= uint88(assets); // assets <= pot (points <= total)
        _supply = s;
        emit BoostClaimed(msg.sender, points, assets);
        SafeERC20.safeTransfer(IERC20(asset()), msg.sender, assets);
    }

    /* INTERNAL */

    /// @dev See `TrancheShares._boostIndex`. A movement between two holders needs the index but not the total (the
    /// earning shares do not change), so it writes nothing here.
    function _boostIndex(bool earningChanges, uint256 supply) internal override returns (uint96) {
        if (earningChanges) {
            BoostSlot memory g = _accrueTotal(supply);
            _boost = g;
            return g.index;
        }
        return volatilityIndex().toUint96();
    }

    /// @dev See `TrancheShares._accruePoints`.
    function _accruePoints(address account, ShareSlot memory b, uint32 current, uint96 index) internal override {
        uint256 earned = _pendingPoints(b, current, index);
        if (earned != 0) _points[account] += earned;
    }

    /// @dev See `TrancheShares._endBoostEpoch`.
    function _endBoostEpoch(uint32 epoch, uint256 supply) internal override {
        BoostSlot memory g = _accrueTotal(supply);
        _boost = g;
        _epochEndIndex[epoch] = g.index;
    }

    /// @dev The boost state accrued to now (not stored): the index moved and the total points grown by the earning
    /// shares (`supply` = the current-epoch supply) times the index's increase.
    function _accrueTotal(uint256 supply) internal returns (BoostSlot memory g) {
        g = _boost;
        uint256 elapsed = block.timestamp - g.lastTime;
        if (elapsed == 0) return g;
        uint256 index = BoostMath.indexAfter(g.index, elapsed, g.multiplierBps);
        uint256 earning = _earningShares(supply);
        if (earning != 0) _totalPoints += BoostMath.points(earning, g.index, index);
        g.index = index.toUint96();
        g.lastTime = uint40(block.timestamp);
    }

    /// @dev Points `b` earned since its snapshot and not credited yet.
    function _pendingPoints(ShareSlot memory b, uint32 current, uint256 index) internal view returns (uint256) {
        if (b.amount == 0) return 0;
        uint256 upTo = b.epoch == current ? index : _epochEndIndex[b.epoch];
        return upTo > b.boostIndex ? BoostMath.points(b.amount, b.boostIndex, upTo) : 0;
    }

    /// @dev Current-epoch shares held outside the vault (the vault's slot is always of the current epoch).
    function _earningShares(uint256 supply) private view returns (uint256) {
        return supply - _escrowed();
    }
}
