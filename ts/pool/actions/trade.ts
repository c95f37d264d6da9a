import type { Percent } from "@uniswap/sdk-core";
import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { quoteTrade, type TradeQuote } from "../quoteTrade";
import {
  addressSchema,
  deadlineSchema,
  marketIdSchema,
  parseParameters,
  sizeSchema,
  slippageSchema,
  subIdSchema,
} from "../schemas";
import { DEFAULT_SLIPPAGE_BPS, defaultDeadline, quoteLimitFor } from "../slippage";
import { accountAddress, minedEvent, sendContract } from "../write";

export type TradeParameters = {
  /** PerpPool address. */
  pool: Address;
  marketId: bigint | number;
  /** Base to buy (> 0, long) or sell (< 0, short): "1.5", "-0.25", or a bigint in WAD. */
  size: string | bigint;
  /** Account owner; default the sender (an approved operator may trade for an owner). */
  owner?: Address | undefined;
  subId?: bigint | number | undefined;
  /** Most quote to pay (buy) or least to receive (sell), WAD. Takes precedence over `slippage`. */
  quoteLimit?: bigint | undefined;
  /** Tolerated slippage from the exact quote: a Percent or bps (default 50 = 0.5 %). */
  slippage?: Percent | number | bigint | undefined;
  /** Latest block timestamp; default the latest block's time + 120 s. */
  deadline?: bigint | number | undefined;
  account?: Account | Address | undefined;
};

export type TradeReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Quote paid (buy) or received (sell) before the fee, WAD, as executed. */
  quote: bigint;
  /** Fee charged, WAD, as executed. */
  fee: bigint;
  /** Realized PnL including settled funding, WAD, as executed. */
  realizedPnl: bigint;
  sizeAfter: bigint;
  markAfter: bigint;
  /** The off-chain quote the limit was derived from. */
  expected: TradeQuote;
  quoteLimit: bigint;
  deadline: bigint;
};

const schema = z.object({
  pool: addressSchema,
  marketId: marketIdSchema,
  size: sizeSchema,
  owner: addressSchema.optional(),
  subId: subIdSchema,
  quoteLimit: z.bigint().nonnegative().optional(),
  slippage: slippageSchema.optional(),
  deadline: deadlineSchema.optional(),
  account: z.any().optional(),
});

/**
 * Opens, increases, reduces, closes or flips a position. Without a `quoteLimit` it quotes the trade exactly
 * (`quoteTrade` on the current reserves) and applies `slippage`. A revert throws a ContractRevertError with
 * the contract's error name (`InsufficientMargin`, `SlippageExceeded`, `PriceBandExceeded`...).
 * @example
 * const r = await trade(walletClient, { pool, marketId: 0, size: "2", slippage: new Percent(30, 10_000) });
 * console.log(r.quote, r.fee, r.sizeAfter);
 */
export async function trade(client: PerpClient, parameters: TradeParameters): Promise<TradeReturnType> {
  const p = parseParameters("trade", schema, parameters);
  const owner = p.owner ?? accountAddress(client, p.account, "trade");
  return executeTrade(client, "trade", { ...p, owner, sizeDelta: p.size });
}

/** The shared body of `trade` and `closePosition`. */
export async function executeTrade(
  client: PerpClient,
  action: "trade" | "closePosition",
  p: {
    pool: Address;
    marketId: bigint;
    owner: Address;
    subId: bigint;
    sizeDelta: bigint;
    quoteLimit?: bigint | undefined;
    slippage?: bigint | undefined;
    deadline?: bigint | undefined;
    account?: Account | Address | undefined;
  },
): Promise<TradeReturnType> {
  let expected: TradeQuote;
  let deadline: bigint;
  try {
    const market = { address: p.pool, abi: perpPoolAbi, args: [p.marketId] } as const;
    const [state, config, position] = await Promise.all([
      readContract(client, { ...market, functionName: "marketState" }),
      readContract(client, { ...market, functionName: "marketConfig" }),
      readContract(client, {
        address: p.pool,
        abi: perpPoolAbi,
        functionName: "position",
        args: [p.owner, p.subId, p.marketId],
      }),
    ]);
    expected = quoteTrade({ state, config, sizeDelta: p.sizeDelta, position, marketId: p.marketId });
    deadline = p.deadline ?? (await defaultDeadline(client));
  } catch (err) {
    throw actionError(action, err);
  }
  const quoteLimit = p.quoteLimit ?? quoteLimitFor(p.sizeDelta, expected.quote, p.slippage ?? DEFAULT_SLIPPAGE_BPS);
  const args =
    action === "trade"
      ? [p.owner, p.subId, p.marketId, p.sizeDelta, quoteLimit, deadline]
      : [p.owner, p.subId, p.marketId, quoteLimit, deadline];
  const { hash, receipt } = await sendContract(client, action, {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: action,
    args,
    account: p.account,
    refreshesOracleOf: p.pool,
  });
  const e = minedEvent(action, receipt, { abi: perpPoolAbi, eventName: "PositionChanged", address: p.pool });
  return {
    hash,
    receipt,
    quote: e.quoteDelta < 0n ? -e.quoteDelta : e.quoteDelta,
    fee: e.fee,
    realizedPnl: e.realizedPnl,
    sizeAfter: e.newSize,
    markAfter: e.markAfter,
    expected,
    quoteLimit,
    deadline,
  };
}
