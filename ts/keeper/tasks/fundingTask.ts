// Funding: updateFunding for every market whose interval has passed (marketView.nextFundingUpdate, on-chain
// state, so a restart neither skips nor repeats a period). "FundingNotDue" from a competitor's update is done.
import { updateFundingData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

export class FundingTask extends BaseTask {
  readonly name = "funding";

  protected async run(ctx: TickContext): Promise<void> {
    for (const m of ctx.snapshot.markets) {
      const next = m.view?.nextFundingUpdate;
      if (next === undefined || ctx.head.timestamp < next) continue;
      await ctx.submit({
        key: `funding:${m.marketId}:${m.state.periodStart}`,
        task: this.name,
        to: ctx.addresses.pool,
        data: updateFundingData(m.marketId),
        slots: [`funding:${m.marketId}`],
      });
    }
  }
}
