// The values a person types after a `perp` command (amounts, sizes, shocks, markets, tranche sides), parsed
// with zod into bigints before anything is read or sent. Every refusal is a UsageError (one line, exit 2).
import { parseUnits } from "viem";
import { z } from "zod";
import type { Deployment, MarketDeployment } from "../deploy/deployment";
import { COLLATERAL_DECIMALS } from "../money";
import { UsageError } from "./errors";

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

const decimal = (decimals: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number such as "1500.25"')
    .refine((s) => (s.split(".")[1]?.length ?? 0) <= decimals, `at most ${decimals} decimal places`)
    .transform((s) => parseUnits(s, decimals));

/** A collateral amount in USDC ("1500.25"), strictly positive, as token units (6 decimals). */
export function parseUsdc(value: string, what = "amount"): bigint {
  return parse(
    decimal(COLLATERAL_DECIMALS).refine((v) => v > 0n, "must be greater than zero"),
    value,
    `${what} ${JSON.stringify(value)}`,
  );
}

/** A signed base size ("1.5" long, "-0.25" short), non-zero, as WAD. */
export function parseSize(value: string): bigint {
  return parse(
    decimal(18).refine((v) => v !== 0n, "must not be zero (positive is long, negative is short)"),
    value,
    `size ${JSON.stringify(value)}`,
  );
}

/** An index shock: "-30%", "-30" (percent) or "-3000bps", between -99.99 % and +1000 %, as bps. */
export function parseShock(value: string, what = "--shock"): bigint {
  const m = /^([+-]?\d+(?:\.\d{1,2})?)(%|bps)?$/.exec(value.trim());
  if (!m?.[1]) throw new UsageError(`${what} ${JSON.stringify(value)}: expected a percentage such as -30%`);
  const bps = m[2] === "bps" ? Number(m[1]) : Math.round(Number(m[1]) * 100);
  if (!Number.isInteger(bps)) throw new UsageError(`${what} ${value}: bps must be a whole number`);
  if (bps <= -10_000 || bps > 100_000 || bps === 0) {
    throw new UsageError(`${what} ${value}: expected a non-zero shock above -100% and at most +1000%`);
  }
  return BigInt(bps);
}

/** One market's move in a joint shock (`perp stress ETH -12 BTC -4`), before the market is looked up. */
export type ShockLeg = { market: string; shockBps: bigint };

/**
 * A joint shock typed as pairs MARKET MOVE ("ETH -12 BTC -4", each move as `parseShock` reads it), at least one
 * pair, a market at most once: [{ market: "ETH", shockBps: -1200n }, { market: "BTC", shockBps: -400n }].
 */
export function parseShockLegs(args: readonly string[]): ShockLeg[] {
  if (args.length === 0 || args.length % 2 !== 0) {
    throw new UsageError(`shock ${JSON.stringify(args.join(" "))}: expected pairs MARKET MOVE, e.g. ETH -12 BTC -4`);
  }
  const legs: ShockLeg[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const market = (args[i] ?? "").trim();
    if (!/^[A-Za-z0-9-]+$/.test(market)) {
      throw new UsageError(`shock: ${JSON.stringify(market)} is not a market (expected pairs MARKET MOVE)`);
    }
    const key = market.toUpperCase().replace(/-PERP$/, "");
    if (legs.some((l) => l.market.toUpperCase().replace(/-PERP$/, "") === key)) {
      throw new UsageError(`shock: ${market} is given twice`);
    }
    legs.push({ market, shockBps: parseShock(args[i + 1] ?? "", market) });
  }
  return legs;
}

/** One shock per listed market id (0 for a market the legs leave alone), as `PerpLens.stressTestJoint` takes it. */
export function jointShockBps(deployment: Deployment, legs: readonly ShockLeg[]): bigint[] {
  const shocks = deployment.markets.map(() => 0n);
  for (const leg of legs) shocks[parseMarket(deployment, leg.market).marketId] = leg.shockBps;
  return shocks;
}

/** A market by symbol ("ETH", "eth-perp") or id ("0") among the deployment's markets. */
export function parseMarket(deployment: Deployment, value: string): MarketDeployment {
  const wanted = value
    .trim()
    .toUpperCase()
    .replace(/-PERP$/, "");
  const market = deployment.markets.find((m) => m.symbol.toUpperCase() === wanted || String(m.marketId) === wanted);
  if (!market) {
    throw new UsageError(
      `unknown market ${JSON.stringify(value)}: this deployment lists ${deployment.markets.map((m) => m.symbol).join(", ")}`,
    );
  }
  return market;
}

export type TrancheSide = "junior" | "senior";

/** "junior" or "senior". */
export function parseSide(value: string): TrancheSide {
  const side = value.trim().toLowerCase();
  if (side !== "junior" && side !== "senior") {
    throw new UsageError(`tranche ${JSON.stringify(value)}: expected junior or senior`);
  }
  return side;
}

/** A sub-account number (0 = cross margin). */
export function parseSubId(value: string | undefined): bigint {
  if (value === undefined) return 0n;
  return parse(
    z
      .string()
      .regex(/^\d+$/, "expected a whole number (0 is the cross account)")
      .transform(BigInt)
      .refine((v) => v < 1n << 96n, "too large"),
    value,
    "--sub",
  );
}

/** Slippage in percent ("0.5" or "0.5%") as bps. */
export function parseSlippage(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d{1,2})?)%?$/.exec(value.trim());
  const bps = m?.[1] ? Math.round(Number(m[1]) * 100) : Number.NaN;
  if (!Number.isInteger(bps) || bps > 10_000) {
    throw new UsageError(`--slippage ${JSON.stringify(value)}: expected a percentage from 0 to 100, such as 0.5`);
  }
  return BigInt(bps);
}

/** A positive base amount ("2.5"), as WAD. */
export function parseBaseAmount(value: string, what = "size"): bigint {
  return parse(
    decimal(18).refine((v) => v > 0n, "must be greater than zero"),
    value,
    `${what} ${JSON.stringify(value)}`,
  );
}

/** A price per base in USDC ("1750.5"), strictly positive, as WAD; undefined when the flag is absent. */
export function parsePrice(value: string | undefined, flag: string): bigint | undefined {
  if (value === undefined) return undefined;
  return parse(
    decimal(18).refine((v) => v > 0n, "must be greater than zero"),
    value,
    `${flag} ${JSON.stringify(value)}`,
  );
}
