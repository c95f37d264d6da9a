// The JSON report (`--report FILE`): every amount a decimal string in collateral units (USDC), exact; annualized rates as
// yearly fractions ("0.1234" = 12.34 % a year).
import { formatUnits } from "viem";
import { COLLATERAL_DECIMALS, WAD } from "../money";
import type { NettingAccount, ScenarioResult, TrancheOutcome } from "./types";

/** WAD amount -> exact decimal string in collateral units. */
const wad = (x: bigint) => formatUnits(x, 18);
/** Token units (6 decimals) -> decimal string. */
const tokens = (x: bigint) => formatUnits(x, COLLATERAL_DECIMALS);

function tranche(t: TrancheOutcome) {
  return {
    navStart: tokens(t.navStart),
    navEnd: tokens(t.navEnd),
    premium: tokens(t.premium),
    /** Premium over the run as a fraction of NAV at the start ("0.0147" = 1.47 %). */
    premiumOverNav: t.navStart === 0n ? null : wad((t.premium * WAD) / t.navStart),
    /** That rate annualized: a yearly fraction, not a forecast. */
    aprAnnualized: t.apr === null ? null : wad(t.apr),
    lossCovered: tokens(t.lossCovered),
  };
}

function nettingAccount(a: NettingAccount) {
  return {
    collateral: wad(a.collateral),
    maintenance: wad(a.maintenance),
    additiveMaintenance: wad(a.additiveMaintenance),
    /** What netting frees: additive - netted maintenance. */
    freedMaintenance: wad(a.additiveMaintenance - a.maintenance),
    initial: wad(a.initial),
    additiveInitial: wad(a.additiveInitial),
    bindingScenario: a.binding,
    valueAfter: wad(a.valueAfter),
    maintenanceAfter: wad(a.maintenanceAfter),
    liquidationSteps: a.liquidationSteps,
  };
}

export function reportOf(r: ScenarioResult) {
  return {
    scenario: r.scenario,
    trades: r.trades.crowd + r.trades.arbitrage,
    tradesByKind: r.trades,
    liquidations: r.liquidations.length,
    liquidatedAccounts: [...new Set(r.liquidations.map((l) => `${l.owner}:${l.subId}`))].length,
    badDebt: wad(r.realized.badDebt),
    waterfall: {
      junior: wad(r.realized.junior),
      senior: wad(r.realized.senior),
      socialized: wad(r.realized.socialized),
    },
    predicted: {
      badDebt: wad(r.predicted.badDebt),
      junior: wad(r.predicted.junior),
      senior: wad(r.predicted.senior),
      socialized: wad(r.predicted.socialized),
    },
    risk: r.risk
      ? {
          file: r.risk.file,
          block: r.risk.block.toString(),
          paths: r.risk.paths,
          horizonSeconds: r.risk.horizonSeconds,
          junior: { pLoss: r.risk.juniorPLoss, var99: wad(r.risk.juniorVar99), es99: wad(r.risk.juniorEs99) },
          senior: { pLoss: r.risk.seniorPLoss, es99: wad(r.risk.seniorEs99) },
          badDebt: { pPositive: r.risk.badDebtPPositive, es99: wad(r.risk.badDebtEs99) },
          /** Share of the report's paths with at most the crash's bad debt (junior loss). */
          realizedPercentile: r.risk.realizedPercentile ?? null,
          juniorPercentile: r.risk.juniorPercentile ?? null,
        }
      : null,
    shock: r.shock ? Object.fromEntries(r.shock.map((m) => [m.market, Number(m.bps)])) : null,
    netting: {
      desk: nettingAccount(r.netting.desk),
      naked: nettingAccount(r.netting.naked),
    },
    stack: r.stack.map((s) => ({
      name: s.name,
      owner: s.owner,
      subId: s.subId.toString(),
      value: wad(s.value),
      maintenance: wad(s.maintenance),
      liquidatable: s.liquidatable,
      badDebt: wad(s.badDebt),
    })),
    tranches: { junior: tranche(r.tranches.junior), senior: tranche(r.tranches.senior) },
    funding: { updates: r.funding.updates, paid: wad(r.funding.paid) },
    keeper: r.keeper,
    withdrawal: {
      owner: r.withdrawal.owner,
      assetsAtRequest: tokens(r.withdrawal.assetsAtRequest),
      claimed: tokens(r.withdrawal.claimed),
      unlockTime: r.withdrawal.unlockTime.toString(),
    },
    inventory: r.inventory.map((i) => ({
      market: i.symbol,
      size: wad(i.size),
      notional: wad(i.notional),
      pnl: wad(i.pnl),
    })),
    repegSteps: r.repegSteps,
    inventorySold: r.inventorySold.markets.map((s) => ({
      market: s.symbol,
      takes: s.takes,
      size: wad(s.size),
      proceeds: wad(s.proceeds),
      atIndex: wad(s.atIndex),
      averagePrice: s.size === 0n ? "0" : wad((s.proceeds * WAD) / s.size),
      averageIndex: s.size === 0n ? "0" : wad((s.atIndex * WAD) / s.size),
      realizedPnl: wad(s.realizedPnl),
    })),
    inventoryTakers: r.inventorySold.takers,
    markIndexGap: r.markIndexGap.map((g) => ({
      market: g.symbol,
      mark: wad(g.mark),
      index: wad(g.index),
      gapBps: Number(g.gapBps),
      fundingCapBps: Number(g.fundingCapBps),
      repegDue: g.repegDue,
    })),
    simulatedSeconds: Number(r.simulatedSeconds),
    blocks: r.blocks,
    elapsedMs: Math.round(r.elapsedMs),
  };
}

export type ScenarioReport = ReturnType<typeof reportOf>;

export function stringifyReport(r: ScenarioResult): string {
  return `${JSON.stringify(reportOf(r), null, 2)}\n`;
}
