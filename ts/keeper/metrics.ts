// The keeper's Prometheus metrics: exactly these names (plus prom-client's default process metrics), one registry
// per keeper (several keepers may run in one process in tests). Values are set by the loop; the gauges that judge
// liveness (liquidatable age, head lag) are computed when scraped, from the wall clock and the node's head, so a
// stuck tick shows. Labelled series are created at 0 so a dashboard sees them before the first event.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export const METRIC_NAMES = {
  /** Blocks between the node's head (as last seen by the head watcher) and the last block the keeper processed. */
  headLag: "keeper_head_lag_blocks",
  /** Wall time of one tick (index, read, evaluate, act). */
  loopSeconds: "keeper_loop_seconds",
  /** Accounts in this keeper's shard of the book. */
  accountsTracked: "keeper_accounts_tracked",
  /** Accounts of the shard below maintenance at the last evaluated head. */
  liquidatable: "keeper_liquidatable_accounts",
  /** Wall seconds the oldest still-liquidatable account has waited since the keeper first saw it (at scrape time). */
  liquidatableAge: "keeper_liquidatable_age_seconds",
  /** Liquidation steps this keeper's own transactions performed (Liquidated events in final receipts). */
  liquidations: "keeper_liquidations_total",
  /** Transactions by task and outcome: mined, reverted, replaced, dropped, skipped_done, failed, dry_run. */
  tx: "keeper_tx_total",
  /** RPC requests that failed after every retry with a transport fault (a revert is an answer, never counted). */
  rpcErrors: "keeper_rpc_errors_total",
  /** RPC attempts that hit a transport fault (timeout, HTTP error, malformed body), retried or not. */
  rpcFaults: "keeper_rpc_faults_total",
  /** Extra RPC attempts, by reason: retry (after a fault) or hedge (the first attempt was slow). */
  rpcRetries: "keeper_rpc_retries_total",
  /** Chain resets seen (the deployment block's hash changed: a restarted devnet, a new chain with the same id). */
  chainResets: "keeper_chain_resets_total",
  /** Native balance of the signer. */
  signerBalance: "keeper_signer_balance_wei",
  /** Junior tail-risk figures this keeper posted that the chain shows (FigurePosted for the block it reported on). */
  riskFigurePosts: "keeper_risk_figure_posts_total",
  /** The junior share (bps) of the posted figure at the last tick. */
  riskFigureShareBps: "keeper_risk_figure_share_bps",
  /** Wall seconds of the last risk report run for a figure (book, paths, stress view). */
  riskFigureRunSeconds: "keeper_risk_figure_run_seconds",
  /** Figure runs or posts that failed (the report threw, the post failed, or it never showed on chain). */
  riskFigureFailures: "keeper_risk_figure_failures_total",
  /** refreshBoost transactions sent (a vault's stored boost multiplier differed from the oracle's). */
  boostRefreshes: "keeper_boost_refreshes_total",
  /** Each market's funding rate now, bps of the index per funding period (> 0: longs pay), by market id. */
  fundingRateBps: "keeper_funding_rate_bps_per_period",
  /** Each market's crowding kicker now, bps of the index per funding period (> 0: longs pay it), by market id. */
  fundingKickerBps: "keeper_funding_kicker_bps_per_period",
} as const;

export const TX_OUTCOMES = ["mined", "reverted", "replaced", "dropped", "skipped_done", "failed", "dry_run"] as const;
export type TxOutcome = (typeof TX_OUTCOMES)[number];
export const RETRY_REASONS = ["retry", "hedge"] as const;

/** Scrape-time values the keeper provides (wall clock and node head). */
export type LiveGauges = { liquidatableAgeSeconds(): number; headLagBlocks(): number };

