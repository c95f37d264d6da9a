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
    let signalled: string | undefined;
    let finished = false;
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      logger?.flush();
      exit(code);
    };
    const shutdown = (signal: string) => {
      if (signalled) return; // a second signal while stopping: the first one is being honoured
      signalled = signal;
      const log = logger ?? createLogger({ level: "info" });
      log.info({ signal }, "shutting down");
      if (!running) {
        log.info("keeper stopped");
        log.flush();
        finish(0);
        return;
      }
      running
        .stop()
        .then(() => finish(0))
        .catch((err: unknown) => {
          finished = true;
          fail(err);
        });
    };
    const onTerm = () => shutdown("SIGTERM");
    const onInt = () => shutdown("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
    try {
      const config = configFrom(flags, env);
      logger = createLogger({ level: config.logLevel });
      logger.info({ config: redactedConfig(config) }, "config");
      // Loaded only now: the keeper needs the generated ABIs, which `npm start` may still have to build.
      const { runKeeper } = await import("./run");
      if (signalled) return;
      running = await runKeeper(config, { logger });
      if (signalled) {
        // The signal came while the ops server was starting: stop what just started.
        await running.stop();
        finish(0);
        return;
      }
      await running.done;
    } catch (err) {
      if (signalled) return;
      fail(err);
    }
  });

  withCommonOptions(keeper.command("once").description("one pass, wait for its transactions, exit")).action(
    async (flags: Flags) => {
      try {
        const config = configFrom(flags, env);
        const logger = createLogger({ level: config.logLevel });
        const { runOnce } = await import("./run");
        const { report, unsettled } = await runOnce(config, { logger });
        logger.info({ report, unsettled }, "once: done");
        logger.flush();
        exit(unsettled === 0 ? 0 : 1);
      } catch (err) {
        fail(err);
      }
    },
  );
  return keeper;
}
