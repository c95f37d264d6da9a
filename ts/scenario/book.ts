// The scenario's market: a deployment sized so the book below produces the outcomes each scenario promises, the
// crowd of traders (a spread of leverage, both sides, cross and isolated sub-accounts, both markets), the LPs and
// the crash each scenario applies.
//
// At entry (ETH 2,000, BTC 60,000): longs above 5x are insolvent after ETH -20 % (crash: ann and ben, ~12k of bad
// debt, inside junior's 40k); after every market -30 % (black swan) every long above 3.3x is (~59k: junior is
// wiped, senior pays the rest). ivy is liquidatable but solvent at -20 % (a ladder that creates no bad debt: what
// she has left goes in penalties, and the backstop's share of them is the discount budget of the inventory sale),
// everyone else stays healthy or gains.
//
// The crash is joint (ETH -20 %, BTC -15 %: the shape of 2024-08-05, docs/risk-grid.md), so a hedge is a hedge: the
// desk (long ETH, short BTC, equal notional, 9,000 of margin: less than the 9,998 of initial margin the book needs
// without netting, so it exists only because of netting) loses the 5 % spread and survives; the naked trader with the
// same margin and the same ETH long is insolvent. A 20 % gap trips ETH's breaker (15 %), and a market that is not
// Normal gets no netting credit, so until the oracle is Normal again the desk is held to the additive maintenance:
// at the netted initial margin alone (6,000) it would be liquidated, solvent, by the crash its hedge survived.
import { type DeploymentConfig, parseDeploymentConfig } from "../deploy/config";
import type { ScenarioName } from "./types";

export type Leg = { market: "ETH" | "BTC" /** Base, signed, human units. */; size: number };
export type TraderSpec = {
  name: string;
  subId: bigint;
  /** USDC. */
  margin: number;
  legs: Leg[];
  /** Holds its book (no adjustments): the desk and the naked trader compared after the crash. */
  steady?: boolean;
};

/** The hedged desk's margin (USDC), and the naked trader's: the same. */
export const DESK_MARGIN = 9_000;

export const CROWD: readonly TraderSpec[] = [
  { name: "ann", subId: 0n, margin: 12_000, legs: [{ market: "ETH", size: 45 }] },
  { name: "ben", subId: 1n, margin: 10_000, legs: [{ market: "ETH", size: 40 }] },
  { name: "cat", subId: 0n, margin: 12_000, legs: [{ market: "BTC", size: 1.5 }] },
  { name: "dan", subId: 2n, margin: 10_000, legs: [{ market: "BTC", size: 1 }] },
  { name: "eve", subId: 0n, margin: 24_000, legs: [{ market: "ETH", size: 30 }] },
  { name: "fay", subId: 0n, margin: 15_000, legs: [{ market: "ETH", size: -45 }] },
  { name: "gus", subId: 1n, margin: 12_000, legs: [{ market: "BTC", size: -1.3 }] },
  {
    name: "hal",
    subId: 0n,
    margin: 16_000,
    legs: [
      { market: "ETH", size: 25 },
      { market: "BTC", size: -0.8 },
    ],
  },
  { name: "ivy", subId: 0n, margin: 7_500, legs: [{ market: "ETH", size: 20 }] },
  { name: "jon", subId: 2n, margin: 10_000, legs: [{ market: "BTC", size: -0.7 }] },
  {
    name: "kim",
    subId: 0n,
    margin: 15_000,
    legs: [
      { market: "ETH", size: -30 },
      { market: "BTC", size: 0.5 },
    ],
  },
  { name: "lou", subId: 0n, margin: 10_000, legs: [{ market: "BTC", size: 0.8 }] },
  // 50,000 of notional each side (tier 0): additive maintenance 5,000, netted 3,000 (the grid's 60 %).
  {
    name: "desk",
    subId: 0n,
    margin: DESK_MARGIN,
    steady: true,
    legs: [
      { market: "ETH", size: 25 },
      { market: "BTC", size: -0.833 },
    ],
  },
  { name: "naked", subId: 0n, margin: DESK_MARGIN, steady: true, legs: [{ market: "ETH", size: 25 }] },
];

/** The two accounts `npm start` compares after the crash. */
export const NETTING_PAIR = { desk: "desk", naked: "naked" } as const;

/** USDC. The first junior LP requests its whole withdrawal before the crash; the second stays through it; a third
 * arrives after it (`LATE_JUNIOR`). */
export const LPS = { juniorA: 15_000, juniorB: 25_000, senior: 400_000 } as const;
/** USDC a new junior LP deposits after the crash, when the posted figure has raised the junior's share. */
export const LATE_JUNIOR = 20_000;
/** The arbitrageur's margin (USDC): enough to close a crash's gap on the curve with its initial margin scaled up
 * to 3x by the realized volatility the gap leaves in the oracle. */
export const ARB_MARGIN = 1_000_000;

/** Dev-account indices of every actor (wallet 0 deploys and moves the feeds). */
export const WALLETS = { juniorA: 1, juniorB: 2, senior: 3, arbitrageur: 4, keeper: 5, firstTrader: 6 } as const;
/** The late junior LP's wallet, after the crowd's (adding it moves nobody else's address). */
export const LATE_JUNIOR_WALLET = WALLETS.firstTrader + CROWD.length;
export const WALLET_COUNT = LATE_JUNIOR_WALLET + 1;

/** An index gap in one block: each listed market's move in bps (markets not listed stay put). */
export type CrashMoves = { readonly market: "ETH" | "BTC"; readonly bps: bigint }[];

/** The crash of each scenario: a joint gap in one block. */
export const CRASHES: Record<ScenarioName, CrashMoves | undefined> = {
  crash: [
    { market: "ETH", bps: -2_000n },
    { market: "BTC", bps: -1_500n },
  ],
  "black-swan": [
    { market: "ETH", bps: -3_000n },
    { market: "BTC", bps: -3_000n },
  ],
  calm: undefined,
};

/** The scenario's funding policy: the defaults with the kicker's threshold at 20 % of the tranche capital. */
export const SCENARIO_FUNDING = { kickerThresholdBps: 2000 } as const;

/** Shallow curves (so the arbitrageur can close a crash's gap), a small junior, short tranche clocks, ETH and BTC one
 * funding group. */
export function scenarioDeploymentConfig(): DeploymentConfig {
  const tranche = { cooldown: 3_600, claimWindow: 86_400, premiumStreamDuration: 3_600 };
  return parseDeploymentConfig({
    // The funding policy's defaults (SPEC-22), but the crowding kicker from a group net of 20 % of the tranche capital
    // (default 50 %): the book is small beside this backstop, and the crash leaves it one-sided (the longs fall, the
    // arbitrageur shorts the gap shut), so the crowded shorts pay the kicker in the aftermath.
    markets: [
      { symbol: "ETH", price: "2000", baseReserve: "4000", funding: SCENARIO_FUNDING },
      { symbol: "BTC", price: "60000", baseReserve: "100", funding: SCENARIO_FUNDING },
    ],
    fundingGroups: [["ETH", "BTC"]],
    junior: tranche,
    senior: tranche,
    // Junior is a tenth of the backstop here: it keeps 3x its stressed loss (the default is 1.5x), so the crash's
    // aftermath shows the exit gate at work; and its share of premium is 10x its ES99 over its capital, between 25 %
    // and 90 % (the default m is 2x from 50 %), so a one-day ES99 of a few percent of junior moves the split.
    tailRisk: { coverageMultipleBps: 30_000, multiplierBps: 100_000, minShareBps: 2_500 },
    seed: { juniorDeposit: "0", seniorDeposit: "0", traders: [] },
  });
}
