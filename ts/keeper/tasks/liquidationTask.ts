// Liquidation: every confirmed liquidatable account of the shard, worst first, through the batch entry point
// (liquidateMany) or one call per account (the old liquidateIfUnhealthy). One step per account per block: the
// next block's evaluation decides whether another ladder step is due. An account already in flight waits.
import { stepsToHealthy } from "../book/ladder";
import { capabilities, type LiquidationTarget, liquidationCalls } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

const DEADLINE_SECONDS = 600n;
/** Most ladder steps listed for one account in one block. */
const MAX_STEPS = 12;

export class LiquidationTask extends BaseTask {
  readonly name = "liquidation";
  lastSent = 0;

  protected async run(ctx: TickContext): Promise<void> {
    this.lastSent = 0;
    const targets: LiquidationTarget[] = [];
    const keyOf = new Map<string, string>();
    const ladder = ctx.snapshot.markets.map((m) => ({
      marketId: m.marketId,
      state: m.state,
      config: m.config,
      index: m.pricing.index,
      halted: m.pricing.halted,
    }));
    for (const c of ctx.candidates) {
      const t = {
        id: c.entry.id,
        owner: c.entry.owner,
        subId: c.entry.subId,
        largestSize: c.health.largestSize,
        steps:
          capabilities.liquidateMany && c.entry.account
            ? Math.max(1, stepsToHealthy(c.entry.account, c.entry.positions, ladder, ctx.head.timestamp, MAX_STEPS))
            : 1,
      };
      targets.push(t);
      // A step is identified by the account's last event: after a step mines, its event makes the next one new.
      keyOf.set(t.id, `${t.id}@${c.entry.lastEventBlock}`);
      const mask = c.entry.account?.marketMask ?? 0;
      for (let m = 0; m < 32; m++) if ((mask >>> m) & 1) ctx.refreshedMarkets.add(BigInt(m));
    }
    if (targets.length === 0) return;
    const deadline = ctx.head.timestamp + DEADLINE_SECONDS;
    const send = async (batch: LiquidationTarget[]): Promise<void> => {
      for (const call of liquidationCalls(batch, ctx.config.liquidationBatch, deadline)) {
        const res = await ctx.submit({
          key: `liquidate:${call.targets.map((t) => keyOf.get(t.id)).join(",")}`,
          task: this.name,
          to: ctx.addresses.pool,
          data: call.data,
          slots: call.targets.map((t) => `account:${t.id}`),
          noop: call.noop,
        });
        if (res.kind === "sent") this.lastSent += call.targets.length;
        // One bad target (its step reverts or breaks gas estimation) must not stall the batch: split it until the
        // bad one is alone (and backs off) while the others go out in this same tick.
        if (res.kind === "failed" && !res.transient && call.targets.length > 1) {
          const half = Math.ceil(call.targets.length / 2);
          await send(call.targets.slice(0, half));
          await send(call.targets.slice(half));
        }
      }
    };
    await send(targets);
  }
}
