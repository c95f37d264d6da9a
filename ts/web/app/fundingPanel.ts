// Trade page, funding per market: a chart of its funding updates (fundingCharts.ts) beside a forecast read at the
// page's block (fundingChain.ts): the rate and kicker now, what an update now would set, the most the next period
// can charge whatever the mark does (change limit + kicker max), the normal and effective cap with an "extreme
// session" badge, the group blend's weight, crowding against the kicker's threshold, and the time to the next update.
import { type Ctx, chainNow } from "./context";
import { fill, h, stat } from "./dom";
import { ORACLE_STATUS, usd, when } from "./fmt";
import { type GetFundingForecastReturnType, getFundingForecast } from "./fundingChain";
import { fundingCharts } from "./fundingCharts";
import {
  blendText,
  crowdingText,
  HOUR,
  mostNextText,
  nextUpdateText,
  payer,
  premiumPct,
  premiumPerHourDay,
  ratePerHourDay,
  siblingIds,
} from "./fundingFormat";

const WAD = 10n ** 18n;
const NOT_MEASURED = "not measured yet";

type Reading = GetFundingForecastReturnType | string;

export function fundingPanel(ctx: Ctx): { el: HTMLElement; refresh(): Promise<void> } {
  const charts = fundingCharts(ctx);
  const forecasts = new Map<bigint, HTMLElement>();
  const countdowns = new Map<bigint, HTMLElement>();
  const latest = new Map<bigint, GetFundingForecastReturnType>();
  const blocks = ctx.deployment.markets.map((m) => {
    const id = BigInt(m.marketId);
    const stats = h("div", { class: "stats funding-forecast", "data-testid": `funding-forecast-${m.symbol}` });
    forecasts.set(id, stats);
    return h(
      "div",
      { class: "funding-market" },
      h("h3", {}, `${m.symbol} funding`),
      h(
        "div",
        { class: "pair" },
        h("div", {}, charts.chartEl(id, m.symbol)),
        h("div", {}, h("h3", { class: "sub" }, "Forecast"), stats),
      ),
    );
  });
  const el = h(
    "section",
    { class: "card wide", "data-testid": "funding-card" },
    h("h2", {}, "Funding"),
    ...blocks,
    charts.status,
  );
  setInterval(drawCountdowns, 1000);

  function drawCountdowns() {
    const now = chainNow(ctx.head);
    for (const [id, f] of latest) {
      const c = countdowns.get(id);
      if (c) fill(c, nextUpdateText(f.market.nextFundingUpdate, now));
    }
  }

  function draw(symbol: string, stats: HTMLElement, r: Reading, blockNumber: bigint) {
    stats.dataset.block = blockNumber.toString();
    if (typeof r === "string") {
      fill(stats, stat("Forecast", "unavailable", `funding-${symbol}-error`, r), h("p", { class: "muted" }, r));
      return;
    }
    const { forecast: f, market: v, params, fundingPeriod: period } = r;
    const n = f.next;
    // An update in this very block: the new period has no time in it, so an update now would measure nothing.
    const measured = v.twapIndex !== 0n;
    const t = (k: string) => `funding-${symbol}-${k}`;
    const countdown = h("span", { "data-next": v.nextFundingUpdate.toString() });
    countdowns.set(r.marketId, countdown);
    const badge = n.extreme
      ? h("span", { class: "badge extreme", "data-testid": t("extreme") }, "extreme session")
      : null;
    const siblings = siblingIds(params.siblings, params.siblingCount).map(
      (id) => ctx.deployment.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`,
    );
    fill(
      stats,
      stat(
        "Rate now",
        ratePerHourDay(v.fundingRate, v.indexPrice),
        t("rate"),
        `${usd(ctx.usdc, v.fundingRate * HOUR, 4)} USDC per base per hour at the index; > 0: longs pay shorts`,
      ),
      stat(
        "Kicker now",
        ratePerHourDay(v.fundingKicker, v.indexPrice),
        t("kicker"),
        `${payer(v.fundingKicker)} the crowded side's extra, to the tranches`,
      ),
      stat(
        "Next period (estimate)",
        measured ? premiumPerHourDay(n.charged, period) : NOT_MEASURED,
        t("next"),
        `what an update now would charge: own premium ${premiumPct(n.premium, period, HOUR)} / h, after the group ` +
          `blend ${premiumPct(n.blended, period, HOUR)} / h, then the change limit and the cap (the mark may still move)`,
      ),
      stat(
        "Next kicker (estimate)",
        measured ? premiumPerHourDay(n.kicker, period) : NOT_MEASURED,
        t("next-kicker"),
        payer(n.kicker),
      ),
      stat(
        "Most next period",
        mostNextText(r),
        t("most"),
        "whatever the mark does: one change step from today's charge (never above the cap), plus the kicker's max",
      ),
      stat("Cap", `${premiumPct(n.cap, period, HOUR)} / h`, t("cap"), "a share of the base tier's IM − MM"),
      h(
        "div",
        { class: "stat", title: "the cap that applies: tighter while realized volatility is above the threshold" },
        h("span", { class: "label" }, "Effective cap ", badge),
        h(
          "span",
          { class: "value", "data-testid": t("cap-effective") },
          `${premiumPct(n.capEffective, period, HOUR)} / h`,
        ),
      ),
      stat(
        "Group blend weight",
        measured ? blendText(r) : NOT_MEASURED,
        t("blend"),
        "the fresh siblings' weight in the next premium (bounded by what pushing their marks costs), of the ceiling",
      ),
      stat(
        "Group",
        params.group === 0 ? "none" : `#${params.group} with ${siblings.join(", ") || "no other market"}`,
        t("group"),
      ),
      stat(
        "Crowding vs threshold",
        measured ? crowdingText(r) : NOT_MEASURED,
        t("crowding"),
        `the group's net ${usd(ctx.usdc, n.groupNet * WAD, 0)} USDC against tranche capital; the kicker starts above the threshold`,
      ),
      stat("Next update", countdown, t("update"), `last ${when(v.lastFundingUpdate)}; every update sets the next rate`),
      v.oracleStatus === 0
        ? null
        : stat("Oracle", `${ORACLE_STATUS[v.oracleStatus] ?? v.oracleStatus}: no funding`, t("oracle")),
    );
    fill(countdown, nextUpdateText(v.nextFundingUpdate, chainNow(ctx.head)));
  }

  return {
    el,
    async refresh() {
      const blockNumber = ctx.head.number;
      const { lens, pool } = ctx.deployment.contracts;
      const readings = await Promise.all(
        ctx.deployment.markets.map(
          (m): Promise<Reading> =>
            getFundingForecast(ctx.publicClient, { lens, pool, marketId: BigInt(m.marketId), blockNumber }).catch(
              (err: unknown) => (err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err)),
            ),
        ),
      );
      ctx.deployment.markets.forEach((m, i) => {
        const r = readings[i] as Reading;
        const id = BigInt(m.marketId);
        if (typeof r === "string") latest.delete(id);
        else latest.set(id, r);
        const stats = forecasts.get(id);
        if (stats) draw(m.symbol, stats, r, blockNumber);
      });
      charts.refresh(
        [...latest.values()].map((f) => ({ marketId: f.marketId, period: f.fundingPeriod, cap: f.forecast.next.cap })),
      );
    },
  };
}
