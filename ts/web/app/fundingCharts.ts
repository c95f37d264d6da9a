// Trade page funding charts, one per market (TradingView lightweight-charts): the charged premium and the crowding
// kicker of every FundingHistoryEntryd since the deployment's start block, in % of the index per hour, with the cap that
// applied at each update (dashed, + and -) and today's normal cap as price lines. The updates load in the background
// at most every RELOAD_MS and never hold up the rest of the page; updates far below the head are kept across loads.
import {
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  LineType,
  type UTCTimestamp,
} from "lightweight-charts";
import { type FundingHistoryEntry, getFundingHistory } from "../../pool/actions/getFundingHistory";
import { themedChart } from "./chartBase";
import type { Ctx } from "./context";
import { fill, h } from "./dom";
import { type FundingSeries, fundingSeries, premiumPerHour } from "./fundingSeries";
import type { ChartPoint } from "./historySeries";

const RELOAD_MS = 5_000;
/** Updates at least this many blocks below the head are kept; newer ones are read again (a reorg may drop them). */
const CONFIRMATIONS = 64n;
const COLORS = { rate: "#58a6ff", kicker: "#f0883e", cap: "#8b98a5", normalCap: "#f85149" } as const;

/** What a chart needs from the market's forecast: the period premiums are charged over, and the normal cap now. */
export type FundingChartInput = { marketId: bigint; period: bigint; cap: bigint };

type Chart = {
  chart: IChartApi;
  series: Record<keyof FundingSeries, ISeriesApi<"Line">>;
  capLines: IPriceLine[];
  fitted: boolean;
};

function makeChart(el: HTMLElement): Chart {
  const chart = themedChart(el, (v) => `${v.toFixed(4)} %`);
  const line = (title: string, color: string, dashed: boolean) =>
    chart.addSeries(LineSeries, {
      color,
      lineWidth: dashed ? 1 : 2,
      lineStyle: dashed ? LineStyle.Dashed : LineStyle.Solid,
      lineType: LineType.WithSteps,
      title,
      priceLineVisible: false,
      lastValueVisible: !dashed,
    });
  return {
    chart,
    series: {
      capHigh: line("cap", COLORS.cap, true),
      capLow: line("", COLORS.cap, true),
      kicker: line("kicker", COLORS.kicker, false),
      rate: line("rate", COLORS.rate, false),
    },
    capLines: [],
    fitted: false,
  };
}

const toData = (points: ChartPoint[]) => points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value }));

export function fundingCharts(ctx: Ctx) {
  const els = new Map<bigint, HTMLElement>();
  const charts = new Map<bigint, Chart>();
  const status = h("p", { class: "muted", "data-testid": "funding-history-status" }, "Loading funding history…");
  /** Updates in blocks up to `keptThrough`, read once. */
  let kept: FundingHistoryEntry[] = [];
  let keptThrough = ctx.deployment.startBlock - 1n;
  let inputs: FundingChartInput[] = [];
  let loading = false;
  let lastLoad = 0;
  let drawnBlock = -1n;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The chart's element for a market (created on first ask). */
  function chartEl(marketId: bigint, symbol: string): HTMLElement {
    let el = els.get(marketId);
    if (!el) {
      el = h("div", { class: "chart", "data-testid": `funding-chart-${symbol}` });
      els.set(marketId, el);
    }
    return el;
  }

  async function load() {
    loading = true;
    lastLoad = performance.now();
    try {
      const toBlock = ctx.head.number;
      const now = ctx.head.timestamp;
      const updates = await getFundingHistory(ctx.publicClient, {
        pool: ctx.deployment.contracts.pool,
        fromBlock: keptThrough + 1n,
        toBlock,
      });
      const all = [...kept, ...updates];
      const final = toBlock - CONFIRMATIONS;
      if (final > keptThrough) {
        kept = all.filter((u) => u.blockNumber <= final);
        keptThrough = final;
      }
      draw(all, toBlock, now);
    } catch (err) {
      fill(status, `Funding history unavailable: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    } finally {
      loading = false;
      schedule(); // the head may have moved meanwhile
    }
  }

  /** Loads when the head moved past what is drawn, at most every RELOAD_MS (a timer catches up after a pause). */
  function schedule() {
    if (loading || timer !== undefined || inputs.length === 0 || ctx.head.number === drawnBlock) return;
    const wait = lastLoad === 0 ? 0 : RELOAD_MS - (performance.now() - lastLoad);
    if (wait <= 0) return void load();
    timer = setTimeout(() => {
      timer = undefined;
      schedule();
    }, wait);
  }

  function draw(all: FundingHistoryEntry[], toBlock: bigint, now: bigint) {
    for (const input of inputs) {
      const el = els.get(input.marketId);
      if (!el) continue;
      let c = charts.get(input.marketId);
      if (!c) {
        c = makeChart(el);
        charts.set(input.marketId, c);
      }
      const updates = all.filter((u) => u.marketId === input.marketId);
      const s = fundingSeries(updates, input.period, now);
      for (const key of Object.keys(c.series) as (keyof FundingSeries)[]) c.series[key].setData(toData(s[key]));
      for (const line of c.capLines) c.series.rate.removePriceLine(line);
      const cap = premiumPerHour(input.cap, input.period);
      c.capLines = [cap, -cap].map((price) =>
        c.series.rate.createPriceLine({
          price,
          color: COLORS.normalCap,
          lineWidth: 1,
          lineStyle: LineStyle.Dotted,
          axisLabelVisible: false,
          title: price > 0 ? "normal cap" : "",
        }),
      );
      if (!c.fitted && updates.length > 0) {
        c.chart.timeScale().fitContent();
        c.fitted = true;
      }
      // What the chart shows, for tests and tools: the update count and the last update's exact values.
      const last = updates.at(-1);
      el.dataset.points = String(updates.length);
      el.dataset.lastCharged = last ? last.charged.toString() : "";
      el.dataset.lastKicker = last ? last.kicker.toString() : "";
      el.dataset.lastCapEffective = last ? last.capEffective.toString() : "";
      el.dataset.block = toBlock.toString();
    }
    drawnBlock = toBlock;
    const n = all.length;
    fill(
      status,
      n === 0
        ? `No funding update yet (to block ${toBlock}).`
        : `${n} funding updates to block ${toBlock}; each holds until the next. Blue: the charged rate, orange: the ` +
            "crowding kicker, grey dashed: the cap that applied, red dotted: the normal cap now (all % of the index per hour).",
    );
  }

  return {
    chartEl,
    status,
    /** Takes the markets' periods and caps from the latest forecast and loads when due. */
    refresh(next: FundingChartInput[]) {
      inputs = next;
      schedule();
    },
  };
}
