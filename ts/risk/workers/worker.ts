// A worker thread of the report: prepares the book once, then runs the chunks of paths the pool hands it.
import { parentPort, workerData } from "node:worker_threads";
import { prepareBook } from "../simulate";
import type { PathInputs, RiskBook } from "../types";
import { runPathRange } from "./runPaths";

export type ChunkRequest = { from: number; to: number } | { stop: true };
export type WorkerMessage =
  | { kind: "progress"; paths: number }
  | { kind: "chunk"; from: number; outcomes: unknown[] }
  | { kind: "ready" };

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread");
const { book, inputs } = workerData as { book: RiskBook; inputs: PathInputs };
const prep = prepareBook(book);
const PROGRESS_EVERY = 25;
port.on("message", (req: ChunkRequest) => {
  if ("stop" in req) {
    port.close();
    return;
  }
  const outcomes = runPathRange(prep, inputs, req.from, req.to, (done) => {
    if (done % PROGRESS_EVERY === 0) port.postMessage({ kind: "progress", paths: PROGRESS_EVERY });
  });
  const reported = Math.floor((req.to - req.from) / PROGRESS_EVERY) * PROGRESS_EVERY;
  port.postMessage({ kind: "progress", paths: req.to - req.from - reported });
  port.postMessage({ kind: "chunk", from: req.from, outcomes });
});
port.postMessage({ kind: "ready" });
