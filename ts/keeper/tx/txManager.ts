// The keeper's transactions: its own nonce, simulation before sending (a revert is decoded, not sent), EIP-1559
// fees under a cap, a write-ahead journal, receipts followed to finality (a reorged receipt puts the transaction
// back to pending), dropped transactions rebroadcast, stuck ones replaced with the same nonce at a higher fee
// (at most 2x the first), always after checking for a receipt. A job is prepared (simulated and estimated) on its
// own, so many jobs are prepared concurrently; sends (nonce, sign, journal, broadcast) are serialized, so the nonces
// of one tick are distinct and contiguous, and a send that never reached the node gives its nonce back. Nothing
// waits for a receipt before the next send: every transaction of a block goes out back to back.
import {
  type Address,
  type Chain,
  type Hex,
  keccak256,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import type { BlockInfo } from "../chain/blockTracker";
import type { Logger } from "../logger";
import type { KeeperMetrics } from "../metrics";
import type { Backoff } from "./backoff";
import { GasModel } from "./gasModel";
import type { Journal, JournalEntry } from "./journal";
import { classify, shortMessage } from "./outcome";

export type Job = {
  /** Dedupe key: a job with a key already done or in flight is never sent again. */
  key: string;
  task: string;
  to: Address;
  data: Hex;
  /** What the job occupies while in flight; a job whose slot is taken waits. */
  slots: string[];
  /** Given the simulation's return data: true when the call would change nothing (e.g. liquidated 0). */
  noop?: (returnData: Hex) => boolean;
  /** For calls that are "try when maybe due" (repeg, unwind): a revert means not due, not a failure. */
  revertMeansNotDue?: boolean;
  /**
   * Gas added to the limit for oracle reads the estimate may not have paid for (another transaction read the
   * oracle earlier in the estimate's block). Default: the pool's oracle headroom (every feed of every market);
   * 0 for calls that never read the oracle (premium) or whose estimate already pays for the read (a refresh).
   */
  gasHeadroom?: bigint;
  /** Least gas limit, whatever the estimate (a call whose contract checks gasleft() before an external read). */
  minGas?: bigint;
};

export type SubmitResult =
  | { kind: "sent"; hash: Hex; nonce: number }
  | { kind: "done"; reason: string }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; reason: string; transient: boolean }
  | { kind: "dry_run"; gas: bigint };

/** A job that simulated cleanly, with its gas limit (estimate + buffer + oracle headroom): ready to send. */
export type Prepared = { kind: "prepared"; job: Job; gas: bigint; estimate: bigint };

export type FinalReceipt = { entry: JournalEntry; receipt: TransactionReceipt };

export type TxManagerOptions = {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, PrivateKeyAccount> | undefined;
  /** The signer (or, for a dry run without a key, any address to simulate from). */
  from: Address;
  journal: Journal;
  backoff: Backoff;
  metrics: KeeperMetrics;
  log: Logger;
  dryRun: boolean;
  priorityFeeWei: bigint;
  maxFeePerGasWei: bigint;
  stuckBlocks: number;
  /** Blocks deep a receipt must be to count as final (the keeper lowers it to 1 on an automine devnet). */
  confirmations: number;
  gasBufferBps: number;
  /** Extra gas the oracle may need in the mined block that the estimate did not see. */
  gasHeadroom: bigint;
  /**
   * True while the node is still the chain our journal belongs to (genesis and deployment block unchanged). Asked
   * before anything already signed is broadcast again, so a transaction is never replayed onto a reset chain.
   */
  sameChain?: () => Promise<boolean>;
};

const BPS = 10_000n;
const REPLACEMENT_BUMP_BPS = 1_250n; // +12.5 % per replacement (nodes want >= 10 %)
const MAX_FEE_MULTIPLE = 2n; // never more than 2x the first maxFeePerGas

export class TxManager {
  private nextNonce: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Gas our mined transactions used against their limits (block packing). */
  readonly gasModel = new GasModel();

  constructor(private readonly o: TxManagerOptions) {}

  /** A receipt this many blocks deep is final. */
  set confirmations(n: number) {
    this.o.confirmations = n;
  }

  /**
   * The chain was reset: every transaction we followed belongs to the old chain (the journal has already been
   * archived and emptied), so nothing is rebroadcast and the nonce is the new chain's. Backoffs and the gas model
   * start over.
   */
  async reset(): Promise<void> {
    this.nextNonce = undefined;
    this.o.backoff.clearAll();
    this.gasModel.clear();
    await this.init();
  }

