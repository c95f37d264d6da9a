// The work of the trader commands (loaded only when one runs: viem and the ABIs cost ~0.5 s).
import type { Address } from "viem";
import { perpLensAbi, perpPoolAbi } from "../abi/generated";
import { readRiskScenarios } from "../chain/riskScenarios";
import { shortAddress } from "../display/address";
import { formatPercent, formatUsdc, formatWad } from "../display/amounts";
import { table } from "../display/table";
import { closePosition, depositMargin, getFundingForecast, trade, tradeLegs, withdrawMargin } from "../pool";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { type LegOperand, resolveLegs } from "./legs";
import { liquidationPrice } from "./liquidationPrice";
import { nettingFigures, nettingLine } from "./netting";
import { answer } from "./output";
import { openSession, openSignedSession, ownerOf, type SessionFlags } from "./session";
import { parseMarket } from "./values";

const WAD = 10n ** 18n;

type Flags = SessionFlags & { owner?: string | undefined };

export async function marginCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { action: "deposit" | "withdraw"; amount: bigint; subId: bigint },
) {
  const s = await openSignedSession(flags, ctx.env);
  const pool = s.deployment.contracts.pool;
  const r =
    p.action === "deposit"
      ? await depositMargin(s.wallet, { pool, amount: p.amount, subId: p.subId })
      : await withdrawMargin(s.wallet, { pool, amount: p.amount, subId: p.subId });
  const collateral = await s.publicClient.readContract({
    address: s.deployment.contracts.lens,
    abi: perpLensAbi,
    functionName: "accountHealth",
    args: [s.address, p.subId],
  });
  answer(
    ctx.io,
    flags.json,
    {
      action: p.action,
      owner: s.address,
      subId: p.subId,
      amount: r.amount,
      collateral: collateral.collateral,
      hash: r.hash,
    },
    () => [
      `${p.action === "deposit" ? "Deposited" : "Withdrew"} ${formatUsdc(r.amount)} USDC ${p.action === "deposit" ? "into" : "from"} ${shortAddress(s.address)} sub ${p.subId} (tx ${r.hash})`,
      `  collateral now ${formatWad(collateral.collateral)} USDC`,
    ],
  );
}

function tradeLines(what: string, symbol: string, r: Awaited<ReturnType<typeof trade>>) {
  return [
    `${what} ${symbol}-PERP: quote ${formatWad(r.quote)} USDC, fee ${formatWad(r.fee)} USDC, realized PnL ${formatWad(r.realizedPnl)} USDC (tx ${r.hash})`,
    `  position now ${formatWad(r.sizeAfter, 4)}, mark ${formatWad(r.markAfter)}`,
  ];
}

function tradeJson(symbol: string, owner: Address, subId: bigint, r: Awaited<ReturnType<typeof trade>>) {
  const { receipt: _receipt, expected, ...mined } = r;
  return { market: symbol, owner, subId, ...mined, expected: { quote: expected.quote, fee: expected.fee } };
}

export async function openCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { market: string; size: bigint; subId: bigint; slippage: bigint | undefined },
) {
  const s = await openSignedSession(flags, ctx.env);
  const market = parseMarket(s.deployment, p.market);
  const r = await trade(s.wallet, {
    pool: s.deployment.contracts.pool,
    marketId: market.marketId,
    size: p.size,
    subId: p.subId,
    slippage: p.slippage,
  });
  answer(ctx.io, flags.json, tradeJson(market.symbol, s.address, p.subId, r), () =>
    tradeLines(p.size > 0n ? "Bought" : "Sold", market.symbol, r),
  );
}

/** Several markets in one transaction (`tradeLegs`): one margin check after the last leg. */
export async function tradeLegsCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { legs: readonly LegOperand[]; subId: bigint; slippage: bigint | undefined },
) {
  const s = await openSignedSession(flags, ctx.env);
  const legs = resolveLegs("trade", s.deployment, p.legs);
  const r = await tradeLegs(s.wallet, {
    pool: s.deployment.contracts.pool,
    legs: legs.map((l) => ({ marketId: l.market.marketId, size: l.size })),
    subId: p.subId,
    slippage: p.slippage,
  });
  const symbolOf = (marketId: bigint) => legs.find((l) => BigInt(l.market.marketId) === marketId)?.market.symbol;
  const { receipt: _receipt, expected, legs: mined, ...rest } = r;
  const json = {
    owner: s.address,
    subId: p.subId,
    ...rest,
    legs: mined.map((l, i) => ({
      market: symbolOf(l.marketId),
      ...l,
      quoteLimit: r.quoteLimits[i],
      expected: { quote: expected.legs[i]?.quote, fee: expected.legs[i]?.fee },
    })),
  };
  answer(ctx.io, flags.json, json, () => [
    `Traded ${mined.length} markets in one transaction (tx ${r.hash}), one margin check after the last leg:`,
    ...mined.map(
      (l) =>
        `  ${l.sizeDelta > 0n ? "Bought" : "Sold"} ${formatWad(l.sizeDelta > 0n ? l.sizeDelta : -l.sizeDelta, 4)} ${symbolOf(l.marketId)}-PERP: quote ${formatWad(l.quote)} USDC, fee ${formatWad(l.fee)} USDC, realized PnL ${formatWad(l.realizedPnl)} USDC; position now ${formatWad(l.sizeAfter, 4)}, mark ${formatWad(l.markAfter)}`,
    ),
    `  total fee ${formatWad(r.fee)} USDC`,
  ]);
}

