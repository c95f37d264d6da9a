// Risk — the backstop inventory: what liquidations left the backstop holding, for sale at the index ∓ a discount
// that grows with time (the lens's inventorySales at the head block), and each market's repeg state (due or not,
// the mark's gap to the index, the repeg window's twaps).
import { getInventorySales } from "../../pool/actions/getInventorySales";
import { getMarket } from "../../pool/actions/getMarket";
import type { InventorySaleView, MarketView } from "../../pool/types";
import type { Ctx, Section } from "./context";
import { fill, h } from "./dom";
import { readableError } from "./errors";
import { base, duration, ORACLE_STATUS, pct, price, usd } from "./fmt";

export function inventorySection(ctx: Ctx): Section {
  const sales = h("div", { "data-testid": "inventory-sales" });
  const repeg = h("div", { "data-testid": "repeg-state" });
  const error = h("div", { class: "status" });
  const symbol = (id: bigint) => ctx.deployment.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`;
  let seq = 0;

  async function refresh() {
    const mine = ++seq;
    const blockNumber = ctx.head.number;
    try {
      const { lens } = ctx.deployment.contracts;
      const [held, markets] = await Promise.all([
        getInventorySales(ctx.publicClient, { lens, blockNumber }),
        Promise.all(
          ctx.deployment.markets.map((m) => getMarket(ctx.publicClient, { lens, marketId: m.marketId, blockNumber })),
        ),
      ]);
      if (mine !== seq) return;
      sales.dataset.block = blockNumber.toString();
      drawSales(held);
      drawRepeg(markets);
      error.className = "status";
      error.textContent = "";
    } catch (err) {
      if (mine !== seq) return;
      error.className = "status error";
      error.textContent = readableError(err, ctx.usdc);
    }
  }

  function drawSales(held: readonly InventorySaleView[]) {
    fill(
      sales,
      held.length === 0
        ? h("p", { class: "muted" }, "The backstop holds no inventory.")
        : h(
            "table",
            {},
            h(
              "tr",
              {},
              ...["Market", "Backstop holds", "Index", "Discount / base", "Price now", "Budget left", "Oracle"].map(
                (t) => h("th", {}, t),
              ),
            ),
            ...held.map((v) =>
              h(
                "tr",
                { "data-testid": `inventory-${v.marketId}` },
                h("td", {}, `${symbol(v.marketId)}-PERP`),
                h(
                  "td",
                  { class: v.size < 0n ? "short" : "long", "data-testid": `inventory-size-${v.marketId}` },
                  `${base(v.size < 0n ? -v.size : v.size)} ${v.size < 0n ? "short" : "long"}`,
                ),
                h("td", {}, price(ctx.usdc, v.indexPrice)),
                h(
                  "td",
                  { "data-testid": `inventory-discount-${v.marketId}` },
                  `${price(ctx.usdc, v.discountPerBase)} (${pct(v.discountPerBase, v.indexPrice)})`,
                ),
                h("td", { "data-testid": `inventory-price-${v.marketId}` }, price(ctx.usdc, v.pricePerBase)),
                h("td", { "data-testid": `inventory-budget-${v.marketId}` }, usd(ctx.usdc, v.budget)),
                h("td", {}, ORACLE_STATUS[v.oracleStatus] ?? `status ${v.oracleStatus}`),
              ),
            ),
          ),
    );
  }

  function drawRepeg(markets: readonly MarketView[]) {
    const now = ctx.head.timestamp;
    fill(
      repeg,
      h(
        "table",
        {},
        h(
          "tr",
          {},
          ...["Market", "Repeg", "Mark", "Index", "Mark vs index", "Window", "Twap mark", "Twap index"].map((t) =>
            h("th", {}, t),
          ),
        ),
        ...markets.map((m) => {
          const empty = m.repegTwapMark === 0n;
          return h(
            "tr",
            { "data-testid": `repeg-${m.marketId}` },
            h("td", {}, `${symbol(m.marketId)}-PERP`),
            h("td", { "data-testid": `repeg-due-${m.marketId}` }, m.repegDue ? "due" : "not due"),
            h("td", {}, price(ctx.usdc, m.markPrice)),
            h("td", {}, price(ctx.usdc, m.indexPrice)),
            h("td", {}, pct(m.markPrice - m.indexPrice, m.indexPrice, 3)),
            h("td", {}, empty ? "empty" : duration(now > m.repegWindowStart ? now - m.repegWindowStart : 0n)),
            h("td", {}, empty ? "—" : price(ctx.usdc, m.repegTwapMark)),
            h("td", {}, empty ? "—" : price(ctx.usdc, m.repegTwapIndex)),
          );
        }),
      ),
    );
  }

  return {
    mount(root) {
      root.append(
        h(
          "section",
          { class: "card wide" },
          h("h2", {}, "Backstop inventory"),
          h(
            "p",
            { class: "muted" },
            "What liquidations left the backstop holding, for sale at the index minus (a long) or plus (a short) a discount that grows from zero with time since the last sale, capped by the penalties the backstop collected (the budget). A taker gets the backstop's side; the mark plays no part.",
          ),
          error,
          sales,
          h("h3", {}, "Repeg"),
          h(
            "p",
            { class: "muted" },
            "While the repeg window's time-weighted mark strays from the index, the curve steps toward the index every block.",
          ),
          repeg,
        ),
      );
    },
    refresh,
  };
}
