// The public shape of a scenario run: its options, what it measured (bigint, on-chain units) and the JSON report.

import type { Address } from "viem";
import type { LpEconomicsOutcome } from "./lpEconomics";
import type { ScenarioRisk } from "./riskReport";

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
  /** Where the risk report before the crash is written (default .perp/risk). */
  riskOut?: string;
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
  /** What the account paid (> 0) or received (< 0) for the transferred base at the index (WAD, pool-favoured). */
  quoteDelta: bigint;
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

/** The backstop inventory sold on one market over the run (`InventoryTaken`), WAD. */
export type InventorySold = {
  marketId: bigint;
  symbol: string;
  takes: number;
  /** Base taken (absolute). */
  size: bigint;
  /** What the takers paid (long inventory) or received (short), absolute. */
  proceeds: bigint;
  /** The same base valued at the index of each sale. */
  atIndex: bigint;
  /** PnL the sales realized for the backstop, booked to its net flow (gain: premium; loss: the waterfall). */
  realizedPnl: bigint;
};

export type MarkIndexGap = {
  symbol: string;
  mark: bigint;
  index: bigint;
  /** (mark - index) / index, bps (signed). */
  gapBps: bigint;
  /** The market's funding cap (`maxPremiumBps`): within it, funding closes the rest of the gap. */
  fundingCapBps: bigint;
  repegDue: boolean;
};

/** One of the two accounts `npm start` compares (WAD): before the crash, and at the end. */
export type NettingAccount = {
  name: string;
  collateral: bigint;
  /** Maintenance with netting, and the sum of the standalone requirements (without it). */
  maintenance: bigint;
  additiveMaintenance: bigint;
  initial: bigint;
  additiveInitial: bigint;
  /** The grid row that sets the netted requirement, rendered ("ETH −5 %, BTC +1 %"), "floor", or "—". */
  binding: string;
  valueAfter: bigint;
  maintenanceAfter: bigint;
  liquidationSteps: number;
};

/** The hedged desk and the naked trader with the same margin. */
export type NettingOutcome = { desk: NettingAccount; naked: NettingAccount };

export type ScenarioResult = {
  /** [5/6] LP economics: the posted figures, the premium splits, the boost of a stayer against a leaver, the exit
   * gate (absent on a deployment without a tail-risk oracle). */
  lp?: LpEconomicsOutcome | undefined;
  scenario: ScenarioName;
  elapsedMs: number;
  /** Simulated seconds from the first trade to the end. */
  simulatedSeconds: bigint;
  blocks: number;
  trades: { crowd: number; arbitrage: number; failed: number };
  /** The stack at the crash shock, computed before the gap for the block the keeper liquidates in. */
  stack: StackEntry[];
  /** The joint gap: each market's move (bps, negative); undefined for calm. */
  shock: readonly { market: string; bps: bigint }[] | undefined;
  /** Portfolio margin: the hedged desk beside the naked trader with the same margin. */
  netting: NettingOutcome;
  predicted: Waterfall;
  realized: Waterfall;
  /** The Monte-Carlo report on the book before the crash, and where the realized loss sits in it. */
  risk: ScenarioRisk | undefined;
  liquidations: LiquidationRecord[];
  funding: { updates: number; paid: bigint };
  tranches: { junior: TrancheOutcome; senior: TrancheOutcome };
  keeper: {
    liquidationTxs: number;
    fundingTxs: number;
    premiumTxs: number;
    repegTxs: number;
    oracleTxs: number;
    inventoryTxs: number;
  };
  /** `Repegged` events over the run. */
  repegSteps: number;
  /** The inventory's descending-discount sales, per market, and who took it. */
  inventorySold: { markets: InventorySold[]; takers: Address[] };
  /** Each market's mark against its index at the end. */
  markIndexGap: MarkIndexGap[];
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
