// `npm start`'s scenarios, run end to end on an embedded anvil (ts/scenario/main.ts as a user runs it, reading the
// JSON report it writes): the bad debt the stack predicts before the crash is, to the wei, what the waterfall
// realizes once the keeper has liquidated, and each scenario ends where it promises.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseUnits } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { CROWD } from "../../ts/scenario/book";
import type { ScenarioReport } from "../../ts/scenario/report";

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "scenario-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = new Map<string, Promise<{ report: ScenarioReport; stdout: string }>>();
/** One run per scenario, shared by the tests that read it. */
function scenario(name: string): Promise<{ report: ScenarioReport; stdout: string }> {
  let r = runs.get(name);
  if (!r) {
    r = runScenarioProcess(name);
    runs.set(name, r);
  }
  return r;
}

async function runScenarioProcess(name: string): Promise<{ report: ScenarioReport; stdout: string }> {
  const file = path.join(dir, `${name}.json`);
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "ts/scenario/main.ts", "--scenario", name, "--report", file, "--quiet"],
    { timeout: 170_000, maxBuffer: 1 << 24 },
  );
  return { report: JSON.parse(readFileSync(file, "utf8")) as ScenarioReport, stdout };
}

const usd = (s: string) => Number(s);

/** The run goes on until every mark is back within its funding cap of the index and no repeg is due. */
function expectSettledAfterwards(r: ScenarioReport) {
  for (const g of r.markIndexGap) {
    expect(Math.abs(g.gapBps)).toBeLessThanOrEqual(g.fundingCapBps);
    expect(g.repegDue).toBe(false);
  }
  expect(r.repegSteps).toBeGreaterThanOrEqual(0);
}

function expectTradingHappened(r: ScenarioReport) {
  expect(r.trades).toBeGreaterThan(50);
  expect(r.funding.updates).toBeGreaterThan(0);
  expect(r.keeper.fundingTxs).toBeGreaterThan(0);
  expect(r.keeper.premiumTxs).toBeGreaterThan(0);
  expect(usd(r.tranches.junior.premium)).toBeGreaterThan(0);
  expect(usd(r.tranches.senior.premium)).toBeGreaterThan(0);
  expectFundingWithinBounds(r);
}

/** A premium of the report (a fraction of the index per period, 12 decimals) in 1e-12. */
const premium = (s: string | null) => parseUnits(s ?? "0", 12);
const abs = (x: bigint) => (x < 0n ? -x : x);

/**
 * Every funding period, recomputed from the report's periods: |charged| within the cap that applied, and within one
 * step of the period before unless the cap pulled it lower or the oracle did not vouch (then nothing is charged).
 */
function expectFundingWithinBounds(r: ScenarioReport) {
  expect(r.funding.check.violations).toEqual([]);
  expect(r.funding.check.periods).toBe(r.funding.updates);
  expect(r.funding.check.maxCapRatio).toBeLessThanOrEqual(1);
  expect(r.funding.check.maxStepRatio).toBeLessThanOrEqual(1);
  for (const m of r.funding.markets) {
    const step = premium(m.step);
    let prev: bigint | undefined;
    for (const p of m.periods) {
      const charged = premium(p.charged);
      const cap = premium(p.capEffective);
      const previous = premium(p.previousCharged);
      if (prev !== undefined) expect(previous).toBe(prev);
      prev = charged;
      expect(abs(charged)).toBeLessThanOrEqual(cap);
      expect(cap).toBeLessThanOrEqual(premium(m.cap));
      if (!p.vouched) {
        expect([charged, premium(p.kicker)]).toEqual([0n, 0n]);
        continue;
      }
      if (abs(charged - previous) > step) {
        expect(abs(charged)).toBe(cap);
        expect(abs(charged)).toBeLessThan(abs(previous));
      }
    }
  }
}

