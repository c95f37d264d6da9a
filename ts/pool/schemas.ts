// zod schemas for every SDK input a person types: parsed before any RPC call, so a bad input fails fast with
// a readable message ("amount: a non-negative decimal number such as \"1500.25\", or a bigint").
import { Percent } from "@uniswap/sdk-core";
import { type Address, getAddress, isAddress, parseUnits } from "viem";
import { z } from "zod";
import { PerpError } from "../errors";
import { COLUMNS, MAX_SCENARIOS, validateGrid } from "./math/portfolioMath";

export const MAX_UINT96 = (1n << 96n) - 1n;

export const addressSchema = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), { message: "must be a 0x-prefixed 20-byte hex address" })
  .transform((s) => getAddress(s) as Address);

const DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A non-negative token amount: a bigint in raw units (e.g. 1_500_250_000n for 1,500.25 USDC), or a decimal
 * string in whole tokens ("1500.25") converted exactly with `decimals` (more fractional digits are refused).
 */
export function amountSchema(decimals: number) {
  return z.union(
    [
      z.bigint().nonnegative({ message: "must not be negative" }),
      z
        .string()
        .trim()
        .regex(DECIMAL, { message: 'must be a non-negative decimal number such as "1500.25"' })
        .refine((s) => (s.split(".")[1]?.length ?? 0) <= decimals, {
          message: `has more than ${decimals} decimal places`,
        })
        .transform((s) => parseUnits(s, decimals)),
    ],
    { message: `must be a non-negative decimal string (e.g. "1500.25") or a bigint in raw units` },
  );
}

/** A strictly positive amount (a zero deposit or withdrawal is refused by the contracts too). */
export function positiveAmountSchema(decimals: number) {
  return amountSchema(decimals).refine((v) => v > 0n, { message: "must be greater than zero" });
}

/** A signed, non-zero base size: a bigint in WAD, or a decimal string in whole base units ("-0.5"). */
export const sizeSchema = z
  .union(
    [
      z.bigint(),
      z
        .string()
        .trim()
        .regex(SIGNED_DECIMAL, { message: 'must be a decimal number such as "1.5" or "-0.25"' })
        .refine((s) => (s.split(".")[1]?.length ?? 0) <= 18, { message: "has more than 18 decimal places" })
        .transform((s) => parseUnits(s, 18)),
    ],
    { message: 'must be a signed decimal string (e.g. "-0.25") or a bigint in WAD' },
  )
  .refine((v) => v !== 0n, { message: "must not be zero (positive buys, negative sells)" });

const uintSchema = (max: bigint, what: string) =>
  z
    .union([z.bigint(), z.number().int({ message: `${what} must be an integer` })])
    .transform((v) => BigInt(v))
    .refine((v) => v >= 0n && v <= max, { message: `${what} must be between 0 and ${max}` });

export const subIdSchema = uintSchema(MAX_UINT96, "subId").default(0n);
export const marketIdSchema = uintSchema(31n, "marketId");
export const sharesSchema = uintSchema((1n << 256n) - 1n, "shares").refine((v) => v > 0n, {
  message: "must be greater than zero",
});

/** Slippage: a Percent (sdk-core) or basis points (50 = 0.5 %), between 0 and 100 %. Parsed to bps. */
export const slippageSchema = z
  .union([
    z.number().int({ message: "slippage in bps must be an integer" }),
    z.bigint(),
    z
      .instanceof(Percent)
      .transform((p) => (BigInt(p.numerator.toString()) * 10_000n) / BigInt(p.denominator.toString())),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v >= 0n && v <= 10_000n, { message: "slippage must be between 0 and 10000 bps (0 to 100 %)" });

/** Unix seconds. */
export const deadlineSchema = z
  .union([z.bigint(), z.number().int()])
  .transform((v) => BigInt(v))
  .refine((v) => v > 0n, { message: "deadline must be a positive unix timestamp" });

/** Raised for an input the schema refuses, before any RPC call. */
export class InvalidParametersError extends PerpError {
  override name = "InvalidParametersError";
}

/** Parses `input` or throws an InvalidParametersError naming the action and each bad field. */
export function parseParameters<schema extends z.ZodType>(
  action: string,
  schema: schema,
  input: unknown,
): z.output<schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ");
  throw new InvalidParametersError(`${action}: invalid parameters: ${problems}`, {
    details: z.prettifyError(result.error),
    cause: result.error,
  });
}

/** One row of a risk engine grid (`IRiskEngine.Scenario`): a weight in [1, 100] % and 8 int8 moves (1/50 units). */
export const scenarioSchema = z.object({
  weightPct: z.number().int().min(1).max(100),
  moves: z.array(z.number().int().min(-128).max(127)).length(COLUMNS),
});

/**
 * A risk engine's grid and floor, checked as the `RiskEngine` constructor checks them (`validateGrid`): a grid
 * read from a chain or typed in a config is refused before it is used with the contract's error name and args in
 * the message (e.g. "ColumnNotStandalone: column=1 maxUp=5000 maxDown=-2500").
 */
export const riskGridSchema = z
  .object({
    scenarios: z.array(scenarioSchema).min(1).max(MAX_SCENARIOS),
    floorBps: z.union([z.bigint(), z.number().int()]).transform((v) => BigInt(v)),
  })
  .superRefine((g, ctx) => {
    try {
      validateGrid(g.scenarios, g.floorBps);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
    }
  });
