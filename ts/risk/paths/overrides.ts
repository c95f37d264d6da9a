// The CLI's overrides of the calibrated parameters: `--vol ETH=0.9,BTC=70%` (σ per market, annualized) and
// `--corr 0.75` (every pair) or `--corr ETH/BTC=0.7,ETH/SOL=0.5` (named pairs). Parsed with zod; an unknown symbol,
// a value out of range or a correlation that ends up not positive definite is a PerpError saying which.
import { z } from "zod";
import { PerpError } from "../../errors";
import { CorrelationError, choleskyOf } from "./cholesky";

/** What overrides act on: the markets' σ and sources, the correlation and its source (MarketParams fits). */
export type OverridableParams = {
  markets: readonly { symbol: string; sigmaAnnual: number; source: string }[];
  correlation: readonly (readonly number[])[];
  correlationSource: string;
};

export type ParamOverrides = {
  /** "ETH=0.9,BTC=0.7" or with percentages "ETH=90%". */
  vol?: string | undefined;
  /** "0.75" for every pair, or "ETH/BTC=0.7,ETH/SOL=0.5". */
  corr?: string | undefined;
};

/** A decimal, or a percentage ("90%" = 0.9). */
const amount = z
  .string()
  .trim()
  .regex(/^-?(\d+(\.\d*)?|\.\d+)%?$/, "expected a number such as 0.9 or 90%")
  .transform((s) => (s.endsWith("%") ? Number(s.slice(0, -1)) / 100 : Number(s)));
const sigma = amount.pipe(z.number().gt(0, "σ must be > 0").max(20, "σ must be at most 20 (2,000 %)"));
const rho = amount.pipe(z.number().gt(-1, "a correlation must be > -1").lt(1, "a correlation must be < 1"));
const symbolEq = (key: RegExp, what: string) =>
  z
    .string()
    .trim()
    .regex(key, `expected ${what}=value`)
    .transform((s) => s.split("="));
const volEntry = symbolEq(/^[^=,\s/]+=[^=,]+$/, "SYMBOL").transform(([sym, v]) => ({
  sym: sym as string,
  v: v as string,
}));
const pairEntry = symbolEq(/^[^=,\s/]+\/[^=,\s/]+=[^=,]+$/, "A/B").transform(([pair, v]) => {
  const [a, b] = (pair as string).split("/");
  return { a: a as string, b: b as string, v: v as string };
});

function parsed<T>(flag: string, text: string, schema: z.ZodType<T>, input: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new PerpError(`invalid ${flag} "${text}"`, { details: r.error.issues.map((i) => i.message).join("; ") });
  }
  return r.data;
}

function indexOf(flag: string, text: string, symbols: readonly string[], sym: string): number {
  const i = symbols.findIndex((s) => s.toUpperCase() === sym.toUpperCase());
  if (i < 0)
    throw new PerpError(`invalid ${flag} "${text}"`, { details: `no market ${sym} (markets: ${symbols.join(", ")})` });
  return i;
}

/**
 * `params` with the CLI's overrides applied (a new object; sources say "flag (--vol)" / "flag (--corr ...)").
 * @example
 * const p = applyOverrides(await estimateMarketParams(client, deployment, block), { vol: "ETH=0.9", corr: "0.75" });
 */
export function applyOverrides<P extends OverridableParams>(params: P, overrides: ParamOverrides): P {
  const symbols = params.markets.map((m) => m.symbol);
  const markets = params.markets.map((m) => ({ ...m }));
  const correlation = params.correlation.map((row) => [...row]);
  let correlationSource = params.correlationSource;
  const { vol, corr } = overrides;
  if (vol !== undefined) {
    for (const item of vol.split(",")) {
      const { sym, v } = parsed("--vol", vol, volEntry, item);
      const i = indexOf("--vol", vol, symbols, sym);
      const m = markets[i] as (typeof markets)[number];
      m.sigmaAnnual = parsed("--vol", vol, sigma, v);
      m.source = "flag (--vol)";
    }
  }
  if (corr !== undefined) {
    if (!corr.includes("=")) {
      const value = parsed("--corr", corr, rho, corr);
      correlation.forEach((row, i) => {
        row.forEach((_, j) => {
          if (i !== j) row[j] = value;
        });
      });
    } else {
      for (const item of corr.split(",")) {
        const { a, b, v } = parsed("--corr", corr, pairEntry, item);
        const i = indexOf("--corr", corr, symbols, a);
        const j = indexOf("--corr", corr, symbols, b);
        if (i === j) throw new PerpError(`invalid --corr "${corr}"`, { details: `${a}/${b} is one market` });
        const value = parsed("--corr", corr, rho, v);
        (correlation[i] as number[])[j] = value;
        (correlation[j] as number[])[i] = value;
      }
    }
    try {
      choleskyOf(correlation, symbols.length);
    } catch (err) {
      if (!(err instanceof CorrelationError)) throw err;
      throw new PerpError(`invalid --corr "${corr}"`, { details: err.shortMessage, cause: err });
    }
    correlationSource = `flag (--corr ${corr})`;
  }
  return { ...params, markets, correlation, correlationSource };
}
