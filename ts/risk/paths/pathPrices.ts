// Path k's feed answers: the model of path k (models[k % models.length]) writes cumulative log moves from a random
// stream seeded by (seed, k) alone, and each step's price index0·e^x is quantized to a feed answer.
import type { ModelName, PathInputs, PathPrices } from "../types";
import { crashDayOfPath, replayLogMoves } from "./crashDays";
import { diffusionOf, gbmLogMoves } from "./gbm";
import { jumpLogMoves } from "./jump";
import { feedUnitsOf, quantizeAnswer } from "./quantize";
import { pathRandom } from "./random";

/**
 * Path k's prices: answers[(s − 1)·n + m] is market m's feed answer at step s = 1..N (N = horizon / step), an integer
 * exact in a double, at least 1. Pure and deterministic: the same (inputs, k) give the same answers whatever other
 * paths were drawn. Inputs are assumed valid (parse them once with `pathInputsSchema`); a bad correlation or step
 * still throws.
 * @example
 * const { answers, model, scenario } = pathPrices(inputs, 17);
 * const eth1 = answers[0]; // market 0 at step 1
 */
export function pathPrices(inputs: PathInputs, k: number): PathPrices {
  if (!(Number.isSafeInteger(k) && k >= 0))
    throw new RangeError(`path index must be a non-negative integer (got ${k})`);
  if (inputs.models.length === 0) throw new RangeError("models must list at least one model");
  const model = inputs.models[k % inputs.models.length] as ModelName;
  const d = diffusionOf(inputs);
  const rng = pathRandom(inputs.seed, k);
  const x = new Float64Array(d.steps * d.n);
  let scenario: string | null = null;
  if (model === "gbm") {
    gbmLogMoves(d, rng, x);
  } else if (model === "jump") {
    jumpLogMoves(
      d,
      Float64Array.from(inputs.markets, (m) => m.jumpBeta),
      inputs.jump,
      rng,
      x,
    );
  } else if (model === "replay") {
    const day = crashDayOfPath(k, inputs.models.length);
    replayLogMoves(d, inputs.markets, day, rng, x);
    scenario = day.id;
  } else {
    throw new RangeError(`unknown model "${String(model)}" (gbm, jump or replay)`);
  }
  const answers = new Float64Array(x.length);
  const p0 = inputs.markets.map((m) => feedUnitsOf(m.index0, m.feedDecimals));
  for (let i = 0; i < x.length; i++) answers[i] = quantizeAnswer((p0[i % d.n] as number) * Math.exp(x[i] as number));
  return { path: k, model, scenario, answers };
}
