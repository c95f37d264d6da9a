// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "./interfaces/IBackstop.sol";
import {IOracleRouter, OracleStatus} from "./interfaces/IOracleRouter.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {Account, MarketConfig, MarketState, Position} from "./interfaces/IPerpTypes.sol";
import {FixedPoint} from "./libraries/FixedPoint.sol";
import {FundingMath} from "./libraries/FundingMath.sol";
import {PositionMath} from "./libraries/PositionMath.sol";
import {AccountLogic} from "./pool/AccountLogic.sol";
import {PoolAdmin} from "./pool/PoolAdmin.sol";
import {PoolStorage} from "./pool/PoolStorage.sol";
import {PoolViews} from "./pool/PoolViews.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title PerpPool
/// @notice Entry points: accounts, trading, funding, liquidation, backstop settlement. The mechanics live in
/// `pool/*` (state, markets, accounts) and the math in `libraries/*`.
contract PerpPool is PoolAdmin, PoolViews, AccountLogic, ReentrancyGuardTransient {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    uint256 private constant NO_MARKET = type(uint256).max;

    constructor(IERC20 collateralToken_, IOracleRouter oracle_, IBackstop backstop_, address owner_)
        PoolStorage(collateralToken_, oracle_, backstop_)
        Ownable(owner_)
    {}

    modifier onlyAuthorized(address owner) {
        if (msg.sender != owner && !isOperator[owner][msg.sender]) revert NotAuthorized(msg.sender, owner);
        _;
    }

    modifier beforeDeadline(uint256 deadline) {
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        _;
    }

    /* ACCOUNTS */

    /// @inheritdoc IPerpPool
    function depositMargin(uint96 subId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage a = _accounts[accountId(msg.sender, subId)];
        int256 col = a.collateral;
        uint256 wad = amount * TOKEN_TO_WAD;
        // A deposit into an account in debt collects that debt: it is a loss other traders are owed.
        if (col < 0) _pnlPool = (uint256(_pnlPool) + FixedPoint.min(wad, uint256(-col))).toUint128();
        a.collateral = (col + wad.toInt256()).toInt128();
        collateralToken.safeTransferFrom(msg.sender, address(this), amount);
        emit MarginDeposited(msg.sender, subId, amount);
    }

    /// @inheritdoc IPerpPool
    function withdrawMargin(address owner, uint96 subId, uint256 amount, address to)
        external
        nonReentrant
        onlyAuthorized(owner)
    {
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        bytes32 id = accountId(owner, subId);
        Account memory a = _accounts[id];
        _payDeferred(id, a);
        uint256 wad = amount * TOKEN_TO_WAD;
        int256 col = a.collateral;
        if (col < int256(wad)) revert InsufficientCollateral(wad, col > 0 ? uint256(col) : 0);
        a.collateral = int128(col - int256(wad));
        if (a.marketMask != 0) {
            Totals memory t = _totals(id, a.marketMask, NO_MARKET, 0);
            // Initial margin afterwards, paper gains excluded (Hyperliquid Mar 2025, Mango Oct 2022): every
            // position's loss counts, no position's gain does (a gain in one market must not offset a loss in another).
            int256 v = int256(a.collateral) + t.pnl - t.positivePnl;
            if (v < int256(t.initialReq)) revert InsufficientMargin(v, t.initialReq);
        }
        _accounts[id] = a;
        collateralToken.safeTransfer(to, amount);
        emit MarginWithdrawn(owner, subId, to, amount);
    }

    /// @inheritdoc IPerpPool
    function setOperator(address operator, bool approved) external {
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    /// @inheritdoc IPerpPool
    function settleProfit(address owner, uint96 subId) external nonReentrant returns (uint256 paid) {
        bytes32 id = accountId(owner, subId);
        Account memory a = _accounts[id];
        paid = _payDeferred(id, a);
        uint256 owed = a.unsettledProfit;
        if (owed != 0) {
            // The bounded draw: the backstop advances profit up to `_profitDrawCapBps` of its capital in total,
            // repaid out of losses collected later (see distributePremium).
            uint256 cap = (uint256(_backstopCapital) * TOKEN_TO_WAD).mulDivDown(_profitDrawCapBps, FixedPoint.BPS);
            uint256 advance = _backstopAdvance;
            uint256 draw = cap > advance ? FixedPoint.min(owed, cap - advance) : 0;
            if (draw != 0) {
                uint256 poolBefore = _pnlPool;
                _drawBackstop(draw, IBackstop.LossKind.ProfitDraw);
                // The advance is what actually arrived (whole tokens), so repayment returns exactly that.
                _backstopAdvance = (advance + _pnlPool - poolBefore).toUint128();
                paid += _payDeferred(id, a);
            }
        }
        if (paid != 0) _accounts[id] = a;
    }

    /* TRADING */

    /// @inheritdoc IPerpPool
    function trade(
        address owner,
        uint96 subId,
        uint256 marketId,
        int256 sizeDelta,
        uint256 quoteLimit,
        uint256 deadline
    ) external nonReentrant onlyAuthorized(owner) beforeDeadline(deadline) returns (uint256 quote) {
        if (sizeDelta == 0) revert ZeroAmount();
        quote = _trade(accountId(owner, subId), marketId, sizeDelta, quoteLimit);
    }

    /// @inheritdoc IPerpPool
    function closePosition(address owner, uint96 subId, uint256 marketId, uint256 quoteLimit, uint256 deadline)
        external
        nonReentrant
        onlyAuthorized(owner)
        beforeDeadline(deadline)
        returns (uint256 quote)
    {
        bytes32 id = accountId(owner, subId);
        int256 size = _positions[id][marketId].size;
        if (size == 0) revert ZeroAmount();
        quote = _trade(id, marketId, -size, quoteLimit);
    }

    /// @dev Values of one trade, kept in memory (the EVM stack cannot hold them all).
    struct TradeResult {
        int256 oldSize;
        uint256 index;
        int256 quoteDelta;
        uint256 markBefore;
        uint256 markAfter;
        int256 realized;
        uint256 fee; // trading fee, or the liquidation penalty
        uint256 reward; // liquidator's share of the penalty
    }

    function _trade(bytes32 id, uint256 marketId, int256 sizeDelta, uint256 quoteLimit)
        internal
        returns (uint256 quote)
    {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        Position memory p = _positions[id][marketId];
        TradeResult memory r;
        r.oldSize = p.size;
        (bool flips, bool addsRisk) = _classify(r.oldSize, sizeDelta, c);
        {
            OracleStatus status;
            (r.index, status) = _index(marketId);
            if (addsRisk) {
                if (paused) revert Paused();
                _requireNormal(marketId, status);
            }
        }
        _accrue(m, c);
        r.realized = _settleFunding(m, p);
        _legs(m, p, sizeDelta, flips, r);
        _checkPriceGuards(m, c, r.markBefore, r.markAfter, r.index, false);
        quote = FixedPoint.abs(r.quoteDelta);
        if (sizeDelta > 0 ? quote > quoteLimit : quote < quoteLimit) revert SlippageExceeded(quote, quoteLimit);
        _updateOpenInterest(m, r.oldSize, p.size);

        Account memory a = _accounts[id];
        _applyPnl(id, a, r.realized);
        r.fee = _chargeFee(a, quote.mulDivUp(c.feeBps, FixedPoint.BPS));
        _storePosition(id, a, marketId, p, r.oldSize);
        _accounts[id] = a;

        if (addsRisk) _checkOpenInterest(marketId, m, c, p.size, r.index);
        _checkMargin(id, a, marketId, r.index, addsRisk);
        _emitPositionChanged(id, marketId, sizeDelta, p, r);
    }

    /// @dev Whether the trade flips the side and whether it adds risk; rejects a dust remainder.
    function _classify(int256 oldSize, int256 sizeDelta, MarketConfig storage c)
        internal
        view
        returns (bool flips, bool addsRisk)
    {
        int256 newSize = oldSize + sizeDelta;
        flips = oldSize != 0 && newSize != 0 && (oldSize > 0) != (newSize > 0);
        addsRisk = flips || FixedPoint.abs(newSize) > FixedPoint.abs(oldSize);
        if (newSize != 0 && FixedPoint.abs(newSize) < c.minPositionBase) {
            revert DustPosition(newSize, c.minPositionBase);
        }
    }

    /// @dev After a trade: value >= initial requirement (paper gains haircut) when it added risk, else value >= 0.
    function _checkMargin(bytes32 id, Account memory a, uint256 marketId, uint256 index, bool addsRisk) internal {
        Totals memory t = _totals(id, a.marketMask, marketId, index);
        if (addsRisk) {
            int256 v = _openValue(a, t);
            if (v < int256(t.initialReq)) revert InsufficientMargin(v, t.initialReq);
        } else {
            int256 v = _value(a, t);
            if (v < 0) revert NegativeEquity(v);
        }
    }

    /// @dev Executes the trade on the curve and applies it to `p`. A flip is two legs: close the old side, then
    /// open the new one.
    function _legs(MarketState storage m, Position memory p, int256 sizeDelta, bool flips, TradeResult memory r)
        internal
    {
        int256 oldSize = p.size;
        if (flips) {
            int256 newSize = oldSize + sizeDelta;
            (int256 closeQuote, uint256 markBefore,) = _swap(m, -oldSize);
            r.realized -= closeQuote + p.openNotional;
            (int256 openQuote,, uint256 markAfter) = _swap(m, newSize);
            r.quoteDelta = closeQuote + openQuote;
            r.markBefore = markBefore;
            r.markAfter = markAfter;
            p.openNotional = openQuote.toInt128();
            p.size = newSize.toInt128();
            p.fundingEntry = newSize > 0 ? m.cumFundingLong : m.cumFundingShort;
        } else {
            (r.quoteDelta, r.markBefore, r.markAfter) = _swap(m, sizeDelta);
            (int256 s, int256 on, int256 pnl) = PositionMath.applyLeg(oldSize, p.openNotional, sizeDelta, r.quoteDelta);
            p.size = s.toInt128();
            p.openNotional = on.toInt128();
            r.realized += pnl;
            if (oldSize == 0) p.fundingEntry = s > 0 ? m.cumFundingLong : m.cumFundingShort;
        }
    }

    /// @dev Charges a fee from collateral; only the part collateral covers becomes backstop premium.
    function _chargeFee(Account memory a, uint256 fee) internal returns (uint256) {
        int256 col = a.collateral;
        if (col > 0) _pendingPremium = (uint256(_pendingPremium) + FixedPoint.min(fee, uint256(col))).toUint128();
        a.collateral = (col - int256(fee)).toInt128();
        return fee;
    }

    function _storePosition(bytes32 id, Account memory a, uint256 marketId, Position memory p, int256 oldSize)
        internal
    {
        if (p.size == 0) {
            delete _positions[id][marketId];
            a.marketMask &= ~uint32(1 << marketId);
            return;
        }
        _positions[id][marketId] = p;
        if (oldSize == 0) {
            uint32 mask = a.marketMask | uint32(1 << marketId);
            uint256 count;
            for (uint256 x = mask; x != 0; x &= x - 1) {
                ++count;
            }
            if (count > MAX_MARKETS_PER_ACCOUNT) revert TooManyMarkets(count, MAX_MARKETS_PER_ACCOUNT);
            a.marketMask = mask;
        }
    }

    function _emitPositionChanged(
        bytes32 id,
        uint256 marketId,
        int256 sizeDelta,
        Position memory p,
        TradeResult memory r
    ) internal {
        (address owner, uint96 subId) = _decode(id);
        emit PositionChanged(
            owner, subId, marketId, sizeDelta, r.quoteDelta, p.size, p.openNotional, r.realized, r.fee, r.markAfter
        );
    }

    /* FUNDING */

    /// @inheritdoc IPerpPool
    function updateFunding(uint256 marketId) external nonReentrant {
        MarketState storage m = _listedMarket(marketId);
        MarketConfig storage c = _configs[marketId];
        uint256 next = uint256(m.periodStart) + c.fundingInterval;
        if (block.timestamp < next) revert FundingNotDue(next);
        (uint256 index, OracleStatus status) = oracle.refresh(marketId);
        _accrue(m, c);
        uint256 twap = m.markTimeIntegral / (block.timestamp - m.periodStart);
        // No funding is charged against an index the oracle does not vouch for.
        int256 rate = status == OracleStatus.Normal
            ? FundingMath.rateFromPremium(twap, index, c.maxPremiumBps, c.fundingPeriod)
            : int256(0);
        m.fundingRate = rate.toInt128();
        m.markTimeIntegral = 0;
        m.periodStart = uint64(block.timestamp);
        emit FundingUpdated(marketId, rate, twap, index, m.cumFundingLong, m.cumFundingShort);
    }

    /* LIQUIDATION */

    /// @inheritdoc IPerpPool
    function liquidate(address owner, uint96 subId, uint256 maxBase, uint256 quoteLimit, uint256 deadline)
        external
        nonReentrant
        beforeDeadline(deadline)
        returns (int256 closed)
    {
        closed = _liquidate(accountId(owner, subId), maxBase, quoteLimit, true);
    }

    /// @inheritdoc IPerpPool
    function liquidateIfUnhealthy(address owner, uint96 subId, uint256 maxBase, uint256 quoteLimit, uint256 deadline)
        external
        nonReentrant
        beforeDeadline(deadline)
        returns (int256 closed)
    {
        closed = _liquidate(accountId(owner, subId), maxBase, quoteLimit, false);
    }

    function _liquidate(bytes32 id, uint256 maxBase, uint256 quoteLimit, bool strict) internal returns (int256 closed) {
        Account memory a = _accounts[id];
        Totals memory t = _totals(id, a.marketMask, NO_MARKET, 0);
        int256 value = _value(a, t);
        if (value >= int256(t.maintReq) || (a.marketMask == 0 && a.collateral >= 0)) {
            if (strict) revert AccountHealthy(value, t.maintReq);
            return 0;
        }
        if (a.marketMask == 0) {
            _resolveBadDebt(id, a, NO_MARKET);
            _accounts[id] = a;
            return 0;
        }
        closed = _liquidationStep(id, a, t.largestMarket, maxBase, quoteLimit, value < 0);
    }

    /// @dev One ladder step on `marketId` (the account's largest maintenance requirement).
    function _liquidationStep(
        bytes32 id,
        Account memory a,
        uint256 marketId,
        uint256 maxBase,
        uint256 quoteLimit,
        bool insolvent
    ) internal returns (int256 closed) {
        MarketState storage m = _markets[marketId];
        MarketConfig storage c = _configs[marketId];
        TradeResult memory r;
        {
            OracleStatus status;
            (r.index, status) = _index(marketId);
            _requireNormal(marketId, status);
        }
        _accrue(m, c);
        Position memory p = _positions[id][marketId];
        r.oldSize = p.size;
        r.realized = _settleFunding(m, p);
        closed = _ladderStep(r.oldSize, c, maxBase, insolvent);
        _legs(m, p, closed, false, r);
        _checkPriceGuards(m, c, r.markBefore, r.markAfter, r.index, true);
        {
            uint256 quote = FixedPoint.abs(r.quoteDelta);
            if (closed > 0 ? quote > quoteLimit : quote < quoteLimit) revert SlippageExceeded(quote, quoteLimit);
            _updateOpenInterest(m, r.oldSize, p.size);
            _applyPnl(id, a, r.realized);
            (r.fee, r.reward) = _chargePenalty(id, a, quote, c);
        }
        _storePosition(id, a, marketId, p, r.oldSize);
        if (a.marketMask == 0 && a.collateral < 0) _resolveBadDebt(id, a, marketId);
        _accounts[id] = a;
        _emitLiquidated(id, marketId, closed, p, r);
    }

    function _emitLiquidated(bytes32 id, uint256 marketId, int256 closed, Position memory p, TradeResult memory r)
        internal
    {
        (address owner, uint96 subId) = _decode(id);
        emit PositionChanged(
            owner, subId, marketId, closed, r.quoteDelta, p.size, p.openNotional, r.realized, 0, r.markAfter
        );
        emit Liquidated(owner, subId, marketId, msg.sender, closed, r.fee, r.reward);
    }

    /// @dev Size one ladder step closes (signed against the position): a bounded fraction, all of it when the
    /// account is insolvent, at most `maxBase`, and never leaving a remainder below the minimum size. The no-dust
    /// rule wins over `maxBase`: a position already at or below the minimum size is closed whole.
    function _ladderStep(int256 size, MarketConfig storage c, uint256 maxBase, bool insolvent)
        internal
        view
        returns (int256)
    {
        uint256 held = FixedPoint.abs(size);
        uint256 step = insolvent ? held : held.mulDivUp(c.liquidationFractionBps, FixedPoint.BPS);
        if (step > maxBase) step = maxBase;
        uint256 remaining = held - step;
        if (remaining != 0 && remaining < c.minPositionBase) {
            step = (maxBase >= held || held <= c.minPositionBase) ? held : held - c.minPositionBase;
        }
        if (step == 0) revert NothingToLiquidate();
        return size > 0 ? -int256(step) : int256(step);
    }

    /// @dev Penalty on closed notional, never more than the account's positive collateral; the liquidator's
    /// share is credited to its cross account (never pushed), the rest is backstop premium.
    function _chargePenalty(bytes32 id, Account memory a, uint256 quote, MarketConfig storage c)
        internal
        returns (uint256 penalty, uint256 reward)
    {
        penalty = quote.mulDivDown(c.liquidationPenaltyBps, FixedPoint.BPS);
        int256 col = a.collateral;
        if (col <= 0) return (0, 0);
        if (penalty > uint256(col)) penalty = uint256(col);
        a.collateral = int128(col - int256(penalty));
        reward = penalty.mulDivDown(c.liquidatorShareBps, FixedPoint.BPS);
        _pendingPremium = (uint256(_pendingPremium) + penalty - reward).toUint128();
        bytes32 liquidatorId = accountId(msg.sender, 0);
        if (liquidatorId == id) {
            a.collateral += int128(int256(reward));
        } else {
            Account storage l = _accounts[liquidatorId];
            int256 lc = l.collateral;
            // A reward into an account in debt collects that debt, as a deposit would.
            if (lc < 0) _pnlPool = (uint256(_pnlPool) + FixedPoint.min(reward, uint256(-lc))).toUint128();
            l.collateral = (lc + int256(reward)).toInt128();
        }
    }

    /// @dev The waterfall: the account's margin is gone (collateral < 0); junior pays, then senior, and the
    /// rest is socialized over `marketId`'s open positions through its funding indices.
    function _resolveBadDebt(bytes32 id, Account memory a, uint256 marketId) internal {
        uint256 debt = uint256(-int256(a.collateral));
        a.collateral = 0;
        (uint256 juniorPaid, uint256 seniorPaid) = _drawBackstop(debt, IBackstop.LossKind.BadDebt);
        uint256 socialized = debt - juniorPaid - seniorPaid;
        if (socialized != 0) {
            if (marketId == NO_MARKET) marketId = _largestOpenInterestMarket();
            _socialize(marketId, _markets[marketId], socialized);
        }
        (address owner, uint96 subId) = _decode(id);
        emit BadDebtResolved(owner, subId, marketId, debt, juniorPaid, seniorPaid, socialized);
    }

    /// @dev Draws `amount` (WAD) from the tranches into the pnl pool. Returns what each paid, in WAD, capped so
    /// that juniorPaid + seniorPaid <= amount exactly (the token rounding remainder stays in the pnl pool).
    function _drawBackstop(uint256 amount, IBackstop.LossKind kind)
        internal
        returns (uint256 juniorPaid, uint256 seniorPaid)
    {
        uint256 tokens = amount.mulDivUp(1, TOKEN_TO_WAD);
        (uint256 j, uint256 s) = backstop.absorbLoss(tokens, kind);
        uint256 received = (j + s) * TOKEN_TO_WAD;
        _pnlPool = (uint256(_pnlPool) + received).toUint128();
        uint256 capital = _backstopCapital;
        _backstopCapital = uint128(capital > j + s ? capital - (j + s) : 0);
        juniorPaid = FixedPoint.min(j * TOKEN_TO_WAD, amount);
        seniorPaid = FixedPoint.min(s * TOKEN_TO_WAD, amount - juniorPaid);
    }

    function _largestOpenInterestMarket() internal view returns (uint256 best) {
        uint256 bestOi;
        for (uint256 i; i < _marketCount; ++i) {
            uint256 oi = uint256(_markets[i].longOpenInterest) + _markets[i].shortOpenInterest;
            if (oi > bestOi) (best, bestOi) = (i, oi);
        }
    }

    /* BACKSTOP */

    /// @inheritdoc IPerpPool
    function distributePremium() external nonReentrant returns (uint256 amount) {
        _settleBackstopFunding();
        _repayBackstopAdvance();
        uint256 pending = _pendingPremium;
        amount = pending / TOKEN_TO_WAD;
        if (amount != 0) {
            _pendingPremium = uint128(pending - amount * TOKEN_TO_WAD);
            collateralToken.forceApprove(address(backstop), amount);
            backstop.distributePremium(amount);
            emit PremiumDistributed(amount);
        }
        // Keeper-paced anyway: also refresh the capital that caps open interest (LP exits lower it).
        _syncBackstopCapital();
    }

    /// @dev Profit the backstop advanced goes back to it, as premium, once collected losses exceed every
    /// deferred claim.
    function _repayBackstopAdvance() internal {
        uint256 advance = _backstopAdvance;
        if (advance == 0) return;
        uint256 repay = FixedPoint.min(advance, _pnlSurplus());
        if (repay == 0) return;
        _backstopAdvance = uint128(advance - repay);
        _pnlPool -= uint128(repay);
        _pendingPremium = (uint256(_pendingPremium) + repay).toUint128();
        emit BackstopAdvanceRepaid(repay);
    }

    /// @dev Funding income owed to the backstop is paid only out of collected losses; funding the backstop owes
    /// is drawn from the tranches into the pnl pool (bounded per second by `fundingBudgetPerSecond`).
    function _settleBackstopFunding() internal {
        int256 net = _backstopFundingNet;
        int256 settled;
        if (net > 0) {
            uint256 pay = FixedPoint.min(uint256(net), _pnlSurplus());
            if (pay == 0) return;
            _pnlPool -= uint128(pay);
            _pendingPremium = (uint256(_pendingPremium) + pay).toUint128();
            net -= int256(pay);
            settled = int256(pay);
        } else if (net < 0) {
            (uint256 j, uint256 s) = _drawBackstop(uint256(-net), IBackstop.LossKind.FundingImbalance);
            if (j + s == 0) return;
            net += int256(j + s);
            settled = -int256(j + s);
        } else {
            return;
        }
        _backstopFundingNet = net;
        emit BackstopFundingSettled(settled);
    }

    /// @inheritdoc IPerpPool
    function syncBackstopCapital() external nonReentrant returns (uint256 capital) {
        capital = _syncBackstopCapital();
    }

    function _syncBackstopCapital() internal returns (uint256 capital) {
        capital = backstop.capital();
        _backstopCapital = capital.toUint128();
        emit BackstopCapitalSynced(capital);
    }
}
