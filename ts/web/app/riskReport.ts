// The last `perp risk report` (served by the server from its out dir at RISK_REPORT_PATH): the per-tranche figures
// (VaR, ES, P(wiped)), what fixes the report (block, paths, seed, code) and its plots as images; when there is no
// report yet, the command that makes one. Re-checked every few seconds (a 304 while unchanged), redrawn when new.
import { FIGURE_CAPTIONS, FIGURE_NAMES } from "../../risk/plots/figureNames";
import { type RiskReport, riskReportSchema } from "../../risk/plots/reportSchema";
import { inputRows, poolRows, type SummaryRow, TRANCHE_COLUMNS, trancheRows } from "../../risk/plots/summary";
import { RISK_REPORT_PATH } from "../config";
import type { Section } from "./context";
import { fill, h, stat } from "./dom";

/** How often the page asks whether a new report was written. */
const CHECK_MS = 3_000;

function table(head: readonly string[], rows: SummaryRow[], testid: string): HTMLTableElement {
  return h(
    "table",
    { "data-testid": testid },
    h("tr", {}, ...head.map((t) => h("th", {}, t))),
    ...rows.map((r) =>
      h(
        "tr",
        { "data-testid": r.testid ? `${testid}-${r.testid}` : undefined },
        h("td", {}, r.label),
        ...r.cells.map((c) => h("td", {}, c)),
      ),
    ),
  );
}

export function riskReportSection(): Section {
  const body = h("div", { "data-testid": "risk-report" }, h("p", { class: "muted" }, "Looking for a risk report…"));
  let lastCheck = Number.NEGATIVE_INFINITY;
  let shown: string | null = null;

  function missing() {
    body.dataset.state = "missing";
    fill(
      body,
      h(
        "p",
        { "data-testid": "risk-report-missing" },
        "No risk report yet. Run ",
        h("code", {}, "perp risk report"),
        " (it simulates the book at the head block and writes report.json and the figures into its out dir, .perp/risk/ unless told otherwise, which this server reads); this card then shows the latest one.",
      ),
    );
  }

  function draw(report: RiskReport, version: string) {
    body.dataset.state = "shown";
    body.dataset.block = report.book.block;
    const file = (name: string) => `${RISK_REPORT_PATH}${name}?v=${encodeURIComponent(version)}`;
    const inputs = inputRows(report);
    const cell = (testid: string) => inputs.find((r) => r.testid === testid)?.cells[0] ?? "";
    fill(
      body,
      h(
        "div",
        { class: "stats" },
        stat("Block", report.book.block, "risk-report-block"),
        stat("Paths", report.inputs.paths.toLocaleString("en-US"), "risk-report-paths"),
        stat("Seed", report.inputs.seed, "risk-report-seed"),
        stat("Horizon / step", cell("report-horizon"), "risk-report-horizon"),
        stat("Code", cell("report-commit").slice(0, 12), undefined, cell("report-commit")),
      ),
      h("h3", {}, "Tranches"),
      table(["", ...TRANCHE_COLUMNS], trancheRows(report), "risk-report-tranches"),
      h("h3", {}, "Pool"),
      table(["", "Value"], poolRows(report), "risk-report-pool"),
      h("h3", {}, "Figures"),
      h(
        "div",
        { class: "figures" },
        ...FIGURE_NAMES.map((name) =>
          h(
            "a",
            {
              href: file(`${name}.svg`),
              target: "_blank",
              rel: "noopener",
              class: name === "bad-debt-vs-move" ? "wide" : undefined,
            },
            h("img", { src: file(`${name}.png`), alt: FIGURE_CAPTIONS[name], "data-testid": `risk-figure-${name}` }),
          ),
        ),
      ),
      h(
        "p",
        { class: "muted" },
        h("a", { href: file("report.html"), target: "_blank" }, "The full report (report.html)"),
      ),
    );
  }

  async function check() {
    const res = await fetch(`${RISK_REPORT_PATH}report.json`, { cache: "no-cache" });
    if (res.status === 404) {
      shown = null;
      return missing();
    }
    if (!res.ok) throw new Error(`report.json: HTTP ${res.status}`);
    const version = res.headers.get("etag") ?? "";
    if (version && version === shown) return;
    const parsed = riskReportSchema.safeParse(await res.json());
    if (!parsed.success) {
      body.dataset.state = "invalid";
      fill(body, h("p", { class: "status error" }, `report.json is not a risk report: ${parsed.error.message}`));
      return;
    }
    draw(parsed.data, version);
    shown = version;
  }

  /** Checks unless the last check was under CHECK_MS ago; never throws (the card shows the error). */
  async function checkAtMostEvery() {
    if (performance.now() - lastCheck < CHECK_MS) return;
    lastCheck = performance.now();
    try {
      await check();
    } catch (err) {
      body.dataset.state = "error";
      fill(body, h("p", { class: "status error" }, `risk report: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  return {
    mount(root) {
      // A report is written off chain: look for a new one while the tab is visible, even when no block comes.
      setInterval(() => {
        if (!root.hidden) void checkAtMostEvery();
      }, CHECK_MS);
      root.append(
        h(
          "section",
          { class: "card wide" },
          h("h2", {}, "Simulated risk (the last risk report)"),
          h(
            "p",
            { class: "muted" },
            "Thousands of price paths over the book at one block, each played through the liquidation math: what junior and senior would pay, and how often.",
          ),
          body,
        ),
      );
    },
    refresh: checkAtMostEvery,
  };
}
