// The JSON report (`--report FILE`): every amount a decimal string in collateral units (USDC), exact; annualized rates as
// yearly fractions ("0.1234" = 12.34 % a year).
import { formatUnits } from "viem";
import { COLLATERAL_DECIMALS, WAD } from "../money";
import type { LpEconomicsOutcome } from "./lpEconomics";
import type { FundingCheck, FundingOutcome, NettingAccount, ScenarioResult, TrancheOutcome } from "./types";

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

/** bps -> a fraction string ("5000" -> "0.5"). */
const bpsFraction = (x: bigint) => formatUnits(x, 4);

function lpEconomics(lp: LpEconomicsOutcome) {
  return {
    /** Each figure the steward posted: the report's ES99 and capital, the stress view's loss at the reference shock,
     * the share it asked for and the share the bounds set, and whether `perp risk verify` reproduced it. */
    figures: lp.figures.map((f) => ({
      label: f.label,
      block: f.block.toString(),
      postedInBlock: f.postedInBlock.toString(),
      juniorEs99: tokens(f.juniorEs99),
      juniorCapital: tokens(f.juniorCapital),
      stressLoss: tokens(f.stressLoss),
      targetShare: bpsFraction(f.targetShareBps),
      share: bpsFraction(f.shareBps),
      verified: f.verified,
    })),
    /** Every premium distribution: the junior's share and where it came from. */
    splits: lp.splits.map((s) => ({
      block: s.block.toString(),
      juniorShare: bpsFraction(s.shareBps),
      source: s.source,
      toJunior: tokens(s.toJunior),
      toSenior: tokens(s.toSenior),
    })),
    boostMultiplierMax: bpsFraction(lp.multiplier.maxBps),
    boostMultiplierRefreshes: lp.multiplier.refreshes,
    boost: lp.boost.map((b) => ({
      name: b.name,
      stayed: b.stayed,
      shares: b.shares.toString(),
      points: b.points.toString(),
      /** Points per share as seconds at the 1x rate. */
      secondsAt1x: Number(b.secondsAt1x.toFixed(0)),
      claimed: tokens(b.claimed),
      claimable: tokens(b.claimable),
    })),
    gate: lp.gate.map((g) => ({
      name: g.name,
      block: g.block.toString(),
      floor: tokens(g.floor),
      floorFrom: g.fromEs99 ? "es99" : "stress",
      capacity: tokens(g.capacity),
      requested: tokens(g.requested),
      ahead: tokens(g.ahead),
      claimable: tokens(g.claimable),
      claimableShare: g.claimableBps === null ? null : bpsFraction(g.claimableBps),
    })),
  };
}

/** A premium (1e-12 of the index per period) as a fraction of the index ("0.005" = 50 bps). */
const premium = (x: bigint) => formatUnits(x, 12);

function fundingCheck(c: FundingCheck) {
  return { ...c };
}

function funding(f: FundingOutcome) {
  return {
    updates: f.updates,
    paid: wad(f.paid),
    /** What the crowded sides paid as kicker into the tranches' premium (pool.kickerPaid over the run). */
    kickerPaid: wad(f.kickerPaid),
    crashTime: f.crashTime === undefined ? null : Number(f.crashTime),
    /** Every period against its cap and change limit: violations empty, ratios of the bound (1 = at it). */
    check: fundingCheck(f.check),
    /** Premiums, caps and kickers as fractions of the index per funding period. */
    markets: f.markets.map((m) => ({
      market: m.symbol,
      group: m.group,
      updates: m.updates,
      paid: wad(m.paid),
      cap: premium(m.cap),
      step: m.step === undefined ? null : premium(m.step),
      extremeCap: premium(m.extremeCap),
      extremePeriods: m.extremePeriods,
      extremeCapBound: m.extremeCapBound,
      firstExtremeAfterCrash: m.firstExtremeAfterCrash === undefined ? null : Number(m.firstExtremeAfterCrash),
      blendedPeriods: m.blendedPeriods,
      maxBlendMove: premium(m.maxBlendMove),
      kickerPeriods: m.kickerPeriods,
      maxKicker: premium(m.maxKicker),
      check: fundingCheck(m.check),
      periods: m.periods.map((p) => ({
        block: p.block.toString(),
        time: Number(p.time),
        premium: premium(p.premium),
        blended: premium(p.blended),
        previousCharged: premium(p.previousCharged),
        charged: premium(p.charged),
        kicker: premium(p.kicker),
        capEffective: premium(p.capEffective),
        extreme: p.extreme,
        vouched: p.vouched,
        ratePerSecond: wad(p.ratePerSecond),
        kickerPerSecond: wad(p.kickerPerSecond),
      })),
    })),
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
    funding: funding(r.funding),
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
    lp: r.lp ? lpEconomics(r.lp) : null,
    simulatedSeconds: Number(r.simulatedSeconds),
    blocks: r.blocks,
    elapsedMs: Math.round(r.elapsedMs),
  };
}

export type ScenarioReport = ReturnType<typeof reportOf>;

export function stringifyReport(r: ScenarioResult): string {
  return `${JSON.stringify(reportOf(r), null, 2)}\n`;
}
