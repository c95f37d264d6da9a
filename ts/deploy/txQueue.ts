// Sends many transactions from one account without waiting for each receipt: the queue estimates gas with
// headroom, assigns nonces itself (one eth_getTransactionCount, then +1 per send), sends in order, and `waitForAll` collects the
// receipts of a whole wave at once. Transactions in one wave must not depend on each other's *state*
// (each is gas-estimated against the latest block); a later wave may use an earlier one's results.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  encodeDeployData,
  getContractAddress,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import type { DeployParameters } from "../devnet/deploy";
import { PerpError, toPerpError } from "../errors";

export type ProtocolWallet = WalletClient<Transport, Chain, Account>;
export type ProtocolPublicClient = PublicClient<Transport, Chain>;

/** A sent transaction. */
export type SentTx = {
  label: string;
  hash: Hash;
  nonce: number;
  /** For a deployment: the address it will create (from the sender and nonce). */
  address?: Address;
};

export type MinedTx = SentTx & { receipt: TransactionReceipt };

/** A call (`to` set, data from `encodeFunctionData`) or a deployment (no `to`, data from `encodeDeployData`). */
export type TxRequest = { to?: Address; data: Hex; value?: bigint };

export type SendOptions = {
  /**
   * Gas added to the buffered estimate. Needed for pool calls: OracleRouter.refresh reads the feeds only on
   * the first call of a timestamp, so an estimate taken in the same second as the last trade can miss
   * `MIN_GAS_PER_FEED` per feed, and the mined transaction (next second) reverts InsufficientGasForFeed.
   */
  extraGas?: bigint;
};

/** Default gas headroom over the estimate: 30 %. */
export const DEFAULT_GAS_BUFFER_BPS = 3_000n;

export class TxQueue {
  readonly wallet: ProtocolWallet;
  readonly publicClient: ProtocolPublicClient;
  /** ABI used to decode a revert during gas estimation (every protocol error). */
  readonly errorAbi: Abi;
  readonly gasBufferBps: bigint;
  private nextNonce: number | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    wallet: ProtocolWallet,
    publicClient: ProtocolPublicClient,
    errorAbi: Abi,
    gasBufferBps = DEFAULT_GAS_BUFFER_BPS,
  ) {
    this.wallet = wallet;
    this.publicClient = publicClient;
    this.errorAbi = errorAbi;
    this.gasBufferBps = gasBufferBps;
  }

  get address(): Address {
    return this.wallet.account.address;
  }

  /**
   * Estimates gas (plus `gasBufferBps`), assigns the next nonce and sends; resolves once the node accepted
   * the transaction (not mined). Sends from one queue go out in call order even when called concurrently.
   * @example
   * await queue.send("usdc.mint", { to: usdc, data: encodeFunctionData({ abi: testUsdcAbi, functionName: "mint", args }) });
   */
  send(label: string, request: TxRequest, options: SendOptions = {}): Promise<SentTx> {
    const run = async (): Promise<SentTx> => {
      try {
        const account = this.wallet.account;
        const estimate = await this.publicClient.estimateGas({ account, ...request });
        // The estimate is taken on the pending state; the mined block may differ (a new timestamp accrues
        // funding), so leave headroom, plus `extraGas` for what the estimate cannot see (see SendOptions).
        const gas = (estimate * (10_000n + this.gasBufferBps)) / 10_000n + (options.extraGas ?? 0n);
        this.nextNonce ??= await this.publicClient.getTransactionCount({ address: this.address, blockTag: "pending" });
        const nonce = this.nextNonce;
        const hash = await this.wallet.sendTransaction({ ...request, gas, nonce });
        this.nextNonce = nonce + 1;
        const created = request.to ? {} : { address: getContractAddress({ from: this.address, nonce: BigInt(nonce) }) };
        return { label, hash, nonce, ...created };
      } catch (err) {
        this.nextNonce = undefined; // re-read from the node: the nonce may or may not have been used
        throw toPerpError(err, label, this.errorAbi);
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Sends a contract deployment; the returned `address` is where it will be (sender + nonce). */
  deploy<const abi extends Abi>(parameters: DeployParameters<abi> & { name: string }): Promise<SentTx> {
    const { abi, bytecode, args, name } = parameters as DeployParameters<Abi> & {
      name: string;
      args?: readonly unknown[];
    };
    return this.send(name, { data: encodeDeployData({ abi, bytecode, args: args ?? [] }) });
  }
}

/**
 * Waits for the receipts of already-sent transactions, in send order (they were all sent, so this takes as
 * long as the slowest), calling `onMined` for each; throws a PerpError naming the first one that reverted or,
 * for a deployment, created no contract at the expected address.
 */
export async function waitForAll(
  publicClient: ProtocolPublicClient,
  sent: readonly (SentTx | Promise<SentTx>)[],
  onMined?: (tx: MinedTx) => void,
  errorAbi?: Abi,
): Promise<MinedTx[]> {
  const txs = await Promise.all(sent);
  const mined: MinedTx[] = [];
  for (const tx of txs) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: tx.hash }).catch((err: unknown) => {
      throw toPerpError(err, `${tx.label}: no receipt for ${tx.hash}`);
    });
    if (receipt.status !== "success") throw await revertError(publicClient, tx, receipt, errorAbi);
    if (tx.address && receipt.contractAddress?.toLowerCase() !== tx.address.toLowerCase()) {
      throw new PerpError(`${tx.label}: deployed at ${receipt.contractAddress}, expected ${tx.address}`);
    }
    const done = { ...tx, receipt };
    onMined?.(done);
    mined.push(done);
  }
  return mined;
}

/**
 * Why a mined transaction reverted: replays it with eth_call on the state before its block (exact when it was
 * alone in its block, as under automine) and decodes the revert; falls back to "reverted" with the gas used.
 */
async function revertError(
  publicClient: ProtocolPublicClient,
  tx: SentTx,
  receipt: TransactionReceipt,
  errorAbi: Abi | undefined,
): Promise<PerpError> {
  const details = `tx ${tx.hash} in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`;
  try {
    const sent = await publicClient.getTransaction({ hash: tx.hash });
    await publicClient.call({
      account: sent.from,
      to: sent.to,
      data: sent.input,
      value: sent.value,
      gas: sent.gas,
      blockNumber: receipt.blockNumber - 1n,
    });
  } catch (err) {
    const error = toPerpError(err, `${tx.label} reverted`, errorAbi);
    return new PerpError(error.shortMessage, { details, cause: err });
  }
  return new PerpError(`${tx.label} reverted`, {
    details: `${details} (a replay on the previous block succeeds: out of gas, or it depended on a transaction mined before it in the same block)`,
  });
}
