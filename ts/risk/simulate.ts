// One Monte-Carlo path through the SDK's liquidation math, as the chain and the keeper would live it (SPEC-20's
// time model): at step s (T_s = T0 + s·step) every market's oracle refreshes at the path's price (the breaker may
// trip); the keeper, seeing that block, lists every liquidatable account worst first (largest maintenance
// shortfall), each as many ladder steps as it needs (`stepsToHealthy`), and its liquidations land one second later,
// each step at the index (`liquidationOutcome`), each bad debt down the waterfall at once (junior's balance in whole
// tokens rounded up, then senior's, the rest socialized on the last leg's market). It looks again at the block its
// liquidations landed in, and so on until nothing is liquidatable. Accounts the bound (bound.ts) clears are
// skipped; every other one is classified by the keeper's float prefilter and, near or past the line, exactly.

import { stepsToHealthy } from "../keeper/book/ladder";
import { marketPricing } from "../keeper/book/localHealth";
import { accountFeatures, floatMargin, prepareFloatMarkets, setFloatMarket } from "../keeper/book/prefilter";
import { accountHealthAt } from "../pool/math/accountMath";
import {
  accountAfterLiquidation,
  type LiquidationPositionInput,
  liquidationOutcome,
  nettedMaintenance,
} from "../pool/math/liquidationMath";
import { cumNow } from "../pool/math/marketMath";
import { singleHealth, singleLiquidation } from "../pool/math/singleLadder";
import { abs, min, mulDivUp } from "../pool/math/solidity";
import type { Account, MarketState, Position } from "../pool/types";
import { type AccountBound, accountBound, type BoundMarkets, boundMarkets, firstDangerStep } from "./bound";
import {
  largestTraderOpenInterest,
  oracleStatusAt,
  type PathMarket,
  pathMarket,
  refreshOracle,
  socialize,
  transferToBackstop,
} from "./marketMirror";
import type { PathOutcome, PathPrices, RiskBook } from "./types";

const TOKEN_TO_WAD = 10n ** 12n;
/** 10,000 bps: no IM volatility multiplier (the prefilter reads maintenance only). */
const BPS = 10_000n;
const MAX_UINT = (1n << 256n) - 1n;
/** The keeper lists at most this many ladder steps for one account in one transaction (liquidationTask.ts). */
const MAX_STEPS = 64;
/** Liquidation blocks after a step's refresh before the replay gives up (SPEC-20); the bound's time slack. */
export const MAX_ROUNDS = 16;
/** Slack (wei) on a second's funding drift: the float bound's own rounding. */
const ABSOLUTE_SLACK_WEI = 1024;

/** The book with what every path reuses: per-account bound inputs, per-market floats, index scales. */
export type PreparedBook = {
  book: RiskBook;
  bounds: AccountBound[];
  markets: BoundMarkets;
  /** 10^(18 − feedDecimals) per market: a feed answer's index is answer × scale. */
  scales: bigint[];
  maintenance: ReturnType<typeof nettedMaintenance>;
};

export function prepareBook(book: RiskBook): PreparedBook {
  return {
    book,
    bounds: book.accounts.map((a) => accountBound(book, a)),
    markets: boundMarkets(book),
    scales: book.markets.map((m) => 10n ** BigInt(18 - m.feedDecimals)),
    maintenance: nettedMaintenance(book.engine),
  };
}

/** An account as the path has changed it (created when first touched). */
type Live = { account: Account; positions: Map<number, Position>; features: Float64Array | undefined };

/**
 * What path `prices` does to the pool. `stepSeconds` is the inputs' step (the path's answers hold steps 1..N).
 * @example
 * const prepared = prepareBook(await readRiskBook(client, deployment, block));
 * const outcome = simulatePath(prepared, pathPrices(inputs, 7), inputs.stepSeconds);
 */
