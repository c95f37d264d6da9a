// Liquidation: every confirmed liquidatable account of the shard, worst first, through the batch entry point
// (liquidateMany) or one call per account (the old liquidateIfUnhealthy).
//
// Each block is packed to the block gas limit. An account is listed once per ladder step it needs
// (book/ladder.ts, the SDK's liquidationOutcome), so it is brought back in one transaction. The task plans the
// next block: batches worst first until the gas they are predicted to use (per listed id, learned from the node's
// estimates; used vs limit learned from our receipts) fills what our in-flight transactions leave of the block,
// the last batch sized to the room left. All batches of a round are simulated and estimated concurrently, then sent
// back to back with consecutive nonces (no receipt awaited); a batch is sent only while (gas predicted used before
// it) + (its gas limit) fits the block, which is the rule a node includes transactions by. What does not fit waits
// for the next block's tick. An account in flight waits for its transaction.
import { stepsToHealthy } from "../book/ladder";
import { capabilities, type LiquidationCall, type LiquidationTarget, liquidationCalls } from "../poolAdapter";
import type { Prepared, SubmitResult } from "../tx/txManager";
import { BaseTask, type TickContext } from "./task";

const BPS = 10_000n;
const DEADLINE_SECONDS = 600n;
/** Most ladder steps listed for one account in one transaction (a deep account needs tens of steps). */
const MAX_STEPS = 64;
/** Simulations/estimates in flight at once. */
const PREPARE_CONCURRENCY = 8;
/** Planning rounds per tick: the first sizes by the model, later ones fill what is left and retry split batches. */
const MAX_ROUNDS = 4;
/** Estimate per listed id before the node has estimated any batch (only sizes the first round of the first tick). */
const FIRST_GUESS_GAS_PER_ID = 45_000n;

export class LiquidationTask extends BaseTask {
  readonly name = "liquidation";
  /** Accounts sent in the last tick. */
  lastSent = 0;
  /** Transactions sent in the last tick, and the gas they are predicted to use. */
  lastPlan = { transactions: 0, predictedGas: 0n, budget: 0n, deferred: 0 };
  /** The node's estimate per listed id, from the batches prepared so far (the batch planner's model). */
  private estimatePerId: bigint | undefined;

