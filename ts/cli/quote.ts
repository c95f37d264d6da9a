// `perp quote <market> <size>`: the exact trade (notional, fee, price impact) and, for an owner, what it does to
// the account, read at one block and computed with the SDK's math (ts/cli/quotePreview.ts). Nothing is sent.
import { getBlock, getBlockNumber } from "viem/actions";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi } from "../abi/generated";
import { shortAddress } from "../display/address";
import { formatBps, formatPercent, formatWad } from "../display/amounts";
import { getAccountState } from "../pool/actions/getAccountState";
import { getRiskEngine } from "../pool/actions/getRiskEngine";
import { tradedMarketInput } from "../pool/math/tradePreview";
import { quoteTrade } from "../pool/quoteTrade";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { type AccountImpact, previewQuote, type QuoteAccountInput } from "./quotePreview";
import { openSession, ownerOf, type SessionFlags } from "./session";
import { parseMarket } from "./values";

const WAD = 10n ** 18n;
const ORACLE_STATUS = ["normal", "reduce-only", "halted"] as const;
const REDUCE_ONLY = 1;
const HALTED = 2;

type Flags = SessionFlags & { owner?: string | undefined };

const price = (p: bigint | null) => (p === null ? "none" : formatWad(p));

function accountLines(a: AccountImpact, symbol: string, profitAsMarginBps: bigint): string[] {
  const lines = [
    `  position       ${formatWad(a.sizeBefore, 4)} -> ${formatWad(a.sizeAfter, 4)} ${symbol}`,
    `  value          ${formatWad(a.valueBefore)} -> ${formatWad(a.valueAfter)} USDC (at the index, after the fee)`,
    `  initial req.   ${formatWad(a.initialRequirementBefore)} -> ${formatWad(a.initialRequirementAfter)} USDC`,
    `  margin left    ${formatWad(a.marginLeft)} USDC (value with paper gains at ${formatBps(profitAsMarginBps, 0)}, minus the initial requirement)`,
    `  liq. price     ${price(a.liquidationPriceBefore)} -> ${price(a.liquidationPriceAfter)} (${symbol} index)${a.liquidationPriceBefore === null || a.liquidationPriceAfter === null ? "; none: no index makes the account liquidatable" : ""}`,
  ];
  if (a.refusedWith === "InsufficientMargin") {
    lines.push(`  REFUSED: the pool would revert InsufficientMargin (${formatWad(-a.marginLeft)} USDC short)`);
  } else if (a.refusedWith === "NegativeEquity") {
    lines.push(`  REFUSED: the pool would revert NegativeEquity (value after ${formatWad(a.valueAfter)} USDC)`);
  }
  return lines;
}

export async function quoteCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { market: string; size: bigint; subId: bigint },
) {
  const s = await openSession(flags, ctx.env);
  const owner = ownerOf(flags, ctx.env, s.chain.id);
  const market = parseMarket(s.deployment, p.market);
  const marketId = BigInt(market.marketId);
  const { pool, oracle, lens } = s.deployment.contracts;
  const blockNumber = await getBlockNumber(s.publicClient, { cacheTime: 0 });
  const at = { address: pool, abi: perpPoolAbi, blockNumber } as const;
  const [block, state, config, [index, status], profitAsMarginBps, held, view, engine] = await Promise.all([
    getBlock(s.publicClient, { blockNumber }),
    s.publicClient.readContract({ ...at, functionName: "marketState", args: [marketId] }),
    s.publicClient.readContract({ ...at, functionName: "marketConfig", args: [marketId] }),
    s.publicClient.readContract({
      address: oracle,
      abi: oracleRouterAbi,
      functionName: "peek",
      args: [marketId],
      blockNumber,
    }),
    s.publicClient.readContract({ ...at, functionName: "PROFIT_AS_MARGIN_BPS" }),
    owner ? getAccountState(s.publicClient, { pool, oracle, owner, subId: p.subId, blockNumber }) : undefined,
    s.publicClient.readContract({
      address: lens,
      abi: perpLensAbi,
      functionName: "marketView",
      args: [marketId],
      blockNumber,
    }),
    getRiskEngine(s.publicClient, { pool, blockNumber }),
  ]);
  // The traded market as the account's margin check will see it: the lens's index, status and IM multiplier.
  const traded = tradedMarketInput(held?.positions, {
    marketId,
    state,
    config,
    index: view.indexPrice,
    halted: view.oracleStatus === HALTED,
    oracleStatus: view.oracleStatus,
    imMultiplierBps: view.initialMultiplierBps,
  });
  const position = traded.position;
  let q: ReturnType<typeof quoteTrade>;
  try {
    q = quoteTrade({ state, config, sizeDelta: p.size, position, marketId });
  } catch (err) {
    throw new UsageError(`quote ${market.symbol} ${formatWad(p.size, 4)}: ${(err as Error).message}`);
  }
  const input: QuoteAccountInput | undefined = held && {
    account: held.account,
    positions: held.positions,
    market: traded,
    timestamp: block.timestamp,
    profitAsMarginBps,
    engine,
  };
  const preview = previewQuote(q, input);
  // The oracle gates of PerpPool._trade, as the oracle reads now: halted stops every trade, reduce-only the
  // trades that add risk.
  const oracleRefusal = status === HALTED ? "OracleHalted" : status === REDUCE_ONLY && q.addsRisk ? "ReduceOnly" : null;
  const size = p.size < 0n ? -p.size : p.size;
  const json = {
    market: market.symbol,
    marketId,
    owner,
    subId: p.subId,
    blockNumber,
    ...q,
    indexPrice: index,
    oracleStatus: ORACLE_STATUS[status] ?? status,
    oracleRefusal,
    notional: preview.notional,
    averagePrice: preview.averagePrice,
    priceImpact: preview.priceImpact,
    account: preview.account,
  };
  answer(ctx.io, flags.json, json, () => [
    `Quote ${p.size > 0n ? "buy" : "sell"} ${formatWad(size, 4)} ${market.symbol}-PERP (block ${blockNumber}; nothing sent)`,
    `  notional       ${formatWad(preview.notional)} USDC at average price ${formatWad(preview.averagePrice)} (index ${formatWad(index)})`,
    `  fee            ${formatWad(q.fee)} USDC (${formatPercent(BigInt(config.feeBps), 10_000n)} of notional, paid from margin)`,
    `  price impact   ${formatPercent(preview.priceImpact, WAD, 3)} (mark ${formatWad(q.markBefore)} -> ${formatWad(q.markAfter)})`,
    ...(oracleRefusal
      ? [
          `  REFUSED: the ${market.symbol} oracle is ${ORACLE_STATUS[status] ?? status}: the pool would revert ${oracleRefusal}${oracleRefusal === "ReduceOnly" ? " (only trades that reduce risk pass)" : " (no trade passes)"}`,
        ]
      : []),
    ...(preview.account && owner
      ? [
          `Account ${shortAddress(owner)} sub ${p.subId}`,
          ...accountLines(preview.account, market.symbol, profitAsMarginBps),
        ]
      : ["  (pass --account N, --owner ADDRESS or set PERP_PRIVATE_KEY to see what it does to an account)"]),
  ]);
}
