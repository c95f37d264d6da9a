import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi, testUsdcAbi } from "../../abi/generated";
import { COLLATERAL_DECIMALS } from "../../money";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { addressSchema, parseParameters, positiveAmountSchema, subIdSchema } from "../schemas";
import { accountAddress, minedEvent, sendContract } from "../write";

export type DepositMarginParameters = {
  /** PerpPool address. */
  pool: Address;
  /** Collateral to deposit: "1500.25" (USDC) or a bigint in token units (1_500_250_000n). */
  amount: string | bigint;
  /** Sub-account of the sender; 0 (default) is the cross-margin account. */
  subId?: bigint | number | undefined;
  account?: Account | Address | undefined;
};

export type DepositMarginReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The approval sent first when the allowance was short (undefined when none was needed). */
  approveHash: Hash | undefined;
  /** Deposited amount in token units, from the mined `MarginDeposited` event. */
  amount: bigint;
  /** The credited sub-account, from the same event. */
  subId: bigint;
};

const schema = z.object({
  pool: addressSchema,
  amount: positiveAmountSchema(COLLATERAL_DECIMALS),
  subId: subIdSchema,
  account: z.any().optional(),
});

/**
 * Deposits collateral into `(sender, subId)`, approving the pool first when its allowance is short.
 * @example
 * await depositMargin(walletClient, { pool, amount: "10000" }); // 10,000 USDC into the cross account
 */
export async function depositMargin(
  client: PerpClient,
  parameters: DepositMarginParameters,
): Promise<DepositMarginReturnType> {
  const { pool, amount, subId, account } = parseParameters("depositMargin", schema, parameters);
  const owner = accountAddress(client, account, "depositMargin");
  let approveHash: Hash | undefined;
  try {
    const token = await readContract(client, { address: pool, abi: perpPoolAbi, functionName: "collateralToken" });
    const allowance = await readContract(client, {
      address: token,
      abi: testUsdcAbi,
      functionName: "allowance",
      args: [owner, pool],
    });
    if (allowance < amount) {
      approveHash = (
        await sendContract(client, "depositMargin (approve)", {
          address: token,
          abi: testUsdcAbi,
          functionName: "approve",
          args: [pool, amount],
          account,
        })
      ).hash;
    }
  } catch (err) {
    throw actionError("depositMargin", err);
  }
  const { hash, receipt } = await sendContract(client, "depositMargin", {
    address: pool,
    abi: perpPoolAbi,
    functionName: "depositMargin",
    args: [subId, amount],
    account,
  });
  const event = minedEvent("depositMargin", receipt, { abi: perpPoolAbi, eventName: "MarginDeposited", address: pool });
  return { hash, receipt, approveHash, amount: event.amount, subId: BigInt(event.subId) };
}
