// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    Account,
    FundingParams,
    FundingSnapshot,
    InventorySale,
    MarketConfig,
    MarketState,
    Position,
    RepegCheckpoint,
    TradeLeg
} from "./IPerpTypes.sol";

/// @title IPerpPool
/// @notice A perpetual-futures pool: several virtual-AMM markets, cross-margin accounts with isolated
/// sub-accounts, adaptive funding, a liquidation ladder and a loss waterfall into the backstop tranches.
/// @dev Units: the collateral token has 6 decimals; all internal amounts, prices and sizes are 18-decimal
/// fixed point (WAD). Conversion happens once, at deposit and withdrawal, and is exact (1 token unit = 1e12 WAD).
/// Every rounding favours the protocol. An account is `(owner, subId)`; subId 0 is the cross-margin account.
interface IPerpPool {
    /* ERRORS */

    error DeadlinePassed(uint256 deadline, uint256 timestamp);
    error ZeroAmount();
    error NotAuthorized(address caller, address owner);
    error UnknownMarket(uint256 marketId);
    error MarketAlreadyListed(uint256 marketId);
    error TooManyMarkets(uint256 count, uint256 max);
    error Paused();
    /// @notice The oracle is not Normal: only trades that reduce risk are allowed (liquidations still run).
    error ReduceOnly(uint256 marketId, uint8 oracleStatus);
    error OracleHalted(uint256 marketId);
    error SlippageExceeded(uint256 quote, uint256 limit);
    /// @notice After the trade the mark would sit outside index +- band and further from the index than before.
    error PriceBandExceeded(uint256 markAfter, uint256 index, uint256 bandBps);
    /// @notice The mark would end further from the index than at the block's first trade by more than the limit.
    error BlockMoveLimitExceeded(uint256 markAfter, uint256 blockStartMark, uint256 maxMoveBps);
    error OpenInterestCapExceeded(uint256 marketId, uint256 openInterest, uint256 cap);
    /// @notice `tradeLegs` with an empty leg list.
    error NoLegs();
    /// @notice `tradeLegs` with more legs than `max` (one per market an account may hold).
    error TooManyLegs(uint256 count, uint256 max);
    /// @notice `tradeLegs` lists `marketId` more than once.
    error DuplicateLeg(uint256 marketId);
    /// @notice Account value (at index) would be below its initial margin requirement.
    error InsufficientMargin(int256 value, uint256 required);
    /// @notice The account's value is negative: it can only be closed by liquidation.
    error NegativeEquity(int256 value);
    error InsufficientCollateral(uint256 requested, uint256 available);
    /// @notice The trade would leave a position smaller than the market's minimum.
    error DustPosition(int256 remainingSize, uint256 minSize);
    error AccountHealthy(int256 value, uint256 maintenanceRequirement);
    error NothingToLiquidate();
    /// @notice `closePosition` on a market where the account holds nothing.
    error NoPosition(uint256 marketId);
    /// @notice The backstop account (`BACKSTOP_ACCOUNT`) is never liquidated: its positions are sold to takers.
    error BackstopAccountNotLiquidatable();
    /// @notice The backstop holds nothing on `marketId` (or `maxBase` is 0).
    error NoInventory(uint256 marketId);
    /// @notice The inventory sale's price per base is above (taking a long) or below (taking a short) `limit`.
    error SalePriceBeyondLimit(uint256 pricePerBase, uint256 limit);
    /// @notice Repeg needs a time-weighted mark-index gap above the funding cap over its window (`elapsed` seconds,
    /// at least REPEG_MIN_WINDOW), the block's first mark still beyond the cap on that side, and no step yet at this timestamp.
    error RepegNotDue(uint256 marketId, uint256 twapGapBps, uint256 elapsed);
    /// @notice A liquidation-module entry point was called directly instead of through the pool.
    error OnlyThroughPool();
    error FundingNotDue(uint256 nextUpdate);
    /// @notice A market is already in another correlation group (or the group's list is invalid).
    error FundingGroupInvalid(uint256 marketId);
    error ParameterOutOfBounds(bytes32 parameter, uint256 value);
    error ZeroAddress();
    /// @notice Bubbled from the backstop (`IBackstop.InventoryLossUnknown`, same selector): the visible loss could not
    /// be read (a reverting source, or a call starved of gas), so `distributePremium` / `syncBackstopCapital` store
    /// and split nothing.
    error InventoryLossUnknown();

    /* EVENTS */

