// The write path shared by every action: simulate (a revert is decoded before anything is signed), send,
// wait for the receipt, and fail loudly on a reverted receipt. What an action reports comes from the mined
// receipt's events (`minedEvent`), never from the simulation: the simulation ran against the pending block,
// and the block that mines the transaction may have another timestamp (a cooldown's unlock time moves with
// it), other transactions before it, or another oracle price.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  type ContractEventName,
  type GetEventArgs,
  type Hash,
  isAddressEqual,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
} from "viem";
import { estimateContractGas, simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { oracleGasHeadroom } from "../chain/oracleGas";
import { PerpError } from "../errors";
import { actionError } from "./errors";

export type WriteResult = {
  hash: Hash;
  receipt: TransactionReceipt;
};

export type SendParameters = {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Overrides the client's account. */
  account?: Account | Address | undefined;
  /**
   * The pool, when the call may refresh its oracle (trades, withdrawals, liquidations): the gas limit then
   * includes the feed reads an estimate in the same block cannot see (ts/chain/oracleGas.ts).
   */
  refreshesOracleOf?: Address | undefined;
};

/** Headroom over the estimate for state that changes between estimation and mining, in bps. */
const GAS_BUFFER_BPS = 3_000n;

/**
 * Simulates, sends and waits for a successful receipt. Returns only the hash and the receipt: read the outcome
 * from the receipt with `minedEvent`.
 */
export async function sendContract(
  client: Client<Transport, Chain | undefined, Account | undefined>,
  action: string,
  parameters: SendParameters,
): Promise<WriteResult> {
  const account = parameters.account ?? client.account;
  if (!account) throw new PerpError(`${action}: no account: pass \`account\` or use a client with one`);
  try {
    const { request } = await simulateContract(client, {
      address: parameters.address,
      abi: parameters.abi,
      functionName: parameters.functionName,
      args: parameters.args,
      account,
      chain: client.chain,
    } as never);
    let gas: bigint | undefined;
    if (parameters.refreshesOracleOf) {
      const [estimate, headroom] = await Promise.all([
        estimateContractGas(client, request as never),
        oracleGasHeadroom(client, parameters.refreshesOracleOf),
      ]);
      gas = (estimate * (10_000n + GAS_BUFFER_BPS)) / 10_000n + headroom;
    }
    const hash = await writeContract(client, { ...(request as object), gas } as never);
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success") {
      throw new PerpError(`${action}: transaction reverted`, { details: `tx ${hash} in block ${receipt.blockNumber}` });
    }
    return { hash, receipt };
  } catch (err) {
    throw actionError(action, err);
  }
}

/** The address of the sending account (parameter first, then the client's). */
export function accountAddress(
  client: Client<Transport, Chain | undefined, Account | undefined>,
  account: Account | Address | undefined,
  action: string,
): Address {
  const a = account ?? client.account;
  if (!a) throw new PerpError(`${action}: no account: pass \`account\` or use a client with one`);
  return typeof a === "string" ? a : a.address;
}

/**
 * The args of the first `eventName` event that `address` emitted in a mined `receipt` (throws when there is none).
 * @example
 * const { unlockTime } = minedEvent("requestWithdraw", receipt, { abi: trancheVaultAbi, eventName: "WithdrawRequested", address: vault });
 */
export function minedEvent<const abi extends Abi, const eventName extends ContractEventName<abi>>(
  action: string,
  receipt: TransactionReceipt,
  parameters: { abi: abi; eventName: eventName; address: Address },
): GetEventArgs<abi, eventName, { EnableUnion: false; IndexedOnly: false; Required: true }> {
  const { abi, eventName, address } = parameters;
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, address));
  const [event] = parseEventLogs({ abi, eventName, logs });
  if (!event) {
    throw actionError(action, new Error(`no ${eventName} event from ${address} in ${receipt.transactionHash}`));
  }
  return event.args as GetEventArgs<abi, eventName, { EnableUnion: false; IndexedOnly: false; Required: true }>;
}
