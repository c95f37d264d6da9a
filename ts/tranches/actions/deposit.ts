import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { testUsdcAbi, trancheVaultAbi } from "../../abi/generated";
import { COLLATERAL_DECIMALS } from "../../money";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters, positiveAmountSchema } from "../../pool/schemas";
import { accountAddress, minedEvent, sendContract } from "../../pool/write";

export type DepositParameters = {
  /** TrancheVault address (junior or senior). */
  vault: Address;
  /** Assets to deposit: "5000" (USDC) or a bigint in token units. */
  amount: string | bigint;
  /** Receiver of the shares; default the sender. */
  receiver?: Address | undefined;
  account?: Account | Address | undefined;
};

export type DepositReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  approveHash: Hash | undefined;
  /** Shares minted, from the mined ERC-4626 `Deposit` event. */
  shares: bigint;
  /** Assets deposited (token units), from the same event. */
  assets: bigint;
};

const schema = z.object({
  vault: addressSchema,
  amount: positiveAmountSchema(COLLATERAL_DECIMALS),
  receiver: addressSchema.optional(),
  account: z.any().optional(),
});

/**
 * Approves the vault when needed, then deposits into the tranche (ERC-4626 `deposit`).
 * @example
 * const { shares } = await deposit(walletClient, { vault: junior, amount: "25000" });
 */
export async function deposit(client: PerpClient, parameters: DepositParameters): Promise<DepositReturnType> {
  const p = parseParameters("deposit", schema, parameters);
  const sender = accountAddress(client, p.account, "deposit");
  let approveHash: Hash | undefined;
  try {
    const asset = await readContract(client, { address: p.vault, abi: trancheVaultAbi, functionName: "asset" });
    const allowance = await readContract(client, {
      address: asset,
      abi: testUsdcAbi,
      functionName: "allowance",
      args: [sender, p.vault],
    });
    if (allowance < p.amount) {
      approveHash = (
        await sendContract(client, "deposit (approve)", {
          address: asset,
          abi: testUsdcAbi,
          functionName: "approve",
          args: [p.vault, p.amount],
          account: p.account,
        })
      ).hash;
    }
  } catch (err) {
    throw actionError("deposit", err);
  }
  const { hash, receipt } = await sendContract(client, "deposit", {
    address: p.vault,
    abi: trancheVaultAbi,
    functionName: "deposit",
    args: [p.amount, p.receiver ?? sender],
    account: p.account,
  });
  const event = minedEvent("deposit", receipt, { abi: trancheVaultAbi, eventName: "Deposit", address: p.vault });
  return { hash, receipt, approveHash, shares: event.shares, assets: event.assets };
}