    event MarketListed(uint256 indexed marketId, uint256 baseReserve, uint256 quoteReserve);
    event MarketConfigSet(uint256 indexed marketId, MarketConfig config);
    event OperatorSet(address indexed owner, address indexed operator, bool approved);
    event PausedSet(bool paused);
    event GuardianSet(address guardian);
    /// @notice The pool's portfolio-margin grid changed (zero: no netting).
    event RiskEngineSet(address engine);

    event MarginDeposited(address indexed owner, uint96 indexed subId, uint256 amount);
    event MarginWithdrawn(address indexed owner, uint96 indexed subId, address to, uint256 amount);

    /// @notice A position changed by a trade or a liquidation step.
    /// @param sizeDelta base bought (> 0) or sold (< 0)
    /// @param quoteDelta quote paid to the curve (> 0) or received from it (< 0)
    /// @param realizedPnl PnL realized by the reduced part, funding included (WAD, signed)
    /// @param fee trading fee charged (WAD)
    event PositionChanged(
        address indexed owner,
        uint96 indexed subId,
        uint256 indexed marketId,
        int256 sizeDelta,
        int256 quoteDelta,
        int256 newSize,
        int256 newOpenNotional,
        int256 realizedPnl,
        uint256 fee,
        uint256 markAfter
    );

    /// @notice Realized profit that could not be paid yet (losses not collected); it waits, visibly.
    event ProfitDeferred(address indexed owner, uint96 indexed subId, uint256 amount);
    /// @notice Profit the backstop had advanced was repaid to the tranches that paid it (WAD).
    event BackstopAdvanceRepaid(uint256 amount);
    event ProfitDrawCapSet(uint256 bps);
    /// @notice Deferred profit paid out as losses were collected.
    event ProfitSettled(address indexed owner, uint96 indexed subId, uint256 amount);

    /// @notice The next funding rate and crowding kicker, set from the period's time-weighted mark against its
    /// time-weighted index (`FundingPolicy`): premiums are fractions of the index per period in 1e-12.
    /// @param premium the period's own premium, capped; `blended` after the group blend; `charged` after the change
    /// limit and the cap that applied (`capEffective`, tighter in an extreme session)
    /// @param kicker the crowding kicker's premium, signed by the side that pays it (> 0 longs)
    event FundingUpdated(
        uint256 indexed marketId,
        int256 ratePerSecond,
        int256 kickerPerSecond,
        uint256 twapMark,
        uint256 twapIndex,
        int256 premium,
        int256 blended,
        int256 charged,
        int256 kicker,
        uint256 capEffective
    );
    /// @notice A market's funding policy was set (`capE8` derived from its tiers).
    event FundingParamsSet(uint256 indexed marketId, FundingParams params);
    /// @notice Net flow settled with the backstop: > 0 backstop earned, < 0 the tranches paid (what they could not
    /// pay, once both are empty, is socialized in the same call: `LossSocialized`).
    event BackstopFundingSettled(int256 amount);
    event PremiumAccrued(uint256 fees, uint256 penalties);
    event PremiumDistributed(uint256 amount);
    event BackstopCapitalSynced(uint256 capital);

