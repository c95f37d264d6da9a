// Trade: markets, a quote that updates as you type (ts/pool quoteTrade + the liquidation price after the trade),
// open / close, my positions with value, health, liquidation price, funding and time to liquidation; margin.
// Extra legs (legs.ts) trade several markets in one transaction (tradeLegs, one margin check after the last leg);
// a single leg keeps using trade. Funding per market (fundingPanel.ts): its history chart and the next period's forecast.
import { readContract } from "viem/actions";
import { oracleRouterAbi, perpPoolAbi, testUsdcAbi } from "../../abi/generated";
import { closePosition } from "../../pool/actions/closePosition";
import { depositMargin } from "../../pool/actions/depositMargin";
import { type GetAccountStateReturnType, getAccountState } from "../../pool/actions/getAccountState";
import { getMarket } from "../../pool/actions/getMarket";
import { type GetRiskEngineReturnType, getRiskEngine } from "../../pool/actions/getRiskEngine";
import { trade } from "../../pool/actions/trade";
import { tradeLegs } from "../../pool/actions/tradeLegs";
import { withdrawMargin } from "../../pool/actions/withdrawMargin";
import { accountHealthAt, type PositionInput, positionContribution } from "../../pool/math/accountMath";
import { fundingOver, liquidationPrice, timeToLiquidation } from "../../pool/math/liquidationPrice";
import { accountAfterTrade, tradedMarketInput } from "../../pool/math/tradePreview";
import { quoteTrade } from "../../pool/quoteTrade";
import { quoteTradeLegs } from "../../pool/quoteTradeLegs";
import type { MarketConfig, MarketState, MarketView } from "../../pool/types";
import type { Ctx, Section } from "./context";
import { fill, h, stat } from "./dom";
import { usdcBalance } from "./earn";
import { readableError } from "./errors";
import { base, duration, ORACLE_STATUS, pct, price, usd, usd6 } from "./fmt";
import { actionRow, submit } from "./form";
import { fundingPanel } from "./fundingPanel";
import { parseSize, parseUsdc } from "./inputs";
import { legList, parseLegs } from "./legs";
import { nettingPanel } from "./netting";

const DAY = 86_400n;
const HOUR = 3_600n;

/** A market at the page's block; `oracleStatus` and `imMultiplierBps` as the lens reads them (what the margin check
 * after a trade sees: a market that is not Normal nets nothing, a volatile one's IM is scaled). */
type MarketData = {
  view: MarketView;
  state: MarketState;
  config: MarketConfig;
  index: bigint;
  halted: boolean;
  oracleStatus: number;
  imMultiplierBps: bigint;
};

