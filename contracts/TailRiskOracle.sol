// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {MarketConfig} from "./interfaces/IPerpTypes.sol";
import {ITailRiskOracle} from "./interfaces/ITailRiskOracle.sol";
import {TailRiskMath} from "./libraries/TailRiskMath.sol";
import {VolatilityMath} from "./libraries/VolatilityMath.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @dev The pool's oracle router (a public immutable of `PoolStorage`, not part of `IPerpPool`).
interface IPoolOracle {
    function oracle() external view returns (IOracleRouter);
}

/// @title TailRiskOracle
/// @notice The junior's posted tail-risk figure and the bounded junior share, exit floor and boost multiplier that
/// follow from it. See {ITailRiskOracle}. Owner (two-step): the parameters and the steward; a deployment hands it
/// to the `RiskTimelock`.
contract TailRiskOracle is ITailRiskOracle, Ownable2Step {
    /// @inheritdoc ITailRiskOracle
    uint256 public constant GATE_FIGURE_MAX_AGE = 7 days;
    /// @inheritdoc ITailRiskOracle
    uint256 public constant MAX_POST_LAG_BLOCKS = 7200;
    /// @inheritdoc ITailRiskOracle
    uint256 public constant WINDOW = 1 days;

    /// @inheritdoc ITailRiskOracle
    address public immutable pool;

    /// @inheritdoc ITailRiskOracle
    address public steward;
    /// @dev Start of the current 24-hour window and the share then (one slot with the steward).
    uint64 private _windowStart;
    uint16 private _anchorShareBps;

    Params private _params;
    Figure private _figure;

    constructor(address pool_, address owner_, address steward_, Params memory params_) Ownable(owner_) {
        pool = pool_;
        _setSteward(steward_);
        _setParams(params_);
    }

    /* POST */

    /// @inheritdoc ITailRiskOracle
    function post(Post calldata p) external returns (uint256 shareBps) {
        if (msg.sender != steward) revert NotSteward(msg.sender);
        Figure storage f = _figure;
        uint64 postedAt = f.postedAt;
        if (
            p.blockNumber < f.blockNumber || p.blockNumber >= block.number
                || block.number - p.blockNumber > MAX_POST_LAG_BLOCKS
        ) revert StaleOrFutureBlock(p.blockNumber);

        Params memory params_ = _params;
        uint256 target = TailRiskMath.targetShareBpsUp(p.juniorEs99, p.juniorCapital, params_);
        if (postedAt == 0) {
            // The first figure: nothing to move from.
            shareBps = target;
            _windowStart = uint64(block.timestamp);
            _anchorShareBps = uint16(shareBps);
        } else {
            uint256 previous = f.shareBps;
            if (block.timestamp >= uint256(_windowStart) + WINDOW) {
                _windowStart = uint64(block.timestamp);
                _anchorShareBps = uint16(previous);
            }
            shareBps = TailRiskMath.boundedShareBps(
                previous, target, _anchorShareBps, params_.maxStepBps, params_.maxDailyBps
            );
        }

        // shareBps and target are at most 10_000 (TailRiskMath): they fit 16 bits.
        _figure = Figure({
            juniorEs99: p.juniorEs99,
            juniorCapital: p.juniorCapital,
            stressLoss: p.stressLoss,
            blockNumber: p.blockNumber,
            seed: p.seed,
            paths: p.paths,
            postedAt: uint64(block.timestamp),
            targetShareBps: uint16(target),
            shareBps: uint16(shareBps),
            reportHash: p.reportHash
        });
        emit FigurePosted(
            p.juniorEs99, p.juniorCapital, p.stressLoss, p.blockNumber, p.seed, p.paths, p.reportHash, target, shareBps
        );
    }

    /* READS */

    /// @inheritdoc ITailRiskOracle
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @inheritdoc ITailRiskOracle
    function figure() external view returns (Figure memory) {
        return _figure;
    }

    /// @inheritdoc ITailRiskOracle
    function dayWindow() external view returns (uint256 start, uint256 anchorShareBps) {
        return (_windowStart, _anchorShareBps);
    }

    /// @inheritdoc ITailRiskOracle
    function isFresh() public view returns (bool) {
        uint256 postedAt = _figure.postedAt;
        return postedAt != 0 && block.timestamp - postedAt <= _params.maxAge;
    }

    /// @inheritdoc ITailRiskOracle
    function splitShare() external view returns (uint256 shareBps, SplitSource source) {
        if (!isFresh()) return (0, SplitSource.CapitalRule);
        return (_figure.shareBps, SplitSource.PostedFigure);
    }

    /// @inheritdoc ITailRiskOracle
    function juniorExitFloor() external view returns (uint256 floor, bool fromEs99) {
        uint256 postedAt = _figure.postedAt;
        if (postedAt == 0) return (0, false);
        uint256 c = _params.coverageMultipleBps;
        if (isFresh()) {
            // The larger of the two measures: the report's models rarely gap between two keeper blocks, a gap is what
            // turns a crash into bad debt, and the reference shock is one.
            uint256 es99 = _figure.juniorEs99;
            uint256 stress = _figure.stressLoss;
            return (TailRiskMath.exitFloorUp(c, es99 >= stress ? es99 : stress), es99 >= stress);
        }
        if (block.timestamp - postedAt <= GATE_FIGURE_MAX_AGE) {
            return (TailRiskMath.exitFloorUp(c, _figure.stressLoss), false);
        }
        return (0, false);
    }

    /// @inheritdoc ITailRiskOracle
    function boostMultiplierBps() external view returns (uint256 multiplier) {
        multiplier = VolatilityMath.BPS;
        IOracleRouter router = IPoolOracle(pool).oracle();
        uint256 n = IPerpPool(pool).marketCount();
        for (uint256 i; i < n; ++i) {
            MarketConfig memory c = IPerpPool(pool).marketConfig(i);
            if (c.volReferenceBps == 0) continue;
            uint256 m = VolatilityMath.initialMultiplierBps(router.realizedVariance(i), c.volReferenceBps, c.volCapBps);
            if (m > multiplier) multiplier = m;
        }
    }

    /// @inheritdoc ITailRiskOracle
    function targetShareBps(uint256 es99, uint256 capital, Params calldata p) external pure returns (uint256) {
        return TailRiskMath.targetShareBpsUp(es99, capital, p);
    }

    /* OWNER */

    /// @inheritdoc ITailRiskOracle
    function setSteward(address steward_) external onlyOwner {
        _setSteward(steward_);
    }

    /// @inheritdoc ITailRiskOracle
    function setParams(Params calldata p) external onlyOwner {
        _setParams(p);
    }

    function _setSteward(address steward_) private {
        steward = steward_;
        emit StewardSet(steward_);
    }

    function _setParams(Params memory p) private {
        if (!TailRiskMath.validParams(p)) revert InvalidParams();
        _params = p;
        emit ParamsSet(p);
    }
}
