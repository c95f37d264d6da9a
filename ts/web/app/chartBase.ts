// The page's TradingView lightweight-charts in its dark theme: the Earn history and the Trade funding charts.
import { createChart, type IChartApi } from "lightweight-charts";

/** The browser's language when Intl takes it (a headless browser may report "en-US@posix", which throws), else en-US. */
function chartLocale(): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([navigator.language])[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

/** A time-series chart filling `el`, its price axis labelled by `format`. */
export function themedChart(el: HTMLElement, format: (v: number) => string): IChartApi {
  return createChart(el, {
    autoSize: true,
    layout: { background: { color: "#182029" }, textColor: "#8b98a5", attributionLogo: false },
    grid: { vertLines: { color: "#2a3642" }, horzLines: { color: "#2a3642" } },
    rightPriceScale: { borderColor: "#2a3642" },
    timeScale: { borderColor: "#2a3642", timeVisible: true, secondsVisible: false },
    localization: { locale: chartLocale(), priceFormatter: format },
  });
}