    /// @notice A liquidation step moved `transferred` base (signed as the account's position) of `owner/subId`'s
    /// position on `marketId` to the backstop account at `indexPrice`; `penalty` was charged (WAD), of which
    /// `liquidatorReward` was credited to the caller's cross account. The account received (`quoteDelta` < 0) or
    /// paid (> 0) the index value of the transferred base (rounded in the pool's favour), realized `realizedPnl`
    /// (funding included, before the penalty) and holds `newSize` after it. The one event of a step: no
    /// `PositionChanged` is emitted for a transfer, which moves nothing on the curve.
    event Liquidated(
        address indexed owner,
        uint96 indexed subId,
        uint256 indexed marketId,
        address liquidator,
        int256 transferred,
        uint256 indexPrice,
        uint256 penalty,
        uint256 liquidatorReward,
        int256 quoteDelta,
        int256 realizedPnl,
        int256 newSize
    );
    /// @notice The backstop account's position on `marketId` changed by a sale (`takeInventory`), or by a liquidation
    /// transfer that realized PnL for it (netting against an opposite inventory). A plain transfer is described by `Liquidated`
    /// alone: the inventory takes `transferred` base at `indexPrice`.
    /// @param realizedPnl what the change realized for the backstop (funding included), WAD
    event InventoryChanged(
        uint256 indexed marketId,
        int256 sizeDelta,
        int256 quoteDelta,
        int256 newSize,
        int256 newOpenNotional,
        int256 realizedPnl
    );
    /// @notice `taker/subId` took `sizeDelta` base of the backstop's inventory on `marketId` (signed as the taker's
    /// position change: > 0 took a long) at `indexPrice` minus (long) or plus (short) `discountPerBase`, paying
    /// (`quoteDelta` > 0) or receiving (< 0) that value. `budgetLeft` is the discount budget left after it (WAD); the
    /// sale clock restarted. The backstop's side, and the PnL it realized, is in `InventoryChanged`.
    event InventoryTaken(
        uint256 indexed marketId,
        address indexed taker,
        uint96 indexed subId,
        int256 sizeDelta,
        uint256 indexPrice,
        uint256 discountPerBase,
        int256 quoteDelta,
        int256 takerRealizedPnl,
        int256 takerNewSize,
        uint256 budgetLeft
    );
    event InventoryDiscountRateSet(uint256 indexed marketId, uint256 bpsPerMinute);
    /// @notice The curve of `marketId` was moved toward the index (quote reserve changed, base kept): the traders'
    /// net position on the curve gained `traderGain` (WAD, < 0 a loss), booked to the backstop.
    event Repegged(uint256 indexed marketId, uint256 markBefore, uint256 markAfter, int256 traderGain);
    /// @notice An inventory loss was realized (WAD): booked to the backstop's net flow, drawn from the tranches
    /// (junior first) at the next settlement, and counted in `backstopInventoryLoss` until then.
    event InventoryLossRealized(uint256 indexed marketId, uint256 loss);
    /// @notice The tranches held no more than the loss the chain shows, so the backstop's position on `marketId`
    /// (under water) was marked to `index`: its loss, funding owed included, was realized (`realized` < 0, WAD) into
    /// the backstop's net flow and settled in the same call (drawn, the rest socialized); it keeps its size, now
    /// opened at the index.
    event InventoryMarkedToIndex(uint256 indexed marketId, uint256 index, int256 realized);
    /// @notice Bad debt of an account ran down the waterfall (all WAD): margin was exhausted, then
    /// junior and senior paid, and `socialized` was spread over `marketId`'s open positions.
    event BadDebtResolved(
        address indexed owner,
        uint96 indexed subId,
        uint256 indexed marketId,
        uint256 badDebt,
        uint256 juniorPaid,
        uint256 seniorPaid,
        uint256 socialized
    );
    /// @notice A loss added to the funding indices of a market: each open base unit pays `perBase`.
    event LossSocialized(uint256 indexed marketId, uint256 amount, uint256 perBase);

    /* ACCOUNTS */

    /// @notice Deposit `amount` collateral tokens (6 decimals) into `(msg.sender, subId)`.
    function depositMargin(uint96 subId, uint256 amount) external;

    /// @notice Withdraw `amount` tokens from `(owner, subId)` to `to`. Caller: owner or approved operator.
    /// @dev Warning: afterwards the account must still meet its INITIAL requirement, valued with unrealized
    /// profit excluded (losses included), so paper gains can never be withdrawn.
    function withdrawMargin(address owner, uint96 subId, uint256 amount, address to) external;

    /// @notice Approve or revoke an operator that may trade and withdraw for the caller.
    function setOperator(address operator, bool approved) external;

    /// @notice Pay deferred profit of an account out of collected losses, then out of a bounded draw on the
    /// backstop (at most `drawCapBps` of its capital outstanding in total). Anyone may call it.
    function settleProfit(address owner, uint96 subId) external returns (uint256 paid);

    /* TRADING */

    /// @notice Buy (sizeDelta > 0) or sell (sizeDelta < 0) base on `marketId` for `(owner, subId)`:
    /// opens, increases, reduces, closes or flips a position.
    /// @param quoteLimit for a buy, the most quote to pay; for a sell, the least quote to receive (WAD)
    /// @param deadline latest block timestamp
    /// @return quote the quote paid (buy) or received (sell), before fees
    /// @dev A trade that adds risk needs a Normal oracle, the pool unpaused, the OI caps and value >= initial
    /// requirement afterwards. Any trade needs value >= 0 afterwards (a negative account is closed only by
    /// liquidation), the mark within the band (or moving toward the index) and within the per-block move.
    function trade(
        address owner,
        uint96 subId,
        uint256 marketId,
        int256 sizeDelta,
        uint256 quoteLimit,
        uint256 deadline
    ) external returns (uint256 quote);

