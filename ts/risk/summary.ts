// The report for people: one table per tranche and the bad debt, the worst paths, the speed.
import { formatWad } from "../display/amounts";
import { table } from "../display/table";
import type { RiskReport } from "./report";
import type { LossFigures } from "./stats";

const pct = (p: number) => `${(p * 100).toFixed(2)} %`;

function trancheRow(name: string, f: LossFigures, hasCapital = true): string[] {
  const capital = hasCapital ? [formatWad(f.capital)] : [""];
  const wiped = hasCapital ? pct(f.pWiped) : "";
  return [name, ...capital, pct(f.pLoss), formatWad(f.var95), formatWad(f.var99), formatWad(f.es99), wiped];
}

export function reportLines(report: RiskReport, timing?: { elapsedMs: number; accountSteps: number }): string[] {
  const t = report.tranches;
  const i = report.inputs;
  const hours = i.horizonSeconds / 3600;
  const lines = [
    `Risk report: ${i.paths} paths × ${report.book.accounts} accounts, ${hours} h in ${i.stepSeconds / 60}-minute steps, models ${i.models.join(", ")}, seed ${i.seed}, block ${report.book.block}`,
    `  ${i.markets.map((m) => `${m.symbol} σ ${(m.sigmaAnnual * 100).toFixed(1)} % (${m.source})`).join("; ")}`,
    "",
    table(
      ["", "capital", "P(loss > 0)", "VaR95", "VaR99", "ES99", "P(wiped)"],
      [trancheRow("junior", t.junior), trancheRow("senior", t.senior), trancheRow("socialized", t.socialized, false)],
    ),
    `  bad debt: P(> 0) ${pct(report.badDebt.pPositive)}, ES99 ${formatWad(report.badDebt.es99)}, max ${formatWad(report.badDebt.max)}; liquidation volume at 99 % ${formatWad(report.liquidationVolume.p99)} (USDC)`,
  ];
  const worst = report.worstPaths.filter((w) => w.badDebt > 0n).slice(0, 5);
  if (worst.length > 0) {
    lines.push(
      "",
      table(
        [
          "worst path",
          "model",
          "bad debt",
          "junior",
          "senior",
          "socialized",
          ...i.markets.map((m) => `${m.symbol} worst move`),
        ],
        worst.map((w) => [
          `#${w.path}`,
          w.scenario ? `${w.model} ${w.scenario}` : w.model,
          formatWad(w.badDebt),
          formatWad(w.junior),
          formatWad(w.senior),
          formatWad(w.socialized),
          ...w.worstMoveBps.map((b) => `${(b / 100).toFixed(1)} %`),
        ]),
      ),
      "  replay one on a fork with the real keeper: perp risk replay --path K",
    );
  }
  if (timing) {
    const s = timing.elapsedMs / 1000;
    lines.push(
      `  ran in ${s.toFixed(1)} s: ${Math.round(i.paths / s).toLocaleString("en-US")} paths/s, ${Math.round(timing.accountSteps / s).toLocaleString("en-US")} account-steps/s`,
    );
  }
  return lines;
}