  /** Slots held by `task`'s sent, not yet mined transactions. */
  inFlightSlots(task: string): string[] {
    const out: string[] = [];
    for (const e of this.o.journal.entries.values()) if (e.task === task && !e.mined) out.push(...e.slots);
    return out;
  }

  /**
   * Loads the nonce from the node (pending count) and re-follows journaled sends. A crash between the journal
   * write and the broadcast leaves a signed transaction the node never saw: that same transaction (same hash,
   * same nonce) is broadcast again if it is next in line; one that would leave a gap is forgotten (not done).
   */
  async init(): Promise<void> {
    const pending = await this.o.publicClient.getTransactionCount({ address: this.o.from, blockTag: "pending" });
    let expected = pending;
    for (const e of [...this.o.journal.entries.values()].sort((a, b) => a.nonce - b.nonce)) {
      if (e.mined || e.nonce < pending) continue;
      const elog = this.o.log.child({ task: e.task, job: e.key, nonce: e.nonce });
      if (await this.known(e.hashes.at(-1) as Hex)) {
        expected = Math.max(expected, e.nonce + 1);
      } else if (e.nonce === expected) {
        await this.rebroadcast(e, elog);
        expected++;
      } else {
        elog.warn({ expected }, "journaled transaction would leave a nonce gap: forgotten");
        this.o.journal.remove(e.key);
      }
    }
    this.nextNonce = expected;
    if (this.o.journal.entries.size > 0) {
      this.o.log.info({ pending: this.o.journal.entries.size, nonce: expected }, "journal: following earlier sends");
    }
  }

  /** True when a journaled transaction holds `slot`. */
  slotTaken(slot: string): boolean {
    for (const e of this.o.journal.entries.values()) if (e.slots.includes(slot)) return true;
    return false;
  }

  /** Every slot a journaled transaction holds. */
  takenSlots(): Set<string> {
    const out = new Set<string>();
    for (const e of this.o.journal.entries.values()) for (const s of e.slots) out.add(s);
    return out;
  }

  get pendingCount(): number {
    return this.o.journal.entries.size;
  }

  /** Simulates `job`, then signs and broadcasts it (the send is serialized with every other send). */
  async submit(job: Job, head: BlockInfo): Promise<SubmitResult> {
    const p = await this.prepare(job);
    return p.kind === "prepared" ? this.send(p, head) : p;
  }

  /** Gas our sent, not yet mined transactions are expected to use (they go first in the next block). */
  inFlightGas(): bigint {
    let gas = 0n;
    for (const e of this.o.journal.entries.values()) {
      if (!e.mined) gas += this.gasModel.predictUsed(e.task, e.gas, e.estimate ?? e.gas);
    }
    return gas;
  }

  /** The gas limit a job with this estimate is sent with: the buffer, plus the oracle's headroom (or the job's). */
  gasLimitFor(estimate: bigint, headroom: bigint = this.o.gasHeadroom): bigint {
    return (estimate * (BPS + BigInt(this.o.gasBufferBps))) / BPS + headroom;
  }

  /**
   * Simulates and estimates `job` (the two calls run together; nothing is signed): a revert is decoded and never
   * sent; "done" outcomes (healthy, nothing to liquidate, not due, a zero result) need no transaction. Any number of
   * jobs may be prepared at once.
   */
  async prepare(job: Job): Promise<Prepared | SubmitResult> {
    const { backoff, metrics, log } = this.o;
    const early = this.blockedReason(job);
    if (early) return { kind: "skipped", reason: early };
    const jlog = log.child({ task: job.task, job: job.key });
    const req = { account: this.o.from, to: job.to, data: job.data } as const;
    const [sim, est] = await Promise.allSettled([this.o.publicClient.call(req), this.o.publicClient.estimateGas(req)]);
    try {
      if (sim.status === "rejected") throw sim.reason;
      if (job.noop?.(sim.value.data ?? "0x")) {
        backoff.clear(job.key);
        metrics.countTx(job.task, "skipped_done");
        return { kind: "done", reason: "simulation: nothing to do" };
      }
      if (est.status === "rejected") throw est.reason;
      const limit = this.gasLimitFor(est.value, job.gasHeadroom);
      const gas = job.minGas !== undefined && job.minGas > limit ? job.minGas : limit;
      return { kind: "prepared", job, gas, estimate: est.value };
    } catch (err) {
      const c = classify(err);
      if (c.kind === "done") {
        backoff.clear(job.key);
        metrics.countTx(job.task, "skipped_done");
        jlog.debug({ reason: c.reason }, "done before sending");
        return { kind: "done", reason: c.reason };
      }
      if (c.kind === "revert" && job.revertMeansNotDue) {
        jlog.debug({ reason: c.message }, "not due");
        return { kind: "skipped", reason: `not due: ${c.message}` };
      }
      const delay = backoff.fail(job.key);
      metrics.countTx(job.task, "failed");
      jlog.warn({ reason: c.message, kind: c.kind, backoffMs: delay }, "simulation failed: not sent");
      return { kind: "failed", reason: c.message, transient: c.kind === "transient" };
    }
  }