export function simulatePath(
  prep: PreparedBook,
  prices: PathPrices,
  stepSeconds: number,
  options: { skipByBound?: boolean } = {},
): PathOutcome {
  const { book } = prep;
  const n = book.markets.length;
  const steps = prices.answers.length / n;
  const markets = book.markets.map(pathMarket);
  // The keeper prefilter's floats: made once per path (the grid), each market's slots rewritten every block.
  const floats = prepareFloatMarkets(
    markets.map((m, id) => marketPricing(BigInt(id), m.state, m.book.config, m.lastPrice, false, book.timestamp)),
    book.engine,
  );
  const { lo, hi } = runningRange(prep, prices.answers, n, steps);
  const out: PathOutcome = {
    path: prices.path,
    model: prices.model,
    scenario: prices.scenario,
    badDebt: 0n,
    junior: 0n,
    senior: 0n,
    socialized: 0n,
    liquidationVolume: 0n,
    accountsLiquidated: 0,
    liquidationCalls: 0,
    ...moves(prices.answers, book, n, steps),
    firstBadDebtStep: 0,
  };
  let junior = book.capacity.juniorTokens;
  let senior = book.capacity.seniorTokens;

  // Accounts in the order they may first be in danger; the rest never are on this path.
  // (`skipByBound: false` checks every account at every step: the tests hold the bound to that.)
  const skip = options.skipByBound ?? true;
  const danger = prep.bounds.map((b) =>
    skip ? firstDangerStep(b, prep.markets, lo, hi, n, steps, stepSeconds, MAX_ROUNDS) : 1,
  );
  const order = danger
    .map((d, i) => ({ d, i }))
    .filter((x) => x.d <= steps)
    .sort((a, b) => a.d - b.d || a.i - b.i);
  let next = 0;
  let everyone = false;
  const active = new Set<number>();
  const live = new Map<number, Live>();
  const liquidated = new Set<number>();
  const liveOf = (i: number): Live => {
    let l = live.get(i);
    if (!l) {
      const a = book.accounts[i] as RiskBook["accounts"][number];
      const positions = new Map(a.positions.map((p) => [p.marketId, p.position]));
      l = { account: a.account, positions, features: accountFeatures(a.account, positions) };
      live.set(i, l);
    }
    return l;
  };

  const t0 = book.timestamp;
  for (let s = 1; s <= steps; s++) {
    const time = t0 + BigInt(s * stepSeconds);
    for (let m = 0; m < n; m++) {
      refreshOracle(
        markets[m] as PathMarket,
        BigInt(prices.answers[(s - 1) * n + m] as number) * (prep.scales[m] as bigint),
        time,
      );
    }
    if (everyone) for (let i = 0; i < book.accounts.length; i++) active.add(i);
    while (next < order.length && (order[next] as { d: number }).d <= s) active.add((order[next++] as { i: number }).i);
    if (active.size === 0) continue;

    let head = time;
    // The accounts a round scans: every active one first; afterwards only those the last round could not clear for
    // one more second (`clearsNextSecond`) and those it looked at exactly, or everyone after a socialized loss.
    let scan: Iterable<number> = active;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const t = head + 1n;
      // Each market's funding indices accrued to the head and to the liquidation block, once: a state accrued to a
      // time reads back the same indices there (cumNow with dt = 0), so every position priced against it is exact.
      const atHead = new AccruedViews(markets, head);
      const atT = new AccruedViews(markets, t);
      // The market states the keeper planned with: this block's until a loss is socialized in it (then a copy).
      let planViews: AccruedViews | undefined;
      // The keeper's view of the head block: every market priced at the head's time.
      markets.forEach((m, id) => {
        const { cumLong, cumShort } = atHead.cum(id);
        const priced = {
          marketId: BigInt(id),
          config: m.book.config,
          index: m.lastPrice,
          halted: false,
          oracleStatus: oracleStatusAt(m, head),
          imMultiplierBps: BPS,
          cumLong,
          cumShort,
        };
        setFloatMarket(floats, id, priced, book.engine !== null);
      });
      const candidates: { i: number; shortfall: bigint }[] = [];
      const again: number[] = [];
      for (const i of scan) {
        const l = liveOf(i);
        const f = l.features;
        if (f !== undefined && f[2] === 0) continue; // no position, no debt: never liquidatable
        const m = f === undefined ? undefined : floatMargin(f, floats);
        if (m !== undefined && m.margin > m.tolerance) {
          if (!skip || !clearsNextSecond(f as Float64Array, m, prep.markets.rate)) again.push(i);
          continue;
        }
        again.push(i);
        const shortfall = exactShortfall(l, markets, atHead, head, book);
        if (shortfall !== undefined) candidates.push({ i, shortfall });
      }
      if (candidates.length === 0) break;
      scan = again;
      candidates.sort((a, b) => (a.shortfall > b.shortfall ? -1 : a.shortfall < b.shortfall ? 1 : a.i - b.i));
      // The keeper plans each account's steps for the block they land in (liquidationLeadSeconds = 1): with the
      // head's market states, which give the same indices at t as the block's own until a loss is socialized in it,
      // and with the head's oracle statuses.
      let socializedHere = false;
      /** BackstopLogic._drawBackstop (junior's balance in whole tokens rounded up, then senior's), then
       * MarketLogic._socialize of what neither paid on market `on`. */
      const resolveBadDebt = (debt: bigint, on: number) => {
        const tokens = mulDivUp(debt, 1n, TOKEN_TO_WAD);
        const j = min(tokens, junior);
        junior -= j;
        const sen = j < tokens ? min(tokens - j, senior) : 0n;
        senior -= sen;
        const juniorPaid = min(j * TOKEN_TO_WAD, debt);
        const seniorPaid = min(sen * TOKEN_TO_WAD, debt - juniorPaid);
        const social = debt - juniorPaid - seniorPaid;
        out.badDebt += debt;
        out.junior += juniorPaid;
        out.senior += seniorPaid;
        out.socialized += social;
        if (out.firstBadDebtStep === 0) out.firstBadDebtStep = s;
        if (social === 0n) return;
        planViews ??= atT.copy();
        const m = markets[on] as PathMarket;
        socialize(m, social);
        atT.reset(on);
        socializedHere = true;
        // The funding indices moved for everyone: no account's bound holds any more.
        everyone = true;
        for (let i = 0; i < book.accounts.length; i++) active.add(i);
        scan = active;
      };
      /** The keeper's steps for a one-position account (singleLadder.ts: the general ladder without allocation). */
      const ladderOnePosition = (l: Live, i: number) => {
        const [entry] = l.positions;
        if (!entry) return;
        const [id, p] = entry;
        const m = markets[id] as PathMarket;
        const view = atT.cum(id);
        const market = {
          index: m.lastPrice,
          cumLong: view.cumLong,
          cumShort: view.cumShort,
          config: m.book.config,
        };
        const a = { collateral: l.account.collateral, unsettledProfit: l.account.unsettledProfit, ...p };
        for (let k = 0; k < MAX_STEPS; k++) {
          const held = a.size;
          const step = singleLiquidation(a, market);
          if (!step) break;
          out.liquidationCalls++;
          liquidated.add(i);
          transferToBackstop(m, held, step.transferred, t);
          out.liquidationVolume += abs(step.quoteDelta);
          if (step.badDebt > 0n) {
            a.collateral = 0n;
            resolveBadDebt(step.badDebt, id);
          }
          if (step.everything || a.size === 0n) break;
        }
        const closed = a.size === 0n;
        l.account = {
          ...l.account,
          collateral: a.collateral,
          marketMask: closed ? l.account.marketMask & ~(1 << id) : l.account.marketMask,
        };
        l.positions = closed
          ? new Map()
          : new Map([[id, { size: a.size, openNotional: a.openNotional, fundingEntry: a.fundingEntry }]]);
        l.features = accountFeatures(l.account, l.positions);
        if (closed && l.account.collateral >= 0n) active.delete(i);
      };
      for (const c of candidates) {
        const l = liveOf(c.i);
        const plainPlan = !socializedHere && l.positions.size > 0 && statusesAgree(l, markets, head, t);
        if (plainPlan && l.positions.size === 1) {
          ladderOnePosition(l, c.i);
          continue;
        }
        const planned = plainPlan ? MAX_STEPS : plannedSteps(l, markets, planViews ?? atT, head, t, book);
        for (let k = 0; k < planned; k++) {
          const positions = inputs(l, markets, atT, t);
          // Below two positions nothing nets: the netted requirement is the standalone one (PortfolioMargin).
          const netted = positions.length >= 2 ? prep.maintenance : undefined;
          const o = liquidationOutcome(l.account, positions, t, MAX_UINT, netted);
          if (o.kind !== "liquidated") break;
          out.liquidationCalls++;
          liquidated.add(c.i);
          for (const step of o.steps) {
            const held = l.positions.get(Number(step.marketId))?.size ?? 0n;
            transferToBackstop(markets[Number(step.marketId)] as PathMarket, held, step.transferred, t);
            out.liquidationVolume += abs(step.quoteDelta);
          }
          const after = accountAfterLiquidation(l.account, positions, o, t);
          l.account = after.account;
          l.positions = new Map(after.positions.map((p) => [Number(p.marketId), p.position]));
          if (o.badDebt > 0n) {
            l.account = { ...l.account, collateral: 0n };
            // The last leg's market; a debt with no position left (NO_MARKET) goes where traders hold the most.
            const last = o.steps[o.steps.length - 1];
            resolveBadDebt(o.badDebt, last ? Number(last.marketId) : largestTraderOpenInterest(markets));
          }
          if (o.everything) break;
        }
        l.features = accountFeatures(l.account, l.positions);
        if (l.positions.size === 0 && l.account.collateral >= 0n) active.delete(c.i);
      }
      head = t;
    }
  }
  out.accountsLiquidated = liquidated.size;
  return out;
}

