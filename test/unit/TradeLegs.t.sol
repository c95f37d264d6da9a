// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {Account as PoolAccount, MarketState, Position, TradeLeg} from "../../contracts/interfaces/IPerpTypes.sol";
import {TradingFixture} from "../utils/TradingFixture.sol";

/// @notice `tradeLegs` (RISK-TESTS 71): each leg is a trade with its own band, per-block limit and slippage; one
/// margin check runs after the last leg; a failing leg reverts the whole call.
contract TradeLegsTest is TradingFixture {
    function setUp() public override {
        super.setUp();
        _deposit(alice, 0, 100_000e6);
        _deposit(bob, 0, 100_000e6);
    }

    /* BOOKKEEPING */

    function test_tradeLegs_booksEveryLegExactlyAsTradeWould() public {
        _buy(alice, BTC, 0.5e18);
        uint256 start = vm.snapshotState();
        uint256 qEth = _buy(alice, ETH, 10e18);
        uint256 qBtc = _sell(alice, BTC, 0.83e18); // a flip: long 0.5 to short 0.33
        PoolAccount memory aSeq = pool.account(alice, 0);
        Position memory ethSeq = pool.position(alice, 0, ETH);
        Position memory btcSeq = pool.position(alice, 0, BTC);
        (uint256 pnlSeq, uint256 premiumSeq,) = pool.pools();
        vm.revertToState(start);

        uint256[] memory quotes = _tradeLegs(alice, _two(ETH, 10e18, BTC, -0.83e18));
        assertEq(quotes[0], qEth, "each leg pays its own curve's quote");
        assertEq(quotes[1], qBtc);
        PoolAccount memory a = pool.account(alice, 0);
        assertEq(a.collateral, aSeq.collateral, "same PnL and fees as two trades");
        assertEq(a.unsettledProfit, aSeq.unsettledProfit);
        assertEq(a.marketMask, aSeq.marketMask);
        _assertSamePosition(pool.position(alice, 0, ETH), ethSeq);
        _assertSamePosition(pool.position(alice, 0, BTC), btcSeq);
        (uint256 pnl, uint256 premium,) = pool.pools();
        assertEq(pnl, pnlSeq);
        assertEq(premium, premiumSeq);
    }

    function test_tradeLegs_emitsOnePositionChangedPerLeg_inLegOrder() public {
        (uint256 qBtc, uint256 markBtc) = _quoteSell(BTC, 0.33e18);
        (uint256 qEth, uint256 markEth) = _quoteBuy(ETH, 10e18);
        vm.expectEmit(address(pool));
        emit IPerpPool.PositionChanged(
            alice, 0, BTC, -0.33e18, -int256(qBtc), -0.33e18, -int256(qBtc), 0, _fee(qBtc), markBtc
        );
        vm.expectEmit(address(pool));
        emit IPerpPool.PositionChanged(alice, 0, ETH, 10e18, int256(qEth), 10e18, int256(qEth), 0, _fee(qEth), markEth);
        _tradeLegs(alice, _two(BTC, -0.33e18, ETH, 10e18));
    }

    /* ONE MARGIN CHECK, AFTER THE LAST LEG */

    /// With today's additive requirement a hedge's legs never need less together than apart, so the once-only check
    /// shows as a rotation: opening the new market first would fail alone, closing the old one in the same call pays.
    function test_tradeLegs_checksInitialMarginOnceAfterTheLastLeg_soARotationMayOpenFirst() public {
        _deposit(carol, 0, 10_000e6);
        _buy(carol, BTC, 1.5e18); // 90k notional: 9k of initial margin out of ~9.9k of value
        vm.prank(carol);
        vm.expectPartialRevert(IPerpPool.InsufficientMargin.selector);
        pool.trade(carol, 0, ETH, 10e18, type(uint256).max, block.timestamp);

        _tradeLegs(carol, _two(ETH, 10e18, BTC, -1.5e18));
        assertEq(pool.position(carol, 0, ETH).size, 10e18);
        assertEq(pool.position(carol, 0, BTC).size, 0);
        assertEq(pool.account(carol, 0).marketMask, 1 << ETH);
        assertGe(_health(carol).value, int256(_health(carol).initialRequirement));
    }

    function test_tradeLegs_requireInitialMargin_whenAnyLegAddsRisk() public {
        _deposit(carol, 0, 10_000e6);
        _buy(carol, ETH, 20e18);
        _buy(carol, BTC, 0.8e18); // 40k + 48k notional: 8.8k of initial margin, 4.4k of maintenance
        _nextBlockPrice(ETH, 1880e18); // -6 %: value ~7.4k, below initial (~8.6k), above maintenance
        assertLt(_health(carol).value, int256(_health(carol).initialRequirement));
        assertFalse(_health(carol).liquidatable);

        // Both legs reduce: only value >= 0 is required.
        _tradeLegs(carol, _two(ETH, -1e18, BTC, -0.1e18));
        // One leg adds risk, however small, and the other reduces much more: initial margin after the last leg.
        TradeLeg[] memory legs = _two(ETH, -1e18, BTC, 0.01e18);
        vm.prank(carol);
        vm.expectPartialRevert(IPerpPool.InsufficientMargin.selector);
        pool.tradeLegs(carol, 0, legs, block.timestamp);
    }

    /* A FAILING LEG REVERTS EVERYTHING */

    function test_tradeLegs_revertsWholly_whenALegLeavesTheBand() public {
        _nextBlockPrice(BTC, 57_600e18); // index -4 %: the mark sits 4.2 % above it
        (, uint256 markAfter) = _quoteBuy(BTC, 3.5e18); // +1.4 %: within the move limit, outside the 5 % band
        _assertRevertsWholly(
            _two(ETH, 10e18, BTC, 3.5e18),
            abi.encodeWithSelector(IPerpPool.PriceBandExceeded.selector, markAfter, 57_600e18, uint256(500))
        );
    }

    function test_tradeLegs_revertsWholly_whenALegExceedsTheBlockMoveLimit() public {
        (, uint256 markAfter) = _quoteBuy(BTC, 7.5e18); // +3 %: inside the band, over the 2 % per block
        _assertRevertsWholly(
            _two(ETH, 10e18, BTC, 7.5e18),
            abi.encodeWithSelector(IPerpPool.BlockMoveLimitExceeded.selector, markAfter, BTC_PRICE, uint256(200))
        );
    }

    function test_tradeLegs_revertsWholly_whenALegMissesItsSlippageLimit() public {
        (uint256 q,) = _quoteSell(BTC, 0.33e18);
        TradeLeg[] memory legs = _two(ETH, 10e18, BTC, -0.33e18);
        legs[1].quoteLimit = q + 1;
        _assertRevertsWholly(legs, abi.encodeWithSelector(IPerpPool.SlippageExceeded.selector, q, q + 1));
        legs[1].quoteLimit = q;
        uint256[] memory quotes = _tradeLegs(alice, legs);
        assertEq(quotes[1], q, "the exact quote is accepted");
    }

    /// @dev Two longs do not net (the broad rows move both against the book): 1,000 + 1,200 of IM against 2,000.
    function test_tradeLegs_revertsWholly_whenTheFinalMarginCheckFails() public {
        _deposit(carol, 0, 2000e6);
        _assertRevertsWholly(carol, _two(ETH, 5e18, BTC, 0.2e18), IPerpPool.InsufficientMargin.selector);
    }

    /* THE LEG LIST */

    function test_tradeLegs_revertsWhen_noLegs() public {
        vm.prank(alice);
        vm.expectRevert(IPerpPool.NoLegs.selector);
        pool.tradeLegs(alice, 0, new TradeLeg[](0), block.timestamp);
    }

    function test_tradeLegs_revertsWhen_moreLegsThanAnAccountHoldsMarkets() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.TooManyLegs.selector, 9, 8));
        pool.tradeLegs(alice, 0, new TradeLeg[](9), block.timestamp);
    }

    function test_tradeLegs_revertsWhen_aMarketIsListedTwice() public {
        TradeLeg[] memory legs = new TradeLeg[](3);
        legs[0] = _leg(ETH, 1e18);
        legs[1] = _leg(BTC, 0.1e18);
        legs[2] = _leg(ETH, -1e18);
        _assertRevertsWholly(legs, abi.encodeWithSelector(IPerpPool.DuplicateLeg.selector, ETH));
    }

    function test_tradeLegs_revertsWhen_aLegIsZeroOrItsMarketUnknown() public {
        _assertRevertsWholly(_two(ETH, 1e18, BTC, 0), abi.encodeWithSelector(IPerpPool.ZeroAmount.selector));
        _assertRevertsWholly(_two(ETH, 1e18, 5, 1e18), abi.encodeWithSelector(IPerpPool.UnknownMarket.selector, 5));
        // An id past the duplicate mask's 256 bits is still just an unknown market.
        _assertRevertsWholly(_two(ETH, 1e18, 300, 1e18), abi.encodeWithSelector(IPerpPool.UnknownMarket.selector, 300));
    }

    /* ORACLE GATES, DEADLINE, OPERATOR */

    function test_tradeLegs_reduceOnlyMarket_reducingLegPasses_addingLegReverts() public {
        _buy(alice, ETH, 10e18);
        _sell(bob, ETH, 10e18);
        // Two of three ETH feeds 5 % either side of the median: ETH turns ReduceOnly, BTC stays Normal.
        vm.warp(block.timestamp + 1);
        feeds[ETH][0].setAnswer(2100e8);
        feeds[ETH][1].setAnswer(1900e8);
        assertEq(lens.marketView(ETH).oracleStatus, 1);

        _assertRevertsWholly(
            _two(BTC, 0.1e18, ETH, 1e18), abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, 1)
        );
        _assertRevertsWholly(
            _two(BTC, 0.1e18, ETH, -15e18), abi.encodeWithSelector(IPerpPool.ReduceOnly.selector, ETH, 1)
        );
        _tradeLegs(alice, _two(BTC, 0.1e18, ETH, -4e18));
        assertEq(pool.position(alice, 0, ETH).size, 6e18);
        assertEq(pool.position(alice, 0, BTC).size, 0.1e18);
    }

    function test_tradeLegs_revertsWhen_deadlinePassed() public {
        TradeLeg[] memory legs = _two(ETH, 1e18, BTC, 0.1e18);
        uint256 deadline = block.timestamp - 1;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.DeadlinePassed.selector, deadline, block.timestamp));
        pool.tradeLegs(alice, 0, legs, deadline);
    }

    function test_tradeLegs_onlyOwnerOrApprovedOperator() public {
        TradeLeg[] memory legs = _two(ETH, 1e18, BTC, 0.1e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IPerpPool.NotAuthorized.selector, bob, alice));
        pool.tradeLegs(alice, 0, legs, block.timestamp);

        vm.prank(alice);
        pool.setOperator(bob, true);
        vm.prank(bob);
        pool.tradeLegs(alice, 0, legs, block.timestamp);
        assertEq(pool.position(alice, 0, ETH).size, 1e18);
        assertEq(pool.position(alice, 0, BTC).size, 0.1e18);
        assertEq(pool.position(bob, 0, ETH).size, 0, "the operator's own account is untouched");
    }

    /* HELPERS */

    function _leg(uint256 marketId, int256 sizeDelta) internal pure returns (TradeLeg memory) {
        return TradeLeg({marketId: marketId, sizeDelta: sizeDelta, quoteLimit: sizeDelta > 0 ? type(uint256).max : 0});
    }

    function _two(uint256 m0, int256 s0, uint256 m1, int256 s1) internal pure returns (TradeLeg[] memory legs) {
        legs = new TradeLeg[](2);
        legs[0] = _leg(m0, s0);
        legs[1] = _leg(m1, s1);
    }

    function _tradeLegs(address who, TradeLeg[] memory legs) internal returns (uint256[] memory) {
        vm.prank(who);
        return pool.tradeLegs(who, 0, legs, block.timestamp);
    }

    function _assertRevertsWholly(TradeLeg[] memory legs, bytes memory reason) internal {
        _assertRevertsWholly(alice, legs, reason);
    }

    function _assertRevertsWholly(address who, TradeLeg[] memory legs, bytes4 selector) internal {
        _assertRevertsWholly(who, legs, abi.encodePacked(selector), true);
    }

    function _assertRevertsWholly(address who, TradeLeg[] memory legs, bytes memory reason) internal {
        _assertRevertsWholly(who, legs, reason, false);
    }

    /// @dev The call reverts with `reason` (only its selector when `selectorOnly`) and changes nothing: no position, no
    /// reserve, no collateral.
    function _assertRevertsWholly(address who, TradeLeg[] memory legs, bytes memory reason, bool selectorOnly)
        internal
    {
        PoolAccount memory before = pool.account(who, 0);
        MarketState memory eth = pool.marketState(ETH);
        MarketState memory btc = pool.marketState(BTC);
        Position memory ethPos = pool.position(who, 0, ETH);
        Position memory btcPos = pool.position(who, 0, BTC);
        vm.prank(who);
        if (selectorOnly) vm.expectPartialRevert(bytes4(reason));
        else vm.expectRevert(reason);
        pool.tradeLegs(who, 0, legs, block.timestamp);
        PoolAccount memory afterwards = pool.account(who, 0);
        assertEq(afterwards.collateral, before.collateral, "collateral unchanged");
        assertEq(afterwards.marketMask, before.marketMask, "no market opened");
        _assertSamePosition(pool.position(who, 0, ETH), ethPos);
        _assertSamePosition(pool.position(who, 0, BTC), btcPos);
        assertEq(pool.marketState(ETH).quoteReserve, eth.quoteReserve, "no leg stayed on its curve");
        assertEq(pool.marketState(BTC).quoteReserve, btc.quoteReserve);
    }

    function _assertSamePosition(Position memory a, Position memory b) internal pure {
        assertEq(a.size, b.size, "size");
        assertEq(a.openNotional, b.openNotional, "open notional");
        assertEq(a.fundingEntry, b.fundingEntry, "funding entry");
    }
}