    /// @notice Several trades for `(owner, subId)` in one transaction, checked for margin once, after the last leg:
    /// a hedge or a rotation that only meets the initial requirement as a whole opens in one call.
    /// @param legs 1 to 8 legs, each market at most once, executed in order; each leg is `trade` without the margin
    /// check: its oracle gate (a leg that adds risk needs a Normal oracle and the pool unpaused), funding, the
    /// curve, the price band, the per-block move limit, its own slippage limit (`quoteLimit`), the OI caps and the fee
    /// @param deadline latest block timestamp
    /// @return quotes per leg, the quote paid (buy) or received (sell), before fees
    /// @dev After the last leg: value >= initial requirement (paper gains haircut) if any leg added risk, else
    /// value >= 0. A failing leg or check reverts the whole call. One `PositionChanged` per leg. Caller: owner or
    /// approved operator. Reverts NoLegs, TooManyLegs, DuplicateLeg, ZeroAmount (a zero-size leg), and whatever a
    /// leg of `trade` reverts with.
    function tradeLegs(address owner, uint96 subId, TradeLeg[] calldata legs, uint256 deadline)
        external
        returns (uint256[] memory quotes);

    /// @notice Close the whole position of `(owner, subId)` on `marketId`.
    function closePosition(address owner, uint96 subId, uint256 marketId, uint256 quoteLimit, uint256 deadline)
        external
        returns (uint256 quote);

    /* FUNDING */

    /// @notice Accrue funding to now, then set the next rate from the time-weighted mark of the period ending now
    /// against its time-weighted index (the oracle's `cumulativePrice` now minus at the period's start: every
    /// price the oracle stored counts from when it stored it); the funding imbalance is booked to the backstop's
    /// net flow. Anyone. No rate (0) unless the oracle is Normal. Being keeper-paced, it also rolls the repeg's
    /// window forward when that is due (see `repeg`); it never restarts it.
    /// @dev Reverts FundingNotDue before `fundingInterval` has passed since the last update.
    function updateFunding(uint256 marketId) external;

    /// @notice A market's funding policy.
    function fundingParams(uint256 marketId) external view returns (FundingParams memory);

    /// @notice What a market's last funding update measured and charged.
    function fundingSnapshot(uint256 marketId) external view returns (FundingSnapshot memory);

    /// @notice Every crowding kicker paid to the tranches since deployment (WAD quote).
    function kickerPaid() external view returns (uint256);

    /* LIQUIDATION (executed by the liquidation module in the pool's storage) */

    /// @notice One ladder step on an account below maintenance, settled at the index: transfers the same fraction f of
    /// every position whose oracle is not halted to the backstop account at the index (a hedge stays a hedge, and the
    /// netted requirement falls at least by f). f is the least `liquidationFractionBps` of those markets (over 10_000), or
    /// exactly maxBase / size when the largest position (biggest maintenance requirement) would move more than
    /// `maxBase`; each position moves ceil(|size| * f), a remainder below the minimum size moving whole. The
    /// penalty is each leg's notional times its market's `liquidationPenaltyBps`. An account whose value, less 2 wei of
    /// rounding per leg, cannot pay the whole step's penalty (an insolvent one never can) transfers every position with
    /// a usable price in this one call, the penalty capped at what is left (a liquidation never creates bad debt). No
    /// curve trade happens: no band, per-block limit or slippage applies, the caller needs no capital, and
    /// reduce-only markets are liquidated as usual. Each leg's penalty is split between the caller's cross account
    /// (credited, never pushed) and premium. If the account is left with negative collateral and no position with a
    /// usable price, its bad debt runs down the waterfall in the same call. The no-dust rule wins over `maxBase`.
    /// @return transferred base transferred in the largest-requirement market (signed as the account's position)
    /// @dev Reverts AccountHealthy when the account is at or above maintenance, OracleHalted when every position
    /// of the account sits in a halted market, NothingToLiquidate when `maxBase` is 0. A `maxBase` below the step moves
    /// exactly `maxBase` of the largest position and the same fraction (maxBase / its size, rounded up per leg) of the
    /// others.
    function liquidate(address owner, uint96 subId, uint256 maxBase) external returns (int256 transferred);

    /// @notice Same as `liquidate` but returns 0 instead of reverting when the account is healthy or waits on a
    /// halted oracle (a target that front-ran with a top-up does not make the keeper's transaction fail).
    function liquidateIfUnhealthy(address owner, uint96 subId, uint256 maxBase) external returns (int256 transferred);

