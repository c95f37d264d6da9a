// The backstop inventory's descending-discount sale (`takeInventory`). Every tick the task reads the sale of each
// market where the backstop holds inventory (`lens.inventorySales()`: size, index, discount and price per base,
// budget left) and logs it when it changes. Taking is off by default: only with `inventoryTakerSubId` set does the
// keeper take up to `inventoryMaxBase` into its own account `(signer, subId)`, once the discount is at least
// `inventoryMinDiscountBps` of the index, never paying more (receiving less) than the index it read. The pool checks
// the taker's margin like a trade: an account without enough margin simply does not take (a revert = not due).
import type { Chain, PublicClient, Transport } from "viem";
import { capabilities, lensAbiLoose, parseInventorySales, type SaleState, takeInventoryData } from "../poolAdapter";
import { BaseTask, type TickContext } from "./task";

const BPS = 10_000n;
/** Seconds the keeper's take stays valid (its deadline). */
const DEADLINE_SECONDS = 120n;
const NORMAL = 0;

export class InventorySaleTask extends BaseTask {
  readonly name = "inventory";
  /** The last sale state logged per market (size and budget), so a quiet sale is not logged every block. */
  private readonly seen = new Map<bigint, string>();
  private last: SaleState[] = [];

  constructor(private readonly client: PublicClient<Transport, Chain>) {
    super();
  }

  override start(): void {
    this.running = capabilities.takeInventory && capabilities.inventorySales;
  }

  override health() {
    const base = super.health();
    if (this.last.length === 0) return base;
    const sales = this.last.map((s) => `market ${s.marketId}: ${s.size} at ${s.pricePerBase}`).join(", ");
    return { ...base, detail: [base.detail, `inventory for sale: ${sales}`].filter(Boolean).join("; ") };
  }

  protected async run(ctx: TickContext): Promise<void> {
    this.last = parseInventorySales(
      await this.client.readContract({
        address: ctx.addresses.lens,
        abi: lensAbiLoose,
        functionName: "inventorySales",
        blockNumber: ctx.head.number,
      }),
    );
    for (const s of this.last) {
      const key = `${s.size}:${s.budget}:${s.clockStart}`;
      if (this.seen.get(s.marketId) !== key) {
        this.seen.set(s.marketId, key);
        ctx.log.info(
          {
            task: this.name,
            marketId: s.marketId.toString(),
            size: s.size.toString(),
            index: s.indexPrice.toString(),
            discountPerBase: s.discountPerBase.toString(),
            pricePerBase: s.pricePerBase.toString(),
            budget: s.budget.toString(),
            clockStart: s.clockStart.toString(),
          },
          "backstop inventory for sale",
        );
      }
      const subId = ctx.config.inventoryTakerSubId;
      if (subId === undefined || s.size === 0n || s.oracleStatus !== NORMAL) continue;
      if (s.discountPerBase * BPS < s.indexPrice * BigInt(ctx.config.inventoryMinDiscountBps)) continue;
      await ctx.submit({
        key: `inventory:${s.marketId}:${ctx.head.number}`,
        task: this.name,
        to: ctx.addresses.pool,
        data: takeInventoryData(s.marketId, BigInt(subId), ctx.config.inventoryMaxBase, s.indexPrice, {
          deadline: ctx.head.timestamp + DEADLINE_SECONDS,
        }),
        slots: [`inventory:${s.marketId}`],
        revertMeansNotDue: true,
      });
    }
    for (const id of [...this.seen.keys()]) {
      if (!this.last.some((s) => s.marketId === id)) this.seen.delete(id);
    }
  }
}
