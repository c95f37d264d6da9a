// The report's paths over worker threads: chunks handed out as workers free up, results placed by path index, so the
// outcome list (and the report) is the same whatever the number of workers or the order chunks finish in.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { PerpError } from "../../errors";
import { prepareBook } from "../simulate";
import type { PathInputs, PathOutcome, RiskBook } from "../types";
import { runPathRange } from "./runPaths";
import type { WorkerMessage } from "./worker";

export type RunPathsOptions = {
  book: RiskBook;
  inputs: PathInputs;
  paths: number;
  /** Worker threads; 0 runs in this thread. Default: the machine's parallelism. */
  workers?: number;
  /** Paths per chunk handed to a worker. */
  chunk?: number;
  /** Called as paths finish, with the count so far. */
  onProgress?: (done: number) => void;
};

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs paths 0..paths−1 and returns their outcomes in path order.
 * @example
 * const outcomes = await runPaths({ book, inputs, paths: 10_000, onProgress: (n) => bar.update(n) });
 */
export async function runPaths(o: RunPathsOptions): Promise<PathOutcome[]> {
  const workers = Math.min(o.workers ?? defaultWorkers(), Math.max(1, Math.ceil(o.paths / 4)));
  if (workers <= 0 || o.paths === 0) {
    let done = 0;
    return runPathRange(prepareBook(o.book), o.inputs, 0, o.paths, () => o.onProgress?.(++done));
  }
  const chunk = o.chunk ?? Math.max(1, Math.min(250, Math.ceil(o.paths / (workers * 8))));
  const results = new Array<PathOutcome[]>(Math.ceil(o.paths / chunk));
  let nextFrom = 0;
  let done = 0;
  const url = new URL("./worker.mjs", import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = new Worker(url, { workerData: { book: o.book, inputs: o.inputs } });
      return new Promise<void>((resolve, reject) => {
        const hand = () => {
          if (nextFrom >= o.paths) {
            worker.postMessage({ stop: true });
            return;
          }
          const from = nextFrom;
          nextFrom = Math.min(o.paths, from + chunk);
          worker.postMessage({ from, to: nextFrom });
        };
        worker.on("message", (m: WorkerMessage) => {
          if (m.kind === "ready") hand();
          else if (m.kind === "progress") {
            done += m.paths;
            o.onProgress?.(done);
          } else {
            results[m.from / chunk] = m.outcomes as PathOutcome[];
            hand();
          }
        });
        worker.on("error", (e) => reject(new PerpError(`a risk worker failed: ${e.message}`, { cause: e })));
        worker.on("exit", (code) =>
          code === 0 ? resolve() : reject(new PerpError(`a risk worker exited with code ${code}`)),
        );
      });
    }),
  );
  return results.flat();
}
