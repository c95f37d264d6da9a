// The one interface every keeper task implements. The loop calls `tick` once per new head, in a fixed order,
// with everything read for that head; a task only decides which jobs are due and submits them.
import type { Address } from "viem";
import type { Book, Candidate } from "../book/book";
import type { BlockInfo } from "../chain/blockTracker";
import type { Snapshot } from "../chain/snapshot";
import type { KeeperConfig } from "../config";
import type { Logger } from "../logger";
import type { Job, Prepared, SubmitResult } from "../tx/txManager";

export type TaskHealth = { ok: boolean; detail?: string };

export type TickContext = {
  head: BlockInfo;
  snapshot: Snapshot;
  book: Book;
  /** Liquidatable accounts of the shard, confirmed on chain (one accountHealths call), worst first. */
  candidates: Candidate[];
  addresses: { pool: Address; lens: Address; oracle: Address };
  config: KeeperConfig;
  /** Block and chain time of the last PremiumDistributed event (the premium schedule), if any. */
  lastPremium: { block: bigint; timestamp: bigint } | undefined;
  /** Markets whose oracle a liquidation of ours (sent earlier in this tick, or sent and not yet mined) refreshes. */
  refreshedMarkets: Set<bigint>;
  submit(job: Job): Promise<SubmitResult>;
  /** Simulates and estimates a job without sending it (any number at once); `send` then signs and broadcasts. */
  prepare(job: Job): Promise<Prepared | SubmitResult>;
  send(prepared: Prepared): Promise<SubmitResult>;
  /** Gas a transaction of `task` with this limit and estimate is expected to use once mined (our receipts). */
  predictUsed(task: string, limit: bigint, estimate: bigint): bigint;
  /**
   * Gas a full oracle read of `marketId` may need beyond an estimate that took the oracle's cached path (its feeds
   * x the router's MIN_GAS_PER_FEED): the headroom of a call that refreshes that market alone.
   */
  oracleHeadroom(marketId: bigint): bigint;
  /** The gas limit a job with this estimate is sent with (buffer + oracle headroom). */
  gasLimitFor(estimate: bigint): bigint;
  /** Slots (e.g. "account:<id>") our unfinished transactions hold now. */
  takenSlots(): Set<string>;
  /** Gas our sent, not yet mined transactions are expected to take from the next block. */
  inFlightGas(): bigint;
  log: Logger;
};

export interface KeeperTask {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  health(): TaskHealth;
  tick(ctx: TickContext): Promise<void>;
}

/** Base with the bookkeeping every task shares: last tick, last error. */
export abstract class BaseTask implements KeeperTask {
  abstract readonly name: string;
  protected lastError: string | undefined;
  protected running = false;

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  health(): TaskHealth {
    return this.lastError ? { ok: true, detail: `last error: ${this.lastError}` } : { ok: true };
  }

  async tick(ctx: TickContext): Promise<void> {
    if (!this.running) return;
    try {
      await this.run(ctx);
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message.split("\n")[0] : String(err);
      ctx.log.warn({ task: this.name, err }, "task tick failed");
    }
  }

  protected abstract run(ctx: TickContext): Promise<void>;
}
