// The keeper's Prometheus metrics: exactly these names, one registry per keeper (several keepers may run in
// one process in tests). Values are set by the loop; the /metrics server only serializes them.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const METRIC_NAMES = {
  /** Blocks between the node's head and the last block the keeper fully processed. */
  headLag: "keeper_head_lag_blocks",
  /** Wall time of one tick (index, read, evaluate, act). */
  loopSeconds: "keeper_loop_seconds",
  /** Accounts in this keeper's shard of the book. */
  accountsTracked: "keeper_accounts_tracked",
  /** Accounts of the shard below maintenance at the last evaluated head. */
  liquidatable: "keeper_liquidatable_accounts",
  /** How long (chain seconds) the oldest still-liquidatable account has waited since the keeper first saw it. */
  liquidatableAge: "keeper_liquidatable_age_seconds",
  /** Liquidation steps this keeper's own transactions performed (Liquidated events in final receipts). */
  liquidations: "keeper_liquidations_total",
  /** Transactions by task and outcome: mined, reverted, replaced, dropped, skipped_done, failed, dry_run. */
  tx: "keeper_tx_total",
  /** RPC requests that failed (after the transport's retries). */
  rpcErrors: "keeper_rpc_errors_total",
  /** Native balance of the signer. */
  signerBalance: "keeper_signer_balance_wei",
} as const;

export type TxOutcome = "mined" | "reverted" | "replaced" | "dropped" | "skipped_done" | "failed" | "dry_run";

export class KeeperMetrics {
  readonly registry = new Registry();
  readonly headLag = new Gauge({ name: METRIC_NAMES.headLag, help: "blocks behind the node's head", registers: [] });
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
    help: "seconds the oldest liquidatable account has waited",
    registers: [],
  });
  readonly liquidations = new Counter({ name: METRIC_NAMES.liquidations, help: "liquidation steps", registers: [] });
  readonly tx = new Counter({
    name: METRIC_NAMES.tx,
    help: "transactions by task and outcome",
    labelNames: ["task", "outcome"] as const,
    registers: [],
  });
  readonly rpcErrors = new Counter({ name: METRIC_NAMES.rpcErrors, help: "failed RPC requests", registers: [] });
  readonly signerBalance = new Gauge({ name: METRIC_NAMES.signerBalance, help: "signer balance", registers: [] });

  constructor() {
    for (const m of [
      this.headLag,
      this.loopSeconds,
      this.accountsTracked,
      this.liquidatable,
      this.liquidatableAge,
      this.liquidations,
      this.tx,
      this.rpcErrors,
      this.signerBalance,
    ]) {
      this.registry.registerMetric(m);
    }
  }

  countTx(task: string, outcome: TxOutcome): void {
    this.tx.inc({ task, outcome });
  }
}
