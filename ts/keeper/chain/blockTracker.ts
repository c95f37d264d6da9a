// Remembers the hashes of the last N processed blocks and finds the common ancestor after a reorg.
import type { Chain, Hex, PublicClient, Transport } from "viem";

export type BlockInfo = {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  baseFeePerGas: bigint;
  gasLimit: bigint;
};

export async function getBlockInfo(
  client: PublicClient<Transport, Chain>,
  at: bigint | "latest",
): Promise<BlockInfo | undefined> {
  const b =
    at === "latest" ? await client.getBlock({ blockTag: "latest" }) : await client.getBlock({ blockNumber: at });
  if (!b || b.hash === null || b.number === null) return undefined;
  return {
    number: b.number,
    hash: b.hash,
    parentHash: b.parentHash,
    timestamp: b.timestamp,
    baseFeePerGas: b.baseFeePerGas ?? 0n,
    gasLimit: b.gasLimit,
  };
}

export class BlockTracker {
  private readonly hashes = new Map<bigint, Hex>();

  constructor(private readonly window: number) {}

  record(block: Pick<BlockInfo, "number" | "hash">): void {
    this.hashes.set(block.number, block.hash);
    for (const n of this.hashes.keys()) if (n <= block.number - BigInt(this.window)) this.hashes.delete(n);
  }

  hashAt(n: bigint): Hex | undefined {
    return this.hashes.get(n);
  }

  /** Forget every block above `n` (after a rollback). */
  truncate(n: bigint): void {
    for (const k of this.hashes.keys()) if (k > n) this.hashes.delete(k);
  }

  /** True when `head` does not extend what was recorded (its parent, or the same height, differs). */
  conflicts(head: BlockInfo): boolean {
    const same = this.hashes.get(head.number);
    if (same !== undefined && same !== head.hash) return true;
    const parent = this.hashes.get(head.number - 1n);
    if (parent !== undefined && parent !== head.parentHash) return true;
    // A head below what was recorded (the chain got shorter) is a reorg too.
    const top = this.top();
    return top !== undefined && head.number < top && same === undefined;
  }

  top(): bigint | undefined {
    let top: bigint | undefined;
    for (const n of this.hashes.keys()) if (top === undefined || n > top) top = n;
    return top;
  }

  /**
   * The highest recorded block still on the canonical chain (walking down from `from`), or undefined when the
   * reorg is deeper than the window.
   */
  async commonAncestor(client: PublicClient<Transport, Chain>, from: bigint): Promise<bigint | undefined> {
    for (let n = from; n >= 0n; n--) {
      const recorded = this.hashes.get(n);
      if (recorded === undefined) return undefined;
      const canonical = await getBlockInfo(client, n);
      if (canonical && canonical.hash === recorded) return n;
    }
    return undefined;
  }
}
