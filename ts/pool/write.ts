// The write path shared by every action: simulate (a revert is decoded before anything is signed), send,
// wait for the receipt, and fail loudly on a reverted receipt.
import type { Abi, Account, Address, Chain, Client, Hash, TransactionReceipt, Transport } from "viem";
import { estimateContractGas, simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { oracleGasHeadroom } from "../chain/oracleGas";
import { PerpError } from "../errors";
import { actionError } from "./errors";

export type WriteResult<result> = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The function's return value as simulated just before sending. */
  result: result;
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

export async function sendContract<result = unknown>(
  client: Client<Transport, Chain | undefined, Account | undefined>,
  action: string,
  parameters: SendParameters,
): Promise<WriteResult<result>> {
  const account = parameters.account ?? client.account;
  if (!account) throw new PerpError(`${action}: no account: pass \`account\` or use a client with one`);
  try {
    const { request, result } = await simulateContract(client, {
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
    return { hash, receipt, result: result as result };
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
