// The zod schema of PathInputs: everything that fixes the paths, checked once before any path is drawn, with
// messages that say what to change (a horizon that is not a whole number of steps, a correlation that is not one).
import { z } from "zod";
import type { PathInputs } from "../types";
import { CorrelationError, choleskyOf } from "./cholesky";

/** Smallest step: the replay mines a block per step plus the keeper's blocks 1 s apart after it. */
export const MIN_STEP_SECONDS = 60;
/** Most steps in a path (a path is steps × markets doubles; 200,000 is over a year of 5-minute steps). */
export const MAX_STEPS = 200_000;

const finite = (what: string) =>
  z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be finite`);

const marketSchema = z.object({
  symbol: z.string().min(1, "symbol must not be empty"),
  index0: z.bigint().positive("index0 (the index at B, WAD) must be positive"),
  feedDecimals: z.number().int("feedDecimals must be an integer").min(0).max(18, "feedDecimals must be 0..18"),
  sigmaAnnual: finite("sigmaAnnual").pipe(
    z
      .number()
      .gt(0, "sigmaAnnual must be > 0 (annualized, 0.8 = 80 %)")
      .max(20, "sigmaAnnual above 20 (2,000 %) is not a volatility"),
  ),
  jumpBeta: finite("jumpBeta").pipe(z.number().min(-10).max(10, "jumpBeta must be within [-10, 10]")),
});

const jumpSchema = z.object({
  intensityPerYear: finite("jump.intensityPerYear").pipe(
    z.number().min(0, "jump.intensityPerYear must be ≥ 0").max(10_000),
  ),
  meanLog: finite("jump.meanLog").pipe(z.number().min(-5).max(5, "jump.meanLog must be within [-5, 5]")),
  stdLog: finite("jump.stdLog").pipe(z.number().min(0, "jump.stdLog must be ≥ 0").max(2)),
});

/**
 * Validates PathInputs: at least one market; horizon and step positive integers of seconds, step ≥ 60, the horizon
 * a whole number of steps (at most 200,000); σ > 0; a correlation matrix n × n, symmetric, unit diagonal, positive
 * definite; at least one model; a non-empty seed; jump parameters in range.
 * @example
 * const inputs = pathInputsSchema.parse(raw); // throws a ZodError listing every problem
 */
export const pathInputsSchema = z
  .object({
    markets: z.array(marketSchema).min(1, "at least one market"),
    correlation: z.array(z.array(z.number())),
    horizonSeconds: z.number().int("horizon must be whole seconds").positive("horizon must be positive"),
    stepSeconds: z
      .number()
      .int("step must be whole seconds")
      .min(MIN_STEP_SECONDS, `step must be at least ${MIN_STEP_SECONDS} s`),
    models: z.array(z.enum(["gbm", "jump", "replay"])).min(1, "at least one model"),
    seed: z.string().min(1, "seed must not be empty"),
    jump: jumpSchema,
  })
  .superRefine((p, ctx) => {
    if (p.stepSeconds > 0 && p.horizonSeconds % p.stepSeconds !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["horizonSeconds"],
        message: `horizon ${p.horizonSeconds} s is not a whole number of ${p.stepSeconds} s steps`,
      });
    } else if (p.horizonSeconds / p.stepSeconds > MAX_STEPS) {
      ctx.addIssue({
        code: "custom",
        path: ["horizonSeconds"],
        message: `horizon / step = ${p.horizonSeconds / p.stepSeconds} steps, more than ${MAX_STEPS}`,
      });
    }
    try {
      choleskyOf(p.correlation, p.markets.length);
    } catch (err) {
      if (!(err instanceof CorrelationError)) throw err;
      ctx.addIssue({ code: "custom", path: ["correlation", ...(err.at ?? [])], message: err.shortMessage });
    }
  }) satisfies z.ZodType<PathInputs>;
