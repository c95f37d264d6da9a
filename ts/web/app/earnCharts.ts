// Earn page charts: each tranche's share price and trailing APR over time (TradingView lightweight-charts), from
// getTrancheHistory at up to 60 blocks between the deployment's start block and the head, with a marker per premium
// payment. The history loads in the background (it is a few hundred historical reads) at most every RELOAD_MS, and
// never holds up the rest of the page; reads far below the head are cached across loads.
import {
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import {
  createTrancheHistoryCache,
  type GetTrancheHistoryReturnType,
  getTrancheHistory,
} from "../../tranches/actions/getTrancheHistory";
import { themedChart } from "./chartBase";
import type { Ctx } from "./context";
import { fill, h } from "./dom";
import { sideSeries } from "./historySeries";

const SIDES = ["junior", "senior"] as const;
type Side = (typeof SIDES)[number];
const COLORS: Record<Side, string> = { junior: "#f0883e", senior: "#58a6ff" };
const RELOAD_MS = 5_000;
/** Trailing window of each APR point: a day, or the sample spacing when samples are further apart. */
const APR_WINDOW = 86_400n;

type Chart = {
  el: HTMLElement;
  chart: IChartApi;
  series: Record<Side, ISeriesApi<"Line">>;
  markers: Partial<Record<Side, ISeriesMarkersPluginApi<Time>>>;
};

function makeChart(el: HTMLElement, format: (v: number) => string): Chart {
  const chart = themedChart(el, format);
  const line = (side: Side) =>
    chart.addSeries(LineSeries, {
      color: COLORS[side],
      lineWidth: 2,
      title: side,
      priceLineVisible: false,
      lastValueVisible: true,
    });
  return { el, chart, series: { junior: line("junior"), senior: line("senior") }, markers: {} };
}

export function earnCharts(ctx: Ctx): { el: HTMLElement; refresh(): void } {
  const cache = createTrancheHistoryCache();
  const status = h("p", { class: "muted", "data-testid": "history-status" }, "Loading history…");
  const priceEl = h("div", { class: "chart", "data-testid": "chart-share-price" });
  const aprEl = h("div", { class: "chart", "data-testid": "chart-apr" });
  const el = h(
    "section",
    { class: "card wide", "data-testid": "history-card" },
    h("h2", {}, "History"),
    h(
      "div",
      { class: "pair" },
      h("div", {}, h("h3", {}, "Share price (USDC per share)"), priceEl),
      h("div", {}, h("h3", {}, "Trailing APR (%)"), aprEl),
    ),
    status,
  );
  let charts: { price: Chart; apr: Chart } | undefined;
  let loading = false;
  let lastLoad = 0;
  let drawnBlock = -1n;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load() {
    loading = true;
    lastLoad = performance.now();
    try {
      const { junior, senior, backstop } = ctx.deployment.contracts;
      const history = await getTrancheHistory(ctx.publicClient, {
        junior,
        senior,
        backstop,
        fromBlock: ctx.deployment.startBlock,
        toBlock: ctx.head.number,
        aprWindow: APR_WINDOW,
        cache,
      });
      draw(history);
    } catch (err) {
      fill(status, `History unavailable: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    } finally {
      loading = false;
      refresh(); // the head may have moved meanwhile
    }
  }

  /** Loads when the head moved past what is drawn, at most every RELOAD_MS (a timer catches up after a pause). */
  function refresh() {
    if (loading || timer !== undefined || ctx.head.number === drawnBlock) return;
    const wait = lastLoad === 0 ? 0 : RELOAD_MS - (performance.now() - lastLoad);
    if (wait <= 0) return void load();
    timer = setTimeout(() => {
      timer = undefined;
      refresh();
    }, wait);
  }

  function draw(history: GetTrancheHistoryReturnType) {
    charts ??= {
      price: makeChart(priceEl, (v) => v.toFixed(6)),
      apr: makeChart(aprEl, (v) => `${v.toFixed(2)} %`),
    };
    const decimals = ctx.usdc.decimals;
    const price = charts.price;
    for (const side of SIDES) {
      const s = sideSeries(history, side, decimals);
      charts.price.series[side].setData(s.price.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      charts.apr.series[side].setData(s.apr.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      const markers = s.markers.map((m) => ({
        time: m.time as UTCTimestamp,
        position: side === "junior" ? ("aboveBar" as const) : ("belowBar" as const),
        shape: m.kind === "boost" ? ("circle" as const) : ("arrowUp" as const),
        color: COLORS[side],
        text: m.text,
      }));
      const plugin = price.markers[side];
      if (plugin) plugin.setMarkers(markers);
      else price.markers[side] = createSeriesMarkers(price.series[side], markers);
      // What the charts show, for tests and tools: the sample count and the last exact values.
      const last = history[side].points.at(-1);
      priceEl.dataset[`${side}Points`] = String(s.price.length);
      aprEl.dataset[`${side}Points`] = String(s.apr.length);
      priceEl.dataset[`${side}Last`] = last ? last.sharePrice.toString() : "";
      aprEl.dataset[`${side}Last`] = last?.apr === null || !last ? "" : last.apr.toString();
      priceEl.dataset[`${side}Premiums`] = String(history[side].premiums.length);
    }
    if (drawnBlock < 0n) {
      charts.price.chart.timeScale().fitContent();
      charts.apr.chart.timeScale().fitContent();
    }
    drawnBlock = history.toBlock;
    priceEl.dataset.block = aprEl.dataset.block = history.toBlock.toString();
    const n = history.blocks.length;
    fill(
      status,
      `${n} samples from block ${history.fromBlock} to ${history.toBlock} (every ${history.step} blocks); ` +
        `APR over the trailing day or the sample spacing, whichever is longer; arrows: premium streamed in, dots: premium into the boost pot.`,
    );
  }

  return { el, refresh };
}