describe.sequential("npm start scenarios", () => {
  it("crash: the bad debt predicted before the gap is realized to the wei, all of it inside junior", async () => {
    const { report: r, stdout } = await scenario("crash");
    expect(r.scenario).toBe("crash");
    expect(r.badDebt).toBe(r.predicted.badDebt);
    expect(r.waterfall).toEqual({
      junior: r.predicted.junior,
      senior: r.predicted.senior,
      socialized: r.predicted.socialized,
    });
    expect(usd(r.badDebt)).toBeGreaterThan(0);
    expect(r.waterfall.junior).toBe(r.badDebt);
    expect(r.waterfall.senior).toBe("0");
    expect(r.liquidations).toBeGreaterThan(0);
    expect(r.keeper.liquidationTxs).toBeGreaterThan(0);
    // The backstop took the fallen accounts' positions over, and they left it by the descending-discount sale: the
    // arbitrageur took them below the index by the budget ivy's penalties funded (the insolvent paid none).
    expect(r.inventorySold.length).toBeGreaterThan(0);
    expect(r.inventory).toEqual([]);
    for (const s of r.inventorySold) {
      expect(usd(s.size)).toBeGreaterThan(0);
      expect(usd(s.averagePrice)).toBeLessThan(usd(s.averageIndex));
    }
    expect(stdout).toContain("Backstop inventory sold");
    // The LP who asked to leave before the crash bears its share: it claims less than its request was worth.
    expect(usd(r.withdrawal.claimed)).toBeLessThan(usd(r.withdrawal.assetsAtRequest));
    expect(usd(r.withdrawal.claimed)).toBeGreaterThan(0);
    expectTradingHappened(r);
    expectSettledAfterwards(r);
    expect(stdout).toContain("predicted beside realized");
  }, 180_000);

  it("crash: the hedged desk posts 60 % of its additive maintenance and survives; the naked trader with its margin falls", async () => {
    const { report: r, stdout } = await scenario("crash");
    const { desk, naked } = r.netting;
    // Netting frees 40 % of the desk's maintenance (0.833 BTC against 25 ETH is equal notional to 0.02 %).
    expect(usd(desk.freedMaintenance)).toBeGreaterThan(0);
    expect(Number(desk.maintenance) / Number(desk.additiveMaintenance)).toBeCloseTo(0.6, 3);
    expect(desk.bindingScenario).toBe("ETH \u22125 %, BTC +1 %");
    // The desk holds less margin than the book's initial margin without netting: it exists only because of netting.
    expect(usd(desk.collateral)).toBeLessThan(usd(desk.additiveInitial));
    expect(naked.maintenance).toBe(naked.additiveMaintenance);
    expect(CROWD.find((c) => c.name === "naked")?.margin).toBe(CROWD.find((c) => c.name === "desk")?.margin);
    // The joint crash: the desk is never liquidated and ends above maintenance; the naked trader is liquidated.
    expect(desk.liquidationSteps).toBe(0);
    expect(usd(desk.valueAfter)).toBeGreaterThan(usd(desk.maintenanceAfter));
    expect(naked.liquidationSteps).toBeGreaterThan(0);
    expect(r.stack.find((s) => s.name === "naked")?.liquidatable).toBe(true);
    expect(r.stack.find((s) => s.name === "desk")?.liquidatable).toBe(false);
    expect(r.shock).toEqual({ ETH: -2000, BTC: -1500 });
    expect(stdout).toContain("Portfolio margin");
  }, 180_000);

  it("crash: the posted tail risk moves the premium split, the LP who stayed earns the boost, the exit gate holds a junior claim", async () => {
    const { report: r, stdout } = await scenario("crash");
    const lp = r.lp;
    if (!lp) throw new Error("the crash scenario reports its LP economics");
    // Two figures posted (before and after the crash), each reproduced by `perp risk verify` byte for byte.
    expect(lp.figures.map((f) => f.label)).toEqual(["before the crash", "after the crash"]);
    for (const f of lp.figures) expect(f.verified).toBe(true);
    // The split moved: the capital rule before the first figure, the posted share after it.
    const capital = lp.splits.filter((s) => s.source === "capital");
    const posted = lp.splits.filter((s) => s.source === "posted");
    expect(capital.length).toBeGreaterThan(0);
    expect(posted.length).toBeGreaterThan(0);
    expect(Number(posted[0]?.block)).toBeGreaterThan(Number(capital.at(-1)?.block));
    // Each posted distribution used the share a figure set (the bounds applied: within one step of the one before).
    const figureShares = new Set(lp.figures.map((f) => f.share));
    for (const s of posted) expect(figureShares.has(s.juniorShare)).toBe(true);
    const [first, second] = lp.figures;
    // Shares print as decimals of 1 ("0.35"): compare in whole basis points, not floats (0.35 - 0.30 > 0.05 in binary).
    const bps = (s: string | undefined) => Math.round(usd(s ?? "0") * 10_000);
    expect(Math.abs(bps(second?.share) - bps(first?.share))).toBeLessThanOrEqual(500);
    expect(usd(capital[0]?.juniorShare ?? "1")).toBeLessThan(usd(posted[0]?.juniorShare ?? "0"));
    // The volatility of the crash raised the boost multiplier; the LP who stayed earned more points per share than
    // the one who asked to leave before it, and claimed boost premium.
    expect(usd(lp.boostMultiplierMax)).toBeGreaterThan(1);
    const [left, stayed] = lp.boost;
    expect(left?.stayed).toBe(false);
    expect(stayed?.stayed).toBe(true);
    expect(stayed?.secondsAt1x).toBeGreaterThan(left?.secondsAt1x ?? Infinity);
    expect(usd(stayed?.claimed ?? "0")).toBeGreaterThan(0);
    // The gate: the first look at the claim holds part of it back; new junior capital opens the rest.
    expect(lp.gate.length).toBe(2);
    const [held, opened] = lp.gate;
    expect(usd(held?.claimableShare ?? "1")).toBeLessThan(1);
    expect(usd(held?.capacity ?? "0")).toBeLessThan(usd(held?.requested ?? "0"));
    expect(opened?.claimableShare).toBe("1");
    expect(stdout).toContain("LP economics");
  }, 180_000);

  it("crash: funding keeps its cap and change limit every period, tightens the cap in the crash's session, charges the crowded side a kicker and blends the group", async () => {
    const { report: r, stdout } = await scenario("crash");
    const f = r.funding;
    expectFundingWithinBounds(r);
    expect(stdout).toContain("check: no period's rate exceeded its cap or its change limit");
    const [eth, btc] = f.markets;
    expect([eth?.market, btc?.market, eth?.group, btc?.group]).toEqual(["ETH", "BTC", 1, 1]);
    for (const m of f.markets) {
      // cap = 10 % x (IM - MM) = 50 bps per period, step a quarter of it, the extreme session's cap half of it.
      expect([m.cap, m.step, m.extremeCap]).toEqual(["0.005", "0.00125", "0.0025"]);
      expect(m.updates).toBeGreaterThan(10);
    }
    // The extreme session: the crash's gap lifts the realized volatility above 150 %, and only then.
    const crashTime = f.crashTime ?? Number.POSITIVE_INFINITY;
    const extremes = f.markets.flatMap((m) => m.periods.filter((p) => p.extreme));
    expect(extremes.length).toBeGreaterThan(0);
    for (const p of extremes) {
      expect(p.time).toBeGreaterThanOrEqual(crashTime);
      expect(p.capEffective).toBe("0.0025");
    }
    expect(f.markets.some((m) => m.firstExtremeAfterCrash !== null)).toBe(true);
    // The crowding kicker: on after the crash left the book one-sided, paid by the crowded side into the premium.
    const kicks = f.markets.flatMap((m) => m.periods.filter((p) => premium(p.kicker) !== 0n));
    expect(kicks.length).toBeGreaterThan(0);
    expect(usd(f.kickerPaid)).toBeGreaterThan(0);
    for (const p of kicks) {
      expect(p.time).toBeGreaterThan(crashTime);
      expect(abs(premium(p.kicker))).toBeLessThanOrEqual(premium("0.0005")); // kickerMaxE8 50,000 = 5 bps
    }
    expect(f.markets.reduce((n, m) => n + m.kickerPeriods, 0)).toBe(kicks.length);
    // The group's blend moved a member's premium (the one updated after its larger sibling), by at most w = 30 % of
    // the widest gap two capped premiums can have (2 x 50 bps).
    const blended = f.markets.flatMap((m) => m.periods.filter((p) => p.blended !== p.premium));
    expect(blended.length).toBeGreaterThan(0);
    for (const p of blended) expect(abs(premium(p.blended) - premium(p.premium))).toBeLessThanOrEqual(premium("0.003"));
    expect(usd(f.paid)).toBeGreaterThan(usd(f.kickerPaid));
    expect(stdout).toContain("Funding: predictable carry (group 1: ETH + BTC");
  }, 180_000);

  it("black swan: junior is wiped and senior pays the rest, exactly as predicted", async () => {
    const { report: r } = await scenario("black-swan");
    expect(r.badDebt).toBe(r.predicted.badDebt);
    expect(r.waterfall).toEqual({
      junior: r.predicted.junior,
      senior: r.predicted.senior,
      socialized: r.predicted.socialized,
    });
    expect(usd(r.waterfall.senior)).toBeGreaterThan(0);
    expect(usd(r.tranches.junior.navEnd)).toBe(0);
    expect(usd(r.tranches.senior.navEnd)).toBeLessThan(
      usd(r.tranches.senior.navStart) + usd(r.tranches.senior.premium),
    );
    expect(r.inventory).toEqual([]);
    expectTradingHappened(r);
    expectSettledAfterwards(r);
  }, 180_000);

  it("calm: no crash, no liquidation, premium and funding only", async () => {
    const { report: r } = await scenario("calm");
    expect(r.liquidations).toBe(0);
    expect(r.keeper.liquidationTxs).toBe(0);
    expect(r.badDebt).toBe("0");
    expect(r.predicted).toEqual({ badDebt: "0", junior: "0", senior: "0", socialized: "0" });
    expect(r.withdrawal.claimed).toBe(r.withdrawal.assetsAtRequest);
    expectTradingHappened(r);
  }, 180_000);
});
