// The report.json the lead's `perp risk report` writes (SPEC-20), as plots and the web page read it: amounts are
// decimal strings of WAD integers (18 decimals; people see them as USDC), probabilities numbers in [0, 1].
// No transforms: what parses is the object as written, so a report built in memory type-checks against it too.
import { z } from "zod";

export const RISK_REPORT_SCHEMA = "tranche-perp/risk-report@1";

/** A non-negative integer amount, WAD unless named, as a decimal string. */
const wad = z.string().regex(/^\d+$/, "a non-negative decimal integer string");
/** A count (accounts, paths): a number, or an integer string when written as a bigint. */
const count = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]);
const probability = z.number().min(0).max(1);
const cell = z.union([z.string(), z.number(), z.null()]);

const trancheSchema = z.object({
  capital: wad,
  pLoss: probability,
  meanLoss: wad,
  var95: wad,
  var99: wad,
  es99: wad,
  pWiped: probability,
});

const worstPathSchema = z.object({
  path: z.number().int().nonnegative(),
  model: z.string(),
  scenario: z.string().nullable(),
  badDebt: wad,
  junior: wad,
  senior: wad,
  socialized: wad,
  endMoveBps: z.union([z.number(), z.array(z.number())]),
  worstMoveBps: z.union([z.number(), z.array(z.number())]),
});

export const riskReportSchema = z.object({
  schema: z.literal(RISK_REPORT_SCHEMA),
  inputs: z.object({
    paths: z.number().int().positive(),
    horizonSeconds: z.number().positive(),
    stepSeconds: z.number().positive(),
    models: z.array(z.string()).min(1),
    seed: z.string(),
    jump: z.object({ intensityPerYear: z.number(), meanLog: z.number(), stdLog: z.number() }),
    markets: z.array(
      z.object({
        symbol: z.string().min(1),
        index0: wad,
        sigmaAnnual: z.number(),
        jumpBeta: z.number(),
        source: z.string(),
      }),
    ),
    correlation: z.array(z.array(z.number())),
  }),
  book: z.object({
    chainId: z.number().int().positive(),
    block: z.string().regex(/^\d+$/),
    timestamp: z.string().regex(/^\d+$/),
    pool: z.string(),
    accounts: z.number().int().nonnegative(),
    juniorCapital: wad,
    seniorCapital: wad,
  }),
  code: z.object({ commit: z.string(), dirty: z.boolean() }),
  tranches: z.object({ junior: trancheSchema, senior: trancheSchema, socialized: trancheSchema }),
  badDebt: z.object({ pPositive: probability, mean: wad, var95: wad, var99: wad, es99: wad, max: wad }),
  liquidationVolume: z.object({ mean: wad, p99: wad, max: wad }),
  accountsLiquidated: z.object({ mean: count, p99: count, max: count }),
  byModel: z.record(
    z.string(),
    z.object({
      paths: z.number().int().nonnegative(),
      pBadDebt: probability,
      pJuniorLoss: probability,
      pSeniorLoss: probability,
      es99BadDebt: wad,
    }),
  ),
  worstPaths: z.array(worstPathSchema),
  pathTable: z
    .object({ columns: z.array(z.string()), rows: z.array(z.array(cell)) })
    .refine((t) => t.rows.every((r) => r.length === t.columns.length), "every row has one cell per column"),
  /** percentile: the share of paths whose bad debt is at most the realized one, in [0, 1] like every probability. */
  realized: z.object({ badDebt: wad, junior: wad, senior: wad, socialized: wad, percentile: probability }).optional(),
});

export type RiskReport = z.infer<typeof riskReportSchema>;
export type RiskReportTranche = z.infer<typeof trancheSchema>;
export type RiskReportWorstPath = z.infer<typeof worstPathSchema>;
