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
  /** The funding policy over the run (ts/scenario/funding.ts). */
  funding: FundingOutcome;
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

/** One funding update (a FundingUpdated event). Premiums: fractions of the index per period, 1e-12. */
export type FundingPeriod = {
  block: bigint;
  time: bigint;
  /** The period's own premium (capped), after the group's blend, and charged (change limit and cap). */
  premium: bigint;
  blended: bigint;
  /** The charge of the period before (the change limit's reference). */
  previousCharged: bigint;
  charged: bigint;
  /** The crowding kicker, signed by the side that pays it (> 0 longs). */
  kicker: bigint;
  /** The cap that applied: the normal one, or the extreme session's. */
  capEffective: bigint;
  extreme: boolean;
  /** The oracle vouched for the period (Normal): otherwise the update charges nothing. */
  vouched: boolean;
  ratePerSecond: bigint;
  kickerPerSecond: bigint;
};

/** Whether every period kept FundingPolicy's bounds; ratios are of the bound (1 = at it). */
export type FundingCheck = {
  periods: number;
  /** Empty when every period kept its cap and its change limit. */
  violations: string[];
  /** max |charged| / capEffective. */
  maxCapRatio: number;
  /** max |charged − previous| / step over the periods the step bound (not the cap). */
  maxStepRatio: number;
  /** Periods the cap pulled further toward zero than one step (an extreme session's tighter cap). */
  loweredByCap: number;
  /** Periods the oracle did not vouch for (charged 0). */
  unvouched: number;
};

export type FundingMarketOutcome = {
  marketId: bigint;
  symbol: string;
  /** Its correlation group (0: none). */
  group: number;
  updates: number;
  /** What the paying side paid over the run (the kicker included), WAD. */
  paid: bigint;
  /** The normal cap, the change limit per update and the extreme session's cap, 1e-12 of the index per period. */
  cap: bigint;
  step: bigint | undefined;
  extremeCap: bigint;
  extremePeriods: number;
  /** Extreme periods whose charge the extreme cap set (|charged| = the tightened cap). */
  extremeCapBound: number;
  /** The first extreme period at or after the crash's gap (its time), if any. */
  firstExtremeAfterCrash: bigint | undefined;
  /** Periods where the blend moved the own premium, and the largest move (1e-12). */
  blendedPeriods: number;
  maxBlendMove: bigint;
  /** Periods with a crowding kicker, and the largest (1e-12). */
  kickerPeriods: number;
  maxKicker: bigint;
  check: FundingCheck;
  periods: FundingPeriod[];
};

export type FundingOutcome = {
  /** When the crash's gap was mined (undefined: no crash). */
  crashTime: bigint | undefined;
  updates: number;
  /** What the paying sides paid, WAD. */
  paid: bigint;
  /** What the crowded sides paid as kicker into the backstop's premium (`pool.kickerPaid()` over the run), WAD. */
  kickerPaid: bigint;
  markets: FundingMarketOutcome[];
  check: FundingCheck;
};