    /// @notice The keeper's batch: one ladder step (everything when it cannot pay the step) for each listed account id
    /// (`accountId(owner, subId)`), skipping healthy ones without reverting; each step emits `Liquidated`.
    /// @return liquidated how many accounts were liquidated
    function liquidateMany(bytes32[] calldata ids) external returns (uint256 liquidated);

    /// @notice Take up to `maxBase` of the backstop's inventory on `marketId` into the caller's account
    /// `(msg.sender, subId)`: the descending-discount sale. The taker gets the backstop's side (a long inventory is
    /// bought, a short one sold) at the index minus (long) or plus (short) a discount per base that grows linearly
    /// from zero since the sale clock started (`discountRateBps` of the index per minute), capped by the discount
    /// budget left per base held and by the liquidation penalty's share of the index. The budget is the backstop's
    /// own share of the penalties collected on transfers into this inventory (an insolvent account's transfer paid
    /// none and adds none; the liquidator's share never counts) minus the discounts granted, so the backstop never
    /// gives back more than it was paid for taking the positions over. The curve is not involved: the price depends on
    /// the index and the time only, never on the mark, so trading around a sale changes nothing it pays.
    /// The clock starts when the inventory opens (or flips side) and restarts after each sale (Dutch auction; a taker
    /// that takes a little every block keeps the price at the index: it can delay the sale, never cheapen it); the
    /// unused budget is dropped when the inventory closes. The no-dust rule wins over `maxBase` (a remainder below
    /// the market's minimum size is taken too). The taker is checked like a trade: a Normal oracle; when the sale
    /// adds risk to its account, the pool unpaused and value >= initial requirement afterwards (paper gains
    /// haircut), else value >= 0; no dust; at most `MAX_MARKETS_PER_ACCOUNT` markets. Open interest never grows (the
    /// backstop's side shrinks by what the taker's grows), so no open-interest cap can refuse a sale. No fee.
    /// The backstop's realized PnL is booked to its net flow: a gain is paid to the tranches as premium out of
    /// collected losses, a loss is drawn from them, junior first, at the next `distributePremium` (and counts in
    /// `backstopInventoryLoss` until then).
    /// @param priceLimit taking a long, the most to pay per base; taking a short, the least to receive per base (WAD)
    /// @param deadline latest block timestamp
    /// @return sizeDelta base taken (signed as the taker's position change: > 0 took a long)
    /// @return pricePerBase the sale price per base
    /// @dev Reverts NoInventory, ReduceOnly (the oracle is not Normal, halted included), SalePriceBeyondLimit,
    /// DeadlinePassed, Paused, InsufficientMargin, NegativeEquity, DustPosition, TooManyMarkets.
    function takeInventory(uint256 marketId, uint96 subId, uint256 maxBase, uint256 priceLimit, uint256 deadline)
        external
        returns (int256 sizeDelta, uint256 pricePerBase);

    /// @notice One step of the curve of `marketId` toward the index, when funding alone has not closed the gap.
    /// Due when, over the repeg's own window, the time-weighted mark stayed further from the time-weighted index
    /// than the funding cap (`maxPremiumBps`), and the block's first mark (no trade of this block counts) is still beyond the cap on that side of the index
    /// now (the stop rule: the repeg closes the gap down to what funding may close, never across the index), and
    /// no step ran at this timestamp yet. The window runs from the older of two checkpoints of the mark and index
    /// integrals to now; `repeg` and `updateFunding` roll them forward (older := newer, newer := now) once the newer
    /// is `REPEG_MIN_WINDOW` old, so the window is always at least that long (at most about twice, plus any time
    /// nobody called either), and no call, funding included, restarts or shortens it: a single block cannot
    /// trigger a repeg, and a funding update cannot stop one. A step moves the mark by 3/4 of a round trip's fees
    /// (1.5 x `feeBps`, at most `maxMoveBps`), never past the index, so a position opened before a step and closed
    /// after it pays more in fees than the step gives it; the keeper repeats it every block while due. It leaves
    /// the block's move limit anchored at the block's first mark (no fresh per-block allowance). The change in
    /// value of the traders' net position on the curve is booked to the backstop's net flow, like the funding
    /// imbalance: a cost (bounded by `REPEG_BUDGET_BPS` of backstop capital per step, the move shrinks to fit) is
    /// drawn from the tranches, junior first, at the next `distributePremium`; a gain is paid to them out of
    /// collected losses. The time-weighted index is the oracle's own integral (`IOracleRouter.cumulativePrice`),
    /// so it does not matter who refreshed the oracle, or when. Like funding, it acts only on an index the oracle
    /// vouches for: `OracleHalted` while halted, `ReduceOnly` while its feeds disagree or its breaker cools down.
    /// Anyone may call it; `PerpLens.marketView(...).repegDue` says whether it would act now.
    /// @return markAfter the mark after the step
    function repeg(uint256 marketId) external returns (uint256 markAfter);

