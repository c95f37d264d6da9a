// The keeper's configuration: one zod schema, parsed once at start from (lowest to highest precedence)
// defaults, a JSON file (--config), the environment (KEEPER_*) and command-line flags. Every error names the
// field and where it came from; the private key is never echoed (not even in a validation error).
import { readFileSync } from "node:fs";
import type { Hex } from "viem";
import { z } from "zod";
import { PerpError } from "../errors";

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const wei = z
  .union([z.string().regex(/^\d+$/, "a non-negative integer (wei)"), z.number().int().nonnegative(), z.bigint()])
  .transform((v) => BigInt(v));
const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((s) => s === "true" || s === "1")]);

/** `i/n`: this keeper handles the accounts whose shard (hash of the account id mod n) is i. */
export const shardSchema = z
  .string()
  .regex(/^\d+\/\d+$/, "expected i/n, e.g. 0/1 or 2/4")
  .transform((s) => {
    const [i, n] = s.split("/").map(Number) as [number, number];
    return { index: i, count: n };
  })
  .refine((s) => s.count >= 1 && s.index < s.count, "expected 0 <= i < n");

export type Shard = z.output<typeof shardSchema>;

const tasksSchema = z
  .object({
    oracle: bool.default(true),
    liquidation: bool.default(true),
    funding: bool.default(true),
    premium: bool.default(true),
    repeg: bool.default(true),
    inventory: bool.default(true),
    riskFigure: bool.default(true),
  })
  .default({
    oracle: true,
    liquidation: true,
    funding: true,
    premium: true,
    repeg: true,
    inventory: true,
    riskFigure: true,
  });

