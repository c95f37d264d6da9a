// The CLI as a function (argv in, exit code out), so tests can call it without a child process.
import { ContractRevertError, PerpError } from "../errors";
import { parseCliArgs, USAGE } from "./args";
import { UsageError } from "./errors";
import type { CliIO, WaitForShutdown } from "./start";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const defaultIO: CliIO = {
  print: (line) => process.stdout.write(`${line}\n`),
  progress: (line) => process.stderr.write(`${line}\n`),
};

/** Resolves on the first SIGINT/SIGTERM; while waiting, those signals no longer kill the process. */
export const waitForSignal: WaitForShutdown = () =>
  new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });

/**
 * Runs one CLI command and returns its exit code. Expected failures print one readable line on stderr:
 * bad input -> 2, a failed deployment/transaction/RPC -> 1. `DEBUG=1` adds the stack and details.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO = defaultIO,
  waitForShutdown: WaitForShutdown = waitForSignal,
): Promise<number> {
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.command === "help") {
      io.print(USAGE);
      return EXIT_OK;
    }
    // Loaded only now: viem and the ABIs cost ~0.5 s that `help` and bad input need not pay.
    const { start } = await import("./start");
    await start(parsed.options, io, waitForShutdown);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      io.progress(`error: ${err.shortMessage}`);
      io.progress("Run `npm start -- help` for usage.");
      return EXIT_USAGE;
    }
    io.progress(`error: ${describeError(err)}`);
    if (process.env.DEBUG) io.progress(err instanceof Error ? (err.stack ?? err.message) : String(err));
    else if (!(err instanceof PerpError)) io.progress("(unexpected error: set DEBUG=1 for the stack trace)");
    return EXIT_FAILED;
  }
}

function describeError(err: unknown): string {
  if (err instanceof ContractRevertError) return `${err.shortMessage} (contract revert)`;
  if (err instanceof PerpError) return err.shortMessage;
  if (err instanceof Error) return err.message.split("\n")[0] ?? err.name;
  return String(err);
}
