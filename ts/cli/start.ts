// `start`: chain (embedded anvil, a fork, or --rpc-url) -> deploy -> seed -> summary [-> keep alive].
// Everything a person can get wrong (config, --out folder, empty tranches) is checked before anything is sent.
import { constants } from "node:fs";
import { access, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type DeploymentConfig, deploymentConfigSchema, parseDeploymentConfig } from "../deploy/config";
import { type Deployment, stringifyDeployment } from "../deploy/deployment";
import { deployProtocol } from "../deploy/deployProtocol";
import { emptyTranchesProblem, type SeedResult, seedProtocol } from "../deploy/seedProtocol";
import { type AnvilInstance, startAnvil } from "../devnet/anvil";
import { hasCode, installMulticall3, MULTICALL3_ADDRESS } from "../keeper/chain/multicall3";
import { anvilStartError } from "./anvilErrors";
import type { StartOptions } from "./args";
import { type Connection, connect } from "./connect";
import { UsageError } from "./errors";
import type { CliIO, WaitForShutdown } from "./io";
import { formatSummary, readSummary, type SummaryAccount } from "./summary";

export type { CliIO, WaitForShutdown } from "./io";

/** What `perp devnet` / `perp deploy` add to `start`. */
export type StartHooks = {
  /** Written into the `--out` file beside the deployment (e.g. the node's rpcUrl, for later commands). */
  recordRpcUrl?: boolean;
  /** Runs after deploy and seed, before the summary (e.g. the devnet's USDC faucet). */
  afterSeed?: (conn: Connection, deployment: Deployment, rpcUrl: string) => Promise<void>;
};

export async function start(
  options: StartOptions,
  io: CliIO,
  waitForShutdown: WaitForShutdown,
  hooks: StartHooks = {},
): Promise<void> {
  const started = performance.now();
  const config = await loadConfig(options.configPath);
  if (options.out) await checkOutPath(options.out);
  if (options.seed) {
    const problem = emptyTranchesProblem(config.seed);
    if (problem)
      throw new UsageError(`${options.configPath ? `--config ${options.configPath}` : "config"}: ${problem}`);
  }
  let anvil: AnvilInstance | undefined;
  try {
    let rpcUrl = options.rpcUrl;
    if (!rpcUrl) {
      anvil = await startAnvil({
        ...(options.port ? { port: options.port } : {}),
        ...(options.forkUrl ? { forkUrl: options.forkUrl } : {}),
      }).catch((err: unknown) => {
        throw anvilStartError(err, options);
      });
      rpcUrl = anvil.rpcUrl;
      io.progress(
        `[anvil] pid ${anvil.pid} listening on ${rpcUrl}${options.forkUrl ? ` (fork of ${options.forkUrl})` : ""}`,
      );
    }
    const traders = options.seed ? config.seed.traders.length : 0;
    const conn = await connect(rpcUrl, {
      privateKey: options.privateKey,
      accounts: 3 + traders,
      devAccountsFunded: anvil !== undefined,
    });
    io.progress(`[chain] id ${conn.chainId}, deployer ${conn.deployer.account.address}`);

    const deployment = await deployProtocol(conn, config, {
      onProgress: (p) => io.progress(`[deploy] ${p.label} ${p.address ?? p.hash} (${p.step}/${p.total})`),
    });
    await ensureMulticall3(conn, anvil !== undefined, io);
    if (options.out) {
      const text = hooks.recordRpcUrl
        ? `${JSON.stringify({ ...JSON.parse(stringifyDeployment(deployment)), rpcUrl }, null, 2)}\n`
        : stringifyDeployment(deployment);
      await writeFile(options.out, text);
      io.progress(`[deploy] wrote ${options.out}`);
    }

    let seeded: SeedResult | undefined;
    if (options.seed) {
      seeded = await seedProtocol({ ...conn, actors: conn.wallets.slice(1) }, deployment, config.seed, {
        onProgress: (p) => io.progress(`[seed] ${p.label} (${p.step}/${p.total})`),
      });
    }

    if (hooks.afterSeed) await hooks.afterSeed(conn, deployment, rpcUrl);

    const accounts: SummaryAccount[] = seeded?.traders ?? [];
    const lps = seeded ? { junior: seeded.juniorLp, senior: seeded.seniorLp } : undefined;
    const summaryInput = { deployment, accounts, lps };
    const summary = await readSummary(conn.publicClient, summaryInput);
    const lines = formatSummary(summaryInput, summary, {
      rpcUrl,
      elapsedMs: performance.now() - started,
      seeded: options.seed,
    });
    for (const line of lines) io.print(line);

    if (options.keepAlive && anvil) {
      // Listen before saying so: whoever reads the line may send Ctrl-C at once (a test does).
      const shutdown = waitForShutdown();
      io.print("");
      io.print(`anvil (pid ${anvil.pid}) keeps running at ${rpcUrl} (chain id ${conn.chainId}). Ctrl-C to stop.`);
      const signal = await shutdown;
      io.progress(`[anvil] ${signal}: shutting down`);
    }
  } finally {
    if (anvil) {
      await anvil.stop();
      io.progress(`[anvil] pid ${anvil.pid} stopped`);
    }
  }
}

/**
 * Multicall3 at its canonical address, so the keeper (and any batched reader) reads a whole book in one eth_call.
 * Real chains and forks of them have it: installed only where its code is missing, on our own anvil or on a node
 * that accepts anvil_setCode (another anvil); elsewhere the keeper falls back to deployless reads.
 */
async function ensureMulticall3(conn: Connection, ownAnvil: boolean, io: CliIO): Promise<void> {
  if (await hasCode(conn.publicClient, MULTICALL3_ADDRESS)) return;
  try {
    await installMulticall3(conn.publicClient);
    io.progress(`[deploy] Multicall3 installed at ${MULTICALL3_ADDRESS}`);
  } catch (err) {
    if (ownAnvil) throw err;
    io.progress(`[deploy] no Multicall3 on this node and it cannot be installed here: the keeper reads deployless`);
  }
}

/** `--out` must name a file in an existing, writable folder: checked before anything is deployed. */
async function checkOutPath(out: string): Promise<void> {
  const file = path.resolve(out);
  const dir = path.dirname(file);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat) throw new UsageError(`--out ${out}: folder ${dir} does not exist (create it first)`);
  if (!dirStat.isDirectory()) throw new UsageError(`--out ${out}: ${dir} is not a folder`);
  const fileStat = await stat(file).catch(() => undefined);
  if (fileStat?.isDirectory())
    throw new UsageError(`--out ${out}: is a folder; name a file such as ${out}/deployment.json`);
  try {
    await access(fileStat ? file : dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: ${fileStat ? file : `folder ${dir}`} is not writable`);
  }
}

async function loadConfig(path: string | undefined): Promise<DeploymentConfig> {
  if (!path) return parseDeploymentConfig();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`--config: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--config: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const result = deploymentConfigSchema.safeParse(json);
  if (!result.success) {
    throw new UsageError(
      `--config ${path}: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  }
  return result.data;
}