export class KeeperMetrics {
  readonly registry = new Registry();
  private live: LiveGauges | undefined;
  readonly headLag = new Gauge({
    name: METRIC_NAMES.headLag,
    help: "blocks behind the node's head",
    registers: [],
    collect: () => this.refreshLive(),
  });
  readonly loopSeconds = new Histogram({
    name: METRIC_NAMES.loopSeconds,
    help: "duration of one keeper tick",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [],
  });
  readonly accountsTracked = new Gauge({
    name: METRIC_NAMES.accountsTracked,
    help: "accounts in shard",
    registers: [],
  });
  readonly liquidatable = new Gauge({ name: METRIC_NAMES.liquidatable, help: "liquidatable accounts", registers: [] });
  readonly liquidatableAge = new Gauge({
    name: METRIC_NAMES.liquidatableAge,
    help: "wall seconds the oldest liquidatable account has waited since first seen",
    registers: [],
    collect: () => this.refreshLive(),
  });
  readonly liquidations = new Counter({ name: METRIC_NAMES.liquidations, help: "liquidation steps", registers: [] });
  readonly tx = new Counter({
    name: METRIC_NAMES.tx,
    help: "transactions by task and outcome",
    labelNames: ["task", "outcome"] as const,
    registers: [],
  });
  readonly rpcErrors = new Counter({
    name: METRIC_NAMES.rpcErrors,
    help: "RPC requests failed after every retry (transport faults; reverts are not errors)",
    registers: [],
  });
  readonly rpcFaults = new Counter({
    name: METRIC_NAMES.rpcFaults,
    help: "RPC attempts that hit a transport fault",
    registers: [],
  });
  readonly rpcRetries = new Counter({
    name: METRIC_NAMES.rpcRetries,
    help: "extra RPC attempts by reason",
    labelNames: ["reason"] as const,
    registers: [],
  });
  readonly chainResets = new Counter({ name: METRIC_NAMES.chainResets, help: "chain resets seen", registers: [] });
  readonly signerBalance = new Gauge({ name: METRIC_NAMES.signerBalance, help: "signer balance", registers: [] });
  readonly riskFigurePosts = new Counter({
    name: METRIC_NAMES.riskFigurePosts,
    help: "junior tail-risk figures posted",
    registers: [],
  });
  readonly riskFigureShareBps = new Gauge({
    name: METRIC_NAMES.riskFigureShareBps,
    help: "junior share of the posted figure, bps",
    registers: [],
  });
  readonly riskFigureRunSeconds = new Gauge({
    name: METRIC_NAMES.riskFigureRunSeconds,
    help: "wall seconds of the last risk report run for a figure",
    registers: [],
  });
  readonly riskFigureFailures = new Counter({
    name: METRIC_NAMES.riskFigureFailures,
    help: "figure runs or posts that failed",
    registers: [],
  });
  readonly boostRefreshes = new Counter({
    name: METRIC_NAMES.boostRefreshes,
    help: "refreshBoost transactions sent",
    registers: [],
  });

  readonly fundingRateBps = new Gauge({
    name: METRIC_NAMES.fundingRateBps,
    help: "funding rate now, bps of the index per funding period (> 0: longs pay)",
    labelNames: ["market"],
    registers: [],
  });
  readonly fundingKickerBps = new Gauge({
    name: METRIC_NAMES.fundingKickerBps,
    help: "crowding kicker now, bps of the index per funding period (> 0: longs pay it)",
    labelNames: ["market"],
    registers: [],
  });

  constructor(tasks: readonly string[] = []) {
    for (const m of [
      this.headLag,
      this.loopSeconds,
      this.accountsTracked,
      this.liquidatable,
      this.liquidatableAge,
      this.liquidations,
      this.tx,
      this.rpcErrors,
      this.rpcFaults,
      this.rpcRetries,
      this.chainResets,
      this.signerBalance,
      this.riskFigurePosts,
      this.riskFigureShareBps,
      this.riskFigureRunSeconds,
      this.riskFigureFailures,
      this.boostRefreshes,
      this.fundingRateBps,
      this.fundingKickerBps,
    ]) {
      this.registry.registerMetric(m as Gauge);
    }
    collectDefaultMetrics({ register: this.registry });
    for (const task of tasks) for (const outcome of TX_OUTCOMES) this.tx.inc({ task, outcome }, 0);
    for (const reason of RETRY_REASONS) this.rpcRetries.inc({ reason }, 0);
  }

  /** The keeper's scrape-time values (set once it exists). */
  setLive(live: LiveGauges): void {
    this.live = live;
  }

  private refreshLive(): void {
    if (!this.live) return;
    this.liquidatableAge.set(this.live.liquidatableAgeSeconds());
    this.headLag.set(this.live.headLagBlocks());
  }

  countTx(task: string, outcome: TxOutcome): void {
    this.tx.inc({ task, outcome });
  }
}
