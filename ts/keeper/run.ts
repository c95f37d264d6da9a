// The keeper as a library: `runKeeper` (long-running, with /metrics and /healthz) and `runOnce` (one pass, then
// follow the sent transactions to finality and return). The CLI (ts/keeper/cli.ts) and `npm start` call these.

import type { KeeperConfig } from "./config";
import { Keeper, type KeeperOptions, type TickReport } from "./keeper";
import { type OpsServer, startOpsServer } from "./server";

export type RunningKeeper = {
  keeper: Keeper;
  /** The ops server (undefined with metricsPort 0). */
  server: OpsServer | undefined;
  /** Resolves when the loop has ended (after stop()). */
  done: Promise<void>;
  /** Finishes the tick in progress, closes the server; resolves when everything is down. */
  stop(): Promise<void>;
};

/**
 * Starts the ops server, then the keeper loop, and returns at once: the loop connects to the node (retrying while
 * it does not answer; /healthz says "starting" meanwhile), so a signal can stop the keeper at any moment of its
 * startup. `stop()` works from the first instant.
 * @example
 * const running = await runKeeper(loadKeeperConfig({ env: process.env, flags }));
 * process.once("SIGTERM", () => running.stop().then(() => process.exit(0)));
 */
export async function runKeeper(config: KeeperConfig, options: KeeperOptions = {}): Promise<RunningKeeper> {
  const keeper = new Keeper(config, options);
  const server =
    config.metricsPort > 0 ? await startOpsServer(keeper, config.metricsPort, config.metricsHost) : undefined;
  if (server) keeper.log.info({ port: server.port }, "serving /metrics and /healthz");
  const done = keeper.start();
  let stopped: Promise<void> | undefined;
  return {
    keeper,
    server,
    done,
    stop: () => {
      stopped ??= (async () => {
        await keeper.stop();
        await server?.close();
      })();
      return stopped;
    },
  };
}

export type OnceResult = { report: TickReport; unsettled: number; keeper: Keeper };

/** One pass at the current head; then waits (up to `settleTimeoutMs`) for what it sent to become final. */
export async function runOnce(
  config: KeeperConfig,
  options: KeeperOptions & { settleTimeoutMs?: number } = {},
): Promise<OnceResult> {
  const keeper = new Keeper(config, options);
  await keeper.init();
  const report = await keeper.tick();
  const unsettled = await keeper.settle(options.settleTimeoutMs ?? 120_000);
  await keeper.stop();
  return { report, unsettled, keeper };
}
