// Funding: updateFunding for every market whose interval has passed (marketView.nextFundingUpdate, on-chain
// state, so a restart neither skips nor repeats a period). "FundingNotDue" from a competitor's update is done.
// Due markets go out by gross open-interest notional, largest first: a correlation group's member blends a sibling's
// snapshot only if it was measured after the member's own last update, so the liquid market, updated first, is the
// one whose measurement its smaller siblings blend in the same block (and not the other way round).
import type { MarketSnapshot } from "../chain/snapshot";
import { updateFundingData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

export class FundingTask extends BaseTask {
  readonly name = "funding";

  protected async run(ctx: TickContext): Promise<void> {
    const due = ctx.snapshot.markets.filter((m) => {
      const next = m.view?.nextFundingUpdate;
      return next !== undefined && ctx.head.timestamp >= next;
    });
    for (const m of fundingOrder(due)) {
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

/** Gross open interest (long + short) at the index, WAD quote: what FundingPolicy weighs a group's members by. */
export function grossNotional(m: Pick<MarketSnapshot, "state" | "pricing">): bigint {
  return ((m.state.longOpenInterest + m.state.shortOpenInterest) * m.pricing.index) / 10n ** 18n;
}

/** The order to update due markets in: largest gross open-interest notional first, ties by market id. */
export function fundingOrder<M extends Pick<MarketSnapshot, "marketId" | "state" | "pricing">>(due: readonly M[]): M[] {
  const gross = new Map(due.map((m) => [m.marketId, grossNotional(m)]));
  return [...due].sort((a, b) => {
    const ga = gross.get(a.marketId) ?? 0n;
    const gb = gross.get(b.marketId) ?? 0n;
    if (ga !== gb) return ga > gb ? -1 : 1;
    return a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0;
  });
}