/**
 * An account the float prefilter cleared at a head stays healthy one second later unless funding can take its margin
 * over the line meanwhile: prices and oracle statuses do not change between a step's blocks (a cooldown ending only
 * adds netting credit), and funding moves the margin by at most Σ |size|·|rate| per second plus the funding owed's
 * rounding (1 wei per position). Candidates and a socialized loss bring accounts back to the scan regardless.
 */
function clearsNextSecond(f: Float64Array, m: { margin: number; tolerance: number }, rates: Float64Array): boolean {
  let drift = ABSOLUTE_SLACK_WEI;
  for (let j = 4; j < f.length; j += 4) {
    const size = f[j + 1] as number;
    drift += (size < 0 ? -size : size) * (rates[f[j] as number] as number) * 1e-18 * 1.01 + 2;
  }
  return m.margin - m.tolerance > drift;
}

/** Maintenance requirement less value at `time` when the account is liquidatable there (`accountHealthAt`; for one
 * position `singleHealth`, the same figures without allocation), else undefined. */
function exactShortfall(
  l: Live,
  markets: readonly PathMarket[],
  views: AccruedViews,
  time: bigint,
  book: RiskBook,
): bigint | undefined {
  if (l.positions.size === 1) {
    const [id, p] = l.positions.entries().next().value as [number, Position];
    const m = markets[id] as PathMarket;
    const { cumLong, cumShort } = views.cum(id);
    const { value, maintenance } = singleHealth(
      { collateral: l.account.collateral, unsettledProfit: l.account.unsettledProfit, ...p },
      { index: m.lastPrice, cumLong, cumShort, config: m.book.config },
    );
    return value < maintenance ? maintenance - value : undefined;
  }
  const h = accountHealthAt(l.account, inputs(l, markets, views, time), time, book.engine);
  return h.liquidatable ? h.maintenanceRequirement - h.value : undefined;
}