export async function closeCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { market: string; subId: bigint; slippage: bigint | undefined },
) {
  const s = await openSignedSession(flags, ctx.env);
  const market = parseMarket(s.deployment, p.market);
  const position = await s.publicClient.readContract({
    address: s.deployment.contracts.pool,
    abi: perpPoolAbi,
    functionName: "position",
    args: [s.address, p.subId, BigInt(market.marketId)],
  });
  if (position.size === 0n) throw new UsageError(`close ${market.symbol}: no open position (sub ${p.subId})`);
  const r = await closePosition(s.wallet, {
    pool: s.deployment.contracts.pool,
    marketId: market.marketId,
    subId: p.subId,
    slippage: p.slippage,
  });
  answer(ctx.io, flags.json, tradeJson(market.symbol, s.address, p.subId, r), () =>
    tradeLines("Closed", market.symbol, r),
  );
}

export async function positionsCommand(ctx: CommandContext, flags: Flags, p: { subId: bigint }) {
  const s = await openSession(flags, ctx.env);
  const owner = ownerOf(flags, ctx.env, s.chain.id);
  if (!owner) throw new UsageError("positions: whose? pass --owner ADDRESS, --account N or set PERP_PRIVATE_KEY");
  const lens = s.deployment.contracts.lens;
  const [health, positions, grid, funding] = await Promise.all([
    s.publicClient.readContract({
      address: lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [owner, p.subId],
    }),
    s.publicClient.readContract({ address: lens, abi: perpLensAbi, functionName: "positions", args: [owner, p.subId] }),
    readRiskScenarios(s.publicClient, s.deployment),
    getFundingForecast(s.publicClient, { lens, pool: s.deployment.contracts.pool }),
  ]);
  const netting = nettingFigures(health, grid);
  const rows = await Promise.all(
    positions.map(async (pos) => {
      const market = await s.publicClient.readContract({
        address: lens,
        abi: perpLensAbi,
        functionName: "marketView",
        args: [pos.marketId],
      });
      const liq = await liquidationPrice(s.publicClient, lens, {
        owner,
        subId: p.subId,
        marketId: pos.marketId,
        size: pos.size,
        index: market.indexPrice,
      });
      // What this position pays a day (> 0 pays, < 0 receives) at the current rate and crowding kicker, and at
      // most from the next update on: the most the next period can charge plus the kicker's most, on the side that pays.
      const f = funding.find((x) => x.marketId === pos.marketId);
      const size = pos.size < 0n ? -pos.size : pos.size;
      const fundingPaidPerDay = f ? (size * (pos.size > 0n ? f.carryPerDay.long : f.carryPerDay.short)) / WAD : 0n;
      const worstFundingPaidPerDay = f ? (size * f.max.carryPerDay) / WAD : 0n;
      const symbol =
        s.deployment.markets.find((m) => BigInt(m.marketId) === pos.marketId)?.symbol ?? `#${pos.marketId}`;
      return {
        symbol,
        ...pos,
        markPrice: market.markPrice,
        indexPrice: market.indexPrice,
        liquidationPrice: liq,
        fundingPaidPerDay,
        worstFundingPaidPerDay,
      };
    }),
  );
  answer(ctx.io, flags.json, { owner, subId: p.subId, health, netting, positions: rows }, () => [
    `Account ${owner} sub ${p.subId}: collateral ${formatWad(health.collateral)}, value ${formatWad(health.value)} USDC, ` +
      `maintenance ${formatWad(health.maintenanceRequirement)}, health ${health.maintenanceRequirement === 0n ? "—" : formatPercent(health.value, health.maintenanceRequirement, 0)}` +
      `${health.liquidatable ? " LIQUIDATABLE" : ""}`,
    nettingLine(netting),
    rows.length === 0
      ? "  no open positions"
      : table(
          [
            "market",
            "size",
            "entry",
            "index",
            "uPnL",
            "funding owed",
            "notional",
            "liq. price",
            "funding/day",
            "worst/day",
          ],
          rows.map((r) => [
            `${r.symbol}-PERP`,
            formatWad(r.size, 4),
            formatWad(r.size === 0n ? 0n : (r.openNotional * WAD) / r.size),
            formatWad(r.indexPrice),
            formatWad(r.unrealizedPnl),
            formatWad(r.fundingOwed),
            formatWad(r.notional),
            r.liquidationPrice === null ? "none" : formatWad(r.liquidationPrice),
            formatWad(-r.fundingPaidPerDay, 4),
            formatWad(-r.worstFundingPaidPerDay, 4),
          ]),
        ),
    "  (funding/day > 0 is received, < 0 paid, at the current rate and crowding kicker; worst/day: paying the most",
    "   the next period can charge plus the kicker's most, see `perp funding`)",
  ]);
}
