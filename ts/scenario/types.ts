// The public shape of a scenario run: its options, what it measured (bigint, on-chain units) and the JSON report.
import type { Address } from "viem";

export const SCENARIOS = ["crash", "black-swan", "calm"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type RunScenarioOptions = {
  scenario: ScenarioName;
  /** No progress lines (stderr). */
  quiet?: boolean;
  /** Write the JSON report to this path. */
  report?: string;
  /** Receives each progress line (default: stderr unless quiet). */
  onProgress?: (line: string) => void;
  /** Use this anvil instead of starting one (it must accept anvil_/evm_ methods; it is left running). */
  rpcUrl?: string;
};

/** The waterfall split of bad debt, WAD. */
export type Waterfall = { badDebt: bigint; junior: bigint; senior: bigint; socialized: bigint };

export type TrancheOutcome = {
  /** totalAssets after the LP deposits and at the end (collateral units). */
  navStart: bigint;
  navEnd: bigint;
  /** Premium received over the run (totalPremiumReceived growth, collateral units). */
  premium: bigint;
  /** Premium APR over the run (WAD fraction a year), from getPremiumApr; null when no time passed. */
  apr: bigint | null;
  /** Losses covered over the run (collateral units). */
  lossCovered: bigint;
};

export type StackEntry = {
  name: string;
  owner: Address;
  subId: bigint;
  /** Account value at the shocked index (WAD). */
  value: bigint;
  maintenance: bigint;
  liquidatable: boolean;
  badDebt: bigint;
};

export type LiquidationRecord = {
  name: string;
  owner: Address;
  subId: bigint;
  marketId: bigint;
  block: bigint;
  transferred: bigint;
  indexPrice: bigint;
  penalty: bigint;
};

export type InventoryEntry = {
  marketId: bigint;
  symbol: string;
  /** Base (WAD), signed. */
  size: bigint;
  notional: bigint;
  /** unrealizedPnl - fundingOwed at the index (WAD). */
  pnl: bigint;
};

export type ScenarioResult = {
  scenario: ScenarioName;
  elapsedMs: number;
  /** Simulated seconds from the first trade to the end. */
  simulatedSeconds: bigint;
  blocks: number;
  trades: { crowd: number; arbitrage: number; failed: number };
  /** The stack at the crash shock, computed before the gap for the block the keeper liquidates in. */
  stack: StackEntry[];
  /** Shock applied (bps, negative) and the market it hit ("all" for every market); undefined for calm. */
  shock: { bps: bigint; market: string } | undefined;
  predicted: Waterfall;
  realized: Waterfall;
  liquidations: LiquidationRecord[];
  funding: { updates: number; paid: bigint };
  tranches: { junior: TrancheOutcome; senior: TrancheOutcome };
  keeper: {
    liquidationTxs: number;
    fundingTxs: number;
    premiumTxs: number;
    repegTxs: number;
    oracleTxs: number;
    unwindTxs: number;
  };
  withdrawal: {
    owner: Address;
    shares: bigint;
    assetsAtRequest: bigint;
    claimed: bigint;
    requestedAt: bigint;
    unlockTime: bigint;
  };
  inventory: InventoryEntry[];
};
