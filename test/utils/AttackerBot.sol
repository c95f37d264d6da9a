// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";

/// @notice An attacker's contract: runs a list of calls in ONE external call (one transaction), each with an
/// optional gas limit, so "trade, permissionless call, trade" is literally atomic. It owns margin accounts and
/// tranche shares like any EOA would. Only its controllers (the handler, and a sibling bot of the same attacker)
/// may drive it.
contract AttackerBot {
    /// @notice One call of a batch.
    /// @param target contract called
    /// @param data calldata
    /// @param gas gas limit forwarded (0: all that is left)
    /// @param mayFail a failure is recorded in the returned flags instead of reverting the whole batch
    struct Call {
        address target;
        bytes data;
        uint256 gas;
        bool mayFail;
    }

    error NotController(address caller);
    /// @notice A call that was not allowed to fail failed: its index and revert data.
    error CallFailed(uint256 index, bytes reason);

    mapping(address => bool) public isController;

    constructor(address controller) {
        isController[controller] = true;
        isController[address(this)] = true;
    }

    function addController(address controller) external {
        if (!isController[msg.sender]) revert NotController(msg.sender);
        isController[controller] = true;
    }

    /// @notice Runs `calls` in order; returns, per call, whether it succeeded and what it returned.
    function run(Call[] calldata calls) external returns (bool[] memory ok, bytes[] memory ret) {
        if (!isController[msg.sender]) revert NotController(msg.sender);
        ok = new bool[](calls.length);
        ret = new bytes[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            Call calldata c = calls[i];
            (ok[i], ret[i]) = c.gas == 0 ? c.target.call(c.data) : c.target.call{gas: c.gas}(c.data);
            if (!ok[i] && !c.mayFail) revert CallFailed(i, ret[i]);
        }
    }

    /// @notice Closes every position of `(owner, subId)` on markets `0 .. markets-1` with the right quote limit for
    /// its side, skipping refusals (a batch calls it on itself, after its trades, in the same transaction).
    function closeAll(IPerpPool pool, address owner, uint96 subId, uint256 markets) external {
        if (!isController[msg.sender]) revert NotController(msg.sender);
        for (uint256 m; m < markets; ++m) {
            int256 size = pool.position(owner, subId, m).size;
            if (size == 0) continue;
            try pool.closePosition(owner, subId, m, size < 0 ? type(uint256).max : 0, type(uint256).max) {} catch {}
        }
    }
}
