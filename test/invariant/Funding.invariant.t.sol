// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FundingParams, PositionView} from "../../contracts/interfaces/IPerpTypes.sol";
import {SettableFeed} from "../../contracts/oracle/SettableFeed.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {FundingHandler} from "./handlers/FundingHandler.sol";

/// @notice Funding properties with the policy on (SPEC-22's parameters with a kicker threshold of 1 % of tranche
/// capital and the largest kicker; ETH and BTC one group): open interest imbalanced (longs > shorts on ETH, the reverse
/// on BTC) so the backstop pays or earns the difference every period, and a crowder piling onto the long side so the
/// kicker charges the longs (RISK 13, 79, 80).
contract FundingInvariantTest is PoolFixture {
    string internal constant FUNDING_ZERO_SUM =
        "funding is zero-sum: what positions owe (and settled) minus what they are owed equals the backstop's booked flow, kicker included (rounding only in the backstop's disfavour, at most 3 wei per accrual)";
    string internal constant FLOW_DECOMPOSED =
        "the booked flow is the rate's imbalance plus the kicker, to the wei, and kickerPaid grows by exactly the kicker booked";
    string internal constant BACKSTOP_FUNDING_BOUNDED =
        "the backstop never pays more funding than its budget per second per market";
    string internal constant RATE_CAPPED =
        "a funding charge never exceeds the policy's cap that applies (nor the rate its conversion), the kicker its max";
    string internal constant ROUND_TRIP_NEVER_GAINS = "an open-then-close round trip never gains";

    FundingHandler internal handler;
    address internal tripper = makeAddr("tripper");
    address internal dave = makeAddr("dave");
    address internal crowder = makeAddr("crowder");
    address[5] internal holders;
    int256 internal net0;
    uint256 internal kicker0;

    function setUp() public override {
        super.setUp();
        holders = [alice, bob, carol, dave, crowder];
        for (uint256 i; i < holders.length; ++i) {
            _deposit(holders[i], 0, 1_000_000e6);
        }
        _trade(alice, ETH, 40e18);
        _trade(bob, ETH, -10e18);
        _trade(carol, BTC, 1e18);
        _trade(dave, BTC, -3e18);
        _deposit(tripper, 7, 1_000_000e6);
        _setPolicy();
        (,, net0) = pool.pools();
        kicker0 = pool.kickerPaid();

        SettableFeed[3][2] memory fs;
        for (uint256 m; m < 2; ++m) {
            for (uint256 i; i < 3; ++i) {
                fs[m][i] = feeds[m][i];
            }
        }
        handler = new FundingHandler(pool, lens, tripper, crowder, fs);
        for (uint256 m; m < 2; ++m) {
            for (uint256 i; i < 3; ++i) {
                feeds[m][i].setUpdater(address(handler));
            }
        }
        targetContract(address(handler));
    }

    /// @dev SPEC-22's parameters, the kicker at its largest from 1 % of tranche capital, ETH and BTC grouped.
    function _setPolicy() internal {
        FundingParams memory p = _defaultFundingParams();
        p.kickerThresholdBps = 100;
        p.kickerMaxE8 = 100_000;
        _fundingPolicyOn(p);
    }

    function invariant_fundingZeroSum() public view {
        int256 owed = handler.settledFunding();
        for (uint256 i; i < holders.length; ++i) {
            PositionView[] memory ps = lens.positions(holders[i], 0);
            for (uint256 k; k < ps.length; ++k) {
                owed += ps[k].fundingOwed;
            }
        }
        // The lens accrues the positions to now: compare against the stored net plus the flow still accruing.
        (,, int256 net) = pool.pools();
        int256 pending = _pendingBackstopFlow();
        int256 booked = net - net0 + pending;
        assertGe(owed, booked, FUNDING_ZERO_SUM);
        assertLe(owed - booked, int256(3 * (handler.accruals() + 2) + holders.length), FUNDING_ZERO_SUM);
    }

    /// @dev paid = received + backstop flow + kicker: the stored net moved by exactly what the handler's mirror of
    /// every accrual booked, and kickerPaid by exactly its kicker part (no settlement with the backstop here).
    function invariant_flowDecomposesIntoRateAndKicker() public view {
        (,, int256 net) = pool.pools();
        assertEq(net - net0, handler.mirroredFlow(), FLOW_DECOMPOSED);
        assertEq(pool.kickerPaid() - kicker0, handler.mirroredKicker(), FLOW_DECOMPOSED);
    }

    function invariant_backstopFundingBounded() public view {
        (,, int256 net) = pool.pools();
        int256 paid = net0 - net - _pendingBackstopFlow();
        uint256 budget = uint256(defaultConfig().fundingBudgetPerSecond) * 2 * (handler.elapsed() + 1);
        assertLe(paid, int256(budget), BACKSTOP_FUNDING_BOUNDED);
    }

    function invariant_rateCapped() public view {
        assertEq(handler.rateCapViolations(), 0, RATE_CAPPED);
    }

    function invariant_roundTripNeverGains() public view {
        assertEq(handler.roundTripGains(), 0, ROUND_TRIP_NEVER_GAINS);
    }

    /// @dev The campaign is not vacuous: the crowder's pile on ETH, held across two updates, sets the kicker, which
    /// the next accrual books to `kickerPaid`, and every invariant still holds.
    function test_crowding_reachesTheKicker_andTheInvariantsHold() public {
        for (uint256 i; i < 3; ++i) {
            handler.crowd(ETH, 40e18);
        }
        // 30 + 120 ETH of net long = 300,000: 3.75 % of the tranches' 8 M, over twice the 1 % threshold.
        assertEq(pool.position(crowder, 0, ETH).size, 120e18, "setup: the crowder piled on");
        handler.warp(10 minutes);
        handler.updateFunding(ETH);
        assertEq(handler.kickerUpdates(), 0, "not persisted yet");
        handler.warp(10 minutes);
        handler.updateFunding(ETH);
        assertEq(handler.kickerUpdates(), 1, "persisted: the kicker is set");
        assertGt(pool.marketState(ETH).fundingKicker, 0, "the longs pay it");
        handler.warp(10 minutes);
        handler.updateFunding(ETH);
        assertGt(pool.kickerPaid(), kicker0, "booked to the tranches");
        handler.crowd(ETH, -100e18);
        invariant_fundingZeroSum();
        invariant_flowDecomposesIntoRateAndKicker();
        invariant_rateCapped();
        invariant_backstopFundingBounded();
    }

    /// @dev Flow accrued since each market's last accrual but not yet booked (the lens shows positions accrued
    /// to now): the same FundingMath.accrue over the pending seconds, via the lens's market view indices.
    function _pendingBackstopFlow() internal view returns (int256 flow) {
        for (uint256 m; m < 2; ++m) {
            int256 dL = lens.marketView(m).cumFundingLong - pool.marketState(m).cumFundingLong;
            int256 dS = lens.marketView(m).cumFundingShort - pool.marketState(m).cumFundingShort;
            uint256 longOI = pool.marketState(m).longOpenInterest;
            uint256 shortOI = pool.marketState(m).shortOpenInterest;
            flow += (int256(longOI) * dL - int256(shortOI) * dS) / 1e18;
        }
    }
}
