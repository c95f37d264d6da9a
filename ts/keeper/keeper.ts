// The keeper: index-then-act, once per new head.
//   1. head + reorg check (hashes of the last N blocks; on a mismatch roll back to the common ancestor)
//   2. pool logs since the last processed block (chunked backfill on start): accounts that changed
//   3. ONE batched read at the head: every market + the changed accounts (ts/keeper/chain/snapshot.ts)
//   4. every account of the shard valued locally (SDK math); the liquidatable ones re-checked in ONE
//      PerpLens.accountHealths call
//   5. follow our transactions (receipts, finality, reorgs, drops, stuck), then the tasks act
// A chain reset (a restarted devnet: same chain id, same addresses, other blocks) is told from a reorg by the
// genesis and deployment block hashes: everything of the old chain is dropped (journal archived, nonce resynced,
// book and schedules rebuilt) and nothing signed for it is ever sent again.
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
import { RiskEngineCache, readSnapshot, type Snapshot } from "./chain/snapshot";
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
import { RiskFigureTask } from "./tasks/riskFigureTask";
import type { KeeperTask, TickContext } from "./tasks/task";
import { Backoff } from "./tx/backoff";
import { type ChainIdentity, differs, Journal } from "./tx/journal";
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
  readonly metrics: KeeperMetrics;
  readonly log: Logger;
  readonly clients: KeeperClients;
  book: Book;
  tracker: BlockTracker;
  tasks: KeeperTask[];
  tx!: TxManager;
  /** The chain we follow (undefined before init, or after a reset until the deployment block is mined again). */
  chain: ChainIdentity | undefined;
  /** The node mines a block per transaction (anvil/hardhat automine): no staleness, one confirmation by default. */
  automine = false;
  /** init() has completed (the loop runs it, retrying, so a dead node at start delays only the first tick). */
  initialized = false;
  /** Why startup has not completed yet (for /healthz). */
  startupError: string | undefined;
  /** The node's head as last seen (by a tick or by the watcher while a tick runs) and when it was read. */
  nodeHead: { number: bigint; at: number } | undefined;
  /** Last time the node answered at all. */
  lastNodeContactAt: number | undefined;
  /** Since when the node's head has been more than `liquidatableMaxBlocks` ahead of the last processed block. */
  behindSince: number | undefined;
  /** Start of the tick in progress (wall ms), undefined between ticks. */
  tickStartedAt: number | undefined;
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
  /** The pool's risk engine grid, read once per engine address. */
  private engines = new RiskEngineCache();
  private stopping = false;
  private stopSignal!: Promise<void>;
  private signalStop!: () => void;
  /** The last tick left due work undone (a send or simulation failed, or liquidatable accounts remain). */
  private workLeft = false;
  private loopDone: Promise<void> | undefined;
  private watcherDone: Promise<void> | undefined;
  /** Oracle headroom of a write that may refresh every market (MIN_GAS_PER_FEED x every feed). */
  private gasHeadroom = 0n;
  /** Blocks processed since the signer's balance was last read. */
  private balanceAge = Number.POSITIVE_INFINITY;

  constructor(config: KeeperConfig, options: KeeperOptions = {}) {
    this.config = config;
    this.deployment = options.deployment ?? parseDeployment(readFileSync(config.deployment, "utf8"));
    this.log = options.logger ?? createLogger({ level: config.logLevel });
    this.now = options.now ?? Date.now;
    this.lastIterationAt = this.now();
    this.lastHeadAt = this.now();
    this.stopSignal = new Promise((resolve) => {
      this.signalStop = resolve;
    });
    this.clients = createKeeperClients({
      rpcUrl: config.rpcUrl,
      chainId: this.deployment.chainId,
      privateKey: config.privateKey,
      timeoutMs: config.rpcTimeoutMs,
      retries: config.rpcRetries,
      hedgeMinMs: config.rpcHedgeMinMs,
      onFault: (method, err) => {
        this.metrics.rpcFaults.inc();
        this.log.debug({ method, reason: shortMessage(err) }, "rpc fault");
      },
      onRetry: (_method, reason) => this.metrics.rpcRetries.inc({ reason }),
      onError: (method, err) => {
        this.metrics.rpcErrors.inc();
        this.log.debug({ method, reason: shortMessage(err) }, "rpc request failed");
      },
    });
    this.book = new Book(config.shard);
    this.tracker = new BlockTracker(config.reorgWindow);
    this.processed = this.deployment.startBlock - 1n;
    this.marketCount = BigInt(this.deployment.markets.length);
    this.tasks = this.makeTasks();
    this.metrics = new KeeperMetrics(this.tasks.map((t) => t.name));
    this.metrics.setLive({
      liquidatableAgeSeconds: () => this.liquidatableAgeSeconds(),
      headLagBlocks: () => Number(this.headLagBlocks()),
    });
  }

  private makeTasks(): KeeperTask[] {
    return [
      // Liquidations first: they refresh the oracle of every market they touch, in the first block after a shock.
      new LiquidationTask(),
      new OracleTask(),
      new FundingTask(),
      new PremiumTask(),
      new RepegTask(),
      new InventorySaleTask(this.clients.publicClient),
      new RiskFigureTask(this.clients.publicClient, this.deployment, () => this.metrics, this.signer),
    ].filter((t) => this.config.tasks[t.name as keyof KeeperConfig["tasks"]]);
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

  /**
   * Identifies the chain (genesis and deployment block hashes), opens the journal (archiving one of another chain),
   * syncs the nonce, starts the tasks. Throws when the node does not answer or the deployment block is not mined.
   */
  async init(): Promise<void> {
    const from = this.signer ?? DRY_RUN_FROM;
    const chain = await this.readChainIdentity();
    if (!chain) throw new Error(`the deployment block ${this.deployment.startBlock} is not mined on this chain`);
    this.chain = chain;
    await this.probeAutomine();
    const journalPath = this.config.dryRun
      ? undefined
      : (this.config.journalPath ??
        path.join(".keeper", `journal-${this.deployment.chainId}-${this.addresses.pool}-${from}.json`.toLowerCase()));
    const opened = Journal.open(journalPath, chain, from, this.addresses.pool);
    this.journal = opened.journal;
    if (opened.archived) {
      this.log.warn(
        { archived: opened.archived.file, reason: opened.archived.reason },
        "chain reset: the journal belongs to another chain (archived; nothing of it is followed or sent)",
      );
    }
    this.gasHeadroom = await oracleGasHeadroom(this.client, this.addresses.pool);
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
      confirmations: this.confirmations(),
      gasBufferBps: this.config.gasBufferBps,
      gasHeadroom: this.gasHeadroom,
      sameChain: async () => {
        const now = await this.readChainIdentity();
        return now !== undefined && this.chain !== undefined && differs(this.chain, now) === undefined;
      },
    });
    await this.tx.init();
    const mc = this.config.multicallAddress ?? MULTICALL3_ADDRESS;
    this.multicall = (await hasCode(this.client, mc)) ? mc : undefined;
    if (!this.multicall)
      this.log.warn({ address: mc }, "no Multicall3 on this chain: deployless reads, ~100 calls each");
    for (const t of this.tasks) await t.start();
    this.initialized = true;
    this.startupError = undefined;
    this.lastNodeContactAt = this.now();
    this.lastHeadAt = this.now();
    this.log.info(
      {
        signer: this.signer ?? "(dry run)",
        shard: this.config.shard,
        tasks: this.tasks.map((t) => t.name),
        automine: this.automine,
      },
      "keeper started",
    );
  }

  /** Genesis and deployment block hashes; undefined when the deployment block is not mined (yet). */
  private async readChainIdentity(): Promise<ChainIdentity | undefined> {
    const [genesis, deployed] = await Promise.all([
      getBlockInfo(this.client, 0n),
      getBlockInfo(this.client, this.deployment.startBlock).catch((err: unknown) => {
        if (/not (be )?found|could not be found/i.test(shortMessage(err))) return undefined;
        throw err;
      }),
    ]);
    if (!genesis) throw new Error("node returned no genesis block");
    if (!deployed) return undefined;
    return { chainId: this.deployment.chainId, genesisHash: genesis.hash, deploymentBlockHash: deployed.hash };
  }

  /** anvil / hardhat automine (a block per transaction); any other node: false. */
  private async probeAutomine(): Promise<void> {
    let automine = false;
    for (const method of ["anvil_getAutomine", "hardhat_getAutomine"]) {
      try {
        automine = (await this.client.request({ method } as never)) === true;
        break;
      } catch {
        // not this kind of node
      }
    }
    this.automine = automine;
    if (this.tx) this.tx.confirmations = this.confirmations();
  }

  private confirmations(): number {
    return this.config.confirmations ?? (this.automine ? 1 : 2);
  }

  /** Seconds without a new head after which the head is stale (0 = never). */
  staleHeadSeconds(): number {
    return this.config.staleHeadSeconds ?? (this.automine ? 0 : 120);
  }

  /** One pass at the current head. Throws on RPC failure (the loop logs it and goes on). */
  async tick(): Promise<TickReport> {
    this.tickStartedAt = this.now();
    try {
      return await this.tickAt();
    } finally {
      this.tickStartedAt = undefined;
    }
  }

  private async tickAt(): Promise<TickReport> {
    const t0 = performance.now();
    const head = await getBlockInfo(this.client, "latest");
    if (!head) throw new Error("node returned no latest block");
    this.sawNodeHead(head.number);
    if (this.lastHead === undefined || head.number !== this.lastHead.number || head.hash !== this.lastHead.hash) {
      this.lastHeadAt = this.now();
    }
    if (!this.chain) await this.awaitDeployment(head);
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
    const snapshot = await readSnapshot(
      this.client,
      this.addresses,
      head,
      this.marketCount,
      dirty,
      this.multicall,
      this.engines,
    );
    this.marketCount = snapshot.marketCount;
    this.book.riskEngine = snapshot.riskEngine;
    for (const a of snapshot.accounts) this.book.apply(a.id, a.account, a.positions);

    // 4. Local evaluation of the whole shard; on-chain re-check of the candidates only.
    this.lastPricing = snapshot.markets.map((m) => m.pricing);
    const evaluation = this.book.evaluate(this.lastPricing, head, this.now());
    const confirmed = await this.confirm(evaluation.candidates, head);
    this.updateBookMetrics();
    this.updateFundingMetrics(snapshot);

    // 5. Our transactions, then the tasks.
    const finals = await this.tx.poll(head);
    for (const f of finals) this.countLiquidations(f.receipt.logs);
    const stale = this.isHeadStale();
    if (!stale) await this.act(head, snapshot, confirmed);
    else this.log.warn({ head: head.number }, "head is stale: not acting on a frozen view");

    await this.updateBalance(head, finals.length > 0);
    this.tracker.record(head);
    this.processed = head.number;
    this.lastHead = head;
    this.updateBehind();
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
    // A reorg, or another chain altogether (a restarted devnet: same id, same addresses): the hashes say which.
    const now = await this.readChainIdentity();
    const why = !now
      ? `the deployment block ${this.deployment.startBlock} is not mined (head ${head.number})`
      : this.chain && differs(this.chain, now);
    if (why) {
      await this.resetChain(now, why);
      return { ancestor: undefined };
    }
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

  /**
   * The chain was reset: drop every piece of the old chain's state (book, block hashes, schedules, tasks, in-flight
   * transactions, backoffs, the nonce) so that nothing signed for it is ever sent again. The journal is archived.
   * When the new chain has not mined the deployment block yet, the keeper waits for it (no tick acts meanwhile).
   */
  private async resetChain(now: ChainIdentity | undefined, why: string): Promise<void> {
    this.metrics.chainResets.inc();
    this.log.warn(
      { reason: why, pending: this.tx.pendingCount },
      "chain reset (not a reorg): dropping the old chain's state and in-flight transactions",
    );
    this.book = new Book(this.config.shard);
    this.tracker = new BlockTracker(this.config.reorgWindow);
    this.processed = this.deployment.startBlock - 1n;
    this.marketCount = BigInt(this.deployment.markets.length);
    this.premiumEvents = [];
    this.lastPremium = undefined;
    this.lastHead = undefined;
    this.nodeHead = undefined;
    this.behindSince = undefined;
    this.lastPricing = [];
    this.engines = new RiskEngineCache();
    this.workLeft = false;
    this.balanceAge = Number.POSITIVE_INFINITY;
    for (const t of this.tasks) await t.stop();
    this.tasks = this.makeTasks();
    this.chain = now;
    const archived = this.journal.resetTo(
      now ?? { chainId: this.deployment.chainId, genesisHash: "0x", deploymentBlockHash: "0x" },
      why,
    );
    if (archived) this.log.warn({ archived: archived.file }, "journal of the old chain archived");
    if (now) await this.startOnNewChain();
    else this.log.warn({ block: this.deployment.startBlock }, "waiting for the deployment block on the new chain");
  }

  /** After a reset that came before the deployment: nothing acts until the deployment block is mined again. */
  private async awaitDeployment(head: BlockInfo): Promise<void> {
    const now = head.number >= this.deployment.startBlock ? await this.readChainIdentity() : undefined;
    if (!now) throw new Error(`waiting for the deployment block ${this.deployment.startBlock} (head ${head.number})`);
    this.chain = now;
    this.journal.resetTo(now, "deployment mined on the new chain");
    await this.startOnNewChain();
  }

  private async startOnNewChain(): Promise<void> {
    await this.tx.reset();
    await this.probeAutomine();
    const mc = this.config.multicallAddress ?? MULTICALL3_ADDRESS;
    this.multicall = (await hasCode(this.client, mc)) ? mc : undefined;
    for (const t of this.tasks) await t.start();
    this.log.info({ chain: this.chain, automine: this.automine }, "following the new chain");
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
      refreshedMarkets: this.marketsRefreshedInFlight(),
      submit: (job) => this.tx.submit(job, head).then(noteFailure),
      prepare: (job) => this.tx.prepare(job).then(noteFailure),
      send: (prepared) => this.tx.send(prepared, head).then(noteFailure),
      predictUsed: (task, limit, estimate) => this.tx.gasModel.predictUsed(task, limit, estimate),
      gasLimitFor: (estimate) => this.tx.gasLimitFor(estimate),
      oracleHeadroom: (marketId) => this.oracleHeadroom(marketId),
      inFlightGas: () => this.tx.inFlightGas(),
      takenSlots: () => this.tx.takenSlots(),
      log: this.log,
    };
    for (const t of this.tasks) {
      if (this.stopping) return;
      await t.tick(ctx);
    }
  }

  /** The pool's oracle headroom (every feed of every market) scaled to the feeds of `marketId`. */
  private oracleHeadroom(marketId: bigint): bigint {
    const feeds = this.deployment.markets.map((m) => BigInt(m.feeds.length));
    const total = feeds.reduce((a, b) => a + b, 0n);
    const mine = feeds[Number(marketId)];
    if (total === 0n || mine === undefined) return this.gasHeadroom;
    return (this.gasHeadroom * mine) / total;
  }

  /** Markets whose oracle our sent, unmined liquidations refresh when they mine (no refresh of our own needed). */
  private marketsRefreshedInFlight(): Set<bigint> {
    const out = new Set<bigint>();
    for (const slot of this.tx.inFlightSlots("liquidation")) {
      const id = slot.startsWith("account:") ? slot.slice("account:".length) : undefined;
      const mask = id ? (this.book.get(id as Hex)?.account?.marketMask ?? 0) : 0;
      for (let m = 0; m < 32; m++) if ((mask >>> m) & 1) out.add(BigInt(m));
    }
    return out;
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

  /** Book gauges at the evaluated head (the age and lag gauges are computed when scraped). */
  private updateBookMetrics(): void {
    let liquidatable = 0;
    for (const e of this.book.all()) if (e.liquidatableSince) liquidatable++;
    this.metrics.accountsTracked.set(this.book.size);
    this.metrics.liquidatable.set(liquidatable);
  }

  /** Funding gauges per market: the rate and the kicker now as bps of the index per funding period. */
  private updateFundingMetrics(snapshot: Snapshot): void {
    for (const m of snapshot.markets) {
      const index = m.pricing.index;
      if (index === 0n) continue;
      const perPeriodBps = (perSecond: bigint) =>
        Number((perSecond * BigInt(m.config.fundingPeriod) * 10_000n * 1000n) / index) / 1000;
      const market = String(m.marketId);
      this.metrics.fundingRateBps.set({ market }, perPeriodBps(m.state.fundingRate));
      this.metrics.fundingKickerBps.set({ market }, perPeriodBps(m.state.fundingKicker));
    }
  }

  /**
   * The signer's balance changes only through our own transactions: read when one became final, and every
   * BALANCE_EVERY_BLOCKS blocks otherwise (a top-up shows within that), not on every block.
   */
  private async updateBalance(head: BlockInfo, spent: boolean): Promise<void> {
    if (!this.signer) return;
    this.balanceAge += Number(head.number - (this.lastHead?.number ?? head.number));
    if (!spent && this.lastBalance !== undefined && this.balanceAge < BALANCE_EVERY_BLOCKS) return;
    try {
      this.lastBalance = await this.client.getBalance({ address: this.signer, blockNumber: head.number });
      this.metrics.signerBalance.set(Number(this.lastBalance));
      this.balanceAge = 0;
    } catch {
      // Counted as an RPC error; the last known balance stays.
    }
  }

  /** A node head seen now (by a tick or the watcher). */
  private sawNodeHead(n: bigint): void {
    const at = this.now();
    this.lastNodeContactAt = at;
    if (!this.nodeHead || n !== this.nodeHead.number) this.nodeHead = { number: n, at };
    this.updateBehind();
  }

  private updateBehind(): void {
    const behind =
      this.nodeHead !== undefined &&
      this.lastHead !== undefined &&
      this.nodeHead.number - this.processed > BigInt(this.config.liquidatableMaxBlocks);
    if (!behind) this.behindSince = undefined;
    else this.behindSince ??= this.now();
  }

  isHeadStale(): boolean {
    const s = this.staleHeadSeconds();
    return s > 0 && this.now() - this.lastHeadAt > s * 1000;
  }

  /** Blocks between the node's head (as last seen) and the last block fully processed. */
  headLagBlocks(): bigint {
    const node = this.nodeHead?.number;
    if (node === undefined || this.lastHead === undefined) return 0n;
    return node > this.processed ? node - this.processed : 0n;
  }

  /** Oldest liquidatable account's age in blocks at the node's head (a stuck tick does not stop this clock). */
  liquidatableAgeBlocks(): bigint {
    const oldest = this.book.oldestLiquidatable();
    if (!oldest) return 0n;
    const head = max(this.nodeHead?.number ?? 0n, this.lastHead?.number ?? 0n);
    return head > oldest.block ? head - oldest.block : 0n;
  }

  /** Wall seconds the oldest liquidatable account has waited since the keeper first saw it. */
  liquidatableAgeSeconds(): number {
    const oldest = this.book.oldestLiquidatable();
    return oldest ? Math.max(0, (this.now() - oldest.seenAt) / 1000) : 0;
  }

  /** Runs ticks until stop(): a tick per new head, polling every pollIntervalMs; a failed or hung tick is logged. */
  start(): Promise<void> {
    this.loopDone ??= this.loop();
    this.watcherDone ??= this.watch();
    return this.loopDone;
  }

  /** Runs init() until it succeeds or stop() is called (a node that never answers must not block a signal). */
  private async startup(): Promise<void> {
    let delay = this.config.pollIntervalMs;
    while (!this.stopping && !this.initialized) {
      try {
        await Promise.race([this.init(), this.stopSignal]);
      } catch (err) {
        this.startupError = shortMessage(err);
        this.log.warn({ reason: this.startupError, retryMs: delay }, "startup: the node did not answer; retrying");
        await sleepUnless(delay, () => this.stopping);
        delay = Math.min(delay * 2, this.config.backoffMaxMs);
      }
    }
  }

  /**
   * While a tick runs longer than a poll, reads the node's head on the side, so /healthz and the lag gauge see a
   * stuck tick (no extra requests between ticks: the loop reads the head itself then).
   */
  private async watch(): Promise<void> {
    while (!this.stopping) {
      await sleepUnless(this.config.pollIntervalMs, () => this.stopping);
      const started = this.tickStartedAt;
      if (this.stopping || started === undefined || this.now() - started < this.config.pollIntervalMs) continue;
      try {
        const n = await Promise.race([this.client.getBlockNumber({ cacheTime: 0 }), this.stopSignal]);
        if (typeof n === "bigint") this.sawNodeHead(n);
      } catch {
        this.updateBehind();
      }
    }
  }

  private async loop(): Promise<void> {
    await this.startup();
    let inFlight: { done: Promise<unknown>; since: number } | undefined;
    while (!this.stopping) {
      try {
        // A tick abandoned by its timeout may still be unwinding: never run two at once (its RPC calls all
        // have timeouts, so it ends; one that somehow outlives a second tick timeout is given up on).
        if (inFlight && this.now() - inFlight.since < 2 * this.config.tickTimeoutMs) {
          await withTimeout(inFlight.done, this.config.pollIntervalMs, "abandoned tick");
        }
        inFlight = undefined;
        const n = await Promise.race([this.client.getBlockNumber({ cacheTime: 0 }), this.stopSignal]);
        if (typeof n !== "bigint") break;
        this.sawNodeHead(n);
        // A new head, or work the last tick could not finish (a failed send retried after its backoff even when no
        // block comes: an idle devnet mines only on our transactions). Our pending transactions alone are no reason:
        // only a new block can change what they are (mined, final, dropped, stuck).
        if (n !== this.processed || this.lastHead === undefined || this.workLeft) {
          const tick = this.tick();
          inFlight = { done: tick.catch(() => undefined), since: this.now() };
          // A stop waits for the tick a little (its sends are journaled before they go out, so abandoning it is
          // safe), never for a hung one.
          const stopped = this.stopSignal.then(() => sleepUnless(STOP_GRACE_MS, () => false));
          await Promise.race([withTimeout(tick, this.config.tickTimeoutMs, "tick"), stopped]);
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
    this.signalStop();
    for (const t of this.tasks) await t.stop();
    await this.loopDone?.catch(() => undefined);
    await this.watcherDone?.catch(() => undefined);
    this.log.info("keeper stopped");
  }
}

/** How long stop() waits for the tick in progress. */
const STOP_GRACE_MS = 2_000;

/** Blocks between balance reads when none of our transactions became final. */
const BALANCE_EVERY_BLOCKS = 50;

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
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