/** The account's positions as the liquidation math takes them: each market's state accrued to `time` (`views`). */
function inputs(
  l: Live,
  markets: readonly PathMarket[],
  views: AccruedViews,
  time: bigint,
): LiquidationPositionInput[] {
  const list: LiquidationPositionInput[] = [];
  // Positions are kept in ascending market id (the book's order, and the liquidation math's).
  for (const [id, position] of l.positions) {
    const m = markets[id] as PathMarket;
    list.push({
      position,
      state: views.state(id),
      config: m.book.config,
      index: m.lastPrice,
      halted: false,
      oracleStatus: oracleStatusAt(m, time),
      marketId: BigInt(id),
    });
  }
  return list;
}

/**
 * Each market's funding indices accrued to one second (MarketLogic._cumNow), computed when first asked; and, for the
 * general liquidation math, the market's state with them stored at that second (a state accrued to a time reads back
 * the same indices there: cumNow with dt = 0).
 */
class AccruedViews {
  private readonly cums: ({ cumLong: bigint; cumShort: bigint } | undefined)[];
  private readonly states: (MarketState | undefined)[];

  constructor(
    private readonly markets: readonly PathMarket[],
    readonly time: bigint,
  ) {
    this.cums = new Array(markets.length);
    this.states = new Array(markets.length);
  }

