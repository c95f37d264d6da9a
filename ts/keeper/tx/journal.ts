// The send journal: every transaction the keeper signed and has not yet seen final, written to disk BEFORE it is
// broadcast (write-ahead), plus the keys of recently finished jobs. After a crash the keeper reads it back and
// follows those transactions instead of sending the same job again. One small JSON file, replaced atomically
// (write to a temp file, fsync, rename), so a kill at any instant leaves either the old or the new version.
// A journal belongs to one chain, identified by its genesis hash and the deployment block's hash (a restarted devnet
// keeps its chain id and its deterministic addresses, so those cannot tell two chains apart): a journal of another
// chain is archived beside the file (never followed, never rebroadcast) and a fresh one started.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import { z } from "zod";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<Hex>;
const big = z.string().regex(/^\d+$/).transform(BigInt);

const entrySchema = z.object({
  key: z.string(),
  task: z.string(),
  nonce: z.number().int().nonnegative(),
  to: hex,
  data: hex,
  gas: big,
  /** The node's estimate the limit was derived from (the gas model's prediction before any receipt). */
  estimate: big.optional(),
  /** Every signed version (replacements share the nonce); the last is the current one. */
  hashes: z.array(hex).min(1),
  raw: hex,
  firstMaxFee: big,
  maxFee: big,
  tip: big,
  /** Block at which the current version was (re)broadcast. */
  sentBlock: big,
  mined: z.object({ block: big, blockHash: hex, hash: hex, success: z.boolean() }).optional(),
  /** What the job occupies while in flight ("account:<id>", "funding:<market>"): no second job takes it. */
  slots: z.array(z.string()).default([]),
});

/** What identifies the chain a journal belongs to. */
export type ChainIdentity = { chainId: number; genesisHash: Hex; deploymentBlockHash: Hex };

const fileSchema = z.object({
  version: z.literal(2),
  chainId: z.number(),
  genesisHash: hex,
  deploymentBlockHash: hex,
  signer: z.string(),
  pool: z.string(),
  entries: z.array(entrySchema),
  done: z.array(z.object({ key: z.string(), block: big })),
});

export type JournalEntry = z.output<typeof entrySchema>;
export type DoneRecord = { key: string; block: bigint };

const DONE_KEPT = 2_000;

/** Why an existing journal file was set aside instead of followed. */
export type Archived = { file: string; reason: string };

export class Journal {
  readonly entries = new Map<string, JournalEntry>();
  private done: DoneRecord[] = [];

  private constructor(
    readonly file: string | undefined,
    private chain: ChainIdentity,
    private readonly signer: Address,
    private readonly pool: Address,
  ) {}

  /**
   * Opens (or starts) the journal at `file`; undefined = in memory only (dry runs). A file written for another
   * chain (other genesis or deployment block), or by an older keeper that did not record the chain, is archived
   * and a fresh journal started: `archived` says where and why. A journal of another signer or pool is an error
   * (a configuration mistake, not a reset).
   */
  static open(
    file: string | undefined,
    chain: ChainIdentity,
    signer: Address,
    pool: Address,
  ): { journal: Journal; archived: Archived | undefined } {
    const j = new Journal(file, chain, signer, pool);
    if (!file) return { journal: j, archived: undefined };
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { journal: j, archived: undefined };
      throw err;
    }
    const raw = JSON.parse(text) as { version?: unknown; signer?: string; pool?: string };
    const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
    if (!same(raw.signer, signer) || !same(raw.pool, pool)) {
      throw new Error(
        `journal ${file} belongs to signer ${raw.signer} / pool ${raw.pool}, not ${signer} / ${pool} (--journal)`,
      );
    }
    if (raw.version !== 2) {
      return { journal: j, archived: j.archive(`journal version ${String(raw.version)} does not record the chain`) };
    }
    const parsed = fileSchema.parse(raw);
    const mismatch = differs(parsed, chain);
    if (mismatch) return { journal: j, archived: j.archive(mismatch) };
    for (const e of parsed.entries) j.entries.set(e.key, e);
    j.done = parsed.done;
    return { journal: j, archived: undefined };
  }

  /** The chain this journal follows. */
  get identity(): ChainIdentity {
    return this.chain;
  }

  /**
   * The chain was reset: the current file is archived, every entry and done key forgotten (none of them may be
   * followed or rebroadcast on the new chain), and the journal continues for `chain`.
   */
  resetTo(chain: ChainIdentity, reason: string): Archived | undefined {
    const archived = this.file && existsSync(this.file) ? this.archive(reason) : undefined;
    this.entries.clear();
    this.done = [];
    this.chain = chain;
    this.save();
    return archived;
  }

  private archive(reason: string): Archived | undefined {
    if (!this.file) return undefined;
    const to = `${this.file}.${new Date().toISOString().replace(/[:.]/g, "-")}.archived`;
    renameSync(this.file, to);
    return { file: to, reason };
  }

  isDone(key: string): boolean {
    return this.done.some((d) => d.key === key);
  }

  put(entry: JournalEntry): void {
    this.entries.set(entry.key, entry);
    this.save();
  }

  /**
   * The job finished (its transaction is final, or it needs no transaction any more). `save = false` leaves the
   * write to the caller's next save (a crash before it only makes a restart follow that final receipt again).
   */
  finish(key: string, block: bigint, save = true): void {
    this.entries.delete(key);
    this.done.push({ key, block });
    if (this.done.length > DONE_KEPT) this.done = this.done.slice(-DONE_KEPT);
    if (save) this.save();
  }

  /** Forgets an entry without marking its job done (never broadcast, or superseded: the job may run again). */
  remove(key: string): void {
    if (this.entries.delete(key)) this.save();
  }

  /** Forget done records above `block` (their transactions were orphaned by a reorg). */
  rollback(block: bigint): void {
    const before = this.done.length;
    this.done = this.done.filter((d) => d.block <= block);
    if (this.done.length !== before) this.save();
  }

  save(): void {
    if (!this.file) return;
    const json = JSON.stringify(
      {
        version: 2,
        chainId: this.chain.chainId,
        genesisHash: this.chain.genesisHash,
        deploymentBlockHash: this.chain.deploymentBlockHash,
        signer: this.signer,
        pool: this.pool,
        entries: [...this.entries.values()],
        done: this.done,
      },
      (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
      1,
    );
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, json);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}

/** Why `stored` is not `chain` (undefined when it is the same chain). */
export function differs(stored: ChainIdentity, chain: ChainIdentity): string | undefined {
  if (stored.chainId !== chain.chainId) return `chain id ${stored.chainId}, now ${chain.chainId}`;
  if (stored.genesisHash.toLowerCase() !== chain.genesisHash.toLowerCase())
    return `genesis ${stored.genesisHash}, now ${chain.genesisHash}`;
  if (stored.deploymentBlockHash.toLowerCase() !== chain.deploymentBlockHash.toLowerCase())
    return `deployment block ${stored.deploymentBlockHash}, now ${chain.deploymentBlockHash}`;
  return undefined;
}
