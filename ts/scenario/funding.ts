// The funding policy over the run, read back from every FundingUpdated event: per market what was paid, the cap and
// the cap that applied (tighter in an extreme session), how far the group's blend moved the own premium, the crowding
// kicker, and the check that no period's charged premium exceeded its cap or moved more than its change limit.
import { getAbiItem } from "viem";
import { oracleRouterAbi, perpPoolAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { WAD } from "../money";
import type { FundingCheck, FundingMarketOutcome, FundingOutcome, FundingPeriod } from "./types";

type Range = { fromBlock: bigint; toBlock: bigint };

/** capE8 and kickerMaxE8 (1e-8 of the index) to the premium's units (1e-12): FundingPolicy.E8_TO_PREMIUM. */
const E8_TO_PREMIUM = 10_000n;
const BPS = 10_000n;
/** OracleStatus.Normal: the only status an update charges against. */
const NORMAL = 0;

/**
 * Every funding update of the run (from the deployment's first block, so each market's first period in `range` knows
 * the charge before it), what each paying side paid, and the kicker the crowded side paid (`pool.kickerPaid()` over
 * `range`). Premiums are fractions of the index per period in 1e-12; amounts WAD.
 */
export async function fundingOutcome(
  clients: DevClients,
  deployment: Deployment,
  range: Range,
  crashTime: bigint | undefined,
): Promise<FundingOutcome> {
  const pc = clients.publicClient;
  const { pool, oracle } = deployment.contracts;
  const logs = await pc.getLogs({
    address: pool,
    event: getAbiItem({ abi: perpPoolAbi, name: "FundingUpdated" }),
    fromBlock: deployment.startBlock,
    toBlock: range.toBlock,
  });
  const times = new Map<bigint, bigint>();
  for (const l of logs) times.set(l.blockNumber, 0n);
  await Promise.all(
    [...times.keys()].map(async (blockNumber) =>
      times.set(blockNumber, (await pc.getBlock({ blockNumber })).timestamp),
    ),
  );
  const markets: FundingMarketOutcome[] = [];
  for (const m of deployment.markets) {
    const id = BigInt(m.marketId);
    const params = await pc.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "fundingParams",
      args: [id],
      blockNumber: range.toBlock,
    });
    const config = await pc.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [id],
      blockNumber: range.toBlock,
    });
    const cap = params.capE8 !== 0 ? BigInt(params.capE8) * E8_TO_PREMIUM : BigInt(config.maxPremiumBps) * 10n ** 8n;
    const step = params.maxChangeBps === 0 ? undefined : (cap * BigInt(params.maxChangeBps)) / BPS;
    const periods: FundingPeriod[] = [];
    let paid = 0n;
    let prev = { charged: 0n, cumLong: 0n, cumShort: 0n };
    for (const l of logs) {
      if (l.args.marketId !== id) continue;
      const at = { blockNumber: l.blockNumber } as const;
      const [state, observation] = await Promise.all([
        pc.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketState", args: [id], ...at }),
        pc.readContract({ address: oracle, abi: oracleRouterAbi, functionName: "lastObservation", args: [id], ...at }),
      ]);
      const charged = l.args.charged ?? 0n;
      const capEffective = l.args.capEffective ?? 0n;
      const inRange = l.blockNumber >= range.fromBlock;
      if (inRange) {
        // What the paying side paid since the last update: its index's move times its open interest.
        if (state.cumFundingLong > prev.cumLong)
          paid += ((state.cumFundingLong - prev.cumLong) * state.longOpenInterest) / WAD;
        if (state.cumFundingShort < prev.cumShort)
          paid += ((prev.cumShort - state.cumFundingShort) * state.shortOpenInterest) / WAD;
        periods.push({
          block: l.blockNumber,
          time: times.get(l.blockNumber) ?? 0n,
          premium: l.args.premium ?? 0n,
          blended: l.args.blended ?? 0n,
          previousCharged: prev.charged,
          charged,
          kicker: l.args.kicker ?? 0n,
          capEffective,
          extreme: capEffective < cap,
          vouched: Number(observation[1]) === NORMAL,
          ratePerSecond: l.args.ratePerSecond ?? 0n,
          kickerPerSecond: l.args.kickerPerSecond ?? 0n,
        });
      }
      prev = { charged, cumLong: state.cumFundingLong, cumShort: state.cumFundingShort };
    }
    const extremes = periods.filter((p) => p.extreme);
    const blendMoves = periods.map((p) => abs(p.blended - p.premium));
    markets.push({
      marketId: id,
      symbol: m.symbol,
      group: params.group,
      updates: periods.length,
      paid,
      cap,
      step,
      extremeCap: (cap * BigInt(params.extremeCapBps)) / BPS,
      extremePeriods: extremes.length,
      extremeCapBound: extremes.filter((p) => abs(p.charged) === p.capEffective).length,
      firstExtremeAfterCrash: crashTime === undefined ? undefined : extremes.find((p) => p.time >= crashTime)?.time,
      blendedPeriods: blendMoves.filter((d) => d !== 0n).length,
      maxBlendMove: largest(blendMoves),
      kickerPeriods: periods.filter((p) => p.kicker !== 0n).length,
      maxKicker: largest(periods.map((p) => abs(p.kicker))),
      check: checkPeriods(periods, step),
      periods,
    });
  }
  const kickerPaid = async (blockNumber: bigint) =>
    pc.readContract({ address: pool, abi: perpPoolAbi, functionName: "kickerPaid", blockNumber });
  const [kickerBefore, kickerAfter] = await Promise.all([kickerPaid(range.fromBlock - 1n), kickerPaid(range.toBlock)]);
  return {
    crashTime,
    updates: markets.reduce((n, m) => n + m.updates, 0),
    paid: markets.reduce((n, m) => n + m.paid, 0n),
    kickerPaid: kickerAfter - kickerBefore,
    markets,
    check: mergeChecks(markets.map((m) => m.check)),
  };
}

