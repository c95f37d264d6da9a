// The human summary on stdout: trades, funding, premium per tranche (over the run, and annualized), the stack predicted before the crash
// beside what the waterfall realized, tranche NAV before and after, the LP's claim, the backstop inventory.

import { formatBps, formatPercent, formatUsdc, formatWad } from "../display/amounts";
import { table } from "../display/table";
import { WAD } from "../money";
import { crashLabel } from "./crash";
import { fundingLines } from "./fundingSummary";
import { lpEconomicsLines } from "./lpSummary";
import type { ScenarioRisk } from "./riskReport";
import type { NettingAccount, ScenarioResult, Waterfall } from "./types";

const apr = (x: bigint | null) => (x === null ? "n/a" : formatPercent(x, WAD));

export function formatScenarioSummary(r: ScenarioResult): string[] {
  const out: string[] = [];
  const hours = (Number(r.simulatedSeconds) / 3600).toFixed(1);
  out.push(
    "",
    `Scenario ${r.scenario}: ${hours} h simulated in ${r.blocks} blocks, ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  out.push(
    `  trades          ${r.trades.crowd + r.trades.arbitrage} (crowd ${r.trades.crowd}, arbitrageur ${r.trades.arbitrage}, refused or reverted ${r.trades.failed})`,
  );
  out.push(
    `  funding         ${r.funding.updates} updates, ${formatWad(r.funding.paid)} USDC paid by the paying side (${formatWad(r.funding.kickerPaid)} of it kicker)`,
  );
  const k = r.keeper;
  out.push(
    `  keeper          liquidation ${k.liquidationTxs}, funding ${k.fundingTxs}, premium ${k.premiumTxs}, oracle ${k.oracleTxs}, repeg ${k.repegTxs}, inventory ${k.inventoryTxs} txs`,
  );

  out.push("", "Tranches (USDC)");
  out.push(
    table(
      ["tranche", "NAV start", "NAV end", "premium", "premium / NAV", "annualized", "losses covered"],
      (["junior", "senior"] as const).map((name) => {
        const t = r.tranches[name];
        return [
          name,
          formatUsdc(t.navStart),
          formatUsdc(t.navEnd),
          formatUsdc(t.premium),
          t.navStart === 0n ? "n/a" : formatPercent(t.premium, t.navStart, 3),
          apr(t.apr),
          formatUsdc(t.lossCovered),
        ];
      }),
    ),
  );

  out.push(
    `  premium / NAV: premium over the ${(Number(r.simulatedSeconds) / 3600).toFixed(1)} h run as a share of NAV at the start; annualized: that rate for a year, not a forecast`,
  );

  out.push(...fundingLines(r.funding));
  out.push(...nettingLines(r));

  if (r.shock) {
    out.push("", `Liquidation stack before the crash (${crashLabel(r.shock)}, for the keeper's block)`);
    const falling = r.stack.filter((s) => s.liquidatable);
    out.push(
      table(
        ["account", "value at shock", "maintenance", "bad debt"],
        falling.map((s) => [
          `${s.name}${s.subId > 0n ? ` (isolated ${s.subId})` : ""}`,
          formatWad(s.value),
          formatWad(s.maintenance),
          formatWad(s.badDebt),
        ]),
      ),
    );
    out.push("", "Bad debt: predicted beside realized (USDC)");
    const row = (label: string, key: keyof Waterfall) => [
      label,
      formatWad(r.predicted[key], 6),
      formatWad(r.realized[key], 6),
      r.predicted[key] === r.realized[key] ? "exact" : "DIFFERS",
    ];
    out.push(
      table(
        ["", "predicted", "realized", ""],
        [row("bad debt", "badDebt"), row("junior", "junior"), row("senior", "senior"), row("socialized", "socialized")],
      ),
    );
  }
  if (r.risk) out.push("", ...riskLines(r.risk, r.realized));
  if (r.lp) out.push(...lpEconomicsLines(r.lp));
  out.push("", `Liquidations: ${r.liquidations.length} steps`);
  for (const l of r.liquidations) {
    out.push(
      `  block ${l.block}  ${l.name.padEnd(12)} market ${l.marketId}  ${formatWad(l.transferred, 4)} base at ${formatWad(l.indexPrice)}, penalty ${formatWad(l.penalty)}`,
    );
  }
  const w = r.withdrawal;
  out.push(
    "",
    `Junior LP withdrawal: ${formatUsdc(w.assetsAtRequest)} USDC at request, claimed ${formatUsdc(w.claimed)} after the cooldown (${formatUsdc(w.assetsAtRequest - w.claimed)} its share of the losses)`,
  );
  out.push("", "Backstop inventory sold (descending-discount sale at the index, no curve trade)");
  if (r.inventorySold.markets.length === 0) out.push("  (nothing sold)");
  for (const s of r.inventorySold.markets) {
    const avg = s.size === 0n ? 0n : (s.proceeds * WAD) / s.size;
    const avgIndex = s.size === 0n ? 0n : (s.atIndex * WAD) / s.size;
    const off = s.atIndex === 0n ? 0n : ((s.proceeds - s.atIndex) * 10_000n) / s.atIndex;
    out.push(
      `  ${s.symbol}: ${formatWad(s.size, 4)} base in ${s.takes} take(s), average ${formatWad(avg)} against the index ${formatWad(avgIndex)} (${formatBps(off)}), realized ${formatWad(s.realizedPnl)} booked to the backstop`,
    );
  }
  out.push("", "Backstop inventory left");
  if (r.inventory.length === 0) out.push("  (empty)");
  for (const i of r.inventory)
    out.push(
      `  ${i.symbol}: ${formatWad(i.size, 4)} base, notional ${formatWad(i.notional)}, PnL at index ${formatWad(i.pnl)}`,
    );
  out.push("", `Repeg: ${r.repegSteps} step(s); mark against the index at the end`);
  for (const g of r.markIndexGap)
    out.push(
      `  ${g.symbol}: mark ${formatWad(g.mark)}, index ${formatWad(g.index)} (${formatBps(g.gapBps)})${g.repegDue ? ", repeg due" : ""}`,
    );
  return out;
}

/** Portfolio margin: what netting frees for the hedged desk, and the desk beside the naked trader after the crash. */
function nettingLines(r: ScenarioResult): string[] {
  const { desk, naked } = r.netting;
  const freed = desk.additiveMaintenance - desk.maintenance;
  const fate = (a: NettingAccount) =>
    a.liquidationSteps > 0
      ? `liquidated (${a.liquidationSteps} step${a.liquidationSteps === 1 ? "" : "s"}), value ${formatWad(a.valueAfter)}`
      : `${a.valueAfter >= a.maintenanceAfter ? "survived" : "under maintenance"}: value ${formatWad(a.valueAfter)}, maintenance ${formatWad(a.maintenanceAfter)}`;
  return [
    "",
    "Portfolio margin (USDC): the hedged desk (long ETH, short BTC, equal notional) beside a naked ETH long, same margin",
    table(
      [
        "account",
        "margin",
        "maintenance netted",
        "without netting",
        "netting frees",
        "initial netted",
        "without",
        "binding scenario",
      ],
      [desk, naked].map((a) => [
        a.name,
        formatWad(a.collateral),
        formatWad(a.maintenance),
        formatWad(a.additiveMaintenance),
        `${formatWad(a.additiveMaintenance - a.maintenance)} (${formatPercent(a.additiveMaintenance - a.maintenance, a.additiveMaintenance, 1)})`,
        formatWad(a.initial),
        formatWad(a.additiveInitial),
        a.binding,
      ]),
    ),
    `  the desk posts ${formatPercent(desk.maintenance, desk.additiveMaintenance, 1)} of its additive maintenance: netting frees ${formatWad(freed)}`,
    ...(r.shock
      ? [`  after the crash (${crashLabel(r.shock)}): desk ${fate(desk)}; naked ${fate(naked)}`]
      : [`  at the end: desk ${fate(desk)}; naked ${fate(naked)}`]),
  ];
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/** The Monte-Carlo report run before the crash, and where the crash's realized loss sits in it. */
function riskLines(k: ScenarioRisk, realized: Waterfall): string[] {
  const lines = [
    `Risk report before the crash (${k.paths} paths over ${k.horizonSeconds / 3600} h, ${k.file}; perp risk report for more)`,
    table(
      ["", "P(loss > 0)", "VaR99", "ES99"],
      [
        ["junior", pct(k.juniorPLoss), formatWad(k.juniorVar99), formatWad(k.juniorEs99)],
        ["senior", pct(k.seniorPLoss), "", formatWad(k.seniorEs99)],
        ["bad debt", pct(k.badDebtPPositive), "", formatWad(k.badDebtEs99)],
      ],
    ),
  ];
  if (k.realizedPercentile !== undefined) {
    lines.push(
      `  the crash's bad debt (${formatWad(realized.badDebt)}) is at or above ${pct(k.realizedPercentile)} of the report's paths; junior's loss (${formatWad(realized.junior)}) at or above ${pct(k.juniorPercentile ?? 0)}`,
    );
  }
  return lines;
}
