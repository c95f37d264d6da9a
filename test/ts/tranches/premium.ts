// Premium for the tranche tests: trading fees become premium, and pool.distributePremium streams it into the vaults.
import { type Address, parseEventLogs } from "viem";
import { perpPoolAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import type { DevClients } from "../../../ts/devnet/clients";
import { WAD } from "../../../ts/money";
import { tradeOnChain } from "../sdk/chainHelpers";
import { ETH, ETH_PRICE, type Protocol, setPrice } from "../sdk/fixture";

export type Payout = { block: bigint; paid: Map<Address, { assets: bigint; streamEnd: bigint }> };

/**
 * Opens and closes a 50 ETH long from dev wallet 1 (which must hold margin in the pool; the fees go to premium),
 * then pays the premium out from dev wallet 7; returns each vault's payout (its PremiumAdded event).
 */
export async function tradeAndDistribute(chain: DevClients, p: Protocol): Promise<Payout> {
  await setPrice(chain, p, ETH, ETH_PRICE); // fresh feeds after the clock jumps
  for (const size of [50n * WAD, -50n * WAD]) {
    const t = await tradeOnChain(chain, p.pool, chain.wallet(1), ETH, size);
    if (!t.ok) throw new Error(`trade failed: ${t.message}`);
  }
  const hash = await chain.wallet(7).writeContract({
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "distributePremium",
    args: [],
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`distributePremium reverted (${hash})`);
  const paid = new Map<Address, { assets: bigint; streamEnd: bigint }>();
  for (const log of parseEventLogs({ abi: trancheVaultAbi, eventName: "PremiumAdded", logs: receipt.logs })) {
    paid.set(log.address.toLowerCase() as Address, { assets: log.args.assets, streamEnd: BigInt(log.args.streamEnd) });
  }
  return { block: receipt.blockNumber, paid };
}

/** The payout to `vault` in a distribution (throws when it got none). */
export function paidTo(paid: Payout["paid"], vault: Address): { assets: bigint; streamEnd: bigint } {
  const x = paid.get(vault.toLowerCase() as Address);
  if (!x) throw new Error(`no PremiumAdded for ${vault}`);
  return x;
}
