import type { Percent } from "@uniswap/sdk-core";
import type { Account, Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import {
  addressSchema,
  deadlineSchema,
  marketIdSchema,
  parseParameters,
  slippageSchema,
  subIdSchema,
} from "../schemas";
import { executeTrade, type TradeReturnType } from "./trade";

export type ClosePositionParameters = {
  /** PerpPool address. */
  pool: Address;
  marketId: bigint | number;
  owner?: Address | undefined;
  subId?: bigint | number | undefined;
  /** Least quote to receive (closing a long) or most to pay (closing a short), WAD. */
  quoteLimit?: bigint | undefined;
  /** Tolerated slippage: a Percent or bps (default 50 = 0.5 %). */
  slippage?: Percent | number | bigint | undefined;
  deadline?: bigint | number | undefined;
  account?: Account | Address | undefined;
};

export type ClosePositionReturnType = TradeReturnType;

const schema = z.object({
  pool: addressSchema,
  marketId: marketIdSchema,
  owner: addressSchema.optional(),
  subId: subIdSchema,
  quoteLimit: z.bigint().nonnegative().optional(),
  slippage: slippageSchema.optional(),
  deadline: deadlineSchema.optional(),
  account: z.any().optional(),
});

/**
 * Closes the whole position of `(owner, subId)` on a market through `pool.closePosition`.
 * @example
 * const r = await closePosition(walletClient, { pool, marketId: 0 });
 * console.log(r.realizedPnl);
 */
export async function closePosition(
  client: PerpClient,
  parameters: ClosePositionParameters,
): Promise<ClosePositionReturnType> {
  const p = parseParameters("closePosition", schema, parameters);
  const sender = p.account ?? client.account;
  const owner = p.owner ?? (typeof sender === "string" ? sender : sender?.address);
  if (!owner) throw actionError("closePosition", new Error("no account: pass `account` or use a client with one"));
  let size: bigint;
  try {
    const pos = await readContract(client, {
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [owner, p.subId, p.marketId],
    });
    size = pos.size;
  } catch (err) {
    throw actionError("closePosition", err);
  }
  if (size === 0n) throw actionError("closePosition", new Error(`no open position on market ${p.marketId}`));
  return executeTrade(client, "closePosition", { ...p, owner, sizeDelta: -size });
}