  private blockedReason(job: Job): string | undefined {
    if (this.o.journal.isDone(job.key) || this.o.journal.entries.has(job.key)) return "already sent";
    if (job.slots.some((s) => this.slotTaken(s))) return "slot in flight";
    if (this.o.backoff.blocked(job.key)) return "backing off";
    return undefined;
  }

  /** Signs `p` with the next nonce, journals it, broadcasts it; serialized with every other send. */
  send(p: Prepared, head: BlockInfo): Promise<SubmitResult> {
    const run = this.queue.then(() => this.sendNow(p, head));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(p: Prepared, head: BlockInfo): Promise<SubmitResult> {
    const { journal, backoff, metrics, log } = this.o;
    const { job, gas } = p;
    // Prepared concurrently: another send of this tick may have taken the job or one of its slots meanwhile.
    const early = this.blockedReason(job);
    if (early) return { kind: "skipped", reason: early };
    const jlog = log.child({ task: job.task, job: job.key });
    if (this.o.dryRun || !this.o.walletClient) {
      metrics.countTx(job.task, "dry_run");
      jlog.info({ to: job.to, gas }, "dry run: would send");
      return { kind: "dry_run", gas };
    }

    // Sign with our nonce, journal, broadcast.
    const nonce = this.takeNonce();
    const tip = this.o.priorityFeeWei;
    const maxFee = min(head.baseFeePerGas * 2n + tip, this.o.maxFeePerGasWei);
    const raw = await this.sign(job.to, job.data, gas, nonce, maxFee, min(tip, maxFee));
    const hash = keccak256(raw);
    const entry: JournalEntry = {
      key: job.key,
      task: job.task,
      nonce,
      to: job.to,
      data: job.data,
      gas,
      estimate: p.estimate,
      hashes: [hash],
      raw,
      firstMaxFee: maxFee,
      maxFee,
      tip: min(tip, maxFee),
      sentBlock: head.number,
      slots: job.slots,
    };
    journal.put(entry);
    const sent = await this.broadcast(raw, hash);
    if (!sent.ok) {
      journal.remove(job.key);
      this.giveBack(nonce, sent.nonceTooLow);
      if (sent.nonceTooLow) await this.resyncNonce();
      const delay = backoff.fail(job.key);
      metrics.countTx(job.task, "failed");
      jlog.warn({ reason: sent.reason, nonce, backoffMs: delay }, "send failed: nonce given back");
      return { kind: "failed", reason: sent.reason, transient: true };
    }
    backoff.clear(job.key);
    jlog.info({ hash, nonce, gas, maxFee }, "sent");
    return { kind: "sent", hash, nonce };
  }

  private takeNonce(): number {
    if (this.nextNonce === undefined) throw new Error("TxManager.init() was not called");
    return this.nextNonce++;
  }

  /** A send that never reached the node frees its nonce (sends are serialized: it is the last one taken). */
  private giveBack(nonce: number, _nonceTooLow: boolean): void {
    if (this.nextNonce === nonce + 1) this.nextNonce = nonce;
  }

  private async resyncNonce(): Promise<void> {
    try {
      const pending = await this.o.publicClient.getTransactionCount({ address: this.o.from, blockTag: "pending" });
      let next = pending;
      for (const e of this.o.journal.entries.values()) next = Math.max(next, e.nonce + 1);
      this.nextNonce = next;
    } catch {
      // Keep the local nonce; the next failure resyncs again.
    }
  }

  private sign(to: Address, data: Hex, gas: bigint, nonce: number, maxFee: bigint, tip: bigint): Promise<Hex> {
    const w = this.o.walletClient;
    if (!w) throw new Error("no signer");
    return w.signTransaction({
      account: w.account,
      chain: w.chain,
      to,
      data,
      gas,
      nonce,
      maxFeePerGas: maxFee,
      maxPriorityFeePerGas: tip,
      value: 0n,
      type: "eip1559",
    });
  }

  /** Broadcasts; when the reply is lost or an error, asks the node whether it has the transaction anyway. */
  private async broadcast(
    raw: Hex,
    hash: Hex,
  ): Promise<{ ok: true } | { ok: false; reason: string; nonceTooLow: boolean }> {
    try {
      await this.o.publicClient.sendRawTransaction({ serializedTransaction: raw });
      return { ok: true };
    } catch (err) {
      const reason = shortMessage(err);
      if (/already known|already imported|known transaction/i.test(reason)) return { ok: true };
      if (await this.known(hash)) return { ok: true };
      return { ok: false, reason, nonceTooLow: /nonce too low|nonce.*(lower|too small)/i.test(reason) };
    }
  }

  private async known(hash: Hex): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const tx = await this.o.publicClient.getTransaction({ hash }).catch((e: unknown) => {
          if (/not (be )?found/i.test(shortMessage(e))) return null;
          throw e;
        });
        return tx !== null;
      } catch {
        // transient: ask again
      }
    }
    return false;
  }

  private async receipt(hash: Hex): Promise<TransactionReceipt | undefined> {
    try {
      return await this.o.publicClient.getTransactionReceipt({ hash });
    } catch (err) {
      if (/not (be )?found|could not be found/i.test(shortMessage(err))) return undefined;
      throw err;
    }
  }

  /**
   * Follows every journaled transaction at `head`: receipts (to finality), reorgs, drops and stuck sends.
   * Returns the transactions that became final in this call.
   */
  async poll(head: BlockInfo): Promise<FinalReceipt[]> {
    const { journal, metrics, log } = this.o;
    const final: FinalReceipt[] = [];
    if (journal.entries.size === 0) return final;
    let latestNonce: number | undefined;
    const chainNonce = async () => {
      latestNonce ??= await this.o.publicClient.getTransactionCount({ address: this.o.from, blockTag: "latest" });
      return latestNonce;
    };
    let same: Promise<boolean> | undefined;
    const sameChain = () => {
      same ??= this.o.sameChain ? this.o.sameChain() : Promise.resolve(true);
      return same;
    };
    const entries = [...journal.entries.values()].sort((a, b) => a.nonce - b.nonce);
    // Receipts of every entry at once (a block of ours is tens of transactions), newest version first.
    const receipts = await Promise.all(
      entries.map(async (entry) => {
        for (const h of [...entry.hashes].reverse()) {
          const r = await this.receipt(h);
          if (r) return r;
        }
        return undefined;
      }),
    );
    let changed = false;
    for (const [i, entry] of entries.entries()) {
      const elog = log.child({ task: entry.task, job: entry.key, nonce: entry.nonce });
      const found = receipts[i];
      if (found) {
        if (!entry.mined || entry.mined.blockHash !== found.blockHash) {
          entry.mined = {
            block: found.blockNumber,
            blockHash: found.blockHash,
            hash: found.transactionHash,
            success: found.status === "success",
          };
          this.gasModel.observe(entry.task, found.blockNumber, entry.estimate ?? entry.gas, found.gasUsed);
          changed = true;
        }
        if (head.number - found.blockNumber + 1n >= BigInt(this.o.confirmations)) {
          const outcome = found.status === "success" ? "mined" : "reverted";
          metrics.countTx(entry.task, outcome);
          if (entry.hashes.length > 1) metrics.countTx(entry.task, "replaced");
          elog.info({ hash: found.transactionHash, block: found.blockNumber, outcome }, "final");
          journal.finish(entry.key, found.blockNumber, false);
          changed = true;
          final.push({ entry, receipt: found });
        }
        continue;
      }
      if (entry.mined) {
        // Its block was orphaned: back to pending until it sticks again.
        elog.warn({ block: entry.mined.block }, "receipt gone (reorg): following again");
        entry.mined = undefined;
        entry.sentBlock = head.number;
        journal.save();
        if (!(await sameChain())) break;
        if (!(await this.known(entry.hashes.at(-1) as Hex))) await this.rebroadcast(entry, elog);
        continue;
      }
      if ((await chainNonce()) > entry.nonce) {
        // The nonce was used, but by none of our versions (or their receipts are not served yet): ask once more.
        const again = await this.receipt(entry.hashes.at(-1) as Hex);
        if (again) continue;
        metrics.countTx(entry.task, "dropped");
        elog.warn("nonce consumed by another transaction: dropping the job (it may run again)");
        journal.remove(entry.key);
        continue;
      }
      const age = head.number - entry.sentBlock;
      if (age < 1n) continue;
      // A block passed without it. Dropped by the node (evicted, or skipped when a block had no room for it and
      // what followed it was invalid): the same transaction again at once, unless it is priced under the base fee
      // (then a node may drop it again at once): that is a stuck send, replaced at a higher fee.
      if (entry.maxFee >= head.baseFeePerGas && !(await this.known(entry.hashes.at(-1) as Hex))) {
        // Missing from the node: dropped, or the node is another chain now (a reset). Never replay it there.
        if (!(await sameChain())) break;
        await this.rebroadcast(entry, elog);
        continue;
      }
      if (age < BigInt(this.o.stuckBlocks)) continue;
      if (!(await sameChain())) break;
      await this.replace(entry, head, elog);
    }
    if (changed) journal.save();
    // Everything we sent is final: the node's count must be ours. Asked once per drained burst; a disagreement
    // (another sender with our key, a chain that moved under us) is resynced from the node and said once.
    if (journal.entries.size === 0 && entries.length > 0) await this.checkNonce();
    return final;
  }

  /** Compares our next nonce with the node's pending count; on a difference, the node's wins. */
  private async checkNonce(): Promise<void> {
    try {
      const pending = await this.o.publicClient.getTransactionCount({ address: this.o.from, blockTag: "pending" });
      if (this.o.journal.entries.size > 0 || pending === this.nextNonce) return;
      this.o.log.warn({ ours: this.nextNonce, node: pending }, "nonce differs from the node's: resynced");
      this.nextNonce = pending;
    } catch {
      // Asked again after the next burst.
    }
  }

  private async rebroadcast(entry: JournalEntry, elog: Logger): Promise<void> {
    const res = await this.broadcast(entry.raw, entry.hashes.at(-1) as Hex);
    elog.warn({ ok: res.ok, hash: entry.hashes.at(-1) }, "transaction dropped by the node: rebroadcast");
  }

  /** Same nonce, fees bumped 12.5 % (at least 2x base + tip), never above 2x the first maxFee or the cap. */
  private async replace(entry: JournalEntry, head: BlockInfo, elog: Logger): Promise<void> {
    // Checked just before: no receipt for any version. Re-check the newest right now (it may have just mined).
    if (await this.receipt(entry.hashes.at(-1) as Hex)) return;
    const cap = min(entry.firstMaxFee * MAX_FEE_MULTIPLE, this.o.maxFeePerGasWei);
    const bump = (x: bigint) => (x * (BPS + REPLACEMENT_BUMP_BPS)) / BPS + 1n;
    const maxFee = min(max(bump(entry.maxFee), head.baseFeePerGas * 2n + bump(entry.tip)), cap);
    const tip = min(bump(entry.tip), maxFee);
    if (maxFee < bump(entry.maxFee) || tip <= entry.tip) {
      elog.warn({ maxFee: entry.maxFee, cap }, "stuck at the fee cap (2x the first): waiting");
      entry.sentBlock = head.number;
      return;
    }
    const raw = await this.sign(entry.to, entry.data, entry.gas, entry.nonce, maxFee, tip);
    const hash = keccak256(raw);
    const prev = { ...entry };
    entry.hashes = [...entry.hashes, hash];
    entry.raw = raw;
    entry.maxFee = maxFee;
    entry.tip = tip;
    entry.sentBlock = head.number;
    this.o.journal.save();
    const res = await this.broadcast(raw, hash);
    if (!res.ok) {
      // Not accepted (underpriced, or the old version mined meanwhile): keep following the previous version.
      Object.assign(entry, { hashes: prev.hashes, raw: prev.raw, maxFee: prev.maxFee, tip: prev.tip });
      this.o.journal.save();
      elog.warn({ reason: res.reason }, "replacement refused");
      return;
    }
    elog.warn({ hash, maxFee, tip, version: entry.hashes.length }, "stuck: replaced with the same nonce");
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