export const keeperConfigSchema = z.object({
  /** Path of the deployment JSON written by `npm start -- --out FILE` (ts/deploy/deployment.ts). */
  deployment: z.string().min(1, "the deployment file is required (--deployment FILE)"),
  rpcUrl: z.string().regex(/^https?:\/\/\S+$/, "an http(s) URL"),
  /** Signer key; required unless dryRun. Never logged. */
  privateKey: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x followed by 64 hex digits")
    .transform((s) => s as Hex)
    .optional(),
  dryRun: bool.default(false),
  shard: shardSchema.default({ index: 0, count: 1 }),
  /** 0 = no metrics server. */
  metricsPort: nonNegativeInt.max(65_535).default(9464),
  metricsHost: z.string().default("127.0.0.1"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Where the send journal lives (JSON, rewritten atomically). Default: .keeper/journal-<chain>-<signer>.json */
  journalPath: z.string().optional(),
  /** Wait between polls for a new head. */
  pollIntervalMs: positiveInt.default(1_000),
  /** Bound of one RPC request, every attempt included. */
  rpcTimeoutMs: positiveInt.default(10_000),
  /** Retries of one request after transport faults (hedges of a slow attempt, at most 3, come on top; rpc.ts). */
  rpcRetries: nonNegativeInt.max(10).default(4),
  /**
   * Least wait (ms) before a slow request is hedged with a second one; the wait is 3x the method's recent p90
   * latency when that is longer.
   */
  rpcHedgeMinMs: positiveInt.default(250),
  /** Blocks per eth_getLogs request during backfill. */
  logChunkBlocks: positiveInt.default(5_000),
  /** Block hashes remembered for reorg detection (deeper reorgs re-index from the start block). */
  reorgWindow: positiveInt.default(64),
  /**
   * A receipt this many blocks deep counts as final (1 = the block that mined it). Default 2, or 1 on an automine
   * devnet (no block comes after our last transaction there, so a second confirmation would never arrive).
   */
  confirmations: positiveInt.optional(),
  /** Multicall3 address (default: the canonical one; without code there, viem's deployless multicall). */
  multicallAddress: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .transform((s) => s as Hex)
    .optional(),
  priorityFeeWei: wei.default(1_000_000_000n),
  /** Hard cap on maxFeePerGas of any transaction. */
  maxFeePerGasWei: wei.default(500_000_000_000n),
  /** A transaction not mined after this many blocks is replaced (same nonce, higher fee, at most 2x the first). */
  stuckBlocks: positiveInt.default(3),
  /** Gas estimate headroom, bps (on top of the oracle's refresh headroom). */
  gasBufferBps: nonNegativeInt.max(50_000).default(2_000),
  /** Ids per liquidateMany transaction (the old entry point sends one transaction per account). */
  liquidationBatch: positiveInt.default(40),
  /**
   * Seconds after the head the keeper's liquidations are expected to land (the chain's block time): each account's
   * ladder steps are planned for that second, so funding accrued meanwhile is counted. Too short lists a step too few
   * for an account paying funding (the rest waits a block); too long may list one too many (skipped on chain).
   */
  liquidationLeadSeconds: nonNegativeInt.max(3_600).default(1),
  /**
   * Liquidation gas the keeper plans into one block (bps of the block gas limit), counting what its unmined
   * transactions will use. The node includes what fits; anything left waits and counts against the next block.
   */
  liquidationBlockGasBps: positiveInt.max(10_000).default(10_000),
  /** Seconds between premium distributions (on-chain PremiumDistributed events are the schedule). */
  premiumIntervalSeconds: positiveInt.default(3_600),
  /**
   * The inventory sale: the keeper's own account `(signer, subId)` that takes the backstop's inventory at the
   * descending discount. Unset (the default): the keeper only reports the sale (logs, /healthz detail).
   */
  inventoryTakerSubId: nonNegativeInt.optional(),
  /** Take only once the discount is at least this, in bps of the index. */
  inventoryMinDiscountBps: nonNegativeInt.max(10_000).default(50),
  /** Base per take (WAD). */
  inventoryMaxBase: wei.default(10n ** 18n),
  /**
   * Seconds between junior tail-risk figures (the posted figure's age on chain is the schedule); 0 = never post. The
   * keeper posts only when its signer is the TailRiskOracle's steward. Boost multiplier refreshes run regardless.
   */
  riskFigureIntervalSeconds: nonNegativeInt.default(21_600),
  /** Price paths of the report behind each posted figure (recorded on chain; `perp risk verify` runs as many). */
  riskFigurePaths: positiveInt.max(1_000_000).default(2_000),
  /**
   * Seconds of chain time between the task's checks (is a figure due, does a vault's boost multiplier differ from the
   * oracle's): between checks a block costs it no request. 0 = every block.
   */
  riskFigureCheckSeconds: nonNegativeInt.default(60),
  /** Worker threads the report runs in (at least 1: the keeper's loop never waits for the paths). */
  riskFigureWorkers: positiveInt.max(64).default(1),
  /** Seconds between repeg simulations when the pool has a repeg entry point. */
  repegCheckSeconds: positiveInt.default(60),
  /**
   * /healthz: the head is stale after this many seconds without a new block (0 = never stale). Default 120, and
   * off on an automine devnet (an idle automine chain mines nothing because nothing is sent: that is healthy).
   */
  staleHeadSeconds: nonNegativeInt.optional(),
  /** /healthz: the loop stalled after this many poll intervals without a completed tick. */
  stallIntervals: positiveInt.default(5),
  /** /healthz: a liquidatable account older than this many blocks is a failure. */
  liquidatableMaxBlocks: positiveInt.default(3),
  /** /healthz: signer balance floor (wei). */
  minSignerBalanceWei: wei.default(10n ** 16n),
  /** Per-job backoff after a failure: base and cap (a first transient failure costs at most one base). */
  backoffBaseMs: positiveInt.default(1_000),
  backoffMaxMs: positiveInt.default(30_000),
  /** Per-call timeout of one tick's work; a hung tick is abandoned after this. */
  tickTimeoutMs: positiveInt.default(30_000),
  tasks: tasksSchema,
});

export type KeeperConfigInput = z.input<typeof keeperConfigSchema>;
export type KeeperConfig = z.output<typeof keeperConfigSchema>;

/** Environment variables the keeper reads (KEEPER_RPC_URL, ...); PRIVATE_KEY is accepted as well. */
const ENV: Record<string, keyof KeeperConfigInput> = {
  KEEPER_DEPLOYMENT: "deployment",
  KEEPER_RPC_URL: "rpcUrl",
  KEEPER_PRIVATE_KEY: "privateKey",
  PRIVATE_KEY: "privateKey",
  KEEPER_DRY_RUN: "dryRun",
  KEEPER_SHARD: "shard",
  KEEPER_METRICS_PORT: "metricsPort",
  KEEPER_LOG_LEVEL: "logLevel",
  KEEPER_JOURNAL: "journalPath",
  KEEPER_POLL_INTERVAL_MS: "pollIntervalMs",
};

export class KeeperConfigError extends PerpError {
  override name = "KeeperConfigError";
}

export type ConfigSources = {
  /** A JSON file with any subset of the fields. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Flags already mapped to field names (undefined = not given). */
  flags?: Partial<Record<keyof KeeperConfigInput, unknown>>;
};

/**
 * Merges the sources (flags > env > file > defaults) and validates once.
 * Throws KeeperConfigError listing every bad field with its source.
 * @example
 * const config = loadKeeperConfig({ file: "keeper.json", env: process.env, flags: { rpcUrl: "http://127.0.0.1:8545" } });
 */
export function loadKeeperConfig(sources: ConfigSources = {}): KeeperConfig {
  const origin = new Map<string, string>();
  const merged: Record<string, unknown> = {};
  if (sources.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(sources.file, "utf8"));
    } catch (err) {
      throw new KeeperConfigError(`config file ${sources.file}: ${(err as Error).message}`, { cause: err });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new KeeperConfigError(`config file ${sources.file}: expected a JSON object`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      merged[k] = v;
      origin.set(k, `file ${sources.file}`);
    }
  }
  for (const [name, field] of Object.entries(ENV)) {
    const value = sources.env?.[name];
    if (value === undefined || value === "") continue;
    if (field === "privateKey" && name === "PRIVATE_KEY" && merged.privateKey !== undefined) continue;
    merged[field] = value;
    origin.set(field, `env ${name}`);
  }
  for (const [k, v] of Object.entries(sources.flags ?? {})) {
    if (v === undefined) continue;
    merged[k] = v;
    origin.set(k, `flag --${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  const result = keeperConfigSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? "(config)");
      const from = origin.get(field) ?? "default";
      return `${issue.path.join(".") || field} (${from}): ${issue.message}`;
    });
    throw new KeeperConfigError(`invalid keeper config:\n  ${lines.join("\n  ")}`);
  }
  const config = result.data;
  if (!config.dryRun && !config.privateKey) {
    throw new KeeperConfigError(
      "invalid keeper config:\n  privateKey: required unless --dry-run (--private-key, KEEPER_PRIVATE_KEY or PRIVATE_KEY)",
    );
  }
  return config;
}

/** The config as it may be logged: the key replaced by whether one is set. */
export function redactedConfig(config: KeeperConfig): Record<string, unknown> {
  const { privateKey, ...rest } = config;
  return JSON.parse(
    JSON.stringify({ ...rest, privateKey: privateKey ? "(set)" : "(none)" }, (_k, v: unknown) =>
      typeof v === "bigint" ? v.toString() : v,
    ),
  ) as Record<string, unknown>;
}
