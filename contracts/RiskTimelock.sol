// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {IRiskTimelock} from "./interfaces/IRiskTimelock.sol";
import {ITrancheExitGate} from "./interfaces/ITrancheExitGate.sol";
import {ITrancheVault} from "./interfaces/ITrancheVault.sol";
import {RiskChangeClassifier} from "./libraries/RiskChangeClassifier.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title RiskTimelock
/// @notice Owner of the pool, the oracle router and the tail-risk oracle. A change that lowers risk
/// (`RiskChangeClassifier`) applies in `propose`; any other waits `riskRaisingDelay()`, read at its announcement, so
/// an LP who requests a withdrawal then can claim and settle before it applies, and none applies while the junior exit
/// gate holds requests back. See {IRiskTimelock}.
contract RiskTimelock is IRiskTimelock {
    /// @inheritdoc IRiskTimelock
    address public admin;
    /// @inheritdoc IRiskTimelock
    address public immutable pool;
    /// @inheritdoc IRiskTimelock
    address public immutable oracleRouter;
    /// @inheritdoc IRiskTimelock
    address public immutable tailRiskOracle;
    /// @inheritdoc IRiskTimelock
    ITrancheVault public immutable junior;
    /// @inheritdoc IRiskTimelock
    ITrancheVault public immutable senior;

    Change[] private _changes;
    /// @dev Ids waiting (neither executed nor cancelled), and each one's position in that list plus one.
    uint256[] private _pending;
    mapping(uint256 id => uint256 slot) private _pendingSlot;

    constructor(
        address admin_,
        address pool_,
        address oracleRouter_,
        address tailRiskOracle_,
        ITrancheVault junior_,
        ITrancheVault senior_
    ) {
        if (
            admin_ == address(0) || pool_ == address(0) || oracleRouter_ == address(0) || tailRiskOracle_ == address(0)
                || address(junior_) == address(0) || address(senior_) == address(0)
        ) revert ZeroAddress();
        admin = admin_;
        pool = pool_;
        oracleRouter = oracleRouter_;
        tailRiskOracle = tailRiskOracle_;
        junior = junior_;
        senior = senior_;
        emit AdminSet(admin_);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    /* CHANGES */

    /// @inheritdoc IRiskTimelock
    function propose(address target, bytes calldata data) external onlyAdmin returns (uint256 id) {
        bool raises = raisesRisk(target, data);
        uint256 eta = raises ? block.timestamp + riskRaisingDelay() : block.timestamp;
        id = _changes.length;
        // A change that applies at once keeps no calldata in storage: its ChangeQueued event carries it.
        _changes.push(
            Change({
                target: target,
                eta: uint64(eta),
                raisesRisk: raises,
                executed: !raises,
                cancelled: false,
                data: raises ? data : bytes("")
            })
        );
        emit ChangeQueued(id, target, _selector(data), data, eta, raises);
        if (raises) {
            _pending.push(id);
            _pendingSlot[id] = _pending.length;
        } else {
            _call(target, data);
            emit ChangeExecuted(id);
        }
    }

    /// @inheritdoc IRiskTimelock
    function execute(uint256 id) external onlyAdmin {
        Change storage c = _open(id);
        if (block.timestamp < c.eta) revert NotReady(id, c.eta);
        (, uint256 capacity, uint256 queued) = ITrancheExitGate(address(junior)).exitGate();
        if (queued > capacity) revert JuniorExitsHeldBack(queued, capacity);
        c.executed = true;
        _removePending(id);
        _call(c.target, c.data);
        emit ChangeExecuted(id);
    }

    /// @inheritdoc IRiskTimelock
    function cancel(uint256 id) external onlyAdmin {
        _open(id).cancelled = true;
        _removePending(id);
        emit ChangeCancelled(id);
    }

    /// @inheritdoc IRiskTimelock
    function acceptOwnership(address target) external onlyAdmin {
        if (!_governs(target)) revert TargetNotGoverned(target);
        Ownable2Step(target).acceptOwnership();
    }

    /// @inheritdoc IRiskTimelock
    function setAdmin(address admin_) external {
        if (msg.sender != address(this)) revert NotAdmin(msg.sender);
        if (admin_ == address(0)) revert ZeroAddress();
        admin = admin_;
        emit AdminSet(admin_);
    }

    /* READS */

    /// @inheritdoc IRiskTimelock
    function riskRaisingDelay() public view returns (uint256) {
        uint256 j = _exitTime(junior);
        uint256 s = _exitTime(senior);
        return j > s ? j : s;
    }

    /// @inheritdoc IRiskTimelock
    function raisesRisk(address target, bytes calldata data) public view returns (bool) {
        if (!_governs(target)) revert TargetNotGoverned(target);
        if (target == pool) return RiskChangeClassifier.poolCallRaisesRisk(IPerpPool(pool), data);
        // The oracle router's feeds, the tail-risk oracle's parameters and steward, every ownership transfer and
        // this timelock's own admin: nothing there lowers risk for both tranches at once.
        return true;
    }

    /// @inheritdoc IRiskTimelock
    function change(uint256 id) external view returns (Change memory) {
        if (id >= _changes.length) revert UnknownChange(id);
        return _changes[id];
    }

    /// @inheritdoc IRiskTimelock
    function changeCount() external view returns (uint256) {
        return _changes.length;
    }

    /// @inheritdoc IRiskTimelock
    function pendingChanges() external view returns (uint256[] memory ids) {
        return _pending;
    }

    /* INTERNAL */

    function _governs(address target) private view returns (bool) {
        return target == pool || target == oracleRouter || target == tailRiskOracle || target == address(this);
    }

    function _exitTime(ITrancheVault v) private view returns (uint256) {
        return uint256(v.cooldown()) + v.claimWindow() + v.settlementDelay();
    }

    function _open(uint256 id) private view returns (Change storage c) {
        if (id >= _changes.length) revert UnknownChange(id);
        c = _changes[id];
        if (c.executed || c.cancelled) revert AlreadyDone(id);
    }

    function _removePending(uint256 id) private {
        uint256 slot = _pendingSlot[id];
        uint256 last = _pending[_pending.length - 1];
        _pending[slot - 1] = last;
        _pendingSlot[last] = slot;
        _pending.pop();
        delete _pendingSlot[id];
    }

    function _selector(bytes calldata data) private pure returns (bytes4) {
        return data.length < 4 ? bytes4(0) : bytes4(data[:4]);
    }

    /// @dev Calls `target` and bubbles its revert data (the target's own typed error).
    function _call(address target, bytes memory data) private {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }
}
