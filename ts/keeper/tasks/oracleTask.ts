// Oracle refresh: every market whose refresh would change the stored observation (price or status), so that a
// state change (a breaker trip, a halt, a recovery) is recorded by a call of its own. Markets a liquidation of
// this tick or a sent, not yet mined one refreshes anyway are left to it (one transaction fewer in the block that
// matters, and none while our own liquidations wait for a slow block).
import { encodeFunctionData } from "viem";
import { oracleRouterAbi } from "../../abi/generated";
import { BaseTask, type TickContext } from "./task";

/** The base cost of any transaction. */
const INTRINSIC_GAS = 21_000n;

export class OracleTask extends BaseTask {
  readonly name = "oracle";

  protected async run(ctx: TickContext): Promise<void> {
    for (const m of ctx.snapshot.markets) {
      if (!m.peek || ctx.refreshedMarkets.has(m.marketId)) continue;
      if (m.peek.price === m.last.price && m.peek.status === m.last.status) continue;
      await ctx.submit({
        key: `oracle:${m.marketId}:${m.last.timestamp}:${m.peek.price}:${m.peek.status}`,
        task: this.name,
        to: ctx.addresses.oracle,
        data: encodeFunctionData({ abi: oracleRouterAbi, functionName: "refresh", args: [m.marketId] }),
        slots: [`oracle:${m.marketId}`],
        // The estimate and its buffer: it reads this market's feeds itself (the router wants MIN_GAS_PER_FEED left
        // before each, which the estimate pays for), unless this block already stored an observation (the estimate
        // then takes the cached path): only then a floor of this market's feeds, never every market's (15x).
        gasHeadroom: 0n,
        ...(m.last.timestamp >= ctx.head.timestamp ? { minGas: INTRINSIC_GAS + ctx.oracleHeadroom(m.marketId) } : {}),
      });
    }
  }
}
