import type { Percent } from "@uniswap/sdk-core";
import type { Account, Address, Hash, TransactionReceipt } from "viem";
import { isAddressEqual, parseEventLogs } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { MAX_TRADE_LEGS, quoteTradeLegs, type TradeLegsQuote } from "../quoteTradeLegs";
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
import { accountAddress, sendContract } from "../write";

export type TradeLegInput = {
  marketId: bigint | number;
  /** Base to buy (> 0, long) or sell (< 0, short): "1.5", "-0.25", or a bigint in WAD. */
  size: string | bigint;
  /** Most quote to pay (buy) or least to receive (sell), WAD. Takes precedence over `slippage`. */
  quoteLimit?: bigint | undefined;
};

export type TradeLegsParameters = {
  /** PerpPool address. */
  pool: Address;
  /** 1 to 8 legs, each market at most once, executed in this order. */
  legs: readonly TradeLegInput[];
  /** Account owner; default the sender (an approved operator may trade for an owner). */
  owner?: Address | undefined;
  subId?: bigint | number | undefined;
  /** Tolerated slippage from each leg's exact quote, applied per leg: a Percent or bps (default 50 = 0.5 %). */
  slippage?: Percent | number | bigint | undefined;
  /** Latest block timestamp; default the latest block's time + 120 s. */
  deadline?: bigint | number | undefined;
  account?: Account | Address | undefined;
};

/** One leg as mined (its `PositionChanged` event). */
export type MinedLeg = {
  marketId: bigint;
  sizeDelta: bigint;
  /** Quote paid (buy) or received (sell) before the fee, WAD. */
  quote: bigint;
  fee: bigint;
  /** Realized PnL including settled funding, WAD. */
  realizedPnl: bigint;
  sizeAfter: bigint;
  openNotionalAfter: bigint;
  markAfter: bigint;
};

export type TradeLegsReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Per leg, in order, as executed (decoded from the receipt). */
  legs: MinedLeg[];
  /** Sum of the legs' fees, as executed. */
  fee: bigint;
  /** The off-chain quotes the limits were derived from. */
  expected: TradeLegsQuote;
  /** Per leg, the limit sent. */
  quoteLimits: bigint[];
  deadline: bigint;
};

const legSchema = z.object({
  marketId: marketIdSchema,
  size: sizeSchema,
  quoteLimit: z.bigint().nonnegative().optional(),
});

const schema = z.object({
  pool: addressSchema,
  legs: z
    .array(legSchema)
    .min(1, { message: "needs at least one leg" })
    .max(MAX_TRADE_LEGS, { message: `takes at most ${MAX_TRADE_LEGS} legs (one per market an account may hold)` })
    .refine((legs) => new Set(legs.map((l) => l.marketId)).size === legs.length, {
      message: "lists a market more than once (one leg per market)",
    }),
  owner: addressSchema.optional(),
  subId: subIdSchema,
  slippage: slippageSchema.optional(),
  deadline: deadlineSchema.optional(),
  account: z.any().optional(),
});

/**
 * Trades on several markets in one transaction (`PerpPool.tradeLegs`): each leg is a trade with its own price
 * band, per-block limit and slippage limit, and the account's margin is checked once, after the last leg (the
 * initial requirement if any leg adds risk). A failing leg reverts the whole call: a ContractRevertError with the
 * contract's error name (`InsufficientMargin`, `SlippageExceeded`, `PriceBandExceeded`, `DuplicateLeg`...).
 * Without a leg's `quoteLimit`, each leg is quoted exactly on its own market and `slippage` applied to it.
 * @example
 * const r = await tradeLegs(walletClient, { pool, legs: [{ marketId: 0, size: "10" }, { marketId: 1, size: "-0.33" }] });
 * console.log(r.legs.map((l) => [l.marketId, l.sizeAfter]));
 */
export async function tradeLegs(client: PerpClient, parameters: TradeLegsParameters): Promise<TradeLegsReturnType> {
  const p = parseParameters("tradeLegs", schema, parameters);
  const owner = p.owner ?? accountAddress(client, p.account, "tradeLegs");
  let expected: TradeLegsQuote;
  let deadline: bigint;
  try {
    const inputs = await Promise.all(
      p.legs.map(async (leg) => {
        const market = { address: p.pool, abi: perpPoolAbi, args: [leg.marketId] } as const;
        const [state, config, position] = await Promise.all([
          readContract(client, { ...market, functionName: "marketState" }),
          readContract(client, { ...market, functionName: "marketConfig" }),
          readContract(client, {
            address: p.pool,
            abi: perpPoolAbi,
            functionName: "position",
            args: [owner, p.subId, leg.marketId],
          }),
        ]);
        return { marketId: leg.marketId, state, config, position, sizeDelta: leg.size };
      }),
    );
    expected = quoteTradeLegs(inputs);
    deadline = p.deadline ?? (await defaultDeadline(client));
  } catch (err) {
    throw actionError("tradeLegs", err);
  }
  const slippage = p.slippage ?? DEFAULT_SLIPPAGE_BPS;
  const quoteLimits = p.legs.map(
    (leg, i) => leg.quoteLimit ?? quoteLimitFor(leg.size, expected.legs[i]?.quote ?? 0n, slippage),
  );
  const legs = p.legs.map((leg, i) => ({
    marketId: leg.marketId,
    sizeDelta: leg.size,
    quoteLimit: quoteLimits[i] ?? 0n,
  }));
  const { hash, receipt } = await sendContract(client, "tradeLegs", {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "tradeLegs",
    args: [owner, p.subId, legs, deadline],
    account: p.account,
    refreshesOracleOf: p.pool,
  });
  const mined = minedLegs(receipt, p.pool, owner, p.subId);
  if (mined.length !== legs.length) {
    throw actionError(
      "tradeLegs",
      new Error(`${mined.length} PositionChanged events for ${legs.length} legs in ${receipt.transactionHash}`),
    );
  }
  return {
    hash,
    receipt,
    legs: mined,
    fee: mined.reduce((sum, l) => sum + l.fee, 0n),
    expected,
    quoteLimits,
    deadline,
  };
}

/** The account's `PositionChanged` events the pool emitted in a mined receipt, in log order (one per leg). */
function minedLegs(receipt: TransactionReceipt, pool: Address, owner: Address, subId: bigint): MinedLeg[] {
  const logs = receipt.logs.filter((log) => isAddressEqual(log.address, pool));
  return parseEventLogs({ abi: perpPoolAbi, eventName: "PositionChanged", logs })
    .filter((e) => isAddressEqual(e.args.owner, owner) && e.args.subId === subId)
    .map(({ args: e }) => ({
      marketId: e.marketId,
      sizeDelta: e.sizeDelta,
      quote: e.quoteDelta < 0n ? -e.quoteDelta : e.quoteDelta,
      fee: e.fee,
      realizedPnl: e.realizedPnl,
      sizeAfter: e.newSize,
      openNotionalAfter: e.newOpenNotional,
      markAfter: e.markAfter,
    }));
}
