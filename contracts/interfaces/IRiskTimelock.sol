// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

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
        bytes data;
    }

    error NotAdmin(address caller);
    error UnknownChange(uint256 id);
    error NotReady(uint256 id, uint256 eta);
    error AlreadyDone(uint256 id);
    error TargetNotGoverned(address target);

    event ChangeQueued(
        uint256 indexed id, address indexed target, bytes4 indexed selector, bytes data, uint256 eta, bool raisesRisk
    );
    event ChangeExecuted(uint256 indexed id);
    event ChangeCancelled(uint256 indexed id);

    function admin() external view returns (address);
    /// @notice The longest cooldown + claim window + settlement delay of the two tranches (seconds).
    function riskRaisingDelay() external view returns (uint256);
    /// @notice Queues a call to a governed target; a risk-lowering one executes in the same call. Returns its id.
    function propose(address target, bytes calldata data) external returns (uint256 id);
    /// @notice Executes a queued change once its eta has passed (admin or anyone? admin only).
    function execute(uint256 id) external;
    function cancel(uint256 id) external;
    function change(uint256 id) external view returns (Change memory);
    function changeCount() external view returns (uint256);
    /// @notice Ids queued and neither executed nor cancelled.
    function pendingChanges() external view returns (uint256[] memory ids);
    /// @notice Whether `data` on `target` raises risk (false = may apply at once).
    function raisesRisk(address target, bytes calldata data) external view returns (bool);
}
