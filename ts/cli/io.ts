// What a CLI command may do to the outside world: print its result, report progress, wait for Ctrl-C.

export type CliIO = {
  /** The result (stdout). */
  print(line: string): void;
  /** Progress and diagnostics (stderr). */
  progress(line: string): void;
};

/** Resolves on the first SIGINT or SIGTERM (used by --keep-alive). */
export type WaitForShutdown = () => Promise<NodeJS.Signals>;

/** What every command's action receives. */
export type CommandContext = {
  io: CliIO;
  waitForShutdown: WaitForShutdown;
  env: NodeJS.ProcessEnv;
  /**
   * For a command that reports failure through a code rather than by throwing (the keeper's builder takes an
   * `exit(code)` callback): runCli returns this code once the command's action has finished.
   */
  setExitCode: (code: number) => void;
};
