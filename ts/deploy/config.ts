// The deployment config: one zod schema, parsed once. Input is in human units (prices, base amounts and
// USDC as decimal strings or numbers); output is on-chain units (WAD / 6-decimal bigint), ready to send.
// Defaults equal test/utils/PoolFixture.sol, so `npm start` deploys what the forge tests test.
import { parseUnits } from "viem";
import { z } from "zod";
import { COLLATERAL_DECIMALS } from "../money";
import { packTiers, type Tier, unpackTier } from "../pool/math/marginMath";
import { DEFAULT_FLOOR_BPS, defaultRiskScenarios, floorBpsSchema, riskGridSchema } from "./riskGrid";

const DAY = 86_400;
const HOUR = 3_600;
const MINUTE = 60;

/** A non-negative decimal with at most `decimals` fraction digits, as a string or a number. */
const decimal = (decimals: number) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(
      z
        .string()
        .regex(
          new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`),
          `a non-negative decimal with at most ${decimals} decimals`,
        ),
    );
/** Same, signed (trade sizes: > 0 long, < 0 short). */
const signedDecimal = (decimals: number) =>
  z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(
      z.string().regex(new RegExp(`^-?\\d+(\\.\\d{1,${decimals}})?$`), `a decimal with at most ${decimals} decimals`),
    );

/** Human decimal -> WAD bigint. */
const wad = () => decimal(18).transform((s) => parseUnits(s, 18));
/** Human decimal -> collateral (6 decimals) bigint. */
const usdc = () => decimal(COLLATERAL_DECIMALS).transform((s) => parseUnits(s, COLLATERAL_DECIMALS));
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** MarginMath.Tier in human units: the cap in whole quote units (as packed on chain). */
const tierSchema = z.object({
  notionalCap: z
    .number()
    .int()
    .positive()
    .max(2 ** 48 - 1),
  initialBps: int(1, 10_000),
  maintenanceBps: int(1, 10_000),
});

const DEFAULT_TIERS = [
  { notionalCap: 100_000, initialBps: 1000, maintenanceBps: 500 },
  { notionalCap: 1_000_000, initialBps: 2000, maintenanceBps: 1000 },
  { notionalCap: 100_000_000, initialBps: 3300, maintenanceBps: 1650 },
] as const;

/** MarketConfig (contracts/interfaces/IPerpTypes.sol) with PoolAdmin's bounds; defaults = PoolFixture.defaultConfig
 * (but the default BTC market's volReferenceBps, 6,000). */
export const marketParamsSchema = z
  .object({
    feeBps: int(1, 100).default(10),
    bandBps: int(10, 2000).default(500),
    maxMoveBps: int(10, 1000).default(200),
    liquidationPenaltyBps: int(10, 500).default(250),
    liquidatorShareBps: int(0, 10_000).default(4000),
    liquidationFractionBps: int(500, 10_000).default(2500),
    maxPremiumBps: int(1, 500).default(50),
    fundingPeriod: int(60, DAY).default(HOUR),
    fundingInterval: int(1, DAY).default(10 * 60),
    oiCapBps: int(100, 100_000).default(50_000),
    /** Smallest position, in base (human units). */
    minPositionBase: wad().prefault("0.001"),
    /** Annualized σ of the index (bps) at which the initial margin is the tiers' own; above it the initial margin
     * scales with the oracle's realized σ. 0 = off. 8,000 (80 %) suits ETH; the default BTC market sets 6,000. */
    volReferenceBps: z.union([z.literal(0), int(500, 50_000)]).default(8000),
    /** Most the initial margin is scaled by volatility, bps (10,000 = 1x). */
    volCapBps: int(10_000, 50_000).default(30_000),
    /** Three tiers, lowest notional first. */
    tiers: z.tuple([tierSchema, tierSchema, tierSchema]).prefault([...DEFAULT_TIERS]),
    /** Absolute open-interest cap per side, in base (human units). */
    maxOpenInterestBase: wad().prefault("1000000"),
    /** Most the backstop pays per second for the funding imbalance, in quote (human units). */
    fundingBudgetPerSecond: wad().prefault("0.01"),
  })
  .superRefine((c, ctx) => {
    if (c.tiers[0].maintenanceBps <= c.liquidationPenaltyBps) {
      ctx.addIssue({ code: "custom", path: ["tiers", 0], message: "maintenanceBps must exceed liquidationPenaltyBps" });
    }
    c.tiers.forEach((t, i) => {
      if (t.maintenanceBps >= t.initialBps) {
        ctx.addIssue({ code: "custom", path: ["tiers", i], message: "maintenanceBps must be below initialBps" });
      }
      const prev = c.tiers[i - 1];
      if (prev && (t.notionalCap <= prev.notionalCap || t.initialBps < prev.initialBps)) {
        ctx.addIssue({ code: "custom", path: ["tiers", i], message: "caps must increase and ratios not decrease" });
      }
    });
  })
  .transform(({ tiers, ...c }) => ({
    ...c,
    tiers: packTiers(
      tiers.map(
        (t): Tier => ({
          notionalCap: BigInt(t.notionalCap) * 10n ** 18n,
          initialBps: BigInt(t.initialBps),
          maintenanceBps: BigInt(t.maintenanceBps),
        }),
      ) as [Tier, Tier, Tier],
    ),
  }));

/** IOracleRouter.MarketOracleConfig with the router's bounds; defaults = PoolFixture.defaultOracleConfig. */
export const oracleParamsSchema = z.object({
  maxAge: int(60, 2 * DAY).default(HOUR),
  minFeeds: int(1, 7).default(2),
  maxDeviationBps: int(10, 5000).default(200),
  jumpThresholdBps: int(50, 9000).default(1500),
  breakerCooldown: int(0, DAY).default(5 * 60),
});

/** The funding policy's inputs (FundingParams in contracts/interfaces/IPerpTypes.sol, without the fields the pool
 * derives or `setFundingGroup` sets) with PoolAdmin's bounds; defaults = SPEC-22 "Chosen parameters". */
export const fundingParamsSchema = z
  .object({
    /** c: the cap per period is c × (IM − MM) of the base tier (never above maxPremiumBps); 0 = maxPremiumBps alone.
     * 1,000 with the default tiers (10 % / 5 %): 50 bps of the index per hour. */
    capMultipleBps: int(0, 10_000).default(1000),
    /** Most the charged premium moves per update, bps of the cap (0 = no limit). 2,500: 12.5 bps per update. */
    maxChangeBps: int(0, 10_000).default(2500),
    /** Annualized σ of the index (bps) above which the session is extreme (0 = never). */
    extremeVolBps: z.union([z.literal(0), int(1000, 100_000)]).default(15_000),
    /** The cap during an extreme session, bps of the normal cap. */
    extremeCapBps: int(0, 10_000).default(5000),
    /** w: the weight of the correlation group's open-interest-weighted premium, bps. */
    blendWeightBps: int(0, 5000).default(3000),
    /** The group's |net notional| / tranche capital above which the crowding kicker starts, bps. */
    kickerThresholdBps: int(0, 50_000).default(5000),
    /** Most the kicker charges per period, 1e-8 of the index (10,000 = 1 bp). */
    kickerMaxE8: int(0, 100_000).default(50_000),
  })
  .refine((f) => f.extremeVolBps === 0 || f.extremeCapBps >= 1000, {
    path: ["extremeCapBps"],
    message: "must be at least 1,000 with an extreme threshold",
  })
  .refine((f) => f.kickerMaxE8 === 0 || f.kickerThresholdBps > 0, {
    path: ["kickerMaxE8"],
    message: "a kicker needs a kickerThresholdBps",
  });

export type FundingParamsConfig = z.output<typeof fundingParamsSchema>;

/** The normal cap per period the pool derives (FundingPolicy.deriveCapE8 / cap), 1e-8 of the index. */
export function fundingCapE8(funding: FundingParamsConfig, params: { tiers: bigint; maxPremiumBps: number }): number {
  const absolute = params.maxPremiumBps * 10_000;
  if (funding.capMultipleBps === 0) return absolute;
  const base = unpackTier(params.tiers, 0);
  const derived = funding.capMultipleBps * Number(base.initialBps - base.maintenanceBps);
  return Math.max(1, Math.min(derived, absolute));
}

export const marketSchema = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9]{1,12}$/, "1-12 capital letters or digits"),
    /** Initial oracle and mark price, quote per base. */
    price: wad(),
    /** Virtual base reserve; the quote reserve is baseReserve * price. */
    baseReserve: wad(),
    /** SettableFeeds per market (OracleRouter.MAX_FEEDS = 7). */
    feeds: int(1, 7).default(3),
    feedDecimals: int(0, 18).default(8),
    oracle: oracleParamsSchema.prefault({}),
    params: marketParamsSchema.prefault({}),
    funding: fundingParamsSchema.prefault({}),
  })
  // (zod runs this even when the params failed and were not transformed: judge only parsed tiers.)
  .refine(
    (m) =>
      typeof m.params.tiers !== "bigint" ||
      m.funding.blendWeightBps * fundingCapE8(m.funding, m.params) <= 2 * m.params.feeBps * 1e8,
    {
      path: ["funding", "blendWeightBps"],
      message: "blendWeightBps × cap must not exceed 2 × feeBps (one period's blend must not pay for two fees)",
    },
  )
  .refine((m) => m.oracle.minFeeds <= m.feeds, { path: ["oracle", "minFeeds"], message: "exceeds the feed count" })
  .refine((m) => m.price > 0n && m.baseReserve >= 10n ** 18n, { message: "price must be > 0 and baseReserve >= 1" });

const trancheSchema = (name: string, symbol: string) =>
  z.object({
    name: z.string().min(1).default(name),
    symbol: z.string().min(1).default(symbol),
    /** Seconds between a withdrawal request and its claim. */
    cooldown: int(HOUR, 30 * DAY).default(7 * DAY),
    /** Seconds a claim stays open after the cooldown. */
    claimWindow: int(HOUR, 7 * DAY).default(2 * DAY),
    /** Seconds from a claim to its settlement (escrowed shares keep bearing losses): longer than the keeper's
     * liquidation of an insolvent account. */
    settlementDelay: int(MINUTE, DAY).default(10 * MINUTE),
    /** Seconds over which premium streams into the vault. */
    premiumStreamDuration: int(HOUR, 30 * DAY).default(7 * DAY),
  });

/** ITailRiskOracle.Params with TailRiskMath's bounds; defaults = SPEC-21 (test/utils/TailRiskParams.sol). */
export const tailRiskSchema = z
  .object({
    /** m: the junior share is clamp(m × ES99 / junior capital, lo, hi); 10,000 = 1x. */
    multiplierBps: int(1000, 100_000).default(20_000),
    /** lo and hi of the junior share, bps of premium. */
    minShareBps: int(0, 10_000).default(5000),
    maxShareBps: int(0, 10_000).default(9000),
    /** Most one post moves the share, and most it moves within a 24-hour window, bps. */
    maxStepBps: int(1, 10_000).default(500),
    maxDailyBps: int(1, 10_000).default(1500),
    /** Seconds after which a figure no longer sets the split (the capital rule applies again). */
    maxAge: int(HOUR, 7 * DAY).default(2 * DAY),
    /** c: a junior exit may not leave junior below c × its stressed loss, bps. */
    coverageMultipleBps: int(0, 50_000).default(15_000),
    /** The stress view's reference shock the steward posts the stressed loss at, bps (-2,000 = -20 %). */
    referenceShockBps: int(-9000, -100).default(-2000),
  })
  .refine((t) => t.minShareBps <= t.maxShareBps, { path: ["minShareBps"], message: "must not exceed maxShareBps" })
  .refine((t) => t.maxDailyBps >= t.maxStepBps, { path: ["maxDailyBps"], message: "must be at least maxStepBps" });

/** Most markets in one funding group (FundingLogic's MAX_GROUP_SIZE). */
export const MAX_FUNDING_GROUP_SIZE = 4;

/** One funding correlation group as `pool.setFundingGroup(id, marketIds)` takes it. */
export type FundingGroupConfig = { id: number; symbols: string[]; marketIds: number[] };

const tradeSchema = z.object({
  market: z.string(),
  /** Base, signed: > 0 long, < 0 short. */
  size: signedDecimal(18).transform((s) => parseUnits(s, 18)),
});

const traderSchema = z.object({
  name: z.string().min(1),
  /** Margin deposited into the cross account (subId 0), USDC. */
  deposit: usdc(),
  trades: z.array(tradeSchema).default([]),
});

const DEFAULT_TRADERS = [
  {
    name: "alice",
    deposit: "50000",
    trades: [
      { market: "ETH", size: "10" },
      { market: "BTC", size: "-0.5" },
    ],
  },
  {
    name: "bob",
    deposit: "30000",
    trades: [
      { market: "ETH", size: "-8" },
      { market: "BTC", size: "0.3" },
    ],
  },
  // Levered ~8x long ETH: the account a -30 % ETH shock pushes into bad debt.
  { name: "carol", deposit: "5000", trades: [{ market: "ETH", size: "20" }] },
  { name: "dave", deposit: "20000", trades: [{ market: "BTC", size: "-1" }] },
];

export const seedSchema = z.object({
  /** USDC the junior LP deposits. */
  juniorDeposit: usdc().prefault("2000000"),
  /** USDC the senior LP deposits. */
  seniorDeposit: usdc().prefault("6000000"),
  traders: z.array(traderSchema).prefault(DEFAULT_TRADERS),
});

export const deploymentConfigSchema = z
  .object({
    markets: z
      .array(marketSchema)
      .min(1)
      .max(32)
      .prefault([
        { symbol: "ETH", price: "2000", baseReserve: "10000" },
        { symbol: "BTC", price: "60000", baseReserve: "500", params: { volReferenceBps: 6000 } },
      ]),
    backstop: z
      .object({
        juniorWeight: int(2, 10_000).default(3),
        seniorWeight: int(1, 100).default(1),
        /** The part of each tranche's premium paid by boost points, bps (Backstop.MAX_BOOST_SHARE_BPS = 5,000). */
        boostShareBps: int(0, 5000).default(2000),
      })
      .refine((b) => b.juniorWeight > b.seniorWeight && b.juniorWeight <= 100 * b.seniorWeight, {
        message: "juniorWeight must exceed seniorWeight and be at most 100x it",
      })
      .prefault({}),
    junior: trancheSchema("Junior tranche", "jTRN").prefault({}),
    senior: trancheSchema("Senior tranche", "sTRN").prefault({}),
    /** The portfolio-margin grid the pool nets with (ts/deploy/riskGrid.ts; docs/risk-grid.md). */
    riskEngine: z
      .object({
        scenarios: riskGridSchema.default(() => defaultRiskScenarios()),
        floorBps: floorBpsSchema.default(DEFAULT_FLOOR_BPS),
      })
      .prefault({}),
    /** The tail-risk oracle's parameters (the deployer is its first steward). */
    tailRisk: tailRiskSchema.prefault({}),
    /** Who owns the pool, the oracle router and the tail-risk oracle once deployed: the RiskTimelock (risk-raising
     * changes wait the longest cooldown + claim window + settlement delay), or the deployer directly (tests that call
     * owner setters). The timelock is deployed either way, its admin the deployer. */
    governance: z.enum(["timelock", "owner"]).default("timelock"),
    /** Funding correlation groups by market symbol, 2-4 markets each, a market in at most one; group ids are 1, 2, ...
     * in this order. Each member's funding blends its fresh siblings' premiums and its crowding kicker counts the
     * group's net. Default: [["ETH", "BTC"]] when both are listed, else none. */
    fundingGroups: z.array(z.array(z.string()).min(2).max(MAX_FUNDING_GROUP_SIZE)).max(255).optional(),
    seed: seedSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    const symbols = c.markets.map((m) => m.symbol);
    symbols.forEach((s, i) => {
      if (symbols.indexOf(s) !== i) ctx.addIssue({ code: "custom", path: ["markets", i], message: `duplicate ${s}` });
    });
    c.seed.traders.forEach((t, i) => {
      t.trades.forEach((trade, j) => {
        if (!symbols.includes(trade.market)) {
          ctx.addIssue({
            code: "custom",
            path: ["seed", "traders", i, "trades", j, "market"],
            message: `unknown market ${trade.market} (have ${symbols.join(", ")})`,
          });
        }
      });
    });
    const grouped = new Set<string>();
    c.fundingGroups?.forEach((group, i) => {
      group.forEach((symbol, j) => {
        const path = ["fundingGroups", i, j];
        if (!symbols.includes(symbol)) ctx.addIssue({ code: "custom", path, message: `unknown market ${symbol}` });
        if (grouped.has(symbol)) ctx.addIssue({ code: "custom", path, message: `${symbol} is in two groups` });
        grouped.add(symbol);
      });
    });
  })
  .transform(({ fundingGroups, ...c }) => {
    const symbols = c.markets.map((m) => m.symbol);
    const groups =
      fundingGroups ?? (symbols.includes("ETH") && symbols.includes("BTC") ? [["ETH", "BTC"]] : ([] as string[][]));
    return {
      ...c,
      fundingGroups: groups.map(
        (members, i): FundingGroupConfig => ({
          id: i + 1,
          symbols: members,
          marketIds: members.map((s) => symbols.indexOf(s)),
        }),
      ),
    };
  });

/** What a config file may contain (human units, every field optional). */
export type DeploymentConfigInput = z.input<typeof deploymentConfigSchema>;
/** The parsed config (on-chain units). */
export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
export type MarketDeployConfig = DeploymentConfig["markets"][number];
export type SeedConfig = DeploymentConfig["seed"];

/**
 * Parses and validates a config, filling in the fixture defaults. Throws a ZodError on bad input.
 * @example
 * const config = parseDeploymentConfig({ markets: [{ symbol: "ETH", price: 3000, baseReserve: 5000 }] });
 */
export function parseDeploymentConfig(input: DeploymentConfigInput = {}): DeploymentConfig {
  return deploymentConfigSchema.parse(input);
}
