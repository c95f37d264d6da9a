// Repeg: one step for each market whose snapshot says `repegDue` (the lens evaluates the pool's own trigger over
// the repeg's window at the head block), every block while it stays due. A step moves the mark by less than a round
// trip's fees, so the pool needs one per block until the mark is back within the funding cap. A revert in the
// simulation (`RepegNotDue`: a trade or someone else's step got there first) is an expected outcome, not an error.
import { capabilities, repegData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

/** OracleStatus.Normal: the pool repegs only toward an index the oracle vouches for (the lens's `repegDue` too). */
const ORACLE_NORMAL = 0;

export class RepegTask extends BaseTask {
  readonly name = "repeg";

  override start(): void {
    this.running = capabilities.repeg;
  }

  protected async run(ctx: TickContext): Promise<void> {
    for (const m of ctx.snapshot.markets) {
      if (!repegDue(m.view)) continue;
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

/** Whether the lens's market view (absent when its read failed) says a repeg step is due now. */
export function repegDue(view: { repegDue?: boolean; oracleStatus?: number } | undefined): boolean {
  return view?.repegDue === true && view.oracleStatus === ORACLE_NORMAL;
}
