// Repeg: when the pool has `repeg(marketId)`, try it every `repegCheckSeconds` of chain time; the pool decides
// whether the time-weighted mark-index gap makes it due (a revert just means not yet).
import { capabilities, repegData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

export class RepegTask extends BaseTask {
  readonly name = "repeg";
  private lastTry = new Map<bigint, bigint>();

  override start(): void {
    this.running = capabilities.repeg;
  }

  protected async run(ctx: TickContext): Promise<void> {
    for (const m of ctx.snapshot.markets) {
      const last = this.lastTry.get(m.marketId);
      if (last !== undefined && ctx.head.timestamp < last + BigInt(ctx.config.repegCheckSeconds)) continue;
      this.lastTry.set(m.marketId, ctx.head.timestamp);
      await ctx.submit({
        key: `repeg:${m.marketId}:${ctx.head.number}`,
        task: this.name,
        to: ctx.addresses.pool,
        data: repegData(m.marketId),
        slots: [`repeg:${m.marketId}`],
        revertMeansNotDue: true,
      });
    }
  }
}
