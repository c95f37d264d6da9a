// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LiquidationModule} from "./LiquidationModule.sol";
import {MarketAdmin} from "./MarketAdmin.sol";
import {IBackstop} from "./interfaces/IBackstop.sol";
import {IOracleRouter, OracleStatus} from "./interfaces/IOracleRouter.sol";
import {IPerpPool} from "./interfaces/IPerpPool.sol";
import {Account, MarketConfig, MarketState, TradeLeg} from "./interfaces/IPerpTypes.sol";
import {FixedPoint} from "./libraries/FixedPoint.sol";
import {FundingMath} from "./libraries/FundingMath.sol";
import {TimeIntegral} from "./libraries/TimeIntegral.sol";
import {InventoryLogic} from "./pool/InventoryLogic.sol";
import {PoolAdmin} from "./pool/PoolAdmin.sol";
import {PoolStorage} from "./pool/PoolStorage.sol";
import {PoolViews} from "./pool/PoolViews.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title PerpPool
/// @notice Entry points, and nothing else: accounts, trading, funding, liquidation, backstop settlement. The
/// mechanics live in `pool/*` (storage, markets, accounts, trades, liquidation, backstop flows) and the math in
/// `libraries/*`. Liquidation, the inventory sale, the repeg and the backstop settlement run in `LiquidationModule`, delegatecalled in this
/// contract's storage (the code size limit).
contract PerpPool is PoolAdmin, PoolViews, InventoryLogic, ReentrancyGuardTransient {
    using FixedPoint for uint256;
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    /// @inheritdoc IPerpPool
    address public immutable liquidationModule;
    /// @notice Market listing and parameters (`MarketAdmin`), deployed by this constructor.
    address public immutable marketAdmin;

    error ModuleMismatch(address module);

    constructor(
        IERC20 collateralToken_,
        IOracleRouter oracle_,
        IBackstop backstop_,
        address owner_,
        LiquidationModule liquidationModule_
    ) PoolStorage(collateralToken_, oracle_, backstop_) Ownable(owner_) {
        if (
            liquidationModule_.collateralToken() != collateralToken_ || liquidationModule_.oracle() != oracle_
                || liquidationModule_.backstop() != backstop_
        ) revert ModuleMismatch(address(liquidationModule_));
        liquidationModule = address(liquidationModule_);
        marketAdmin = address(new MarketAdmin(collateralToken_, oracle_, backstop_));
    }

    // The check is a function so its code is in the contract once, not in every entry point (the size limit).
    modifier onlyAuthorized(address owner) {
        _requireAuthorized(owner);
        _;
    }

    modifier beforeDeadline(uint256 deadline) {
        if (block.timestamp > deadline) revert DeadlinePassed(deadline, block.timestamp);
        _;
    }

    function _requireAuthorized(address owner) private view {
        if (msg.sender != owner && !_operators[owner][msg.sender]) revert NotAuthorized(msg.sender, owner);
    }

    /* ACCOUNTS */

    /// @inheritdoc IPerpPool
    function depositMargin(uint96 subId, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage a = _accounts[_accountId(msg.sender, subId)];
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
        bytes32 id = _accountId(owner, subId);
        Account memory a = _accounts[id];
        _payDeferred(id, a);
        uint256 wad = amount * TOKEN_TO_WAD;
        int256 col = a.collateral;
        if (col < int256(wad)) revert InsufficientCollateral(wad, col > 0 ? uint256(col) : 0);
        a.collateral = int128(col - int256(wad));
        if (a.marketMask != 0) {
            Totals memory t = _totals(id, a.marketMask, _noKnownPrice(), true);
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
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    /// @inheritdoc IPerpPool
    function settleProfit(address owner, uint96 subId) external nonReentrant returns (uint256 paid) {
        bytes32 id = _accountId(owner, subId);
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
        quote = _trade(_accountId(owner, subId), marketId, sizeDelta, quoteLimit);
    }

    /// @inheritdoc IPerpPool
    function tradeLegs(address owner, uint96 subId, TradeLeg[] calldata legs, uint256 deadline)
        external
        nonReentrant
        onlyAuthorized(owner)
        beforeDeadline(deadline)
        returns (uint256[] memory quotes)
    {
        quotes = _tradeLegs(_accountId(owner, subId), legs);
    }

    /// @inheritdoc IPerpPool
    function closePosition(address owner, uint96 subId, uint256 marketId, uint256 quoteLimit, uint256 deadline)
        external
        nonReentrant
        onlyAuthorized(owner)
        beforeDeadline(deadline)
        returns (uint256 quote)
    {
        bytes32 id = _accountId(owner, subId);
        int256 size = _positions[id][marketId].size;
        if (size == 0) revert NoPosition(marketId);
        quote = _trade(id, marketId, -size, quoteLimit);
    }

    /* FUNDING */

    /// @inheritdoc IPerpPool
    function updateFunding(uint256) external nonReentrant {
        _delegateToAdmin();
    }

    /* LIQUIDATION (LiquidationModule, in this contract's storage) */

    /// @inheritdoc IPerpPool
    function liquidate(address, uint96, uint256) external nonReentrant returns (int256 transferred) {
        transferred = abi.decode(_delegateToModule(), (int256));
    }

    /// @inheritdoc IPerpPool
    function liquidateIfUnhealthy(address, uint96, uint256) external nonReentrant returns (int256 transferred) {
        transferred = abi.decode(_delegateToModule(), (int256));
    }

    /// @inheritdoc IPerpPool
    function liquidateMany(bytes32[] calldata) external nonReentrant returns (uint256 liquidated) {
        liquidated = abi.decode(_delegateToModule(), (uint256));
    }

    /// @inheritdoc IPerpPool
    function takeInventory(uint256, uint96, uint256, uint256, uint256)
        external
        nonReentrant
        returns (int256 sizeDelta, uint256 pricePerBase)
    {
        (sizeDelta, pricePerBase) = abi.decode(_delegateToModule(), (int256, uint256));
    }

    /// @inheritdoc IPerpPool
    function repeg(uint256) external nonReentrant returns (uint256 markAfter) {
        markAfter = abi.decode(_delegateToModule(), (uint256));
    }

    /// @inheritdoc IPerpPool
    function backstopInventoryLoss() external view returns (uint256 lossTokens) {
        lossTokens = _inventoryLoss();
    }

    /// @dev Runs this call's calldata in the liquidation module, in this storage; bubbles its revert unchanged.
    function _delegateToModule() private returns (bytes memory ret) {
        ret = _delegateTo(liquidationModule);
    }

    /// @dev Listing and market parameters run in `MarketAdmin`, after `onlyOwner` here.
    function _delegateToAdmin() internal override returns (bytes memory) {
        return _delegateTo(marketAdmin);
    }

    /// @dev Runs this call's calldata in `target`, in this storage; bubbles its revert unchanged.
    function _delegateTo(address target) private returns (bytes memory ret) {
        bool ok;
        (ok, ret) = target.delegatecall(msg.data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    /* BACKSTOP */

    /// @inheritdoc IPerpPool
    function distributePremium() external nonReentrant returns (uint256 amount) {
        amount = abi.decode(_delegateToModule(), (uint256));
    }

    /// @inheritdoc IPerpPool
    function syncBackstopCapital() external nonReentrant returns (uint256 capital) {
        capital = _syncBackstopCapital();
    }
}
