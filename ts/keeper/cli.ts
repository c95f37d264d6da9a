// `perp keeper run|once`: a commander command the main CLI mounts (program.addCommand(keeperCommand())), also run
// directly by ts/keeper/main.ts (`npm run keeper -- run ...`). Config: flags > env (KEEPER_*) > --config file.
import { Command, Option } from "commander";
import { type KeeperConfig, KeeperConfigError, loadKeeperConfig, redactedConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import type { RunningKeeper } from "./run";

type Flags = {
  deployment?: string;
  rpcUrl?: string;
  config?: string;
  metricsPort?: string;
  privateKey?: string;
  shard?: string;
  dryRun?: boolean;
  logLevel?: string;
  journal?: string;
};

export type KeeperCommandIo = {
  env?: NodeJS.ProcessEnv;
  /** Called with the exit code when a command is finished (default: process.exitCode). */
  exit?: (code: number) => void;
  stderr?: (line: string) => void;
};

function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--deployment <file>", "deployment JSON (npm start -- --out FILE)")
    .option("--rpc-url <url>", "JSON-RPC endpoint")
    .option("--config <file>", "keeper config JSON (see ts/keeper/config.ts)")
    .option("--metrics-port <n>", "port of /metrics and /healthz (0 = off)")
    .addOption(new Option("--private-key <hex>", "signer key (or KEEPER_PRIVATE_KEY / PRIVATE_KEY); never printed"))
    .option("--shard <i/n>", "handle shard i of n (accounts split by id)")
    .option("--dry-run", "simulate and log, never send")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent")
    .option("--journal <file>", "send journal path");
}

function configFrom(flags: Flags, env: NodeJS.ProcessEnv): KeeperConfig {
  return loadKeeperConfig({
    file: flags.config,
    env,
    flags: {
      deployment: flags.deployment,
      rpcUrl: flags.rpcUrl,
      metricsPort: flags.metricsPort,
      privateKey: flags.privateKey,
      shard: flags.shard,
      dryRun: flags.dryRun,
      logLevel: flags.logLevel,
      journalPath: flags.journal,
    },
  });
}

/** Set once `keeper run` has installed its own SIGTERM/SIGINT handlers (an entry point's early handler then yields). */
let ownSignals = false;

export function keeperOwnsSignals(): boolean {
  return ownSignals;
}

/** The `keeper` command with `run` and `once`. */
export function keeperCommand(io: KeeperCommandIo = {}): Command {
  const env = io.env ?? process.env;
  const exit =
    io.exit ??
    ((code: number) => {
      process.exitCode = code;
    });
  const stderr = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fail = (err: unknown) => {
    stderr(err instanceof KeeperConfigError ? err.message : `keeper failed: ${(err as Error).message ?? String(err)}`);
    exit(err instanceof KeeperConfigError ? 2 : 1);
  };
  const keeper = new Command("keeper").description("run the keeper: oracle refresh, liquidations, funding, premium");

  withCommonOptions(keeper.command("run").description("run until SIGTERM/SIGINT")).action(async (flags: Flags) => {
    // Signals are handled from the first instant of the command: a SIGTERM while the modules load or the node does
    // not answer yet stops the keeper cleanly (exit 0 after "keeper stopped"), as it does later.
    let running: RunningKeeper | undefined;
    let logger: Logger | undefined;
    let closed: Promise<number> | undefined;
    let markStarted = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const shutdown = (signal: string) => {
      if (closed) return; // a second signal while stopping: the first one is being honoured
      const log = logger ?? createLogger({ level: "info" });
      log.info({ signal }, "shutting down");
      closed = (async () => {
        await started; // the ops server may be binding: stop what it started, not half of it
        if (running) await running.stop();
        else log.info("keeper stopped");
        await flushed(log);
        return 0;
      })().catch((err: unknown) => {
        stderr(`keeper failed while stopping: ${(err as Error).message ?? String(err)}`);
        return 1;
      });
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
    ownSignals = true;
    (globalThis as { __perpKeeperOwnsSignals?: boolean }).__perpKeeperOwnsSignals = true; // bin/perp.mjs's early handler
    try {
      const config = configFrom(flags, env);
      logger = createLogger({ level: config.logLevel });
      logger.info({ config: redactedConfig(config) }, "config");
      // Loaded only now: the keeper needs the generated ABIs, which `npm start` may still have to build.
      const { runKeeper } = await import("./run");
      if (!closed) running = await runKeeper(config, { logger });
      markStarted();
      await running?.done;
    } catch (err) {
      markStarted();
      if (!closed) return fail(err);
    }
    if (closed) exit(await closed);
  });

  withCommonOptions(keeper.command("once").description("one pass, wait for its transactions, exit")).action(
    async (flags: Flags) => {
      try {
        const config = configFrom(flags, env);
        const logger = createLogger({ level: config.logLevel });
        const { runOnce } = await import("./run");
        const { report, unsettled } = await runOnce(config, { logger });
        logger.info({ report, unsettled }, "once: done");
        await flushed(logger);
        exit(unsettled === 0 ? 0 : 1);
      } catch (err) {
        fail(err);
      }
    },
  );
  return keeper;
}

/** Resolves once the (asynchronous) logger has written out what it holds (at most 1 s later if that hangs). */
function flushed(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
