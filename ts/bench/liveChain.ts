// A live anvil driven block by block, with the forge fixture's actors: the same addresses as forge's
// makeAddr("alice") etc. (impersonated), so that calldata and storage keys match the gas tests exactly, and
// every block mined explicitly (automine off) at a chosen timestamp, so that "first in block" means just that.
import {
  type Abi,
  type Address,
  type Chain,
  createWalletClient,
  type Hash,
  http,
  keccak256,
  parseEther,
  type TransactionReceipt,
  toBytes,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevClients } from "../devnet/clients";
import { PerpError } from "../errors";

/** forge-std's makeAddr(name): vm.addr(uint256(keccak256(bytes(name)))). */
export function makeAddr(name: string): Address {
  return privateKeyToAccount(keccak256(toBytes(name))).address;
}

export type Call = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };
/** A transaction to put in a block: who sends which call. */
export type Tx = { from: Address; call: Call };

const TX_GAS = 5_000_000n;

export class LiveChain {
  private readonly wallets = new Map<Address, WalletClient>();
  /** Timestamp of the last block mined through this class. */
  now = 0n;

  constructor(
    private readonly clients: DevClients,
    private readonly rpcUrl: string,
    private readonly chain: Chain,
  ) {}

  /** Impersonates `name`'s makeAddr address and gives it gas money. */
  actor(name: string): Promise<Address> {
    return this.actorAt(makeAddr(name));
  }

  /** Impersonates `address` (e.g. the deployer, who owns the feeds) and gives it gas money. */
  async actorAt(address: Address): Promise<Address> {
    if (!this.wallets.has(address)) {
      await this.clients.testClient.impersonateAccount({ address });
      await this.clients.testClient.setBalance({ address, value: parseEther("1000") });
      this.wallets.set(
        address,
        createWalletClient({ account: address, chain: this.chain, transport: http(this.rpcUrl) }),
      );
    }
    return address;
  }

  /** From here on, blocks are mined only by `block`. */
  async manualMining(): Promise<void> {
    await this.clients.testClient.setAutomine(false);
    this.now = (await this.clients.publicClient.getBlock()).timestamp;
  }

  /**
   * Sends `txs` (in order) into one block mined at `timestamp` and returns their receipts. The default is the
   * current time `now` (anvil mines several blocks at one timestamp, as forge runs a whole setUp at one
   * `block.timestamp`); `warp` moves it, as forge's vm.warp. Throws when any of them reverted.
   */
  async block(txs: readonly Tx[], timestamp: bigint = this.now): Promise<TransactionReceipt[]> {
    const hashes: Hash[] = [];
    for (const tx of txs) {
      const wallet = this.wallets.get(tx.from);
      if (!wallet) throw new PerpError(`bench: ${tx.from} is not an actor`);
      hashes.push(
        await wallet.writeContract({
          ...tx.call,
          args: tx.call.args ?? [],
          gas: TX_GAS,
          account: tx.from,
          chain: this.chain,
        } as never),
      );
    }
    await this.clients.testClient.request({ method: "evm_mine", params: [Number(timestamp)] } as never);
    this.now = timestamp;
    const receipts = await Promise.all(hashes.map((hash) => this.clients.publicClient.getTransactionReceipt({ hash })));
    const blockNumbers = new Set(receipts.map((r) => r.blockNumber));
    if (blockNumbers.size > 1)
      throw new PerpError(`bench: ${txs.length} transactions spread over ${blockNumbers.size} blocks`);
    receipts.forEach((r, i) => {
      if (r.status !== "success") {
        throw new PerpError(
          `bench: ${txs[i]?.call.functionName} reverted in block ${r.blockNumber} (${r.transactionHash})`,
        );
      }
    });
    return receipts;
  }

  /** Gas of the last transaction of a block of `txs`. */
  async lastGas(txs: readonly Tx[], timestamp?: bigint): Promise<bigint> {
    return (await this.last(txs, timestamp)).gasUsed;
  }

  /** Receipt and calldata of the last transaction of a block of `txs`. */
  async last(txs: readonly Tx[], timestamp?: bigint): Promise<{ gasUsed: bigint; input: `0x${string}` }> {
    const receipts = await this.block(txs, timestamp);
    const last = receipts.at(-1);
    if (!last) throw new PerpError("bench: empty block");
    const tx = await this.clients.publicClient.getTransaction({ hash: last.transactionHash });
    return { gasUsed: last.gasUsed, input: tx.input };
  }

  /** Deploys a contract from `from` in a block of its own; returns its address. */
  async deploy(
    from: Address,
    contract: { abi: Abi; bytecode: `0x${string}`; args: readonly unknown[] },
  ): Promise<Address> {
    const wallet = this.wallets.get(from);
    if (!wallet) throw new PerpError(`bench: ${from} is not an actor`);
    const hash = await wallet.deployContract({
      ...contract,
      account: from,
      chain: this.chain,
      gas: 10_000_000n,
    } as never);
    this.now += 1n;
    await this.clients.testClient.request({ method: "evm_mine", params: [Number(this.now)] } as never);
    const receipt = await this.clients.publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress)
      throw new PerpError(`bench: deployment reverted (${hash})`);
    return receipt.contractAddress;
  }

  /** forge's vm.warp(block.timestamp + seconds): later blocks default to the new time. */
  warp(seconds: bigint): void {
    this.now += seconds;
  }

  read(call: Call): Promise<unknown> {
    return this.clients.publicClient.readContract({ ...call, args: call.args ?? [] } as never);
  }

  snapshot(): Promise<`0x${string}`> {
    return this.clients.snapshot();
  }

  /** Back to `id` (timestamps included). */
  async revert(id: `0x${string}`, now: bigint): Promise<void> {
    await this.clients.revert(id);
    this.now = now;
  }
}
