// Tables for the backstop inventory's sales and the markets' repeg state (`perp status`, `perp inventory`).
import type { Deployment } from "../deploy/deployment";
import { formatPercent, formatWad } from "../display/amounts";
import { table } from "../display/table";
import type { InventorySaleView, MarketView } from "../pool/types";

export const ORACLE_STATUS = ["Normal", "ReduceOnly", "Halted"] as const;

const symbolOf = (d: Deployment, id: bigint) => d.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`;

/** (a - b) / b as a signed percentage. */
const gap = (a: bigint, b: bigint) => (b === 0n ? "n/a" : formatPercent(a - b, b, 3));

/** The sales: one row per market where the backstop holds a position. */
export function inventoryTable(d: Deployment, sales: readonly InventorySaleView[]): string {
  return table(
    ["market", "backstop holds", "index", "discount/base", "price now", "budget left", "rate/min", "oracle"],
    sales.map((s) => [
      `${symbolOf(d, s.marketId)}-PERP`,
      `${formatWad(s.size < 0n ? -s.size : s.size, 4)} ${s.size < 0n ? "short" : "long"}`,
      formatWad(s.indexPrice),
      `${formatWad(s.discountPerBase)} (${formatPercent(s.discountPerBase, s.indexPrice)})`,
      formatWad(s.pricePerBase),
      formatWad(s.budget),
      formatPercent(s.discountRateBps, 10_000n),
      ORACLE_STATUS[s.oracleStatus] ?? `status ${s.oracleStatus}`,
    ]),
  );
}

/** Each market's repeg: due or not, the mark's gap to the index now, and the repeg window's twaps and gap. */
export function repegTable(d: Deployment, markets: readonly MarketView[], now: bigint): string {
  return table(
    ["market", "repeg", "mark - index", "window", "twap mark", "twap index", "twap gap", "step budget"],
    markets.map((m) => [
      `${symbolOf(d, m.marketId)}-PERP`,
      m.repegDue ? "DUE" : "not due",
      gap(m.markPrice, m.indexPrice),
      m.repegTwapMark === 0n ? "empty" : `${now > m.repegWindowStart ? now - m.repegWindowStart : 0n} s`,
      m.repegTwapMark === 0n ? "—" : formatWad(m.repegTwapMark),
      m.repegTwapMark === 0n ? "—" : formatWad(m.repegTwapIndex),
      m.repegTwapMark === 0n ? "—" : gap(m.repegTwapMark, m.repegTwapIndex),
      formatWad(m.repegBudget),
    ]),
  );
}
