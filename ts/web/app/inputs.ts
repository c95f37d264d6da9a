// What a person types, checked with the SDK's own zod schemas before anything is sent (a refused input never
// reaches the wallet), plus the page-level checks the contracts would only find after signing.
import { z } from "zod";
import { COLLATERAL_DECIMALS } from "../../money";
import { positiveAmountSchema, sizeSchema } from "../../pool/schemas";

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): Parsed<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: `${what} ${explain(r.error.issues[0])}` };
}

/** The message of the branch that applies: for a union (bigint | decimal string), the string branch's complaint. */
function explain(issue: z.core.$ZodIssue | undefined): string {
  if (issue?.code === "invalid_union") {
    const inner = issue.errors.flat().find((i) => i.code !== "invalid_type");
    if (inner) return explain(inner);
  }
  return issue?.message ?? "is invalid";
}

/** A USDC amount > 0 with at most 6 decimals, no more than `max` (token units) when given. */
export function parseUsdc(text: string, max?: { value: bigint; what: string }): Parsed<bigint> {
  const r = parse(positiveAmountSchema(COLLATERAL_DECIMALS), text.trim(), "Amount");
  if (r.ok && max && r.value > max.value) return { ok: false, error: `Amount exceeds ${max.what}` };
  return r;
}

/** A signed base size, not zero ("1.5" long, "-0.25" short). */
export const parseSize = (text: string): Parsed<bigint> => parse(sizeSchema, text.trim(), "Size");

/** Shares to escrow: a decimal with at most `decimals` places, > 0, at most what the LP holds. */
export function parseShares(text: string, decimals: number, held: bigint): Parsed<bigint> {
  const r = parse(positiveAmountSchema(decimals), text.trim(), "Shares");
  if (r.ok && r.value > held) return { ok: false, error: "Shares exceed what you hold" };
  return r;
}

export const shockSchema = z.number().int().min(-9_900).max(10_000);
