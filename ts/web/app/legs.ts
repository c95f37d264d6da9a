// The Trade card's extra legs: more markets traded in the same transaction as the first (`tradeLegs`: one margin
// check after the last leg). Each leg is a market and a signed size; "Add leg" appends one, "Remove" drops it.
import { h } from "./dom";
import { type Parsed, parseSize } from "./inputs";

export type LegRow = { select: HTMLSelectElement; input: HTMLInputElement };

export type LegList = {
  /** The list with its "Add leg" button. */
  el: HTMLElement;
  rows(): LegRow[];
  /** Drops every extra leg. */
  clear(): void;
};

/** An editable list of extra legs over `markets`; `onChange` runs whenever a leg is added, removed or edited. */
export function legList(markets: readonly { marketId: number; symbol: string }[], onChange: () => void): LegList {
  const list = h("div", { class: "legs", "data-testid": "trade-legs" });
  const rows: (LegRow & { row: HTMLElement })[] = [];

  const renumber = () => {
    rows.forEach((r, i) => {
      const n = i + 1; // leg 0 is the card's own size and market
      r.select.dataset.testid = `trade-leg-market-${n}`;
      r.input.dataset.testid = `trade-leg-size-${n}`;
      const remove = r.row.querySelector("button");
      if (remove) remove.dataset.testid = `trade-leg-remove-${n}`;
    });
  };

  const add = h("button", { type: "button", class: "ghost", "data-testid": "trade-add-leg" }, "Add leg");
  add.addEventListener("click", () => {
    const select = h("select", {}, ...markets.map((m) => h("option", { value: m.marketId }, m.symbol)));
    // Default to a market no leg uses yet.
    const used = new Set(rows.map((r) => r.select.value));
    const free = markets.find((m) => !used.has(String(m.marketId)) && m !== markets[0]);
    if (free) select.value = String(free.marketId);
    const input = h("input", {
      type: "text",
      inputmode: "decimal",
      placeholder: "size: 0.1 = long, -0.1 = short",
      autocomplete: "off",
    });
    const remove = h("button", { type: "button", class: "ghost" }, "Remove");
    const row = h("div", { class: "action leg" }, input, select, remove);
    const entry = { select, input, row };
    remove.addEventListener("click", () => {
      rows.splice(rows.indexOf(entry), 1);
      row.remove();
      renumber();
      onChange();
    });
    input.addEventListener("input", onChange);
    select.addEventListener("change", onChange);
    rows.push(entry);
    list.insertBefore(row, add);
    renumber();
    onChange();
  });
  list.append(add);

  return {
    el: list,
    rows: () => rows.map(({ select, input }) => ({ select, input })),
    clear() {
      for (const r of rows) r.row.remove();
      rows.length = 0;
      onChange();
    },
  };
}

/** Every leg's market and size, checked: a size each, and a market at most once (the pool's DuplicateLeg). */
export function parseLegs(
  legs: readonly { marketId: bigint; symbol: string; sizeText: string }[],
): Parsed<{ marketId: bigint; symbol: string; size: bigint }[]> {
  const out: { marketId: bigint; symbol: string; size: bigint }[] = [];
  for (const leg of legs) {
    const size = parseSize(leg.sizeText);
    if (!size.ok) return { ok: false, error: `${leg.symbol}: ${size.error}` };
    if (out.some((o) => o.marketId === leg.marketId)) {
      return { ok: false, error: `${leg.symbol} is listed twice: one leg per market` };
    }
    out.push({ marketId: leg.marketId, symbol: leg.symbol, size: size.value });
  }
  return { ok: true, value: out };
}
