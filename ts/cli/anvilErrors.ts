// Turns anvil's start-up failures into one line a person can act on: a port already in use, or the reason
// anvil gives for not reaching --fork-url ("failed to get fork block number: Connection refused").
import { PerpError } from "../errors";
import type { StartOptions } from "./args";

/** The error to show for a failed `startAnvil` (the original stays as `cause`, its output as `details`). */
export function anvilStartError(err: unknown, options: Pick<StartOptions, "port" | "forkUrl">): unknown {
  if (!(err instanceof PerpError)) return err;
  const output = err.details ?? "";
  if (err.name === "AddressInUseError" || /address already in use|os error 98/i.test(output)) {
    return new PerpError(
      `port ${options.port ?? "?"} is already in use: pass another --port, or leave it out to use a free port`,
      { details: output, cause: err },
    );
  }
  if (options.forkUrl) {
    const reason = anvilReason(output);
    if (reason)
      return new PerpError(`anvil could not fork ${options.forkUrl}: ${reason}`, { details: output, cause: err });
  }
  const reason = anvilReason(output);
  return reason ? new PerpError(`anvil failed to start: ${reason}`, { details: output, cause: err }) : err;
}

/**
 * anvil prints `Error: <what>` then a `Context:` list of causes, outermost first (`- Error #3: Connection
 * refused (os error 111)`): the first line and the innermost cause say it all.
 */
function anvilReason(output: string): string | undefined {
  const lines = output.split("\n").map((l) => l.trim());
  const head = lines.find((l) => /^Error: /.test(l))?.replace(/^Error: /, "");
  if (!head) return undefined;
  const causes = lines.filter((l) => /^- Error #\d+: /.test(l)).map((l) => l.replace(/^- Error #\d+: /, ""));
  const innermost = causes.at(-1);
  return innermost && innermost !== head ? `${head} (${innermost})` : head;
}
