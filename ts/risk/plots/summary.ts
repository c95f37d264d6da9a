// The report's headline numbers as rows of text, shared by report.html and the web page's Risk tab (pure, no DOM and
// no Node APIs), so both say the same thing in the same words.
import { formatMoveBps, formatProbability, formatSeconds, formatUsdc } from "./format";
import type { RiskReport } from "./reportSchema";

/** A row: a label, then one cell per column of its table. */
export type SummaryRow = { label: string; cells: string[]; testid?: string };

export const TRANCHE_COLUMNS = ["Junior", "Senior", "Socialized"] as const;

/** Per tranche (junior, senior, socialized): capital, P(loss > 0), mean loss, VaR95, VaR99, ES99, P(wiped). */
export function trancheRows(report: RiskReport): SummaryRow[] {
  const ts = [report.tranches.junior, report.tranches.senior, report.tranches.socialized];
  return [
    { label: "Capital at the block", cells: ts.map((t, i) => (i === 2 ? "—" : formatUsdc(t.capital))) },
    { label: "P(loss > 0)", cells: ts.map((t) => formatProbability(t.pLoss)), testid: "p-loss" },
    { label: "Mean loss", cells: ts.map((t) => formatUsdc(t.meanLoss)) },
    { label: "VaR95", cells: ts.map((t) => formatUsdc(t.var95)), testid: "var95" },
    { label: "VaR99", cells: ts.map((t) => formatUsdc(t.var99)), testid: "var99" },
    { label: "ES99", cells: ts.map((t) => formatUsdc(t.es99)), testid: "es99" },
    { label: "P(wiped: loss ≥ capital)", cells: ts.map((t, i) => (i === 2 ? "—" : formatProbability(t.pWiped))) },
  ];
}

/** The pool-wide figures: bad debt, the two headline probabilities, liquidations. */
export function poolRows(report: RiskReport): SummaryRow[] {
  const d = report.badDebt;
  const v = report.liquidationVolume;
  const a = report.accountsLiquidated;
  return [
    { label: "P(junior wiped)", cells: [formatProbability(report.tranches.junior.pWiped)], testid: "p-junior-wiped" },
    {
      label: "P(senior loses anything)",
      cells: [formatProbability(report.tranches.senior.pLoss)],
      testid: "p-senior-loss",
    },
    { label: "P(bad debt > 0)", cells: [formatProbability(d.pPositive)] },
    {
      label: "Bad debt: mean / VaR95 / VaR99",
      cells: [[d.mean, d.var95, d.var99].map((x) => formatUsdc(x)).join(" / ")],
    },
    { label: "Bad debt: ES99 / max", cells: [`${formatUsdc(d.es99)} / ${formatUsdc(d.max)}`] },
    { label: "Liquidation volume at 99 %", cells: [formatUsdc(v.p99)], testid: "liq-volume-p99" },
    { label: "Liquidation volume: mean / max", cells: [`${formatUsdc(v.mean)} / ${formatUsdc(v.max)}`] },
    { label: "Accounts liquidated: mean / 99 % / max", cells: [`${a.mean} / ${a.p99} / ${a.max}`] },
    ...realizedRows(report),
  ];
}

/** Where the crash that really happened sits among the paths (`npm start` adds it), when the report has it. */
function realizedRows(report: RiskReport): SummaryRow[] {
  const r = report.realized;
  if (!r) return [];
  const split = [r.junior, r.senior, r.socialized].map((x) => formatUsdc(x));
  return [
    {
      label: "Realized crash: bad debt",
      cells: [`${formatUsdc(r.badDebt)} (junior ${split[0]}, senior ${split[1]}, socialized ${split[2]})`],
      testid: "realized-bad-debt",
    },
    { label: "Realized crash: percentile of bad debt", cells: [formatProbability(r.percentile)] },
  ];
}

/** What fixes the report: the book (chain, block, pool), the paths' inputs and the code. */
export function inputRows(report: RiskReport): SummaryRow[] {
  const i = report.inputs;
  const b = report.book;
  return [
    { label: "Block", cells: [`${b.block} (chain ${b.chainId}, ${isoTime(b.timestamp)})`], testid: "report-block" },
    { label: "Pool", cells: [`${b.pool}, ${b.accounts} accounts`] },
    { label: "Paths", cells: [i.paths.toLocaleString("en-US")], testid: "report-paths" },
    { label: "Seed", cells: [i.seed], testid: "report-seed" },
    {
      label: "Horizon / step",
      cells: [`${formatSeconds(i.horizonSeconds)} / ${formatSeconds(i.stepSeconds)}`],
      testid: "report-horizon",
    },
    { label: "Models", cells: [i.models.join(", ")] },
    {
      label: "Jumps",
      cells: [`${i.jump.intensityPerYear}/yr, log mean ${i.jump.meanLog}, log sd ${i.jump.stdLog}`],
    },
    { label: "Code", cells: [`${report.code.commit}${report.code.dirty ? " (dirty)" : ""}`], testid: "report-commit" },
  ];
}

/** Per market: the starting index, σ, jump beta and where σ came from. */
export function marketRows(report: RiskReport): SummaryRow[] {
  return report.inputs.markets.map((m) => ({
    label: m.symbol,
    cells: [formatUsdc(m.index0), m.sigmaAnnual.toFixed(4), m.jumpBeta.toFixed(3), m.source],
  }));
}

/** The worst paths by bad debt: index, model (and replayed day), what each tranche paid, each market's worst move. */
export function worstPathRows(report: RiskReport): SummaryRow[] {
  const symbols = report.inputs.markets.map((m) => m.symbol);
  // One move per market in market order; a single number is the path's worst over all markets.
  const moves = (m: number | number[]) =>
    Array.isArray(m) ? m.map((bps, i) => `${symbols[i] ?? i} ${formatMoveBps(bps)}`).join(", ") : formatMoveBps(m);
  return report.worstPaths.map((p) => ({
    label: `#${p.path}`,
    cells: [
      p.scenario ? `${p.model} (${p.scenario})` : p.model,
      formatUsdc(p.badDebt),
      formatUsdc(p.junior),
      formatUsdc(p.senior),
      formatUsdc(p.socialized),
      moves(p.worstMoveBps),
    ],
  }));
}

export const WORST_PATH_COLUMNS = ["Model", "Bad debt", "Junior", "Senior", "Socialized", "Worst moves"] as const;

/** Per model: paths, P(bad debt), P(junior loss), P(senior loss), ES99 of bad debt. */
export function modelRows(report: RiskReport): SummaryRow[] {
  return Object.entries(report.byModel).map(([model, m]) => ({
    label: model,
    cells: [
      m.paths.toLocaleString("en-US"),
      formatProbability(m.pBadDebt),
      formatProbability(m.pJuniorLoss),
      formatProbability(m.pSeniorLoss),
      formatUsdc(m.es99BadDebt),
    ],
  }));
}

export const MODEL_COLUMNS = ["Paths", "P(bad debt)", "P(junior loss)", "P(senior loss)", "ES99 bad debt"] as const;

/** Seconds since the epoch (decimal string) as UTC ISO time without milliseconds. */
function isoTime(seconds: string): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}Z`;
}