/**
 * FundingPolicy's two promises, period by period: |charged| <= the cap that applied, and |charged - previous| <= the
 * step, unless the cap lowered it (an extreme session tightens the cap below the previous charge minus a step) or the
 * oracle did not vouch for the period (everything 0). Ratios are of the bound (1 = at it).
 */
export function checkPeriods(periods: readonly FundingPeriod[], step: bigint | undefined): FundingCheck {
  const check: FundingCheck = {
    periods: periods.length,
    violations: [],
    maxCapRatio: 0,
    maxStepRatio: 0,
    loweredByCap: 0,
    unvouched: 0,
  };
  for (const p of periods) {
    const size = abs(p.charged);
    if (p.capEffective > 0n) check.maxCapRatio = Math.max(check.maxCapRatio, ratio(size, p.capEffective));
    if (size > p.capEffective) check.violations.push(`block ${p.block}: |charged| ${size} > cap ${p.capEffective}`);
    if (!p.vouched) {
      check.unvouched++;
      if (p.charged !== 0n || p.kicker !== 0n) check.violations.push(`block ${p.block}: charged while not vouched`);
      continue;
    }
    if (step === undefined) continue;
    const move = abs(p.charged - p.previousCharged);
    if (move <= step) {
      if (step > 0n) check.maxStepRatio = Math.max(check.maxStepRatio, ratio(move, step));
      continue;
    }
    // Past the step: only the cap that applied may have done it, pulling the charge toward zero onto the cap.
    if (size === p.capEffective && size < abs(p.previousCharged)) check.loweredByCap++;
    else check.violations.push(`block ${p.block}: moved ${move} > step ${step}`);
  }
  return check;
}

function mergeChecks(checks: readonly FundingCheck[]): FundingCheck {
  return {
    periods: checks.reduce((n, c) => n + c.periods, 0),
    violations: checks.flatMap((c) => c.violations),
    maxCapRatio: Math.max(0, ...checks.map((c) => c.maxCapRatio)),
    maxStepRatio: Math.max(0, ...checks.map((c) => c.maxStepRatio)),
    loweredByCap: checks.reduce((n, c) => n + c.loweredByCap, 0),
    unvouched: checks.reduce((n, c) => n + c.unvouched, 0),
  };
}

function ratio(x: bigint, bound: bigint): number {
  return Number((x * 1_000_000n) / bound) / 1_000_000;
}

/** The largest of non-negative bigints (0 for none). */
function largest(xs: readonly bigint[]): bigint {
  let m = 0n;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
