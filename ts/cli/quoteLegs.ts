// `perp quote ETH 10 BTC -0.33`: several markets in one transaction (`tradeLegs`), each leg quoted exactly on its
// own market's curve (ts/pool/quoteTradeLegs), the totals, and for an owner what the whole trade does to the
// account under the pool's one margin check after the last leg, all read at one block. Nothing is sent.
import { getBlock, getBlockNumber } from "viem/actions";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi } from "../abi/generated";
import { shortAddress } from "../display/address";
import { formatBps, formatPercent, formatWad } from "../display/amounts";
import { getAccountState } from "../pool/actions/getAccountState";
import { getRiskEngine } from "../pool/actions/getRiskEngine";
import type { LiquidationPositionInput } from "../pool/math/liquidationMath";
import { tradedMarketInput } from "../pool/math/tradePreview";
import { quoteTradeLegs, type TradeLegsQuote } from "../pool/quoteTradeLegs";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { type LegOperand, resolveLegs } from "./legs";
import { answer } from "./output";
import { previewLegsAccount, previewQuote } from "./quotePreview";
import { openSession, ownerOf, type SessionFlags } from "./session";

const WAD = 10n ** 18n;
const ORACLE_STATUS = ["normal", "reduce-only", "halted"] as const;
const REDUCE_ONLY = 1;
const HALTED = 2;

type Flags = SessionFlags & { owner?: string | undefined };

