// One block's worth of transactions from many senders: sent without waiting (each sender's TxQueue assigns its
// nonces), then mined together at a chosen timestamp, then their receipts sorted into kinds.
import type { TransactionReceipt } from "viem";
import type { SentTx } from "../deploy/txQueue";
import type { ChainClock } from "./chainClock";

export type BatchKind = "crowd" | "arbitrage" | "sale" | "feed" | "lp" | "other";
export type MinedItem = { kind: BatchKind; label: string; receipt: TransactionReceipt };

export class BlockBatch {
  private readonly sent: { kind: BatchKind; tx: Promise<SentTx>; onSuccess?: (() => void) | undefined }[] = [];
  /** Sends that failed before reaching the node (a simulated revert): label and reason. */
  readonly refused: { kind: BatchKind; label: string; reason: string }[] = [];

  /** `onSuccess` runs once the transaction mined successfully. */
  add(kind: BatchKind, tx: Promise<SentTx>, onSuccess?: () => void): void {
    this.sent.push({ kind, tx, onSuccess });
  }

  get size(): number {
    return this.sent.length;
  }

  /** Mines the block at `timestamp`; returns every mined item (reverted ones included, status "reverted"). */
  async mine(clock: ChainClock, timestamp: bigint): Promise<{ block: bigint; items: MinedItem[] }> {
    const settled = await Promise.allSettled(this.sent.map((s) => s.tx));
    const ok: { kind: BatchKind; tx: SentTx; onSuccess?: (() => void) | undefined }[] = [];
    settled.forEach((r, i) => {
      const s = this.sent[i];
      const kind = s?.kind ?? "other";
      if (r.status === "fulfilled") ok.push({ kind, tx: r.value, onSuccess: s?.onSuccess });
      else this.refused.push({ kind, label: "send", reason: (r.reason as Error).message.split("\n")[0] ?? "" });
    });
    const block = await clock.mineAt(timestamp);
    const receipts = await clock.receipts(ok.map((o) => o.tx.hash));
    ok.forEach((o, i) => {
      if (receipts[i]?.status === "success") o.onSuccess?.();
    });
    return {
      block,
      items: ok.map((o, i) => ({ kind: o.kind, label: o.tx.label, receipt: receipts[i] as TransactionReceipt })),
    };
  }
}
