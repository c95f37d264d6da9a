// The CLI as a function (argv in, exit code out), so tests can call it without a child process.
import { CommanderError } from "commander";
import { ContractRevertError, PerpError } from "../errors";
import { UsageError } from "./errors";
import type { CliIO, WaitForShutdown } from "./io";
import { createProgram, withDefaultCommand } from "./program";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE_HINT = "Run `npm start -- help` for usage.";

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
 * bad input -> 2, a failed build/deployment/transaction/RPC -> 1. `DEBUG=1` adds the stack and details.
 * @example
 * process.exit(await runCli(process.argv.slice(2)));
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO = defaultIO,
  waitForShutdown: WaitForShutdown = waitForSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    await createProgram({ io, waitForShutdown, env }).parseAsync(withDefaultCommand(argv), { from: "user" });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --help end here with exit code 0; every other commander error is bad syntax.
      if (err.exitCode === 0) return EXIT_OK;
      io.progress(`error: ${err.message.replace(/^error: /, "")}`);
      io.progress(USAGE_HINT);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.progress(`error: ${err.shortMessage}`);
      io.progress(USAGE_HINT);
      return EXIT_USAGE;
    }
    io.progress(`error: ${describeError(err)}`);
    if (env.DEBUG) io.progress(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (env.DEBUG && err instanceof PerpError && err.details) io.progress(`details: ${err.details}`);
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
