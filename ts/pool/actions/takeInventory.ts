import type { Percent } from "@uniswap/sdk-core";
import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi, perpPoolAbi } from "../../abi/generated";
import { MAX_UINT256 } from "../../money";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { inventorySalePrice } from "../math/inventorySaleMath";
import { mulDivDown, mulDivUp } from "../math/solidity";
import {
  addressSchema,
  deadlineSchema,
  marketIdSchema,
  parseParameters,
  positiveAmountSchema,
  slippageSchema,
  subIdSchema,
} from "../schemas";
import { DEFAULT_SLIPPAGE_BPS, defaultDeadline } from "../slippage";
import type { InventorySaleView } from "../types";
import { minedEvent, sendContract } from "../write";

export type TakeInventoryParameters = {
  /** PerpPool address. */
  pool: Address;
  /** PerpLens address (the sale's price now, for the default limit). */
  lens: Address;
  marketId: bigint | number;
  /** The taker's account is (sender, subId); default 0, the cross-margin account. */
  subId?: bigint | number | undefined;
  /** Most base to take ("2.5", or a bigint in WAD); default all the backstop holds. */
  size?: string | bigint | undefined;
  /** Taking a long, the most to pay per base; taking a short, the least to receive (WAD). Wins over `slippage`. */
  priceLimit?: bigint | undefined;
  /** Tolerated move of the price per base from the lens's price now, in bps or a Percent (default 50 = 0.5 %). */
  slippage?: number | bigint | Percent | undefined;
  /** Latest block timestamp; default the latest block's time + 120 s. */
  deadline?: bigint | number | undefined;
  account?: Account | Address | undefined;
};

export type TakeInventoryReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Base taken, signed as the taker's position change (> 0 took a long), as mined. */
  sizeDelta: bigint;
  /** Index the sale priced at, as mined. */
  indexPrice: bigint;
  /** Discount per base granted, as mined (WAD). */
  discountPerBase: bigint;
  /** Index - discount (took a long) or index + discount (took a short), as mined. */
  pricePerBase: bigint;
  /** The taker's signed quote: paid (> 0) taking a long, received (< 0) taking a short. */
  quoteDelta: bigint;
  /** The taker's realized PnL (funding settled included), WAD. */
  realizedPnl: bigint;
  /** The taker's position on the market after the sale. */
  sizeAfter: bigint;
  /** The sale's discount budget left after it (WAD). */
  budgetLeft: bigint;
  /** The lens's view of the sale before sending (what the default limit was derived from). */
  expected: InventorySaleView;
  priceLimit: bigint;
  deadline: bigint;
};

const schema = z.object({
  pool: addressSchema,
  lens: addressSchema,
  marketId: marketIdSchema,
  subId: subIdSchema,
  size: positiveAmountSchema(18).optional(),
  priceLimit: z.bigint().nonnegative().optional(),
  slippage: slippageSchema.optional(),
  deadline: deadlineSchema.optional(),
  account: z.any().optional(),
});

/** The price limit `slippageBps` away from `price`, against the taker: up for a long taken, down for a short. */
export function inventoryPriceLimitFor(long: boolean, price: bigint, slippageBps: bigint): bigint {
  return long ? mulDivDown(price, 10_000n + slippageBps, 10_000n) : mulDivUp(price, 10_000n - slippageBps, 10_000n);
}

/**
 * Takes up to `size` (default all) of the backstop's inventory on a market into the sender's account at the sale's
 * price: the index minus (long inventory) or plus (short) a discount that grows with time since the sale clock
 * started. What it returns comes from the mined `InventoryTaken` event. A revert throws a ContractRevertError with
 * the contract's error name (`NoInventory`, `ReduceOnly`, `SalePriceBeyondLimit`, `InsufficientMargin`...).
 * @example
 * const r = await takeInventory(walletClient, { pool, lens, marketId: 0 });
 * console.log(r.sizeDelta, r.pricePerBase, r.discountPerBase);
 */
export async function takeInventory(
  client: PerpClient,
  parameters: TakeInventoryParameters,
): Promise<TakeInventoryReturnType> {
  const p = parseParameters("takeInventory", schema, parameters);
  let expected: InventorySaleView;
  let deadline: bigint;
  try {
    [expected, deadline] = await Promise.all([
      readContract(client, { address: p.lens, abi: perpLensAbi, functionName: "inventorySale", args: [p.marketId] }),
      p.deadline ?? defaultDeadline(client),
    ]);
  } catch (err) {
    throw actionError("takeInventory", err);
  }
  // The taker gets the backstop's side; an empty inventory is left to the contract's NoInventory.
  const long = expected.size >= 0n;
  const priceLimit =
    p.priceLimit ?? inventoryPriceLimitFor(long, expected.pricePerBase, p.slippage ?? DEFAULT_SLIPPAGE_BPS);
  const { hash, receipt } = await sendContract(client, "takeInventory", {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "takeInventory",
    args: [p.marketId, p.subId, p.size ?? MAX_UINT256, priceLimit, deadline],
    account: p.account,
    refreshesOracleOf: p.pool,
  });
  const e = minedEvent("takeInventory", receipt, { abi: perpPoolAbi, eventName: "InventoryTaken", address: p.pool });
  return {
    hash,
    receipt,
    sizeDelta: e.sizeDelta,
    indexPrice: e.indexPrice,
    discountPerBase: e.discountPerBase,
    pricePerBase: inventorySalePrice(e.indexPrice, e.discountPerBase, e.sizeDelta > 0n),
    quoteDelta: e.quoteDelta,
    realizedPnl: e.takerRealizedPnl,
    sizeAfter: e.takerNewSize,
    budgetLeft: e.budgetLeft,
    expected,
    priceLimit,
    deadline,
  };
}