  cum(id: number): { cumLong: bigint; cumShort: bigint } {
    let c = this.cums[id];
    if (!c) {
      const m = this.markets[id] as PathMarket;
      c = cumNow(m.state, m.book.config, this.time);
      this.cums[id] = c;
    }
    return c;
  }

  state(id: number): MarketState {
    let v = this.states[id];
    if (!v) {
      const { cumLong, cumShort } = this.cum(id);
      v = {
        ...(this.markets[id] as PathMarket).state,
        cumFundingLong: cumLong,
        cumFundingShort: cumShort,
        lastAccrual: Number(this.time),
      };
      this.states[id] = v;
    }
    return v;
  }

  /** Market `id`'s state changed (a socialized loss): its views are computed again when next asked. */
  reset(id: number): void {
    this.cums[id] = undefined;
    this.states[id] = undefined;
  }

  /** Every market's views as they are now, kept whatever happens to the markets afterwards. */
  copy(): AccruedViews {
    const c = new AccruedViews(this.markets, this.time);
    this.markets.forEach((_, id) => {
      c.cums[id] = this.cum(id);
      c.states[id] = this.state(id);
    });
    return c;
  }
}

/** Every market the account holds has the same oracle status at the head and at t. */
function statusesAgree(l: Live, markets: readonly PathMarket[], head: bigint, t: bigint): boolean {
  for (const id of l.positions.keys()) {
    const m = markets[id] as PathMarket;
    if (oracleStatusAt(m, head) !== oracleStatusAt(m, t)) return false;
  }
  return true;
}

/** The keeper's plan when it cannot be read off the block itself: its ladder at t with the head's statuses (and the
 * market states before this block's socialized loss). */
function plannedSteps(
  l: Live,
  markets: readonly PathMarket[],
  views: AccruedViews,
  head: bigint,
  t: bigint,
  book: RiskBook,
): number {
  const ladder = markets.map((m, id) => ({
    marketId: BigInt(id),
    state: views.state(id),
    config: m.book.config,
    index: m.lastPrice,
    halted: false,
    oracleStatus: oracleStatusAt(m, head),
  }));
  return Math.max(1, stepsToHealthy(l.account, l.positions, ladder, t, MAX_STEPS, book.engine));
}

/** Each market's least and greatest index up to each step, as floats (wei per base), starting from B's index. */
function runningRange(prep: PreparedBook, answers: Float64Array, n: number, steps: number) {
  const lo = new Float64Array(steps * n);
  const hi = new Float64Array(steps * n);
  for (let m = 0; m < n; m++) {
    const scale = Number(prep.scales[m]);
    let a = Number(prep.book.markets[m]?.index ?? 0n);
    let b = a;
    for (let s = 0; s < steps; s++) {
      const p = (answers[s * n + m] as number) * scale;
      if (p < a) a = p;
      if (p > b) b = p;
      lo[s * n + m] = a;
      hi[s * n + m] = b;
    }
  }
  return { lo, hi };
}

/** Each market's move at the end and its largest move from the start (signed), in bps of B's index. */
function moves(answers: Float64Array, book: RiskBook, n: number, steps: number) {
  const endMoveBps: number[] = [];
  const worstMoveBps: number[] = [];
  for (let m = 0; m < n; m++) {
    const market = book.markets[m];
    const start = Number(market?.index ?? 0n) / 10 ** (18 - (market?.feedDecimals ?? 0));
    let worst = 0;
    for (let s = 0; s < steps; s++) {
      const move = (answers[s * n + m] as number) / start - 1;
      if (Math.abs(move) > Math.abs(worst)) worst = move;
    }
    endMoveBps.push(Math.round(((answers[(steps - 1) * n + m] as number) / start - 1) * 10_000));
    worstMoveBps.push(Math.round(worst * 10_000));
  }
  return { endMoveBps, worstMoveBps };
}
