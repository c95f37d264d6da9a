// The risk report's data: the book read at a block (plain data: bigints and arrays, so it crosses into worker
// threads by structured clone), the inputs that fix every path, and what one path did.
import type { Address } from "viem";
import type { RiskGrid } from "../pool/math/portfolioMath";
import type { Account, MarketConfig, MarketState, Position } from "../pool/types";

/** One market at block B: what the liquidation math and the oracle's breaker need along a path. */
export type RiskMarket = {
  marketId: number;
  symbol: string;
  /** The oracle's last stored price at B (WAD): every path starts here. */
  index: bigint;
  /** Decimals of the market's feeds: a path's prices are whole feed answers, so a replay sets them exactly. */
  feedDecimals: number;
  state: MarketState;
  config: MarketConfig;
  /** The oracle's stored status at B (0 Normal, 1 ReduceOnly, 2 Halted) and its breaker: last trip, threshold, cooldown. */
  oracleStatus: number;
  trippedAt: bigint;
  jumpThresholdBps: bigint;
  breakerCooldown: bigint;
  /** The backstop's inventory in this market (account (0, 0)); size 0 when none. */
  inventory: Position;
};

/** One trader account at B: its state and its open positions by market id. */
export type RiskAccount = {
  owner: Address;
  subId: bigint;
  account: Account;
  positions: { marketId: number; position: Position }[];
};

/** Everything a path needs, read once at block B. */
export type RiskBook = {
  chainId: number;
  block: bigint;
  timestamp: bigint;
  pool: Address;
  markets: RiskMarket[];
  accounts: RiskAccount[];
  /** The pool's risk engine grid (null: none, every requirement additive). */
  engine: RiskGrid | null;
  /** What each tranche vault can pay at B: its token balance (6-decimal units), junior first. */
  capacity: { juniorTokens: bigint; seniorTokens: bigint };
};

export type ModelName = "gbm" | "jump" | "replay";

/** Merton jump diffusion: Poisson arrivals per year, log-jump mean and standard deviation (a common shock to every
 * market, scaled by each market's `jumpBeta`). */
export type JumpParams = { intensityPerYear: number; meanLog: number; stdLog: number };

/** Everything that fixes the paths: with the book's block, these and the code give the same report byte for byte. */
export type PathInputs = {
  /** Per market, in market id order. */
  markets: { symbol: string; index0: bigint; feedDecimals: number; sigmaAnnual: number; jumpBeta: number }[];
  /** Correlation of the markets' Brownian increments (n × n, symmetric, unit diagonal, positive definite). */
  correlation: number[][];
  horizonSeconds: number;
  stepSeconds: number;
  /** Path k uses models[k % models.length]. */
  models: ModelName[];
  seed: string;
  jump: JumpParams;
};

/** Path k's prices: answers[step * markets + m] is market m's feed answer (an integer, exact in a double) at step
 * 1..steps (step 0, the book's index, is not stored). */
export type PathPrices = { path: number; model: ModelName; scenario: string | null; answers: Float64Array };

/** What one path did to the pool. Amounts are WAD (18 decimals) except where named. */
export type PathOutcome = {
  path: number;
  model: ModelName;
  scenario: string | null;
  badDebt: bigint;
  junior: bigint;
  senior: bigint;
  socialized: bigint;
  /** Σ |base moved| × index over every liquidation step (quote WAD). */
  liquidationVolume: bigint;
  accountsLiquidated: number;
  liquidationCalls: number;
  /** Each market's move over the path, end against start, and its worst drawdown, in bps (for the plots). */
  endMoveBps: number[];
  worstMoveBps: number[];
  /** The step of the first bad debt (1-based), or 0 when none. */
  firstBadDebtStep: number;
};
