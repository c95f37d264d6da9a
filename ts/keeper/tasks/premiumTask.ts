// Premium: distributePremium once `premiumIntervalSeconds` have passed since the last PremiumDistributed event
// (the schedule lives on chain) and at least one token unit is pending.
import { distributePremiumData, premiumNoop } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

const TOKEN_UNIT_WAD = 10n ** 12n;

export class PremiumTask extends BaseTask {
  readonly name = "premium";

  protected async run(ctx: TickContext): Promise<void> {
    if (ctx.snapshot.pendingPremium < TOKEN_UNIT_WAD) return;
    const last = ctx.lastPremium;
    if (last && ctx.head.timestamp < last.timestamp + BigInt(ctx.config.premiumIntervalSeconds)) return;
    await ctx.submit({
      key: `premium:${last?.block ?? 0n}`,
      task: this.name,
      to: ctx.addresses.pool,
      data: distributePremiumData(),
      slots: ["premium"],
      noop: premiumNoop,
      // distributePremium never reads the oracle: the estimate and the buffer are the limit.
      gasHeadroom: 0n,
    });
  }
}