    /// @notice The loss the chain already shows for the backstop, in collateral token units, rounded up: the
    /// inventory's unrealized loss at the index (funding owed included) summed over the positions under water (a
    /// gain does not offset it until realized), plus what the backstop owes and has not settled yet (funding
    /// imbalance, realized inventory losses, repeg costs). The tranches count it against their value, junior first.
    function backstopInventoryLoss() external view returns (uint256 lossTokens);

    /// @notice The contract that executes the liquidation entry points in the pool's storage (delegatecall).
    function liquidationModule() external view returns (address);

    /* BACKSTOP */

    /// @notice Settle the backstop's net flow (what it owes is drawn from the tranches; what they cannot pay, once
    /// both are empty, is socialized over the traders' open interest, or written off with none), repay profit
    /// advances, send accrued premium (fee and penalty shares, funding income) to the backstop, then re-read the
    /// backstop capital that caps open interest. When that capital is 0 (the tranches hold no more than the loss
    /// the chain shows), every inventory position under water whose oracle is Normal is marked to its index
    /// (`InventoryMarkedToIndex`) and its loss settled the same way, so no residual of the old LPs is left for
    /// new deposits and the vaults can restart. Anyone; executed by the liquidation module in the pool's storage.
    /// @dev Reverts `IBackstop.InventoryLossUnknown` when the backstop cannot read the visible loss (the premium split
    /// and the capital need it); a gas-starved call reverts, it never stores or splits by a 0 it did not measure.
    function distributePremium() external returns (uint256 amount);

    /// @notice Re-read the backstop capital that bounds open interest. Anyone.
    /// @dev Reverts `IBackstop.InventoryLossUnknown` when the visible loss cannot be read (a reverting source, or a
    /// call starved of gas): a failed read is never stored as capital 0.
    function syncBackstopCapital() external returns (uint256 capital);

    /* VIEWS (raw state; derived views such as health and the stress test live in IPerpLens) */

    /// @notice The storage key of `(owner, subId)`: owner in the high 160 bits, subId in the low 96.
    function accountId(address owner, uint96 subId) external pure returns (bytes32);
    function account(address owner, uint96 subId) external view returns (Account memory);
    /// @notice The raw stored position of `(owner, subId)` on `marketId`.
    function position(address owner, uint96 subId, uint256 marketId) external view returns (Position memory);
    function marketState(uint256 marketId) external view returns (MarketState memory);
    /// @notice The cumulative mark and index integrals (each modulo 2^128) at checkpoint `i` (0 or 1) of the repeg's
    /// window on `marketId`; its time is `marketState(marketId).repegTime0` / `repegTime1`.
    function repegCheckpoint(uint256 marketId, uint256 i) external view returns (RepegCheckpoint memory);
    function marketConfig(uint256 marketId) external view returns (MarketConfig memory);
    function marketCount() external view returns (uint256);
    /// @notice The portfolio-margin grid every requirement is netted with (zero: none; see `IRiskEngine`).
    function riskEngine() external view returns (address);
    /// @notice The raw sale state of the backstop's inventory on `marketId` (budget, clock start, rate); the lens
    /// derives the current discount and price (`IPerpLens.inventorySale`).
    function inventorySale(uint256 marketId) external view returns (InventorySale memory);
    /// @notice Backstop capital (token units) last synced; it bounds open interest.
    function backstopCapital() external view returns (uint256);
    /// @notice Whether `operator` may trade and withdraw for `owner`.
    function isOperator(address owner, address operator) external view returns (bool);

    /// @notice Deferred profit owed to accounts in total, what the backstop has advanced to pay it, and the cap
    /// on that advance in bps of backstop capital.
    function profitLedger() external view returns (uint256 totalDeferred, uint256 backstopAdvance, uint256 drawCapBps);

    /// @notice Pool-level money: collected losses available to pay profit, premium waiting for the backstop,
    /// and the net funding-imbalance flow not yet settled with it (> 0 owed to the backstop).
    function pools() external view returns (uint256 pnlPool, uint256 pendingPremium, int256 backstopFundingNet);
}
