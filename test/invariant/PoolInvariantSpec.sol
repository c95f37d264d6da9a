// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PoolInvariantSpec
/// @notice The properties the pool invariant suite holds the protocol to, one named constant each (DESIGN.md
/// "Properties to test", RISK-TESTS.md). Each constant is the failure message of exactly one `invariant_` function
/// in `PerpPool.invariant.t.sol`, so a failing run names the property it broke.
library PoolInvariantSpec {
    /* vAMM */

    /// @dev VammMath recomputes the far reserve rounding up: no trade or liquidation lowers k.
    string internal constant K_NEVER_DECREASES = "vAMM-1: baseReserve * quoteReserve >= k at listing, per market";

    /// @dev Every base unit that left the curve sits in a trader's position or the backstop's inventory, and vice
    /// versa (exact): a liquidation moves base between accounts at the index, never through the curve.
    string internal constant BASE_CONSERVED =
        "vAMM-2: sum of trader + backstop base positions == initial base reserve - current base reserve";

    /// @dev The handler's ghost count of base bought minus base sold (from the PositionChanged events of curve trades;
    /// a liquidation's transfer is not one) matches the curve.
    string internal constant BASE_FLOW_MATCHES_CURVE =
        "vAMM-3: ghost base bought - base sold (PositionChanged events) == initial - current base reserve";

    /// @dev Open interest is the exact sum of position sizes per side, the backstop's inventory included.
    string internal constant OPEN_INTEREST_MATCHES_POSITIONS =
        "OI-1: long OI == sum of positive sizes and short OI == sum of |negative sizes|, per market";

    /* MONEY */

    /// @dev DESIGN property 1 (pool side): tokens held cover every positive balance, the pnl pool and the premium.
    string internal constant TOKEN_SOLVENCY =
        "SOLV-1: pool USDC * 1e12 >= sum of positive trader collateral + pnlPool + pendingPremium";

    /// @dev ERC-4626 accounting of each tranche: vested assets (gross of the visible loss) plus unvested premium are
    /// exactly its token balance.
    string internal constant VAULT_ASSETS_MATCH_BALANCE =
        "4626-1: tranche grossAssets (totalAssets before the visible loss) + unvestedPremium == USDC balance of the vault";

    /* WATERFALL */

    /// @dev DESIGN property 2: senior pays only once junior's whole balance is gone.
    string internal constant SENIOR_PAYS_ONLY_AFTER_JUNIOR =
        "WF-1: senior loss never increases while junior still holds assets";

    /// @dev DESIGN property 2: a loss is socialized only after both tranches are empty.
    string internal constant SOCIALIZE_ONLY_AFTER_TRANCHES =
        "WF-2: a shortfall or socialized loss appears only when junior and senior are both empty";

    /// @dev RISK 19: the charges of every bad debt sum to it exactly (per BadDebtResolved event and in total).
    string internal constant BAD_DEBT_CONSERVED =
        "WF-3: junior + senior + socialized == bad debt, per event and cumulatively (BadDebtResolved)";

    /// @dev Each tranche's share of a bad debt is backed by tokens it actually paid (LossAbsorbed, token units).
    string internal constant BAD_DEBT_BACKED_BY_TRANCHE_PAYMENTS =
        "WF-4: junior/senior bad-debt charges (WAD) <= tokens the tranches paid for bad debt * 1e12";

    /* ACCOUNTS */

    /// @dev DESIGN property 7: a flat account's collateral and deferred profit never move because of others.
    string internal constant FLAT_ACCOUNT_BEARS_NO_LOSS =
        "ACC-1: an account with no open position is unchanged by every action it is not party to";

    /// @dev RISK 12: withdrawing one token beyond collateral + losses - initial requirement always reverts.
    string internal constant WITHDRAWAL_NEEDS_INITIAL_MARGIN =
        "ACC-2: a withdrawal that would leave value (paper gains excluded) below the initial requirement reverts";

    /// @dev DESIGN property 3 (view side): liquidatable implies value < maintenance requirement.
    string internal constant LIQUIDATABLE_IMPLIES_BELOW_MAINTENANCE =
        "LIQ-1: accountHealth.liquidatable implies value < maintenanceRequirement";

    /// @dev DESIGN property 3 / RISK 17: `liquidate` on an account at or above maintenance reverts AccountHealthy,
    /// and `liquidateIfUnhealthy` on it changes nothing.
    string internal constant HEALTHY_ACCOUNT_NOT_LIQUIDATED =
        "LIQ-2: liquidating an account at or above maintenance reverts AccountHealthy (or is a no-op)";

    /// @dev DESIGN property 3, second half, and the handler contract: every call the handlers make either succeeds
    /// or fails with one of the typed errors expected for that action (margin, band, block move, OI cap, oracle
    /// state); a liquidatable account is always liquidated (settled at the index: no band, block limit or reduce-only
    /// oracle applies) unless every one of its positions sits in a halted market.
    string internal constant EXPECTED_REJECTIONS_ONLY =
        "REV-1: trades, closes and liquidations fail only with an expected typed error";
}
