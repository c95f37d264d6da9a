// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBackstop} from "../interfaces/IBackstop.sol";
import {IOracleRouter} from "../interfaces/IOracleRouter.sol";
import {IPerpPool} from "../interfaces/IPerpPool.sol";
import {
    Account,
    FundingParams,
    FundingSnapshot,
    InventorySale,
    MarketConfig,
    MarketState,
    Position,
    RepegCheckpoint
} from "../interfaces/IPerpTypes.sol";
import {IRiskEngine} from "../interfaces/IRiskEngine.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title PoolStorage
/// @notice The pool's state layout, immutables and the account-id encoding. No logic.
abstract contract PoolStorage {
    /// @notice 1 collateral token unit (6 decimals) in internal WAD.
    uint256 internal constant TOKEN_TO_WAD = 1e12;
    uint256 internal constant MAX_MARKETS = 32;
    /// @dev "No market": for valuation, price every market from the oracle; for the waterfall, pick one.
    uint256 internal constant NO_MARKET = type(uint256).max;
    /// @notice Bounds the liquidation and health loops (RISK 24).
    uint256 public constant MAX_MARKETS_PER_ACCOUNT = 8;
    /// @notice The pool's backstop account: the positions liquidations transfer at the index, which the tranches
    /// stand behind (`_accountId(address(0), 0)`: no caller can ever act as it).
    bytes32 public constant BACKSTOP_ACCOUNT = bytes32(0);
    /// @notice Share of positive unrealized PnL that counts toward the initial requirement of a new trade.
    /// Paper gains never count for withdrawals (Mango, Oct 2022).
    uint256 public constant PROFIT_AS_MARGIN_BPS = 5000;

    IERC20 public immutable collateralToken;
    IOracleRouter public immutable oracle;
    IBackstop public immutable backstop;

    mapping(uint256 marketId => MarketState) internal _markets;
    mapping(uint256 marketId => MarketConfig) internal _configs;
    mapping(bytes32 accountId => Account) internal _accounts;
    mapping(bytes32 accountId => mapping(uint256 marketId => Position)) internal _positions;
    mapping(address owner => mapping(address operator => bool)) internal _operators;

    /// @dev Collected losses (and backstop payments) from which realized profit is paid, WAD.
    uint128 internal _pnlPool;
    /// @dev Fee and penalty share owed to the backstop, WAD.
    uint128 internal _pendingPremium;
    /// @dev Backstop capital (token units) last synced; bounds open interest.
    uint128 internal _backstopCapital;
    uint32 internal _marketCount;
    bool public paused;
    /// @dev Sum of all accounts' deferred profit (claims on `_pnlPool`), WAD.
    uint128 internal _totalDeferred;
    /// @dev Drawn from the backstop to pay deferred profit and not yet repaid to it, WAD.
    uint128 internal _backstopAdvance;
    /// @dev Most the backstop may have advanced for profit, in bps of its capital (the "bounded draw").
    uint16 internal _profitDrawCapBps;
    /// @dev Net flow not yet settled with the backstop (> 0: owed to it), WAD: the funding imbalance, the
    /// inventory's realized PnL, repeg costs, fees netted from deferred profit. What is owed to it is paid from the
    /// pnl surplus; what it owes is drawn from the tranches at settlement. One slot with the two fields around it.
    int128 internal _backstopFundingNet;
    /// @dev Markets where the backstop account holds inventory (a copy of its account's mask, read with the net
    /// flow in one slot by `backstopInventoryLoss`, which every tranche deposit and claim calls).
    uint32 internal _inventoryMask;
    /// @dev Every crowding kicker booked to the backstop since deployment, WAD (part of `_backstopFundingNet`'s
    /// inflow; in its slot, so booking it writes no other slot).
    uint96 internal _kickerPaid;
    address public guardian;
    /// @dev Per market: the backstop inventory's descending-discount sale (budget, clock, rate: one slot, set non-zero
    /// at listing so no liquidation writes it for the first time).
    mapping(uint256 marketId => InventorySale) internal _inventorySales;
    /// @dev The integrals at the repeg window's two checkpoints (timed by `MarketState.repegTime0/1`), per market.
    mapping(uint256 marketId => RepegCheckpoint[2]) internal _repegCheckpoints;
    /// @dev The portfolio-margin scenario grid (zero: no netting, every position margined standalone).
    IRiskEngine internal _riskEngine;
    /// @dev Per market: the funding policy (caps, change limit, extreme session, group blend, crowding kicker).
    mapping(uint256 marketId => FundingParams) internal _fundingParams;
    /// @dev Per market: what its last funding update measured and charged (set non-zero at listing).
    mapping(uint256 marketId => FundingSnapshot) internal _fundingSnapshots;

    constructor(IERC20 collateralToken_, IOracleRouter oracle_, IBackstop backstop_) {
        if (
            address(collateralToken_) == address(0) || address(oracle_) == address(0)
                || address(backstop_) == address(0)
        ) {
            revert IPerpPool.ZeroAddress();
        }
        collateralToken = collateralToken_;
        oracle = oracle_;
        backstop = backstop_;
    }

    /// @notice The storage key of `(owner, subId)`: owner in the high 160 bits, subId in the low 96.
    function _accountId(address owner, uint96 subId) internal pure returns (bytes32) {
        return bytes32((uint256(uint160(owner)) << 96) | subId);
    }
}
