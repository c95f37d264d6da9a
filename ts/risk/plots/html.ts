// report.html: one self-contained page (inline CSS, the figures as inline SVG, no script, no external file) with
// the summary tables and the figures. Deterministic: the same report and figures give the same bytes.
import type { ReportFigure } from "./figures";
import type { RiskReport } from "./reportSchema";
import {
  inputRows,
  MODEL_COLUMNS,
  marketRows,
  modelRows,
  poolRows,
  type SummaryRow,
  TRANCHE_COLUMNS,
  trancheRows,
  WORST_PATH_COLUMNS,
  worstPathRows,
} from "./summary";

const CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #111827; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
p.muted { color: #4b5563; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .3rem .8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1rem; }
figure { margin: 0; } figure svg { width: 100%; height: auto; }
#figure-bad-debt-vs-move { grid-column: 1 / -1; } #figure-bad-debt-vs-move svg { width: auto; max-width: 100%; }
figcaption { color: #4b5563; font-size: .85rem; }
`;

/** Text for HTML (element content and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(head: readonly string[], rows: SummaryRow[], id: string): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const tr = rows
    .map((r) => `<tr><td>${escapeHtml(r.label)}</td>${r.cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table id="${id}">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${tr}\n</tbody>\n</table>`;
}

/**
 * The whole report page as one HTML string (the caller writes it as report.html next to the figures).
 * @example
 * const figures = await renderReportFigures(report, outDir);
 * await writeFile(join(outDir, "report.html"), renderReportHtml(report, figures));
 */
export function renderReportHtml(
  report: RiskReport,
  figures: readonly Pick<ReportFigure, "name" | "caption" | "svg">[],
): string {
  const b = report.book;
  const figureHtml = figures
    .map(
      (f) => `<figure id="figure-${f.name}">\n${f.svg}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`,
    )
    .join("\n");
  const columns = report.inputs.markets.length
    ? ["Market", "Index at the block", "σ (annual)", "Jump β", "σ from"]
    : [];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Risk report: block ${escapeHtml(b.block)}, ${report.inputs.paths} paths</title>
<style>${CSS}</style>
</head>
<body>
<h1>Risk report: block ${escapeHtml(b.block)}</h1>
<p class="muted">${report.inputs.paths.toLocaleString("en-US")} simulated paths of the book at block ${escapeHtml(b.block)} on chain ${b.chainId}: what each tranche pays when the positions open then are liquidated along each path. Amounts in USDC.</p>
<h2>Tranches</h2>
${table(["", ...TRANCHE_COLUMNS], trancheRows(report), "tranches")}
<h2>Pool</h2>
${table(["", "Value"], poolRows(report), "pool")}
<h2>Figures</h2>
<div class="figures">
${figureHtml}
</div>
<h2>By model</h2>
${table(["Model", ...MODEL_COLUMNS], modelRows(report), "models")}
<h2>Worst paths (largest bad debt)</h2>
${table(["Path", ...WORST_PATH_COLUMNS], worstPathRows(report), "worst-paths")}
<h2>Inputs</h2>
${table(["", "Value"], inputRows(report), "inputs")}
${table(columns, marketRows(report), "markets")}
<p class="muted">Correlation of the markets' moves: ${escapeHtml(report.inputs.correlation.map((r) => `[${r.join(", ")}]`).join(" "))}</p>
</body>
</html>
`;
}
