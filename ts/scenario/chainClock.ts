// The scenario drives anvil's clock by hand: automine off, every block mined at a chosen timestamp, so that the
// block the keeper liquidates in has the exact time the prediction was computed for.
import type { Hash, TransactionReceipt } from "viem";
import type { DevClients } from "../devnet/clients";
import { PerpError } from "../errors";

export class ChainClock {
  blocksMined = 0;
  constructor(private readonly clients: DevClients) {}

  async manual(): Promise<void> {
    await this.clients.testClient.setAutomine(false);
  }

  async auto(): Promise<void> {
    await this.clients.testClient.setAutomine(true);
  }

  /** Mines one block at `timestamp` with whatever the mempool holds; returns its number. */
  async mineAt(timestamp: bigint): Promise<bigint> {
    await this.clients.testClient.setNextBlockTimestamp({ timestamp });
    await this.clients.testClient.mine({ blocks: 1 });
    this.blocksMined++;
    return this.clients.publicClient.getBlockNumber({ cacheTime: 0 });
  }

  /** Transactions waiting in anvil's mempool. */
  async pendingCount(): Promise<number> {
    const status = await this.clients.testClient.getTxpoolStatus();
    return status.pending + status.queued;
  }

  /** Receipts of transactions already mined (throws if one is missing: it was not in the mined block). */
  async receipts(hashes: readonly Hash[]): Promise<TransactionReceipt[]> {
    return Promise.all(
      hashes.map(async (hash) => {
        const r = await this.clients.publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
        if (!r) throw new PerpError(`transaction ${hash} was not mined in the block it was sent for`);
        return r;
      }),
    );
  }
}
