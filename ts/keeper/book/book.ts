// The book: every account of this keeper's shard, discovered from pool events, with its last read raw state.
// An event naming an account marks it dirty; the next block's snapshot re-reads exactly the dirty accounts.
// Every block, the whole shard is evaluated locally and ranked worst first: a float prefilter (prefilter.ts) clears
// the accounts that are clearly healthy, and the exact bigint health (localHealth) decides every other one, so the
// keeper only ever acts on an exact verdict.
import type { Address, Hex } from "viem";
import type { RiskGrid } from "../../pool/math/portfolioMath";
import type { Account, Position } from "../../pool/types";
import type { Shard } from "../config";
import { accountId, inShard } from "./accountId";
import { type LocalHealth, localHealth, type MarketPricing } from "./localHealth";
import { accountFeatures, classify, HEALTHY, prepareFloatMarkets } from "./prefilter";

export type BookEntry = {
  id: Hex;
  owner: Address;
  subId: bigint;
  account: Account | undefined;
  positions: Map<number, Position>;
  /** The account's state as floats for the prefilter (prefilter.ts `accountFeatures`), made when it is read. */
  features: Float64Array | undefined;
  /** Needs a re-read (an event named it, or a reorg may have undone what we read). */
  dirty: boolean;
  lastEventBlock: bigint;
  /**
   * First head (block, chain time) at which the keeper saw this account liquidatable, and the wall time (ms) it
   * did; cleared when healthy.
   */
  liquidatableSince: LiquidatableSince | undefined;
};

export type LiquidatableSince = { block: bigint; timestamp: bigint; seenAt: number };

export type Candidate = { entry: BookEntry; health: LocalHealth; shortfall: bigint };

export type Evaluation = {
  evaluated: number;
  /** Accounts the float prefilter could not clear as healthy, evaluated exactly (bigint). */
  exact: number;
  /** Liquidatable accounts, worst (largest maintenance shortfall) first. */
  candidates: Candidate[];
  seconds: number;
};

export class Book {
  private readonly entries = new Map<Hex, BookEntry>();
  /** The pool's risk engine grid at the evaluated block (null: none, every market additive); set per snapshot. */
  riskEngine: RiskGrid | null = null;

  constructor(private readonly shard: Shard) {}

  get size(): number {
    return this.entries.size;
  }

  all(): IterableIterator<BookEntry> {
    return this.entries.values();
  }

  get(id: Hex): BookEntry | undefined {
    return this.entries.get(id);
  }

  /** Records that an event at `blockNumber` named (owner, subId); ignores accounts of other shards. */
  touch(owner: Address, subId: bigint, blockNumber: bigint): void {
    const id = accountId(owner, subId);
    let e = this.entries.get(id);
    if (!e) {
      if (!inShard(id, this.shard)) return;
      e = {
        id,
        owner,
        subId,
        account: undefined,
        positions: new Map(),
        features: undefined,
        dirty: true,
        lastEventBlock: blockNumber,
        liquidatableSince: undefined,
      };
      this.entries.set(id, e);
    }
    e.dirty = true;
    if (blockNumber > e.lastEventBlock) e.lastEventBlock = blockNumber;
  }

  /** After a reorg down to `ancestor`: everything an orphaned block told us must be read again. */
  rollback(ancestor: bigint): void {
    for (const e of this.entries.values()) if (e.lastEventBlock > ancestor) e.dirty = true;
  }

  markAllDirty(): void {
    for (const e of this.entries.values()) e.dirty = true;
  }

  dirty(): BookEntry[] {
    return [...this.entries.values()].filter((e) => e.dirty);
  }

  apply(id: Hex, account: Account, positions: Map<number, Position>): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.account = account;
    e.positions = positions;
    e.features = accountFeatures(account, positions);
    e.dirty = false;
  }

  /**
   * Values every read account at `pricing` (one block's markets), updating `liquidatableSince`: the prefilter's
   * clearly healthy accounts are done; every other one (near the boundary or clearly liquidatable) is valued exactly,
   * and only an exact liquidatable verdict makes a candidate.
   */
  evaluate(
    pricing: readonly MarketPricing[],
    head: { number: bigint; timestamp: bigint },
    now: number = Date.now(),
  ): Evaluation {
    const t0 = performance.now();
    const candidates: Candidate[] = [];
    let evaluated = 0;
    let exact = 0;
    const floats = prepareFloatMarkets(pricing, this.riskEngine);
    for (const e of this.entries.values()) {
      if (!e.account) continue;
      evaluated++;
      if (classify(e.features, floats) === HEALTHY) {
        e.liquidatableSince = undefined;
        continue;
      }
      exact++;
      const health = localHealth(e.account, e.positions, pricing, this.riskEngine);
      if (health.liquidatable) {
        e.liquidatableSince ??= { block: head.number, timestamp: head.timestamp, seenAt: now };
        candidates.push({ entry: e, health, shortfall: health.maintenanceRequirement - health.value });
      } else {
        e.liquidatableSince = undefined;
      }
    }
    candidates.sort((a, b) => (a.shortfall > b.shortfall ? -1 : a.shortfall < b.shortfall ? 1 : 0));
    return { evaluated, exact, candidates, seconds: (performance.now() - t0) / 1000 };
  }

  /** Health of one read entry at `pricing` (what `evaluate` computes for every entry). */
  healthOf(e: BookEntry, pricing: readonly MarketPricing[]): LocalHealth {
    if (!e.account) throw new Error(`account ${e.id} not read yet`);
    return localHealth(e.account, e.positions, pricing, this.riskEngine);
  }

  /** The liquidatable account that has waited longest, as (block, chain time, wall time) first seen. */
  oldestLiquidatable(): LiquidatableSince | undefined {
    let oldest: LiquidatableSince | undefined;
    for (const e of this.entries.values()) {
      const s = e.liquidatableSince;
      if (s && (!oldest || s.block < oldest.block)) oldest = s;
    }
    return oldest;
  }
}
