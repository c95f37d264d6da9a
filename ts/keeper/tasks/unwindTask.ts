// Inventory unwind: when the pool has `unwindInventory`, unwind the backstop's positions patiently, a bounded
// amount per block, and only while the mark is within `unwindMaxGapBps` of the index (the pool bounds the price).
import type { Chain, PublicClient, Transport } from "viem";
import { capabilities, lensAbiLoose, parseInventory, unwindData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

const BPS = 10_000n;

export class UnwindTask extends BaseTask {
  readonly name = "unwind";

  constructor(private readonly client: PublicClient<Transport, Chain>) {
    super();
  }

  override start(): void {
    this.running = capabilities.unwindInventory && capabilities.inventory;
  }

  protected async run(ctx: TickContext): Promise<void> {
    const inventory = parseInventory(
      await this.client.readContract({
        address: ctx.addresses.lens,
        abi: lensAbiLoose,
        functionName: "inventory",
        blockNumber: ctx.head.number,
      }),
    );
    for (const { marketId, size } of inventory) {
      if (size === 0n) continue;
      const m = ctx.snapshot.markets[Number(marketId)];
      const mark = m?.view?.markPrice;
      const index = m?.pricing.index;
      if (!mark || !index) continue;
      const gap = mark > index ? mark - index : index - mark;
      if (gap * BPS > index * BigInt(ctx.config.unwindMaxGapBps)) continue;
      await ctx.submit({
        key: `unwind:${marketId}:${ctx.head.number}`,
        task: this.name,
        to: ctx.addresses.pool,
        data: unwindData(marketId, ctx.config.unwindMaxBase),
        slots: [`unwind:${marketId}`],
        revertMeansNotDue: true,
      });
    }
  }
}
