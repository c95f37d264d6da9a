// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Per-market parameters, set by the owner within hard-coded bounds (see PoolAdmin).
/// @dev Packed: slot 0 holds the bps and durations, slot 1 the dust floor and the volatility scaling, slot 2 the
/// margin tiers, slot 3 the caps.
struct MarketConfig {
    uint16 feeBps; // trading fee on notional
    uint16 bandBps; // mark must stay within index +- bandBps after a trade (or move toward the index)
    uint16 maxMoveBps; // most the mark may move within one block (one timestamp)
    uint16 liquidationPenaltyBps; // penalty on closed notional in a liquidation
    uint16 liquidatorShareBps; // share of the penalty paid to the liquidator, the rest is backstop premium
    uint16 liquidationFractionBps; // most of a position one liquidation step closes
    uint16 maxPremiumBps; // cap on |mark - index| / index paid per funding period
    uint32 fundingPeriod; // seconds over which one period's premium is paid
    uint32 fundingInterval; // minimum seconds between funding updates
    uint32 oiCapBps; // open interest notional per side <= backstop capital * oiCapBps / 10_000
    uint96 minPositionBase; // no position may be left smaller than this (no dust)
    // Annualized σ (bps) of the index at which the initial margin is the tiers' own; above it the initial margin
    // scales with the oracle's realized σ (VolatilityMath.initialMultiplierBps). 0 = off, else in [500, 50_000].
    uint32 volReferenceBps;
    uint32 volCapBps; // most the initial margin is scaled by volatility, bps (10_000 = 1x), in [10_000, 50_000]
    uint256 tiers; // MarginMath packed tiers
    uint128 maxOpenInterestBase; // absolute cap per side, base units
    uint128 fundingBudgetPerSecond; // most the backstop pays per second for the long/short funding imbalance
}

/// @notice Per-market state. Slot-packed for the trade path.
struct MarketState {
    uint128 baseReserve; // virtual base reserve (WAD); 0 = market not listed
    uint128 quoteReserve; // virtual quote reserve (WAD)
    uint128 longOpenInterest; // base
    uint128 shortOpenInterest; // base
    int128 cumFundingLong; // charged per long base unit (quote WAD per base WAD)
    int128 cumFundingShort; // credited per short base unit
    int96 fundingRate; // quote per base per second; > 0 = longs pay
    // The crowding kicker: quote per base per second the crowded side pays on top of the rate, to the tranches
    // (> 0: longs pay, < 0: shorts pay; nobody receives it). One slot with the rate and the two times.
    int96 fundingKicker;
    uint32 lastAccrual; // last time the funding indices and the mark integral were accrued
    uint32 periodStart; // start of the current funding measurement period (the last `updateFunding`)
    // Sum of mark * seconds since listing, modulo 2^128 (never reset): the difference between two readings is the
    // mark integral over the time between them, exact while it is below 2^128 (TimeIntegral).
    uint128 markTimeIntegral;
    uint128 blockStartMark; // mark at the first call of the current timestamp that accrued (per-block move limit)
    // Funding's own period: the oracle's cumulativePrice and markTimeIntegral at periodStart, both modulo 2^128
    // (TimeIntegral). One slot, written by `updateFunding` only.
    uint128 periodStartCumulativeIndex;
    uint128 periodStartMarkIntegral;
    // The repeg's own measurement window: two checkpoints (times here, integrals in `IPerpPool.repegCheckpoint`),
    // rolled forward (older := newer, newer := now) by `repeg` and `updateFunding` once the newer is
    // REPEG_MIN_WINDOW old.
    uint32 repegTime0;
    uint32 repegTime1;
    uint32 lastRepeg; // last repeg step (at most one per timestamp); one slot with the two fields above
    // Long - short open interest at the last funding update's index, whole quote units (saturated): the next
    // update's crowding counts only what persisted since (`FundingPolicy`). In the repeg times' slot, which
    // `updateFunding` reads and writes anyway.
    int40 fundingNet;
}

/// @notice A market's funding policy (one slot; `IPerpPool.setFundingParams`, behind the risk timelock). Premiums are
/// fractions of the index per funding period. All zero: the period's premium capped by `maxPremiumBps` alone.
struct FundingParams {
    uint16 capMultipleBps; // c: cap per period = c x (IM - MM) of the base tier (and never above maxPremiumBps)
    uint16 maxChangeBps; // most the charged premium moves per update, in bps of the cap (0: no limit)
    uint32 extremeVolBps; // annualized sigma (bps) of the index above which the session is extreme (0: never)
    uint16 extremeCapBps; // the cap during an extreme session, in bps of the normal cap
    uint16 blendWeightBps; // w: weight of the correlation group's open-interest-weighted premium
    uint16 kickerThresholdBps; // the group's |net notional| / tranche capital above which the kicker starts
    uint32 kickerMaxE8; // most the crowding kicker charges per period, in 1e-8 of the index (10_000 = 1 bp)
    uint32 capE8; // derived at every set: the normal cap per period in 1e-8 of the index
    uint8 group; // correlation group (0: none); every member lists the others as siblings
    uint8 siblingCount; // other members of the group (at most 3)
    uint24 siblings; // their market ids, 8 bits each, lowest first
}

