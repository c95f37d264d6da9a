// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheVault} from "./ITrancheVault.sol";

/// @title IRiskTimelock
/// @notice Owner of the pool, the oracle router and the tail-risk oracle: every risk parameter (grid, tiers, caps,
/// funding, penalties, premium split bounds) changes through it. A change the timelock classifies as lowering risk
/// (every field it moves, moves the safe way) may apply at once; any other change applies only after
/// `riskRaisingDelay()` = the longest tranche cooldown + claim window + settlement delay, so an LP who requests a
/// withdrawal at the announcement can claim before it applies. Events and a readable queue.
interface IRiskTimelock {
    struct Change {
        address target;
        uint64 eta; // earliest execution time
        bool raisesRisk;
        bool executed;
        bool cancelled;
        bytes data; // the call; empty for a change that applied in `propose` (see its ChangeQueued event)
    }

    error NotAdmin(address caller);
    error UnknownChange(uint256 id);
    error NotReady(uint256 id, uint256 eta);
    error AlreadyDone(uint256 id);
    error TargetNotGoverned(address target);
    /// @notice The constructor or `setAdmin` got the zero address.
    error ZeroAddress();
    /// @notice A risk-raising change may not apply while the junior exit gate holds requests back (`queuedAssets` >
    /// `capacity` in `ITrancheExitGate.exitGate()`): an LP who requested at its announcement could not leave first.
    error JuniorExitsHeldBack(uint256 queuedAssets, uint256 capacity);

    event ChangeQueued(
        uint256 indexed id, address indexed target, bytes4 indexed selector, bytes data, uint256 eta, bool raisesRisk
    );
    event ChangeExecuted(uint256 indexed id);
    event ChangeCancelled(uint256 indexed id);
    /// @notice The admin (who proposes, executes and cancels) is now `admin`.
    event AdminSet(address indexed admin);

    function admin() external view returns (address);
    /// @notice The governed targets (besides this timelock itself, whose `setAdmin` it governs).
    function pool() external view returns (address);
    function oracleRouter() external view returns (address);
    function tailRiskOracle() external view returns (address);
    /// @notice The tranches whose exit timings set `riskRaisingDelay()`.
    function junior() external view returns (ITrancheVault);
    function senior() external view returns (ITrancheVault);
    /// @notice The longest cooldown + claim window + settlement delay of the two tranches (seconds).
    function riskRaisingDelay() external view returns (uint256);
    /// @notice Admin-only. Queues a call to a governed target (`TargetNotGoverned` otherwise) with
    /// eta = now + `riskRaisingDelay()` when it raises risk, else executes it in the same call (eta = now; its
    /// calldata is then only in the `ChangeQueued` event, `change(id).data` is empty). Returns its id.
    function propose(address target, bytes calldata data) external returns (uint256 id);
    /// @notice Admin-only. Executes a queued change once `block.timestamp >= eta` and while the junior exit gate holds
    /// nothing back; bubbles the target's revert.
    /// @dev Reverts `UnknownChange`, `AlreadyDone` (executed or cancelled), `NotReady(id, eta)`, and
    /// `JuniorExitsHeldBack` while the junior queue exceeds the capacity above its coverage floor: the delay alone
    /// cannot let a gated junior LP leave, so the change waits until the queue clears (claims, cancels, expiries) or
    /// coverage returns (new junior capital, a lower floor). Requests made after the announcement count too (the gate's
    /// totals do not say when each was made): a junior LP can hold risk-raising changes back only while junior is
    /// below its coverage, when raising risk should wait anyway. Risk-lowering changes are never held.
    function execute(uint256 id) external;
    /// @notice Admin-only. Drops a queued change (`UnknownChange`, `AlreadyDone` as `execute`).
    function cancel(uint256 id) external;
    /// @notice Admin-only, at once: accepts a governed target's pending two-step ownership transfer to this timelock
    /// (`TargetNotGoverned` otherwise). Accepting control is no parameter change.
    function acceptOwnership(address target) external;
    /// @notice Only this timelock itself, i.e. through `propose` + `execute` (a risk-raising change: it waits the
    /// delay). Reverts `NotAdmin` for any other caller, `ZeroAddress` for 0.
    function setAdmin(address admin_) external;
    function change(uint256 id) external view returns (Change memory);
    function changeCount() external view returns (uint256);
    /// @notice Ids queued and neither executed nor cancelled.
    function pendingChanges() external view returns (uint256[] memory ids);
    /// @notice Whether `data` on `target` raises risk (false = may apply at once), from the calldata and the target's
    /// current parameters (`RiskChangeClassifier`). On the pool, lowering: `setMarketConfig` moving every field the
    /// safe way, `setRiskEngine(0)` or the current engine, `setProfitDrawCap` not above the current cap, `setPaused`,
    /// `setGuardian`. Everything else (listing, feeds, the tail-risk oracle, ownership, an unknown selector) raises.
    /// @dev Reverts `TargetNotGoverned` for another target; malformed arguments of a known selector revert.
    function raisesRisk(address target, bytes calldata data) external view returns (bool);
}