  protected async run(ctx: TickContext): Promise<void> {
    this.lastSent = 0;
    const keyOf = new Map<string, string>();
    const ladder = ctx.snapshot.markets.map((m) => ({
      marketId: m.marketId,
      state: m.state,
      config: m.config,
      index: m.pricing.index,
      halted: m.pricing.halted,
      oracleStatus: m.pricing.oracleStatus,
      imMultiplierBps: m.pricing.imMultiplierBps,
    }));
    let queue: LiquidationTarget[] = [];
    const taken = ctx.takenSlots();
    for (const c of ctx.candidates) {
      // In flight: its transaction (planned with every step it needed) decides; a batch must not wait on it.
      if (taken.has(`account:${c.entry.id}`)) continue;
      const t: LiquidationTarget = {
        id: c.entry.id,
        owner: c.entry.owner,
        subId: c.entry.subId,
        largestSize: c.health.largestSize,
        steps:
          capabilities.liquidateMany && c.entry.account
            ? Math.max(
                1,
                stepsToHealthy(
                  c.entry.account,
                  c.entry.positions,
                  ladder,
                  ctx.head.timestamp + BigInt(ctx.config.liquidationLeadSeconds),
                  MAX_STEPS,
                  ctx.snapshot.riskEngine,
                ),
              )
            : 1,
      };
      queue.push(t);
      // A step is identified by the account's last event: after a step mines, its event makes the next one new.
      keyOf.set(t.id, `${t.id}@${c.entry.lastEventBlock}`);
    }
    const markOf = new Map(ctx.candidates.map((c) => [c.entry.id as string, c.entry.account?.marketMask ?? 0]));
    if (queue.length === 0) return;
    ctx.log.trace({ plan: queue.map((t) => `${t.id.slice(36)}:${t.steps}`).join(" ") }, "liquidation targets");

    const budget = (ctx.head.gasLimit * BigInt(ctx.config.liquidationBlockGasBps)) / BPS;
    let used = ctx.inFlightGas();
    const plan = { transactions: 0, predictedGas: 0n, budget, deferred: 0 };
    const deadline = ctx.head.timestamp + DEADLINE_SECONDS;
    const idsOf = (ts: readonly LiquidationTarget[]) =>
      ts.reduce((n, t) => n + (capabilities.liquidateMany ? Math.max(1, t.steps) : 1), 0);
    let retry: LiquidationTarget[][] = [];

    // Split batches are retried until the bad target is alone, whatever the round count.
    for (let round = 0; (round < MAX_ROUNDS && queue.length > 0) || retry.length > 0; round++) {
      // 1. Plan: groups (one transaction each) worst first while the block has room for them.
      const perId = this.estimatePerId ?? FIRST_GUESS_GAS_PER_ID;
      const cost = (ids: number) => {
        const estimate = perId * BigInt(ids);
        const limit = ctx.gasLimitFor(estimate);
        return { limit, used: ctx.predictUsed(this.name, limit, estimate) };
      };
      const groups: LiquidationTarget[][] = [];
      let planned = used;
      for (const g of retry) {
        groups.push(g);
        planned += cost(idsOf(g)).used;
      }
      retry = [];
      let group: LiquidationTarget[] = [];
      let ids = 0;
      let taken = 0;
      const close = () => {
        if (group.length === 0) return;
        groups.push(group);
        planned += cost(ids).used;
        group = [];
        ids = 0;
      };
      for (const t of round < MAX_ROUNDS ? queue : []) {
        const s = capabilities.liquidateMany ? Math.max(1, t.steps) : 1;
        if (ids > 0 && (ids + s > ctx.config.liquidationBatch || !capabilities.liquidateMany)) close();
        if (planned + cost(ids + s).limit > budget) break; // no room for this one in this block
        group.push(t);
        ids += s;
        taken++;
      }
      close();
      queue = queue.slice(taken);
      if (groups.length === 0) break;

      // 2. Simulate and estimate every group at once.
      const calls: LiquidationCall[] = groups.flatMap((g) => liquidationCalls(g, Number.MAX_SAFE_INTEGER, deadline));
      const jobOf = (call: LiquidationCall) => ({
        key: `liquidate:${call.targets.map((t) => keyOf.get(t.id)).join(",")}`,
        task: this.name,
        to: ctx.addresses.pool,
        data: call.data,
        slots: call.targets.map((t) => `account:${t.id}`),
        noop: call.noop,
      });
      const prepared = await mapLimit(calls, PREPARE_CONCURRENCY, (call) => ctx.prepare(jobOf(call)));
      let estimated = 0n;
      let estimatedIds = 0;
      for (const [i, p] of prepared.entries()) {
        if (p.kind !== "prepared") continue;
        estimated += p.estimate;
        estimatedIds += idsOf(calls[i]?.targets ?? []);
      }
      if (estimatedIds > 0) this.estimatePerId = (estimated + BigInt(estimatedIds) - 1n) / BigInt(estimatedIds);

      // 3. Send in order, back to back, while each fits what the block has left.
      // Worst first across the whole block: once one does not fit, it and everything after it wait for the next
      // round (planned smaller for the room left) rather than a later, smaller batch jumping the queue.
      const deferred: LiquidationTarget[] = [];
      for (const [i, call] of calls.entries()) {
        const p = prepared[i] as Prepared | SubmitResult;
        let res: SubmitResult | Prepared = p;
        if (deferred.length > 0 || (p.kind === "prepared" && used + p.gas > budget)) {
          if (p.kind === "prepared" || (p.kind === "failed" && p.transient)) deferred.push(...call.targets);
          else if (p.kind === "failed" && call.targets.length > 1) retry.push(...halves(call.targets));
          continue;
        }
        if (p.kind === "prepared") {
          res = await ctx.send(p);
          if (res.kind === "sent" || res.kind === "dry_run") {
            used += ctx.predictUsed(this.name, p.gas, p.estimate);
            plan.transactions++;
            this.lastSent += call.targets.length;
            // The liquidation refreshes the oracle of every market the account holds.
            for (const t of call.targets) {
              const mask = markOf.get(t.id) ?? 0;
              for (let m = 0; m < 32; m++) if ((mask >>> m) & 1) ctx.refreshedMarkets.add(BigInt(m));
            }
          }
        }
        // One bad target (its step reverts or breaks gas estimation) must not stall the batch: split it until the
        // bad one is alone (and backs off) while the others go out in this same tick.
        if (res.kind === "failed" && !res.transient && call.targets.length > 1) retry.push(...halves(call.targets));
      }
      plan.deferred = deferred.length;
      // Deferred groups did not fit by their limit: the next round re-plans them smaller for the room left.
      queue = [...deferred, ...queue];
    }
    plan.predictedGas = used;
    plan.deferred += queue.length;
    this.lastPlan = plan;
    ctx.log.debug({ ...plan, accounts: this.lastSent }, "liquidation plan sent");
  }
}

function halves<T>(xs: readonly T[]): [T[], T[]] {
  const half = Math.ceil(xs.length / 2);
  return [xs.slice(0, half), xs.slice(half)];
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
