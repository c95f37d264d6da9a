// `perp devnet` and `perp deploy`: `start` with the deployment file written where every other `perp` command
// reads it (and the node's URL recorded in it). `devnet` keeps its anvil running and funds the dev accounts.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { buildIfStale } from "../../../scripts/build-if-stale.mjs";
import { PerpError } from "../../errors";
import { parseStartOptions } from "../args";
import { UsageError } from "../errors";
import type { CommandContext } from "../io";
import { DEFAULT_DEPLOYMENT_PATH } from "../session";

/** Test USDC minted to each dev account by `perp devnet`, whole tokens. */
export const DEVNET_FAUCET_USDC = 100_000n;
const DEV_ACCOUNTS = 10;

type DevnetFlags = {
  port?: string;
  forkUrl?: string;
  deployment?: string;
  config?: string;
  seed?: boolean;
  web?: string | boolean;
};

/** `--web [port]`: the web page's port (5173 by default). */
function webPort(web: string | boolean): number {
  const port = web === true ? 5173 : Number(web);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError("--web: expected a port number (1-65535)");
  return port;
}
type DeployFlags = { rpcUrl?: string; deployment?: string; config?: string; seed?: boolean };

async function build(ctx: CommandContext): Promise<void> {
  try {
    buildIfStale({ log: ctx.io.progress });
  } catch (err) {
    throw new PerpError(`build: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Adds `devnet` and `deploy` to `program`. */
export function registerDevnet(program: Command, ctx: CommandContext): void {
  program
    .command("devnet")
    .summary("run a local chain with the protocol deployed and seeded, until Ctrl-C")
    .description(
      `Starts anvil (default port 8545; --fork-url forks any RPC), deploys, seeds LPs and traders, mints ${DEVNET_FAUCET_USDC} ` +
        "test USDC to each of anvil's 10 dev accounts, writes the deployment file (with the node's URL) and keeps running.",
    )
    .option("--port <n>", "port to listen on", "8545")
    .option("--fork-url <url>", "fork this node (http/https/ws/wss) and deploy onto the fork")
    .option("--deployment <file>", `where to write the deployment (default ${DEFAULT_DEPLOYMENT_PATH})`)
    .option("--config <file>", "deployment config (JSON, human units; see ts/deploy/config.ts)")
    .option("--no-seed", "deploy only: no LP deposits, no traders")
    .option("--web [port]", "also serve the web page for LPs and traders (default port 5173)")
    .action(async (raw: DevnetFlags) => {
      const out = raw.deployment ?? (ctx.env.PERP_DEPLOYMENT || DEFAULT_DEPLOYMENT_PATH);
      const web = raw.web === undefined || raw.web === false ? undefined : webPort(raw.web);
      const options = parseStartOptions(
        { port: raw.port, forkUrl: raw.forkUrl, config: raw.config, out, seed: raw.seed, keepAlive: true },
        {},
      );
      await mkdir(path.dirname(path.resolve(out)), { recursive: true });
      await build(ctx);
      const [{ start }, { mintDevUsdc }] = await Promise.all([import("../start"), import("../faucet")]);
      await start(options, ctx.io, ctx.waitForShutdown, {
        recordRpcUrl: true,
        afterSeed: async (conn, deployment) => {
          await mintDevUsdc(conn, deployment, DEV_ACCOUNTS, DEVNET_FAUCET_USDC);
          ctx.io.progress(`[faucet] ${DEVNET_FAUCET_USDC} USDC to each of dev accounts 0-${DEV_ACCOUNTS - 1}`);
          if (web !== undefined) {
            const { serveWeb } = await import("../../web/server");
            const rpcUrl = `http://127.0.0.1:${options.port ?? 8545}`;
            const page = await serveWeb({ rpcUrl, deployment, port: web });
            ctx.io.progress(`[web] the web page is at ${page.url} (pick a dev account in the header)`);
          }
        },
      });
    });

  program
    .command("deploy")
    .summary("deploy the protocol to a node and write the deployment file")
    .description(
      "Deploys to --rpc-url, signed by env PERP_PRIVATE_KEY (anvil's account 0 on a local anvil), and writes the " +
        "deployment file the other commands read. Deploy only, unless --seed.",
    )
    .requiredOption("--rpc-url <url>", "node to deploy to (http/https)")
    .option("--deployment <file>", `where to write the deployment (default ${DEFAULT_DEPLOYMENT_PATH})`)
    .option("--config <file>", "deployment config (JSON, human units; see ts/deploy/config.ts)")
    .option("--seed", "also deposit LP capital and open the fixture's trades (dev accounts on a local anvil)")
    .action(async (raw: DeployFlags) => {
      const out = raw.deployment ?? (ctx.env.PERP_DEPLOYMENT || DEFAULT_DEPLOYMENT_PATH);
      const options = parseStartOptions(
        { rpcUrl: raw.rpcUrl, config: raw.config, out, seed: raw.seed ?? false, keepAlive: false },
        { PRIVATE_KEY: ctx.env.PERP_PRIVATE_KEY },
      );
      await mkdir(path.dirname(path.resolve(out)), { recursive: true });
      await build(ctx);
      const { start } = await import("../start");
      await start(options, ctx.io, ctx.waitForShutdown, { recordRpcUrl: true });
    });
}
