// The keeper: index-then-act, once per new head.
//   1. head + reorg check (hashes of the last N blocks; on a mismatch roll back to the common ancestor)
//   2. pool logs since the last processed block (chunked backfill on start): accounts that changed
//   3. ONE batched read at the head: every market + the changed accounts (ts/keeper/chain/snapshot.ts)
//   4. every account of the shard valued locally (SDK math); the liquidatable ones re-checked in ONE
//      PerpLens.accountHealths call
//   5. follow our transactions (receipts, finality, reorgs, drops, stuck), then the tasks act
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Address, type Chain, type Hex, type PublicClient, parseEventLogs, type Transport } from "viem";
import { perpLensAbi, perpPoolAbi } from "../abi/generated";
import { oracleGasHeadroom } from "../chain/oracleGas";
import { type Deployment, parseDeployment } from "../deploy/deployment";
import { Book, type Candidate } from "./book/book";
import type { MarketPricing } from "./book/localHealth";
import { type BlockInfo, BlockTracker, getBlockInfo } from "./chain/blockTracker";
import { hasCode, MULTICALL3_ADDRESS } from "./chain/multicall3";
import { fetchPoolLogs, indexLogs } from "./chain/poolEvents";
import { readSnapshot, type Snapshot } from "./chain/snapshot";
import type { KeeperConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { KeeperMetrics } from "./metrics";
import { createKeeperClients, type KeeperClients } from "./rpc";
import { FundingTask } from "./tasks/fundingTask";
import { InventorySaleTask } from "./tasks/inventorySaleTask";
import { LiquidationTask } from "./tasks/liquidationTask";
import { OracleTask } from "./tasks/oracleTask";
import { PremiumTask } from "./tasks/premiumTask";
import { RepegTask } from "./tasks/repegTask";
import type { KeeperTask, TickContext } from "./tasks/task";
import { Backoff } from "./tx/backoff";
import { Journal } from "./tx/journal";
import { shortMessage } from "./tx/outcome";
import { TxManager } from "./tx/txManager";

/** What one tick saw and did (returned to tests, the benchmark and `once`). */
export type TickReport = {
  head: bigint;
  reorg: { ancestor: bigint | undefined } | undefined;
  logs: number;
  accountsRead: number;
  evaluated: number;
  evalSeconds: number;
  candidates: number;
  confirmed: number;
  acted: boolean;
  stale: boolean;
};

export type KeeperOptions = {
  /** Parsed deployment; default: read `config.deployment`. */
  deployment?: Deployment;
  logger?: Logger;
  /** Wall clock (ms), for tests of the health signals. */
  now?: () => number;
};

/** Accounts per accountHealths eth_call when re-checking candidates. */
const CONFIRM_CHUNK = 250;

/** Address used to simulate from in a dry run without a key (no funds needed for eth_call). */
const DRY_RUN_FROM: Address = "0x000000000000000000000000000000000000dEaD";

export class Keeper {
  readonly config: KeeperConfig;
  readonly deployment: Deployment;
  readonly metrics = new KeeperMetrics();
  readonly log: Logger;
  readonly clients: KeeperClients;
  readonly book: Book;
  readonly tracker: BlockTracker;
  readonly tasks: KeeperTask[];
  tx!: TxManager;
  private journal!: Journal;
  private processed: bigint;
  private marketCount: bigint;
  private premiumEvents: bigint[] = [];
  private lastPremium: { block: bigint; timestamp: bigint } | undefined;
  private readonly now: () => number;
  /** Multicall3 in use (undefined: deployless fallback). */
  multicall: Address | undefined;
  /** Wall time of the last completed loop iteration and of the last new head. */
  lastIterationAt: number;
  lastHeadAt: number;
  lastHead: BlockInfo | undefined;
  lastBalance: bigint | undefined;
  lastReport: TickReport | undefined;
  /** The markets as the last tick priced them (index, halted, accrued funding indices). */
  lastPricing: MarketPricing[] = [];
  private stopping = false;
  /** The last tick left due work undone (a send or simulation failed, or liquidatable accounts remain). */
  private workLeft = false;
  private loopDone: Promise<void> | undefined;

  constructor(config: KeeperConfig, options: KeeperOptions = {}) {
    this.config = config;
    this.deployment = options.deployment ?? parseDeployment(readFileSync(config.deployment, "utf8"));
    this.log = options.logger ?? createLogger({ level: config.logLevel });
    this.now = options.now ?? Date.now;
    this.lastIterationAt = this.now();
    this.lastHeadAt = this.now();
    this.clients = createKeeperClients({
      rpcUrl: config.rpcUrl,
      chainId: this.deployment.chainId,
      privateKey: config.privateKey,
      timeoutMs: config.rpcTimeoutMs,
      retries: config.rpcRetries,
      onRpcError: (method, err) => {
        this.metrics.rpcErrors.inc();
        this.log.debug({ method, reason: shortMessage(err) }, "rpc error");
      },
    });
    this.book = new Book(config.shard);
    this.tracker = new BlockTracker(config.reorgWindow);
    this.processed = this.deployment.startBlock - 1n;
    this.marketCount = BigInt(this.deployment.markets.length);
    this.tasks = [
      // Liquidations first: they refresh the oracle of every market they touch, in the first block after a shock.
      new LiquidationTask(),
      new OracleTask(),
      new FundingTask(),
      new PremiumTask(),
      new RepegTask(),
      new InventorySaleTask(this.clients.publicClient),
    ].filter((t) => config.tasks[t.name as keyof KeeperConfig["tasks"]]);
  }

  get addresses() {
    const c = this.deployment.contracts;
    return { pool: c.pool, lens: c.lens, oracle: c.oracle };
  }

  get signer(): Address | undefined {
    return this.clients.account?.address;
  }

  private get client(): PublicClient<Transport, Chain> {
    return this.clients.publicClient;
  }

  /** Opens the journal, syncs the nonce, starts the tasks. */
  async init(): Promise<void> {
    const from = this.signer ?? DRY_RUN_FROM;
    const journalPath = this.config.dryRun
      ? undefined
      : (this.config.journalPath ??
        path.join(".keeper", `journal-${this.deployment.chainId}-${this.addresses.pool}-${from}.json`.toLowerCase()));
    this.journal = Journal.open(journalPath, this.deployment.chainId, from, this.addresses.pool);
    this.tx = new TxManager({
      publicClient: this.client,
      walletClient: this.config.dryRun ? undefined : this.clients.walletClient,
      from,
      journal: this.journal,
      backoff: new Backoff(this.config.backoffBaseMs, this.config.backoffMaxMs, this.now),
      metrics: this.metrics,
      log: this.log,
      dryRun: this.config.dryRun,
      priorityFeeWei: this.config.priorityFeeWei,
      maxFeePerGasWei: this.config.maxFeePerGasWei,
      stuckBlocks: this.config.stuckBlocks,
      confirmations: this.config.confirmations,
      gasBufferBps: this.config.gasBufferBps,
      gasHeadroom: await oracleGasHeadroom(this.client, this.addresses.pool),
    });
    await this.tx.init();
    const mc = this.config.multicallAddress ?? MULTICALL3_ADDRESS;
    this.multicall = (await hasCode(this.client, mc)) ? mc : undefined;
    if (!this.multicall)
      this.log.warn({ address: mc }, "no Multicall3 on this chain: deployless reads, ~100 calls each");
    for (const t of this.tasks) await t.start();
    this.log.info(
      { signer: this.signer ?? "(dry run)", shard: this.config.shard, tasks: this.tasks.map((t) => t.name) },
      "keeper started",
    );
  }

  /** One pass at the current head. Throws on RPC failure (the loop logs it and goes on). */
  async tick(): Promise<TickReport> {
    const t0 = performance.now();
    const head = await getBlockInfo(this.client, "latest");
    if (!head) throw new Error("node returned no latest block");
    this.metrics.headLag.set(Number(head.number - this.processed));
    if (this.lastHead === undefined || head.number !== this.lastHead.number || head.hash !== this.lastHead.hash) {
      this.lastHeadAt = this.now();
    }
    const reorg = await this.checkReorg(head);

    // 2. Logs since the last processed block.
    const logs =
      head.number > this.processed
        ? await fetchPoolLogs(
            this.client,
            this.addresses.pool,
            this.processed + 1n,
            head.number,
            this.config.logChunkBlocks,
          )
        : [];
    const indexed = indexLogs(logs);
    for (const t of indexed.touches) this.book.touch(t.owner, t.subId, t.blockNumber);
    if (indexed.premiumDistributions.length > 0) {
      this.premiumEvents.push(...indexed.premiumDistributions);
      const block = this.premiumEvents.at(-1) as bigint;
      const b = await getBlockInfo(this.client, block);
      this.lastPremium = b ? { block, timestamp: b.timestamp } : this.lastPremium;
    }

    // 3. One batched read: markets + changed accounts.
    const dirty = this.book.dirty();
    const snapshot = await readSnapshot(this.client, this.addresses, head, this.marketCount, dirty, this.multicall);
    this.marketCount = snapshot.marketCount;
    for (const a of snapshot.accounts) this.book.apply(a.id, a.account, a.positions);

    // 4. Local evaluation of the whole shard; on-chain re-check of the candidates only.
    this.lastPricing = snapshot.markets.map((m) => m.pricing);
    const evaluation = this.book.evaluate(this.lastPricing, head);
    const confirmed = await this.confirm(evaluation.candidates, head);
    this.updateBookMetrics(head);

    // 5. Our transactions, then the tasks.
    const finals = await this.tx.poll(head);
    for (const f of finals) this.countLiquidations(f.receipt.logs);
    const stale = this.isHeadStale();
    if (!stale) await this.act(head, snapshot, confirmed);
    else this.log.warn({ head: head.number }, "head is stale: not acting on a frozen view");

    await this.updateBalance(head);
    this.tracker.record(head);
    this.processed = head.number;
    this.lastHead = head;
    this.metrics.headLag.set(0);
    this.metrics.loopSeconds.observe((performance.now() - t0) / 1000);
    const report: TickReport = {
      head: head.number,
      reorg,
      logs: logs.length,
      accountsRead: dirty.length,
      evaluated: evaluation.evaluated,
      evalSeconds: evaluation.seconds,
      candidates: evaluation.candidates.length,
      confirmed: confirmed.length,
      acted: !stale,
      stale,
    };
    this.lastReport = report;
    return report;
  }

  /** Detects a reorg against the recorded hashes; rolls the index back to the common ancestor. */
  private async checkReorg(head: BlockInfo): Promise<TickReport["reorg"]> {
    let conflict = this.tracker.conflicts(head);
    const last = this.lastHead;
    if (!conflict && last && head.number > last.number + 1n) {
      // Blocks were skipped: the parent check cannot see a reorg below the head, so check our last head.
      const canonical = await getBlockInfo(this.client, last.number);
      conflict = canonical?.hash !== last.hash;
    }
    if (!conflict) return undefined;
    const from = (this.tracker.top() ?? head.number) < head.number ? (this.tracker.top() as bigint) : head.number - 1n;
    const ancestor = await this.tracker.commonAncestor(this.client, from);
    const rollbackTo = ancestor ?? this.deployment.startBlock - 1n;
    this.log.warn({ head: head.number, ancestor: ancestor ?? "(beyond window: full re-index)" }, "reorg");
    this.tracker.truncate(rollbackTo);
    if (ancestor === undefined) this.book.markAllDirty();
    else this.book.rollback(ancestor);
    this.journal.rollback(rollbackTo);
    this.premiumEvents = this.premiumEvents.filter((b) => b <= rollbackTo);
    if (this.lastPremium && this.lastPremium.block > rollbackTo) this.lastPremium = undefined;
    this.processed = rollbackTo;
    this.lastHead = undefined;
    return { ancestor };
  }

  /** The locally liquidatable accounts, re-checked on chain in one accountHealths call. */
  private async confirm(candidates: Candidate[], head: BlockInfo): Promise<Candidate[]> {
    if (candidates.length === 0) return [];
    // Chunks bound the gas of one eth_call (a node caps it; ~40k per account); they go out together.
    const chunks: Candidate[][] = [];
    for (let i = 0; i < candidates.length; i += CONFIRM_CHUNK) chunks.push(candidates.slice(i, i + CONFIRM_CHUNK));
    const results = await Promise.all(
      chunks.map((chunk) =>
        this.client.readContract({
          address: this.addresses.lens,
          abi: perpLensAbi,
          functionName: "accountHealths",
          args: [chunk.map((c) => c.entry.owner), chunk.map((c) => c.entry.subId)],
          blockNumber: head.number,
        }),
      ),
    );
    const healths = results.flat();
    return candidates.filter((c, i) => {
      const h = healths[i];
      if (h && h.value !== c.health.value) {
        // The local math and the lens disagree: the chain wins, and the account is re-read next block.
        this.log.warn({ account: c.entry.id, local: c.health.value, chain: h.value }, "local health differs");
        c.entry.dirty = true;
      }
      return h?.liquidatable === true;
    });
  }

  private async act(head: BlockInfo, snapshot: Snapshot, candidates: Candidate[]): Promise<void> {
    // Liquidatable accounts are work until the chain says otherwise; so is any job that failed (it backs off).
    this.workLeft = candidates.length > 0;
    const noteFailure = <T extends { kind: string }>(r: T): T => {
      if (r.kind === "failed") this.workLeft = true;
      return r;
    };
    const ctx: TickContext = {
      head,
      snapshot,
      book: this.book,
      candidates,
      addresses: this.addresses,
      config: this.config,
      lastPremium: this.lastPremium,
      refreshedMarkets: new Set(),
      submit: (job) => this.tx.submit(job, head).then(noteFailure),
      prepare: (job) => this.tx.prepare(job).then(noteFailure),
      send: (prepared) => this.tx.send(prepared, head).then(noteFailure),
      predictUsed: (task, limit, estimate) => this.tx.gasModel.predictUsed(task, limit, estimate),
      gasLimitFor: (estimate) => this.tx.gasLimitFor(estimate),
      inFlightGas: () => this.tx.inFlightGas(),
      takenSlots: () => this.tx.takenSlots(),
      log: this.log,
    };
    for (const t of this.tasks) {
      if (this.stopping) return;
      await t.tick(ctx);
    }
  }

  private countLiquidations(logs: readonly { address: Hex; topics: readonly Hex[]; data: Hex }[]): void {
    const me = this.signer?.toLowerCase();
    const events = parseEventLogs({ abi: perpPoolAbi, eventName: "Liquidated", logs: logs as never });
    for (const e of events) {
      if (e.address.toLowerCase() === this.addresses.pool.toLowerCase() && e.args.liquidator.toLowerCase() === me) {
        this.metrics.liquidations.inc();
      }
    }
  }

  private updateBookMetrics(head: BlockInfo): void {
    let liquidatable = 0;
    for (const e of this.book.all()) if (e.liquidatableSince) liquidatable++;
    this.metrics.accountsTracked.set(this.book.size);
    this.metrics.liquidatable.set(liquidatable);
    const oldest = this.book.oldestLiquidatable();
    this.metrics.liquidatableAge.set(oldest ? Number(head.timestamp - oldest.timestamp) : 0);
  }

  private async updateBalance(head: BlockInfo): Promise<void> {
    if (!this.signer) return;
    try {
      this.lastBalance = await this.client.getBalance({ address: this.signer, blockNumber: head.number });
      this.metrics.signerBalance.set(Number(this.lastBalance));
    } catch {
      // Counted as an RPC error; the last known balance stays.
    }
  }

  isHeadStale(): boolean {
    const s = this.config.staleHeadSeconds;
    return s > 0 && this.now() - this.lastHeadAt > s * 1000;
  }

  /** Oldest liquidatable account's age in blocks at the last head. */
  liquidatableAgeBlocks(): bigint {
    const oldest = this.book.oldestLiquidatable();
    return oldest && this.lastHead ? this.lastHead.number - oldest.block : 0n;
  }

  /** Runs ticks until stop(): a tick per new head, polling every pollIntervalMs; a failed or hung tick is logged. */
  start(): Promise<void> {
    this.loopDone ??= this.loop();
    return this.loopDone;
  }

  private async loop(): Promise<void> {
    let inFlight: { done: Promise<unknown>; since: number } | undefined;
    while (!this.stopping) {
      try {
        // A tick abandoned by its timeout may still be unwinding: never run two at once (its RPC calls all
        // have timeouts, so it ends; one that somehow outlives a second tick timeout is given up on).
        if (inFlight && this.now() - inFlight.since < 2 * this.config.tickTimeoutMs) {
          await withTimeout(inFlight.done, this.config.pollIntervalMs, "abandoned tick");
        }
        inFlight = undefined;
        const n = await this.client.getBlockNumber({ cacheTime: 0 });
        // A new head, our transactions to follow, or work the last tick could not finish (a failed send retried
        // after its backoff even when no block comes: an idle devnet mines only on our transactions).
        if (n !== this.processed || this.lastHead === undefined || this.tx.pendingCount > 0 || this.workLeft) {
          const tick = this.tick();
          inFlight = { done: tick.catch(() => undefined), since: this.now() };
          await withTimeout(tick, this.config.tickTimeoutMs, "tick");
          inFlight = undefined;
        }
        this.lastIterationAt = this.now();
      } catch (err) {
        this.log.warn({ reason: shortMessage(err) }, "tick failed; retrying at the next poll");
      }
      await sleepUnless(this.config.pollIntervalMs, () => this.stopping);
    }
  }

  /** Follows our sent transactions (no new jobs) until all are final or `timeoutMs` passes; returns how many remain. */
  async settle(timeoutMs: number): Promise<number> {
    const end = this.now() + timeoutMs;
    while (this.tx.pendingCount > 0 && this.now() < end && !this.stopping) {
      try {
        const head = await getBlockInfo(this.client, "latest");
        if (head) for (const f of await this.tx.poll(head)) this.countLiquidations(f.receipt.logs);
      } catch (err) {
        this.log.warn({ reason: shortMessage(err) }, "settle: poll failed");
      }
      if (this.tx.pendingCount > 0) await sleepUnless(this.config.pollIntervalMs, () => this.stopping);
    }
    return this.tx.pendingCount;
  }

  /** Stops after the current tick (in-flight sends finish; nothing new is started). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.tasks) await t.stop();
    await this.loopDone?.catch(() => undefined);
    this.log.info("keeper stopped");
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, waking early (every 50 ms check) when `stop()` says so. */
async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!stop() && Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(50, end - Date.now())));
  }
}
