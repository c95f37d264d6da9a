// Trade page, funding per market: a chart of its funding updates (fundingCharts.ts) beside a forecast read at the
// page's block (the SDK's getFundingForecast): the rate and kicker now, what an update now would set, the most the
// next period can charge whatever the mark does (change limit + kicker max), the normal and effective cap with an
// "extreme session" badge, the group blend's weight, crowding against the kicker's threshold, the next update's time.
import { type FundingForecastView, getFundingForecast } from "../../pool/actions/getFundingForecast";
import type { MarketView } from "../../pool/types";
import { type Ctx, chainNow } from "./context";
import { fill, h, stat } from "./dom";
import { ORACLE_STATUS, usd, when } from "./fmt";
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
} from "./fundingFormat";

const WAD = 10n ** 18n;
const NOT_MEASURED = "not measured yet";

export function fundingPanel(ctx: Ctx): { el: HTMLElement; refresh(views: readonly MarketView[]): Promise<void> } {
  const charts = fundingCharts(ctx);
  const forecasts = new Map<bigint, HTMLElement>();
  const countdowns = new Map<bigint, { el: HTMLElement; next: bigint }>();
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
    for (const c of countdowns.values()) fill(c.el, nextUpdateText(c.next, now));
  }

  function draw(symbol: string, stats: HTMLElement, f: FundingForecastView, oracleStatus: number | undefined) {
    const { forecast, fundingPeriod: period } = f;
    const n = forecast.next;
    // An update in this very block: the new period has no time in it, so an update now would measure nothing.
    const measured = f.twapIndex !== 0n;
    const t = (k: string) => `funding-${symbol}-${k}`;
    const countdown = h("span", { "data-next": f.nextUpdate.toString() });
    countdowns.set(f.marketId, { el: countdown, next: f.nextUpdate });
    const badge = f.extreme
      ? h("span", { class: "badge extreme", "data-testid": t("extreme") }, "extreme session")
      : null;
    const siblings = f.siblingIds.map(
      (id) => ctx.deployment.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`,
    );
    fill(
      stats,
      stat(
        "Rate now",
        ratePerHourDay(f.rate.perSecond, f.indexPrice),
        t("rate"),
        `${usd(ctx.usdc, f.rate.perSecond * HOUR, 4)} USDC per base per hour at the index; > 0: longs pay shorts`,
      ),
      stat(
        "Kicker now",
        ratePerHourDay(f.kicker.perSecond, f.indexPrice),
        t("kicker"),
        `${payer(f.kicker.perSecond)} the crowded side's extra, to the tranches`,
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
        mostNextText(f),
        t("most"),
        "whatever the mark does: one change step from today's charge (never above the cap), plus the kicker's max",
      ),
      stat("Cap", `${premiumPct(f.cap, period, HOUR)} / h`, t("cap"), "a share of the base tier's IM − MM"),
      h(
        "div",
        { class: "stat", title: "the cap that applies: tighter while realized volatility is above the threshold" },
        h("span", { class: "label" }, "Effective cap ", badge),
        h(
          "span",
          { class: "value", "data-testid": t("cap-effective") },
          `${premiumPct(f.capEffective, period, HOUR)} / h`,
        ),
      ),
      stat(
        "Group blend weight",
        measured ? blendText(f) : NOT_MEASURED,
        t("blend"),
        "the fresh siblings' weight in the next premium (bounded by what pushing their marks costs), of the ceiling",
      ),
      stat(
        "Group",
        f.params.group === 0 ? "none" : `#${f.params.group} with ${siblings.join(", ") || "no other market"}`,
        t("group"),
      ),
      stat(
        "Crowding vs threshold",
        measured ? crowdingText(f) : NOT_MEASURED,
        t("crowding"),
        `the group's net ${usd(ctx.usdc, f.groupNet * WAD, 0)} USDC against tranche capital; the kicker starts above the threshold`,
      ),
      stat("Next update", countdown, t("update"), `last ${when(f.lastUpdate)}; every update sets the next rate`),
      oracleStatus === undefined || oracleStatus === 0
        ? null
        : stat("Oracle", `${ORACLE_STATUS[oracleStatus] ?? oracleStatus}: no funding charged`, t("oracle")),
    );
    fill(countdown, nextUpdateText(f.nextUpdate, chainNow(ctx.head)));
  }

  return {
    el,
    /** Reads every market's forecast at the page's block; `views` (the same block) give the oracle's status. */
    async refresh(views) {
      const blockNumber = ctx.head.number;
      const { lens, pool } = ctx.deployment.contracts;
      let all: FundingForecastView[] = [];
      let error = "";
      try {
        all = await getFundingForecast(ctx.publicClient, { lens, pool, blockNumber });
      } catch (err) {
        error = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
      }
      countdowns.clear();
      for (const m of ctx.deployment.markets) {
        const id = BigInt(m.marketId);
        const stats = forecasts.get(id);
        if (!stats) continue;
        stats.dataset.block = blockNumber.toString();
        const f = all.find((x) => x.marketId === id);
        if (f) draw(m.symbol, stats, f, views.find((v) => v.marketId === id)?.oracleStatus);
        else {
          const why = error || "the pool does not list this market";
          fill(
            stats,
            stat("Forecast", "unavailable", `funding-${m.symbol}-error`, why),
            h("p", { class: "muted" }, why),
          );
        }
      }
      charts.refresh(all.map((f) => ({ marketId: f.marketId, period: f.fundingPeriod, cap: f.cap })));
    },
  };
}
