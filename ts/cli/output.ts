// How a `perp` command answers: `--json` prints one JSON document (bigints as decimal strings) on stdout,
// otherwise lines for people.
import type { CliIO } from "./io";

/** JSON with every bigint as a decimal string. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Prints `data` as JSON when `json`, else the human lines (computed only then). */
export function answer(io: CliIO, json: boolean | undefined, data: unknown, human: () => readonly string[]): void {
  if (json) io.print(toJson(data));
  else for (const line of human()) io.print(line);
}
