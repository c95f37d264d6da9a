// The work of `perp inventory` and `perp inventory take` (loaded only when one runs). Reads go through the SDK's
// getInventorySales (the lens prices the sale as the pool would in this block); the take through takeInventory,
// whose result is the mined InventoryTaken event.
import type { Deployment } from "../deploy/deployment";
import { formatPercent, formatWad } from "../display/amounts";
import { getInventorySales, takeInventory } from "../pool";
import { UsageError } from "./errors";
import { inventoryTable } from "./inventoryTable";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession, openSignedSession, type SessionFlags } from "./session";
import { parseMarket } from "./values";

const symbolOf = (d: Deployment, id: bigint) => d.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`;

export async function inventoryCommand(ctx: CommandContext, flags: SessionFlags) {
  const s = await openSession(flags, ctx.env);
  const sales = await getInventorySales(s.publicClient, { lens: s.deployment.contracts.lens });
  const rows = sales.map((sale) => ({ market: symbolOf(s.deployment, sale.marketId), ...sale }));
  answer(ctx.io, flags.json, { sales: rows }, () =>
    rows.length === 0
      ? ["The backstop holds no inventory."]
      : [
          "Backstop inventory for sale (USDC per base; a taker gets the backstop's side)",
          inventoryTable(s.deployment, sales),
          "  (the discount grows from zero at the rate per minute since the last sale, capped by the budget left per",
          "   base held and by the liquidation penalty; take with `perp inventory take <market> [size]`)",
        ],
  );
}

export async function takeInventoryCommand(
  ctx: CommandContext,
  flags: SessionFlags,
  p: {
    market: string;
    size: bigint | undefined;
    subId: bigint;
    maxPrice: bigint | undefined;
    minPrice: bigint | undefined;
  },
) {
  const s = await openSignedSession(flags, ctx.env);
  const market = parseMarket(s.deployment, p.market);
  const { pool, lens } = s.deployment.contracts;
  const [sale] = await getInventorySales(s.publicClient, { lens, marketId: market.marketId });
  if (!sale || sale.size === 0n) throw new UsageError(`inventory take ${market.symbol}: the backstop holds none`);
  const long = sale.size > 0n;
  if (long && p.minPrice !== undefined) {
    throw new UsageError(`inventory take ${market.symbol}: the inventory is long (you buy): use --max-price`);
  }
  if (!long && p.maxPrice !== undefined) {
    throw new UsageError(`inventory take ${market.symbol}: the inventory is short (you sell): use --min-price`);
  }
  const r = await takeInventory(s.wallet, {
    pool,
    lens,
    marketId: market.marketId,
    subId: p.subId,
    size: p.size,
    priceLimit: long ? p.maxPrice : p.minPrice,
  });
  const { receipt: _receipt, expected: _expected, ...mined } = r;
  const base = r.sizeDelta < 0n ? -r.sizeDelta : r.sizeDelta;
  answer(ctx.io, flags.json, { market: market.symbol, owner: s.address, subId: p.subId, ...mined }, () => [
    `Took ${formatWad(base, 4)} ${market.symbol} ${r.sizeDelta > 0n ? "long (bought)" : "short (sold)"} from the backstop at ` +
      `${formatWad(r.pricePerBase)} = index ${formatWad(r.indexPrice)} ${r.sizeDelta > 0n ? "-" : "+"} discount ` +
      `${formatWad(r.discountPerBase)} (${formatPercent(r.discountPerBase, r.indexPrice)}) (tx ${r.hash})`,
    `  ${r.quoteDelta > 0n ? "paid" : "received"} ${formatWad(r.quoteDelta < 0n ? -r.quoteDelta : r.quoteDelta)} USDC, ` +
      `realized PnL ${formatWad(r.realizedPnl)}, position now ${formatWad(r.sizeAfter, 4)}, sale budget left ${formatWad(r.budgetLeft)} USDC`,
  ]);
}