export async function quoteLegsCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { legs: readonly LegOperand[]; subId: bigint },
) {
  const s = await openSession(flags, ctx.env);
  const owner = ownerOf(flags, ctx.env, s.chain.id);
  const legs = resolveLegs("quote", s.deployment, p.legs);
  const { pool, oracle, lens } = s.deployment.contracts;
  const blockNumber = await getBlockNumber(s.publicClient, { cacheTime: 0 });
  const at = { address: pool, abi: perpPoolAbi, blockNumber } as const;
  const [block, profitAsMarginBps, held, engine, markets] = await Promise.all([
    getBlock(s.publicClient, { blockNumber }),
    s.publicClient.readContract({ ...at, functionName: "PROFIT_AS_MARGIN_BPS" }),
    owner ? getAccountState(s.publicClient, { pool, oracle, owner, subId: p.subId, blockNumber }) : undefined,
    getRiskEngine(s.publicClient, { pool, blockNumber }),
    Promise.all(
      legs.map(async (leg) => {
        const marketId = BigInt(leg.market.marketId);
        const [state, config, [index, status], view] = await Promise.all([
          s.publicClient.readContract({ ...at, functionName: "marketState", args: [marketId] }),
          s.publicClient.readContract({ ...at, functionName: "marketConfig", args: [marketId] }),
          s.publicClient.readContract({
            address: oracle,
            abi: oracleRouterAbi,
            functionName: "peek",
            args: [marketId],
            blockNumber,
          }),
          s.publicClient.readContract({
            address: lens,
            abi: perpLensAbi,
            functionName: "marketView",
            args: [marketId],
            blockNumber,
          }),
        ]);
        return { marketId, state, config, index, status, view };
      }),
    ),
  ]);
  // Each leg's market as the one margin check after the last leg will see it: the lens's index, status and IM
  // multiplier (the account's own entry where it holds the market).
  const inputs: LiquidationPositionInput[] = markets.map((m) =>
    tradedMarketInput(held?.positions, {
      marketId: m.marketId,
      state: m.state,
      config: m.config,
      index: m.view.indexPrice,
      halted: m.view.oracleStatus === HALTED,
      oracleStatus: m.view.oracleStatus,
      imMultiplierBps: m.view.initialMultiplierBps,
    }),
  );
  let q: TradeLegsQuote;
  try {
    q = quoteTradeLegs(inputs.map((m, i) => ({ ...m, sizeDelta: legs[i]?.size ?? 0n })));
  } catch (err) {
    throw new UsageError(`quote: ${(err as Error).message}`);
  }
  const rows = q.legs.map((leg, i) => {
    const market = markets[i] as (typeof markets)[number];
    const symbol = legs[i]?.market.symbol ?? `#${leg.marketId}`;
    const preview = previewQuote(leg);
    // PerpPool._tradeLeg's oracle gates, as the oracle reads now: halted stops the leg, reduce-only a leg adding risk.
    const oracleRefusal =
      market.status === HALTED ? "OracleHalted" : market.status === REDUCE_ONLY && leg.addsRisk ? "ReduceOnly" : null;
    return {
      market: symbol,
      ...leg,
      indexPrice: market.index,
      oracleStatus: ORACLE_STATUS[market.status] ?? market.status,
      oracleRefusal,
      feeBps: BigInt(market.config.feeBps),
      notional: preview.notional,
      averagePrice: preview.averagePrice,
      priceImpact: preview.priceImpact,
    };
  });
  const account =
    held &&
    previewLegsAccount(
      q.legs.map((quote, i) => ({ quote, market: inputs[i] as LiquidationPositionInput })),
      { account: held.account, positions: held.positions, timestamp: block.timestamp, profitAsMarginBps, engine },
    );
  const notional = rows.reduce((sum, r) => sum + r.notional, 0n);
  const json = {
    owner,
    subId: p.subId,
    blockNumber,
    legs: rows,
    notional,
    quoteDelta: q.quoteDelta,
    fee: q.fee,
    realizedPnl: q.realizedPnl,
    addsRisk: q.addsRisk,
    account: account ?? null,
  };
  answer(ctx.io, flags.json, json, () => [
    `Quote ${rows.length} markets in one transaction, one margin check after the last leg (block ${blockNumber}; nothing sent)`,
    ...rows.flatMap((r) => [
      `  ${r.sizeDelta > 0n ? "buy " : "sell"} ${formatWad(r.sizeDelta > 0n ? r.sizeDelta : -r.sizeDelta, 4)} ${r.market}-PERP: notional ${formatWad(r.notional)} USDC at average price ${formatWad(r.averagePrice)} (index ${formatWad(r.indexPrice)}), fee ${formatWad(r.fee)} USDC (${formatPercent(r.feeBps, 10_000n)}), price impact ${formatPercent(r.priceImpact, WAD, 3)} (mark ${formatWad(r.markBefore)} -> ${formatWad(r.markAfter)})`,
      ...(r.oracleRefusal
        ? [
            `    REFUSED: the ${r.market} oracle is ${r.oracleStatus}: the pool would revert ${r.oracleRefusal} and the whole trade with it`,
          ]
        : []),
    ]),
    `  total          notional ${formatWad(notional)} USDC, net ${q.quoteDelta >= 0n ? "paid" : "received"} ${formatWad(q.quoteDelta >= 0n ? q.quoteDelta : -q.quoteDelta)} USDC, fees ${formatWad(q.fee)} USDC`,
    ...(account && owner
      ? [
          `Account ${shortAddress(owner)} sub ${p.subId}`,
          `  value          ${formatWad(account.valueBefore)} -> ${formatWad(account.valueAfter)} USDC (at the index, after the fees)`,
          `  initial req.   ${formatWad(account.initialRequirementBefore)} -> ${formatWad(account.initialRequirementAfter)} USDC`,
          `  margin left    ${formatWad(account.marginLeft)} USDC (value with paper gains at ${formatBps(profitAsMarginBps, 0)}, minus the initial requirement)`,
          ...(account.refusedWith === "InsufficientMargin"
            ? [`  REFUSED: the pool would revert InsufficientMargin (${formatWad(-account.marginLeft)} USDC short)`]
            : account.refusedWith === "NegativeEquity"
              ? [`  REFUSED: the pool would revert NegativeEquity (value after ${formatWad(account.valueAfter)} USDC)`]
              : []),
        ]
      : ["  (pass --account N, --owner ADDRESS or set PERP_PRIVATE_KEY to see what it does to an account)"]),
  ]);
}
