import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import { COLLATERAL_DECIMALS } from "../../money";
import type { PerpClient } from "../client";
import { addressSchema, parseParameters, positiveAmountSchema, subIdSchema } from "../schemas";
import { accountAddress, minedEvent, sendContract } from "../write";

export type WithdrawMarginParameters = {
  /** PerpPool address. */
  pool: Address;
  /** Collateral to withdraw: "250.5" (USDC) or a bigint in token units. */
  amount: string | bigint;
  /** Account owner; default the sender (an approved operator may withdraw for an owner). */
  owner?: Address | undefined;
  subId?: bigint | number | undefined;
  /** Recipient; default the sender. */
  to?: Address | undefined;
  account?: Account | Address | undefined;
};

export type WithdrawMarginReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Withdrawn amount in token units, from the mined `MarginWithdrawn` event. */
  amount: bigint;
  /** Recipient of the tokens, from the same event. */
  to: Address;
};

const schema = z.object({
  pool: addressSchema,
  amount: positiveAmountSchema(COLLATERAL_DECIMALS),
  owner: addressSchema.optional(),
  subId: subIdSchema,
  to: addressSchema.optional(),
  account: z.any().optional(),
});

/**
 * Withdraws collateral. The account must still meet its initial requirement afterwards, paper gains excluded;
 * otherwise it throws a ContractRevertError named `InsufficientMargin` (or `InsufficientCollateral`).
 * @example
 * await withdrawMargin(walletClient, { pool, amount: "250" });
 */
export async function withdrawMargin(
  client: PerpClient,
  parameters: WithdrawMarginParameters,
): Promise<WithdrawMarginReturnType> {
  const p = parseParameters("withdrawMargin", schema, parameters);
  const sender = accountAddress(client, p.account, "withdrawMargin");
  const { hash, receipt } = await sendContract(client, "withdrawMargin", {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "withdrawMargin",
    args: [p.owner ?? sender, p.subId, p.amount, p.to ?? sender],
    account: p.account,
    refreshesOracleOf: p.pool,
  });
  const event = minedEvent("withdrawMargin", receipt, {
    abi: perpPoolAbi,
    eventName: "MarginWithdrawn",
    address: p.pool,
  });
  return { hash, receipt, amount: event.amount, to: event.to };
}