/// @notice What a market's last `updateFunding` measured and charged (one slot): its siblings blend its premium and add
/// its net exposure to the group's; its own next update limits the change from `charged`.
struct FundingSnapshot {
    int48 premium; // time-weighted (mark - index) / index over the period, capped, 1e-12 of the index
    int48 charged; // the premium the current rate charges (after the blend, the change limit and the cap), 1e-12
    uint32 measuredAt; // the update's time
    uint40 grossNotional; // long + short open interest at the period's index, whole quote units
    int40 netNotional; // the crowding net: long - short open interest notional that persisted since the update before
    // (the smaller same-sign magnitude of then and now, else 0), whole quote units: what the group's kicker adds
    uint48 pushCost; // feeBps x quote reserve / 10_000, whole quote units: the round-trip fee of moving the mark by 100 %
}

/// @notice One end of the repeg's measurement window: both integrals as of the checkpoint's time, each modulo 2^128.
struct RepegCheckpoint {
    uint128 markIntegral; // MarketState.markTimeIntegral then
    uint128 indexIntegral; // the oracle's cumulativePrice then, modulo 2^128
}

/// @notice The backstop inventory's descending-discount sale on one market (one slot). The clock starts when the
/// inventory opens (or flips side) and restarts after each sale; the budget is zero while nothing is held.
struct InventorySale {
    uint128 budget; // WAD: the backstop's share of the penalties collected on transfers into the inventory, minus
    // the discounts already granted (an insolvent account's transfer paid no penalty and adds nothing)
    uint64 clockStart; // when the discount last started growing from zero
    uint16 discountRateBps; // the discount's growth, bps of the index per minute (owner-set within bounds)
}

/// @notice One leg of a several-market trade (`IPerpPool.tradeLegs`): `trade`'s market, size and slippage limit.
struct TradeLeg {
    uint256 marketId;
    int256 sizeDelta; // base bought (> 0) or sold (< 0)
    uint256 quoteLimit; // buy: the most quote to pay; sell: the least quote to receive (WAD)
}

/// @notice A trader account: (owner, subId). subId 0 is cross margin; any other subId is an isolated bucket.
struct Account {
    int128 collateral; // WAD; negative only while an insolvent account awaits liquidation
    uint96 unsettledProfit; // realized profit not yet paid because losses have not been collected yet (WAD)
    uint32 marketMask; // bit i set = open position in market i
}

/// @notice A position in one market.
struct Position {
    int128 size; // base, > 0 long, < 0 short
    int128 openNotional; // signed quote paid (long > 0, short < 0)
    int128 fundingEntry; // the side's cumulative funding index at the last settlement
}

/// @notice Health of an account at the oracle price.
struct AccountHealth {
    int256 collateral; // WAD
    int256 unrealizedPnl; // at index, funding owed already deducted
    uint256 unsettledProfit;
    int256 value; // collateral + unrealizedPnl + unsettledProfit
    uint256 initialRequirement;
    uint256 maintenanceRequirement;
    bool liquidatable; // value < maintenance requirement and it has positions or bad debt
    uint256 additiveMaintenance; // the sum of the standalone maintenance requirements (what netting is measured against)
    uint256 additiveInitial; // the sum of the standalone initial requirements
    uint256 bindingScenario; // the grid row that sets the netted requirement (type(uint256).max: none, or the floor)
}

/// @notice One position as the SDK and keeper read it.
struct PositionView {
    uint256 marketId;
    int256 size;
    int256 openNotional;
    int256 fundingOwed;
    int256 unrealizedPnl; // at index, before funding
    uint256 notional; // at index
    uint256 initialRequirement;
    uint256 maintenanceRequirement;
}

