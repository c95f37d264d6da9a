// Runs paths [from, to) of a report: each path's prices from (inputs, k) alone, then the simulation. The same code
// runs in a worker thread (worker.ts) and, for one thread, in the caller's.
import { pathPrices } from "../paths";
import { type PreparedBook, simulatePath } from "../simulate";
import type { PathInputs, PathOutcome } from "../types";

export function runPathRange(
  prep: PreparedBook,
  inputs: PathInputs,
  from: number,
  to: number,
  onPath?: (done: number) => void,
): PathOutcome[] {
  const out: PathOutcome[] = [];
  for (let k = from; k < to; k++) {
    out.push(simulatePath(prep, pathPrices(inputs, k), inputs.stepSeconds));
    onPath?.(k - from + 1);
  }
  return out;
}
