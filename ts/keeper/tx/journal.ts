// The send journal: every transaction the keeper signed and has not yet seen final, written to disk BEFORE it is
// broadcast (write-ahead), plus the keys of recently finished jobs. After a crash the keeper reads it back and
// follows those transactions instead of sending the same job again. One small JSON file, replaced atomically
// (write to a temp file, fsync, rename), so a kill at any instant leaves either the old or the new version.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
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

const fileSchema = z.object({
  version: z.literal(1),
  chainId: z.number(),
  signer: z.string(),
  pool: z.string(),
  entries: z.array(entrySchema),
  done: z.array(z.object({ key: z.string(), block: big })),
});

export type JournalEntry = z.output<typeof entrySchema>;
export type DoneRecord = { key: string; block: bigint };

const DONE_KEPT = 2_000;

export class Journal {
  readonly entries = new Map<string, JournalEntry>();
  private done: DoneRecord[] = [];

  private constructor(
    readonly file: string | undefined,
    private readonly chainId: number,
    private readonly signer: Address,
    private readonly pool: Address,
  ) {}

  /** Opens (or starts) the journal at `file`; undefined = in memory only (dry runs). */
  static open(file: string | undefined, chainId: number, signer: Address, pool: Address): Journal {
    const j = new Journal(file, chainId, signer, pool);
    if (!file) return j;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return j;
      throw err;
    }
    const parsed = fileSchema.parse(JSON.parse(text));
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    if (parsed.chainId !== chainId || !same(parsed.signer, signer) || !same(parsed.pool, pool)) {
      throw new Error(
        `journal ${file} belongs to chain ${parsed.chainId} / signer ${parsed.signer} / pool ${parsed.pool}, ` +
          `not ${chainId} / ${signer} / ${pool}`,
      );
    }
    for (const e of parsed.entries) j.entries.set(e.key, e);
    j.done = parsed.done;
    return j;
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
        version: 1,
        chainId: this.chainId,
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