export function tradeSection(ctx: Ctx): Section {
  const marketsTable = h("div", {});
  const positions = h("div", {});
  const account = h("div", { class: "stats" });
  const netting = nettingPanel(ctx);
  const funding = fundingPanel(ctx);
  const quoteBox = h("div", { class: "stats quote", "data-testid": "quote" });
  const select = h("select", { "data-testid": "trade-market" });
  let markets: MarketData[] = [];
  let me: GetAccountStateReturnType | null = null;
  /** The pool's risk engine grid, read once per refresh (null: none, every market additive). */
  let engine: GetRiskEngineReturnType = null;

  const open = actionRow({
    testid: "trade",
    placeholder: "size in base: 2 = long, -2 = short",
    button: "Open / change",
    extra: [select],
    onSubmit: (input, button, status) =>
      legs.rows().length > 0
        ? submit(
            ctx,
            status,
            button,
            () => parseLegs(allLegs(input.value)),
            async (list) => {
              const r = await tradeLegs(ctx.wallet as never, {
                pool: ctx.deployment.contracts.pool,
                legs: list.map((l) => ({ marketId: l.marketId, size: l.size })),
              });
              input.value = "";
              legs.clear();
              fill(quoteBox);
              const filled = r.legs.map(
                (l) =>
                  `${symbolOf(l.marketId)} ${base(l.sizeDelta)} at ${price(ctx.usdc, (l.quote * 10n ** 18n) / (l.sizeDelta < 0n ? -l.sizeDelta : l.sizeDelta))}`,
              );
              const sizes = r.legs.map((l) => `${symbolOf(l.marketId)} ${base(l.sizeAfter)}`);
              return `Filled ${r.legs.length} legs in one transaction: ${filled.join(", ")}; fees ${usd(ctx.usdc, r.fee)}; sizes now ${sizes.join(", ")}.`;
            },
          )
        : submit(
            ctx,
            status,
            button,
            () => parseSize(input.value),
            async (size) => {
              const r = await trade(ctx.wallet as never, {
                pool: ctx.deployment.contracts.pool,
                marketId: marketId(),
                size,
              });
              input.value = "";
              fill(quoteBox);
              return `Filled ${base(size)} at ${price(ctx.usdc, (r.quote * 10n ** 18n) / (size < 0n ? -size : size))}, fee ${usd(ctx.usdc, r.fee)}; size now ${base(r.sizeAfter)}.`;
            },
          ),
  });
  const legs = legList(ctx.deployment.markets, () => drawQuote(open.input.value));
  open.input.addEventListener("input", () => drawQuote(open.input.value));
  select.addEventListener("change", () => drawQuote(open.input.value));

  const symbolOf = (id: bigint) => ctx.deployment.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`;
  /** The card's own market and size first, then every extra leg. */
  const allLegs = (text: string) => [
    { marketId: marketId(), symbol: symbolOf(marketId()), sizeText: text },
    ...legs.rows().map((r) => ({
      marketId: BigInt(r.select.value),
      symbol: symbolOf(BigInt(r.select.value)),
      sizeText: r.input.value,
    })),
  ];

  const dep = actionRow({
    testid: "margin-deposit",
    placeholder: "USDC",
    button: "Deposit margin",
    onSubmit: (input, button, status) =>
      submit(
        ctx,
        status,
        button,
        () => parseUsdc(input.value),
        async (amount) => {
          await depositMargin(ctx.wallet as never, { pool: ctx.deployment.contracts.pool, amount });
          input.value = "";
          return `Deposited ${usd6(ctx.usdc, amount)} USDC of margin.`;
        },
      ),
  });
  const wd = actionRow({
    testid: "margin-withdraw",
    placeholder: "USDC",
    button: "Withdraw margin",
    onSubmit: (input, button, status) =>
      submit(
        ctx,
        status,
        button,
        () => parseUsdc(input.value),
        async (amount) => {
          await withdrawMargin(ctx.wallet as never, { pool: ctx.deployment.contracts.pool, amount });
          input.value = "";
          return `Withdrew ${usd6(ctx.usdc, amount)} USDC.`;
        },
      ),
  });
  const mint = actionRow({
    testid: "mint",
    button: "Get 100,000 test USDC",
    withInput: false,
    onSubmit: (_i, button, status) =>
      submit(
        ctx,
        status,
        button,
        () => ({ ok: true, value: 100_000n * 10n ** 6n }),
        async (amount) => {
          const w = ctx.wallet;
          if (!w) throw new Error("no wallet");
          const hash = await w.writeContract({
            address: ctx.deployment.contracts.usdc,
            abi: testUsdcAbi,
            functionName: "mint",
            args: [w.account.address, amount],
          });
          await ctx.publicClient.waitForTransactionReceipt({ hash });
          return `Minted ${usd6(ctx.usdc, amount)} test USDC.`;
        },
      ),
  });

  const marketId = () => BigInt(select.value || "0");

  /** A market's input for a position the account does not hold yet (index, status, IM multiplier). */
  const marketInput = (m: MarketData) => ({
    marketId: m.view.marketId,
    state: m.state,
    config: m.config,
    index: m.index,
    halted: m.halted,
    oracleStatus: m.oracleStatus,
    imMultiplierBps: m.imMultiplierBps,
  });

  /** Several legs: each quoted on its own market, then the account after all of them (one check after the last). */
  function drawLegsQuote(text: string) {
    const all = allLegs(text);
    if (all.some((l) => !l.sizeText.trim())) return fill(quoteBox);
    const parsed = parseLegs(all);
    if (!parsed.ok) {
      return fill(quoteBox, h("div", { class: "status error", "data-testid": "quote-error" }, parsed.error));
    }
    try {
      const inputs = parsed.value.map((l) => {
        const m = markets.find((x) => x.view.marketId === l.marketId);
        if (!m) throw new Error(`unknown market ${l.symbol}`);
        return tradedMarketInput(me?.positions, marketInput(m));
      });
      const q = quoteTradeLegs(inputs.map((m, i) => ({ ...m, sizeDelta: parsed.value[i]?.size ?? 0n })));
      let initial = "—";
      let valueAfter = "—";
      if (me) {
        let after: ReturnType<typeof accountAfterTrade> = { account: me.account, positions: [...me.positions] };
        q.legs.forEach((leg, i) => {
          const market = inputs[i];
          if (market) after = accountAfterTrade(after.account, after.positions, market, leg, ctx.head.timestamp);
        });
        const now = accountHealthAt(me.account, me.positions, ctx.head.timestamp, engine);
        const then = accountHealthAt(after.account, after.positions, ctx.head.timestamp, engine);
        initial = `${usd(ctx.usdc, now.initialRequirement)} → ${usd(ctx.usdc, then.initialRequirement)}`;
        valueAfter = usd(ctx.usdc, then.value);
      }
      fill(
        quoteBox,
        ...q.legs.map((leg, i) =>
          stat(
            `${symbolOf(leg.marketId)} notional (${leg.sizeDelta > 0n ? "bought" : "sold"}), size after ${base(leg.sizeAfter)}`,
            usd(ctx.usdc, leg.quote),
            `quote-leg-amount-${i}`,
          ),
        ),
        stat("Fees (paid from margin)", usd(ctx.usdc, q.fee), "quote-fee"),
        stat("Initial margin required (checked once, after the last leg)", initial, "quote-initial"),
        stat("Account value after", valueAfter, "quote-value"),
      );
    } catch (err) {
      fill(quoteBox, h("div", { class: "status error", "data-testid": "quote-error" }, readableError(err, ctx.usdc)));
    }
  }

  function drawQuote(text: string) {
    if (legs.rows().length > 0) return drawLegsQuote(text);
    if (!text.trim()) return fill(quoteBox);
    const size = parseSize(text);
    if (!size.ok) return fill(quoteBox, h("div", { class: "status error", "data-testid": "quote-error" }, size.error));
    const m = markets.find((x) => x.view.marketId === marketId());
    if (!m) return fill(quoteBox);
    const current = me?.positions.find((p) => p.marketId === m.view.marketId);
    const position = current?.position ?? { size: 0n, openNotional: 0n, fundingEntry: 0n };
    try {
      const q = quoteTrade({
        state: m.state,
        config: m.config,
        sizeDelta: size.value,
        position,
        marketId: m.view.marketId,
      });
      const abs = size.value < 0n ? -size.value : size.value;
      const avg = (q.quote * 10n ** 18n) / abs;
      const impact = avg > q.markBefore ? avg - q.markBefore : q.markBefore - avg;
      let liq = "—";
      let initial = "—";
      let valueAfter = "—";
      if (me) {
        const input = tradedMarketInput(me.positions, marketInput(m));
        const after = accountAfterTrade(me.account, me.positions, input, q, ctx.head.timestamp);
        const lp = liquidationPrice(after.account, after.positions, m.view.marketId, ctx.head.timestamp, engine);
        liq = q.sizeAfter === 0n ? "closed" : lp === null ? "none" : price(ctx.usdc, lp);
        const now = accountHealthAt(me.account, me.positions, ctx.head.timestamp, engine);
        const then = accountHealthAt(after.account, after.positions, ctx.head.timestamp, engine);
        initial = `${usd(ctx.usdc, now.initialRequirement)} → ${usd(ctx.usdc, then.initialRequirement)}`;
        valueAfter = usd(ctx.usdc, then.value);
      }
      fill(
        quoteBox,
        stat(`Notional (${size.value > 0n ? "bought" : "sold"})`, usd(ctx.usdc, q.quote), "quote-amount"),
        stat("Average price", price(ctx.usdc, avg), "quote-avg"),
        stat("Price impact", pct(impact, q.markBefore, 3), "quote-impact"),
        stat("Fee (paid from margin)", usd(ctx.usdc, q.fee), "quote-fee"),
        stat("Mark after", price(ctx.usdc, q.markAfter)),
        stat("Size after", base(q.sizeAfter)),
        stat("Initial margin required", initial, "quote-initial"),
        stat("Account value after", valueAfter, "quote-value"),
        stat("Liquidation price after", liq, "quote-liq"),
      );
    } catch (err) {
      fill(quoteBox, h("div", { class: "status error", "data-testid": "quote-error" }, readableError(err, ctx.usdc)));
    }
  }

  return {
    mount(root) {
      root.append(
        h("section", { class: "card wide" }, h("h2", {}, "Markets"), marketsTable),
        h(
          "div",
          { class: "pair" },
          h("section", { class: "card" }, h("h2", {}, "Trade"), open.row, legs.el, quoteBox),
          h("section", { class: "card" }, h("h2", {}, "Margin"), account, netting.element, dep.row, wd.row, mint.row),
        ),
        h("section", { class: "card wide" }, h("h2", {}, "My positions"), positions),
        funding.el,
      );
      for (const m of ctx.deployment.markets) select.append(h("option", { value: m.marketId }, m.symbol));
    },
    async refresh() {
      const blockNumber = ctx.head.number;
      const { pool, oracle, lens } = ctx.deployment.contracts;
      markets = await Promise.all(
        ctx.deployment.markets.map(async (m): Promise<MarketData> => {
          const args = [BigInt(m.marketId)] as const;
          const at = { blockNumber } as const;
          const [view, state, config, [index, status]] = await Promise.all([
            getMarket(ctx.publicClient, { lens, marketId: m.marketId, blockNumber }),
            readContract(ctx.publicClient, {
              address: pool,
              abi: perpPoolAbi,
              functionName: "marketState",
              args,
              ...at,
            }),
            readContract(ctx.publicClient, {
              address: pool,
              abi: perpPoolAbi,
              functionName: "marketConfig",
              args,
              ...at,
            }),
            readContract(ctx.publicClient, {
              address: oracle,
              abi: oracleRouterAbi,
              functionName: "peek",
              args,
              ...at,
            }),
          ]);
          return {
            view,
            state,
            config,
            index,
            halted: status === 2,
            oracleStatus: view.oracleStatus,
            imMultiplierBps: view.initialMultiplierBps,
          };
        }),
      );
      engine = await getRiskEngine(ctx.publicClient, { pool, blockNumber });
      const owner = ctx.wallet?.account.address;
      me = owner ? await getAccountState(ctx.publicClient, { pool, oracle, owner, blockNumber }) : null;
      const balance = owner ? await usdcBalance(ctx, owner) : null;
      drawMarkets();
      drawAccount(balance);
      drawPositions();
      drawQuote(open.input.value);
      await Promise.all([netting.refresh(), funding.refresh(markets.map((m) => m.view))]);
    },
  };

  function drawMarkets() {
    fill(
      marketsTable,
      h(
        "table",
        { "data-testid": "markets" },
        h(
          "tr",
          {},
          ...["Market", "Mark", "Index", "Funding / hour", "Open interest long · short", "Cap per side", "Oracle"].map(
            (t) => h("th", {}, t),
          ),
        ),
        ...markets.map(({ view: v }) => {
          const sym = ctx.deployment.markets.find((m) => BigInt(m.marketId) === v.marketId)?.symbol ?? "";
          const perHour = v.fundingRate * HOUR;
          const oiMax = [v.longOpenInterest, v.shortOpenInterest].reduce((a, b) => (b > a ? b : a));
          return h(
            "tr",
            { "data-testid": `market-${sym}` },
            h("td", {}, sym),
            h("td", {}, price(ctx.usdc, v.markPrice)),
            h("td", {}, price(ctx.usdc, v.indexPrice)),
            h(
              "td",
              { title: "quote per base per hour; > 0: longs pay shorts" },
              `${usd(ctx.usdc, perHour, 4)} (${perHour < 0n ? "-" : ""}${pct(perHour < 0n ? -perHour : perHour, v.indexPrice, 4)})`,
            ),
            h(
              "td",
              {},
              `${base(v.longOpenInterest, 2)} · ${base(v.shortOpenInterest, 2)}`,
              bar(oiMax, v.openInterestCapBase),
            ),
            h("td", {}, base(v.openInterestCapBase, 0)),
            h("td", { class: `oracle-${v.oracleStatus}` }, ORACLE_STATUS[v.oracleStatus] ?? String(v.oracleStatus)),
          );
        }),
      ),
    );
  }

  function drawAccount(balance: bigint | null) {
    if (!me) return fill(account, h("p", { class: "muted" }, "Connect a wallet to trade."));
    const hlt = accountHealthAt(me.account, me.positions, me.timestamp, engine);
    fill(
      account,
      stat("Wallet USDC", balance === null ? "—" : usd6(ctx.usdc, balance), "trade-wallet-usdc"),
      stat("Collateral", usd(ctx.usdc, hlt.collateral), "collateral"),
      stat("Account value (at index)", usd(ctx.usdc, hlt.value), "account-value"),
      stat("Initial requirement", usd(ctx.usdc, hlt.initialRequirement)),
      stat("Maintenance requirement", usd(ctx.usdc, hlt.maintenanceRequirement)),
      stat(
        "Health",
        hlt.maintenanceRequirement === 0n ? "—" : pct(hlt.value, hlt.maintenanceRequirement, 0),
        "health",
        "value / maintenance requirement: below 100 % is liquidatable",
      ),
      stat("Time to liquidation at today's funding", ttl(), "ttl"),
    );
  }

  function ttl(): string {
    if (!me || me.positions.length === 0) return "—";
    const t = timeToLiquidation(me.account, me.positions, me.timestamp, engine);
    return t === null ? "not within 10 years" : t === 0n ? "liquidatable now" : duration(t);
  }

  function drawPositions() {
    if (!me || me.positions.length === 0) return fill(positions, h("p", { class: "muted" }, "No open positions."));
    const s = me;
    fill(
      positions,
      h(
        "table",
        { "data-testid": "positions" },
        h(
          "tr",
          {},
          ...[
            "Market",
            "Size",
            "Entry",
            "Index",
            "Value (PnL after funding)",
            "Maintenance",
            "Liquidation price",
            "Funding / day",
            "",
          ].map((t) => h("th", {}, t)),
        ),
        ...s.positions.map((p) => {
          const sym = ctx.deployment.markets.find((m) => BigInt(m.marketId) === p.marketId)?.symbol ?? "";
          const c = positionContribution(p as PositionInput, s.timestamp);
          const liq = liquidationPrice(s.account, s.positions, p.marketId, s.timestamp, engine);
          const perDay = fundingOver(p, s.timestamp, DAY);
          const abs = p.position.size < 0n ? -p.position.size : p.position.size;
          const on = p.position.openNotional < 0n ? -p.position.openNotional : p.position.openNotional;
          const closeBtn = h("button", { type: "button", class: "ghost", "data-testid": `close-${sym}` }, "Close");
          const status = h("span", { class: "status" });
          closeBtn.addEventListener("click", async () => {
            closeBtn.disabled = true;
            try {
              await closePosition(ctx.wallet as never, { pool: ctx.deployment.contracts.pool, marketId: p.marketId });
            } catch (err) {
              status.className = "status error";
              status.textContent = readableError(err, ctx.usdc);
            } finally {
              closeBtn.disabled = false;
              ctx.poke();
            }
          });
          return h(
            "tr",
            { "data-testid": `position-${sym}` },
            h("td", {}, sym),
            h(
              "td",
              { class: p.position.size > 0n ? "long" : "short" },
              `${p.position.size > 0n ? "long" : "short"} ${base(abs)}`,
            ),
            h("td", {}, price(ctx.usdc, (on * 10n ** 18n) / abs)),
            h("td", {}, price(ctx.usdc, p.index)),
            h("td", {}, usd(ctx.usdc, c.pnl)),
            h("td", {}, usd(ctx.usdc, c.maintenance)),
            h("td", { "data-testid": `liq-${sym}` }, liq === null ? "none" : price(ctx.usdc, liq)),
            h("td", { title: "> 0: you pay" }, usd(ctx.usdc, perDay, 4)),
            h("td", {}, closeBtn, status),
          );
        }),
      ),
    );
  }
}

/** A thin SVG bar: value against cap. */
function bar(value: bigint, cap: bigint): SVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 6");
  svg.setAttribute("class", "oibar");
  const frac = cap === 0n ? 0 : Number((value * 1000n) / cap) / 10;
  for (const [w, cls] of [
    [100, "bg"],
    [Math.min(100, frac), "fg"],
  ] as const) {
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("width", String(w));
    r.setAttribute("height", "6");
    r.setAttribute("class", cls);
    svg.append(r);
  }
  return svg;
}
