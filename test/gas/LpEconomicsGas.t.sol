// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RiskTimelock} from "../../contracts/RiskTimelock.sol";
import {TailRiskOracle} from "../../contracts/TailRiskOracle.sol";
import {MarketConfig} from "../../contracts/interfaces/IPerpTypes.sol";
import {ITailRiskOracle} from "../../contracts/interfaces/ITailRiskOracle.sol";
import {PoolAdmin} from "../../contracts/pool/PoolAdmin.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {defaultTailRiskParams} from "../utils/TailRiskParams.sol";

/// @notice Gas of the tail-risk oracle's post and the risk timelock's propose / execute, each its own transaction
/// (`forge test --isolate`), recorded in snapshots/LpEconomicsGas.json. The timelock owns the pool, the oracle
/// router and the tail-risk oracle, as a deployment leaves them.
contract LpEconomicsGas is PoolFixture {
    TailRiskOracle internal tro;
    RiskTimelock internal timelock;
    address internal steward = makeAddr("steward");

    function setUp() public override {
        super.setUp();
        tro = new TailRiskOracle(address(pool), admin, steward, defaultTailRiskParams());
        backstop.setLpEconomics(tro, 0);
        timelock = new RiskTimelock(admin, address(pool), address(oracle), address(tro), junior, senior);
        vm.startPrank(admin);
        pool.transferOwnership(address(timelock));
        tro.transferOwnership(address(timelock));
        timelock.acceptOwnership(address(pool));
        timelock.acceptOwnership(address(tro));
        vm.stopPrank();
        // Premium waiting in the pool (fees of a round trip).
        _deposit(bob, 0, 100_000e6);
        _trade(bob, ETH, -5e18);
        _trade(bob, ETH, 5e18);
        vm.roll(block.number + 10);
        vm.warp(block.timestamp + 1);
    }

    function _figure(uint256 es99) internal view returns (ITailRiskOracle.Post memory) {
        return ITailRiskOracle.Post({
            juniorEs99: uint128(es99),
            juniorCapital: 2_000_000e6,
            stressLoss: 300_000e6,
            blockNumber: uint64(block.number - 1),
            seed: 7,
            paths: 10_000,
            reportHash: keccak256("report.json")
        });
    }

    function test_gas_tailRisk_firstPost() public {
        ITailRiskOracle.Post memory p = _figure(700_000e6);
        vm.prank(steward);
        tro.post(p);
        vm.snapshotGasLastCall("tailRisk post (first)");
    }

    function test_gas_tailRisk_post() public {
        ITailRiskOracle.Post memory p = _figure(700_000e6);
        vm.prank(steward);
        tro.post(p);
        vm.roll(block.number + 300);
        vm.warp(block.timestamp + 1 hours);
        p = _figure(800_000e6);
        vm.prank(steward);
        tro.post(p);
        vm.snapshotGasLastCall("tailRisk post");
    }

    function test_gas_distributePremium_postedShare() public {
        ITailRiskOracle.Post memory p = _figure(700_000e6);
        vm.prank(steward);
        tro.post(p);
        vm.warp(block.timestamp + 1);
        pool.distributePremium();
        vm.snapshotGasLastCall("distributePremium (posted share)");
    }

    function test_gas_timelock_proposeRaising() public {
        bytes memory data = _setFee(5);
        vm.prank(admin);
        timelock.propose(address(pool), data);
        vm.snapshotGasLastCall("timelock propose (raises risk: queued)");
    }

    function test_gas_timelock_proposeLowering() public {
        bytes memory data = _setFee(20);
        vm.prank(admin);
        timelock.propose(address(pool), data);
        vm.snapshotGasLastCall("timelock propose (lowers risk: applied)");
    }

    function test_gas_timelock_execute() public {
        bytes memory data = _setFee(5);
        vm.prank(admin);
        uint256 id = timelock.propose(address(pool), data);
        vm.warp(block.timestamp + timelock.riskRaisingDelay());
        vm.prank(admin);
        timelock.execute(id);
        vm.snapshotGasLastCall("timelock execute");
    }

    function _setFee(uint16 feeBps) internal view returns (bytes memory) {
        MarketConfig memory c = pool.marketConfig(ETH);
        c.feeBps = feeBps;
        return abi.encodeCall(PoolAdmin.setMarketConfig, (ETH, c));
    }
}
