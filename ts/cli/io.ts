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
};
