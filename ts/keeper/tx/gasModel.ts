// What a transaction of ours will take from a block, learned from the chain: the fraction of the node's estimate
// that each task's mined transactions actually used (receipt gasUsed, after refunds), per block (the estimate, not
// the limit: the limit adds a fixed oracle headroom per transaction, which would make the ratio depend on size).
// A node includes a transaction while (gas used so far in the block) + (its gas limit) <= block gas limit, so a
// block is packed by predicted gas USED plus the last transaction's limit, not by the sum of the limits (which the
// estimate's safety buffer, the oracle headroom and storage refunds put ~1.6x above what is used).
const BPS = 10_000n;
/** Blocks of receipts remembered per task; the prediction is their aggregate used/estimate ratio. */
const WINDOW = 3;
/**
 * Safety margin on the learned ratio. Small on purpose: an overshoot only makes the block's last transaction wait
 * for the next block (where it counts against that block's plan), an undershoot leaves block space unused.
 */
const MARGIN_BPS = 50n;

type BlockGas = { block: bigint; used: bigint; estimate: bigint };

export class GasModel {
  private readonly byTask = new Map<string, BlockGas[]>();

  /** Forget every receipt (the chain was reset). */
  clear(): void {
    this.byTask.clear();
  }

  /** A mined transaction of `task`: the node's estimate it was sent on and the receipt's gasUsed, in `block`. */
  observe(task: string, block: bigint, estimate: bigint, used: bigint): void {
    if (estimate <= 0n) return;
    const blocks = this.byTask.get(task) ?? [];
    this.byTask.set(task, blocks);
    let b = blocks.find((x) => x.block === block);
    if (!b) {
      b = { block, used: 0n, estimate: 0n };
      blocks.push(b);
      blocks.sort((x, y) => (x.block < y.block ? -1 : x.block > y.block ? 1 : 0));
      if (blocks.length > WINDOW) blocks.splice(0, blocks.length - WINDOW);
    }
    b.used += used;
    b.estimate += estimate;
  }

  /** Used / estimate of `task`'s transactions (bps) over the last few blocks; undefined before any receipt. */
  usedBps(task: string): bigint | undefined {
    const blocks = this.byTask.get(task);
    if (!blocks || blocks.length === 0) return undefined;
    let used = 0n;
    let estimate = 0n;
    for (const b of blocks) {
      used += b.used;
      estimate += b.estimate;
    }
    return (used * BPS + estimate - 1n) / estimate;
  }

  /**
   * Gas a transaction of `task` with this limit is expected to use once mined. Before any receipt: the node's own
   * estimate (what the call needed in isolation, >= what it uses after refunds in most cases).
   */
  predictUsed(task: string, limit: bigint, estimate: bigint): bigint {
    const bps = this.usedBps(task);
    const used = bps === undefined ? estimate : (estimate * (bps + MARGIN_BPS) + BPS - 1n) / BPS;
    return used < limit ? used : limit;
  }
}