/// @notice One market as the SDK and keeper read it.
struct MarketView {
    uint256 marketId;
    uint256 baseReserve;
    uint256 quoteReserve;
    uint256 markPrice;
    uint256 indexPrice;
    uint8 oracleStatus;
    uint256 longOpenInterest;
    uint256 shortOpenInterest;
    int256 cumFundingLong;
    int256 cumFundingShort;
    int256 fundingRate;
    uint256 lastFundingUpdate;
    uint256 nextFundingUpdate;
    uint256 openInterestCapBase; // per side, the tighter of the absolute and the capital-based cap at the mark
    uint256 twapMark; // time-weighted mark since the funding period started (0 before any time passed)
    uint256 twapIndex; // time-weighted index since the funding period started
    bool repegDue; // `repeg` would move the curve now (the trigger holds and the oracle is Normal)
    uint256 repegBudget; // most one repeg step may cost the backstop now (WAD)
    uint256 repegWindowStart; // start of the repeg's measurement window as a repeg now would measure it
    uint256 repegTwapMark; // time-weighted mark over that window (0 when it is empty)
    uint256 repegTwapIndex; // time-weighted index over that window
    uint256 realizedVarianceBps2; // the oracle's realized variance (bps², annualized) as the pool would act on it now
    uint256 initialMultiplierBps; // the initial-margin multiplier that variance implies (10_000 = 1x)
    int256 fundingKicker; // the crowding kicker now, quote per base per second (> 0: longs pay, to the tranches)
}

/// @notice A market's funding now and what its next update would set (see `IPerpLens.fundingForecast`). Premiums are
/// fractions of the index per funding period in 1e-12; rates are quote per base per second (WAD).
struct FundingForecast {
    int256 chargedPremium; // the premium the current rate charges (the rate, the kicker and the times: `MarketView`)
    uint256 maxNextPremium; // the most |charged| the next update can set (cap and one change step)
    uint256 kickerMaxPremium; // the most the kicker can charge per period
    FundingOutcome next; // what an update now would set (the estimate: the mark may still move)
}

/// @notice What one funding update sets, and why (`FundingPolicy.next`; premiums in 1e-12 of the index per period).
struct FundingOutcome {
    int256 premium; // the period's own premium, capped
    int256 blended; // after the correlation group's blend
    int256 charged; // after the change limit and the cap that applies
    int256 kicker; // the crowding kicker, signed by the side that pays it (> 0 longs)
    int256 ratePerSecond; // quote per base per second
    int256 kickerPerSecond;
    uint256 cap; // the normal cap
    uint256 capEffective; // the cap that applied (tighter in an extreme session)
    bool extreme; // realized volatility above the extreme threshold
    uint256 blendWeight; // the siblings' total weight (1e-12), at most the params' w
    int256 groupNet; // the group's correlated net notional the backstop stands behind (whole quote)
    uint256 crowdingBps; // |groupNet| / tranche capital (bps; type(uint256).max with no capital)
    uint256 gross; // this market's gross open interest notional (whole quote)
    int256 net; // this market's net open interest notional (whole quote)
    int256 crowd; // the part of `net` that persisted since the last update (what counts toward the group's crowding)
}

/// @notice The backstop inventory's sale on one market now (see `IPerpLens.inventorySale`).
struct InventorySaleView {
    uint256 marketId;
    int256 size; // the backstop's position (what a taker takes the same side of)
    uint256 indexPrice;
    uint8 oracleStatus; // the sale runs only while Normal
    uint256 discountPerBase; // WAD, now
    uint256 pricePerBase; // index - discount (long inventory) or index + discount (short), now
    uint256 budget; // WAD, the discount budget left
    uint256 clockStart; // when the discount last started from zero
    uint256 discountRateBps; // growth, bps of the index per minute
}

/// @notice One account under an index shock (see `IRiskViews.stressTest`).
struct AccountStress {
    address owner;
    uint96 subId;
    int256 value; // at the shocked index
    uint256 maintenanceRequirement;
    bool liquidatable;
    uint256 badDebt; // max(0, -value): what the waterfall would have to absorb
}

/// @notice The liquidation stack for one shock: who falls, the bad debt, and who pays it.
struct StressResult {
    uint256 marketId; // the shocked market, or type(uint256).max for all markets together
    int256 shockBps;
    uint256 shockedIndex; // 0 when every market is shocked
    uint256 liquidatableCount;
    uint256 totalBadDebt; // WAD
    uint256 juniorLoss; // WAD, junior pays first
    uint256 seniorLoss; // WAD, senior pays what junior cannot
    uint256 socialized; // WAD, what neither can pay
    uint256 juniorCapital; // WAD, what junior can pay now (its token balance)
    uint256 seniorCapital; // WAD, what senior can pay now
    uint256 inventoryLoss; // WAD, the backstop inventory's unrealized loss at the shocked index (junior first)
    AccountStress[] accounts;
}

/// @notice Tranche capital against open interest.
struct Coverage {
    uint256 juniorCapital; // WAD
    uint256 seniorCapital; // WAD
    uint256 openInterestNotional; // WAD, long + short over all markets at index
    uint256 coverageBps; // (junior + senior) / open interest notional, in bps (type(uint256).max with no OI)
}
