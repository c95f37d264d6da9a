// Liquidation: every confirmed liquidatable account of the shard, worst first, through the batch entry point
// (liquidateMany) or one call per account (the old liquidateIfUnhealthy). One step per account per block: the
// next block's evaluation decides whether another ladder step is due. An account already in flight waits.
import { type LiquidationTarget, liquidationCalls } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

const DEADLINE_SECONDS = 600n;

export class LiquidationTask extends BaseTask {
  readonly name = "liquidation";
  lastSent = 0;

  protected async run(ctx: TickContext): Promise<void> {
    this.lastSent = 0;
    const targets: LiquidationTarget[] = [];
    const keyOf = new Map<string, string>();
    for (const c of ctx.candidates) {
      const t = {
        id: c.entry.id,
        owner: c.entry.owner,
        subId: c.entry.subId,
        largestSize: c.health.largestSize,
      };
      targets.push(t);
      // A step is identified by the account's last event: after a step mines, its event makes the next one new.
      keyOf.set(t.id, `${t.id}@${c.entry.lastEventBlock}`);
      const mask = c.entry.account?.marketMask ?? 0;
      for (let m = 0; m < 32; m++) if ((mask >>> m) & 1) ctx.refreshedMarkets.add(BigInt(m));
    }
    if (targets.length === 0) return;
    const deadline = ctx.head.timestamp + DEADLINE_SECONDS;
    for (const call of liquidationCalls(targets, ctx.config.liquidationBatch, deadline)) {
      const key = `liquidate:${call.targets.map((t) => keyOf.get(t.id)).join(",")}`;
      const res = await ctx.submit({
        key,
        task: this.name,
        to: ctx.addresses.pool,
        data: call.data,
        slots: call.targets.map((t) => `account:${t.id}`),
        noop: call.noop,
      });
      if (res.kind === "sent") this.lastSent += call.targets.length;
    }
  }
}
