// Mirror of PerpLens.stressTestJoint / stressTest (`_stressBook`, `_totals`, `_shocked`): the liquidation stack for
// an index shock, exact because liquidation settles at the index (an insolvent account's bad debt is its negative
// value there; a solvent one never goes below 0). Each shocked market's index moves as one jump: a Normal market
// whose jump exceeds its oracle's breaker threshold turns ReduceOnly (no netting credit); a halted one stays halted.
import type { Account } from "../types";
import { accountHealthAt, type PositionInput, positionContribution, statusOf } from "./accountMath";
import { ORACLE_NORMAL, type RiskGrid } from "./portfolioMath";
import { min, mulDivDown, mulDivUp, revert } from "./solidity";

const BPS = 10_000n;
const TOKEN_TO_WAD = 10n ** 12n;
/** OracleStatus.ReduceOnly: what a breaker trip leaves the market in. */
const ORACLE_REDUCE_ONLY = 1;
/** `PerpLens.ALL_MARKETS`: shock every market together. */
export const ALL_MARKETS = (1n << 256n) - 1n;
/** The shocks the lens accepts: (-10_000, 100_000] bps. */
const MIN_SHOCK_EXCLUSIVE = -10_000n;
const MAX_SHOCK = 100_000n;

/** An open position as the stress test takes it: the account math's input with its market id and breaker threshold. */
export type StressPositionInput = PositionInput & {
  marketId: bigint;
  /** The market's oracle breaker threshold (`oracle.config(marketId).jumpThresholdBps`): a shock moving a Normal
   * index farther than this trips it (the market turns ReduceOnly). */
  jumpThresholdBps: bigint;
};

export type StressAccountInput = {
  owner: `0x${string}`;
  subId: bigint;
  account: Account;
  /** The account's open positions (with each market's current index, oracle status and breaker threshold). */
  positions: readonly StressPositionInput[];
};

/** One market's shock (`stressTest`); `index`: the market's current index, for `shockedIndex` when no listed
 * position is on the market. */
export type StressShock = { marketId: bigint; shockBps: bigint; index?: bigint | undefined };

/** One shock per market id in bps, as `PerpLens.stressTestJoint` takes it (0, or beyond the array: unshocked). */
export type JointShock = readonly bigint[];

/** `AccountStress`: one account under the shock. */
export type StressAccountResult = {
  owner: `0x${string}`;
  subId: bigint;
  value: bigint;
  maintenanceRequirement: bigint;
  liquidatable: boolean;
  badDebt: bigint;
};

/** `StressResult`, field for field. */
export type StressPrediction = {
  /** The shocked market, or ALL_MARKETS (every market, and every joint shock). */
  marketId: bigint;
  /** The single-market / all-markets shock; 0 for a joint shock. */
  shockBps: bigint;
  /** The shocked market's index after the shock; 0 for ALL_MARKETS and joint shocks. */
  shockedIndex: bigint;
  liquidatableCount: bigint;
  totalBadDebt: bigint;
  juniorLoss: bigint;
  seniorLoss: bigint;
  socialized: bigint;
  juniorCapital: bigint;
  seniorCapital: bigint;
  /** The backstop inventory's unrealized loss at the shock (0 when no inventory is passed). */
  inventoryLoss: bigint;
  accounts: StressAccountResult[];
};

/** What each tranche vault can pay now: its token balance (6-decimal USDC units). */
export type StressCapacity = { juniorTokens: bigint; seniorTokens: bigint };

/** The shocked index: `index * (10_000 + shockBps) / 10_000`, rounded down (as the lens). */
export function shockIndex(index: bigint, shockBps: bigint): bigint {
  return mulDivDown(index, BPS + shockBps, BPS);
}

/** The lens's shock range check: InvalidShock(shockBps) outside (-10_000, 100_000]. */
function checkShock(shockBps: bigint): void {
  if (shockBps <= MIN_SHOCK_EXCLUSIVE || shockBps > MAX_SHOCK) revert("InvalidShock", { shockBps });
}

/**
 * A position once its market's shock arrives as one jump (`PerpLens._shocked`): the index moved by `shockBps`
 * (rounded down); a Normal oracle whose move exceeds its breaker threshold (move·10_000 > threshold·index) turns
 * ReduceOnly; any other status stays. A zero shock leaves the position as it is.
 */
export function shockedPosition<P extends StressPositionInput>(p: P, shockBps: bigint): P {
  if (shockBps === 0n) return p;
  const index = shockIndex(p.index, shockBps);
  let status = statusOf(p);
  if (status === ORACLE_NORMAL) {
    const move = index > p.index ? index - p.index : p.index - index;
    if (move * BPS > p.jumpThresholdBps * p.index) status = ORACLE_REDUCE_ONLY;
  }
  return { ...p, index, oracleStatus: status };
}

/**
 * The lens's `stressTestJoint` from raw state at `timestamp`: every market id i < shocks.length moved by shocks[i]
 * bps (`shockedPosition`), each account valued and margined there (its requirement through the portfolio engine:
 * `engine` is the pool's grid, null/omitted none), their bad debt run down the waterfall one account at a time in
 * the listed order with the pool's token rounding (whole tokens rounded up, junior's balance first, then
 * senior's), against what each vault can pay now. `inventory`: the backstop's positions (account (0, 0)), for
 * `inventoryLoss`. Reverts InvalidShock as the lens does (the lens's UnknownMarket for an array longer than the
 * market count is the caller's to check).
 * @example
 * const engine = await getRiskEngine(client, { pool });
 * const states = await Promise.all(owners.map((owner) => getAccountState(client, { pool, oracle, owner, blockNumber })));
 * stressTestJoint(states, [-2500n, -1000n], capacity, states[0].timestamp, engine); // = lens.stressTestJoint
 */
export function stressTestJoint(
  accounts: readonly StressAccountInput[],
  shocks: JointShock,
  capacity: StressCapacity,
  timestamp: bigint,
  engine?: RiskGrid | null,
  inventory?: readonly StressPositionInput[],
): StressPrediction {
  for (const s of shocks) checkShock(s);
  return stressBook(accounts, (m) => (m < BigInt(shocks.length) ? (shocks[Number(m)] ?? 0n) : 0n), capacity, {
    timestamp,
    engine,
    inventory,
    head: { marketId: ALL_MARKETS, shockBps: 0n, shockedIndex: 0n },
  });
}

/**
 * The lens's `stressTest`: the joint stress with one market shocked (`shock.marketId`), or every market by the
 * same bps (`ALL_MARKETS`). `shockedIndex` (one market) comes from `shock.index`, else from any listed position or
 * inventory position on that market (0 when neither is known).
 */
export function stressTest(
  accounts: readonly StressAccountInput[],
  shock: StressShock,
  capacity: StressCapacity,
  timestamp: bigint,
  engine?: RiskGrid | null,
  inventory?: readonly StressPositionInput[],
): StressPrediction {
  checkShock(shock.shockBps);
  const all = shock.marketId === ALL_MARKETS;
  let shockedIndex = 0n;
  if (!all) {
    const index =
      shock.index ??
      [...accounts.flatMap((a) => a.positions), ...(inventory ?? [])].find((p) => p.marketId === shock.marketId)?.index;
    if (index !== undefined) shockedIndex = shockIndex(index, shock.shockBps);
  }
  return stressBook(accounts, (m) => (all || m === shock.marketId ? shock.shockBps : 0n), capacity, {
    timestamp,
    engine,
    inventory,
    head: { marketId: shock.marketId, shockBps: shock.shockBps, shockedIndex },
  });
}

/** `PerpLens._stressBook`: every account under the shock, the waterfall of their bad debt in order. */
function stressBook(
  accounts: readonly StressAccountInput[],
  shockOf: (marketId: bigint) => bigint,
  capacity: StressCapacity,
  o: {
    timestamp: bigint;
    engine: RiskGrid | null | undefined;
    inventory: readonly StressPositionInput[] | undefined;
    head: Pick<StressPrediction, "marketId" | "shockBps" | "shockedIndex">;
  },
): StressPrediction {
  let junior = capacity.juniorTokens;
  let senior = capacity.seniorTokens;
  const out: StressPrediction = {
    ...o.head,
    liquidatableCount: 0n,
    totalBadDebt: 0n,
    juniorLoss: 0n,
    seniorLoss: 0n,
    socialized: 0n,
    juniorCapital: junior * TOKEN_TO_WAD,
    seniorCapital: senior * TOKEN_TO_WAD,
    inventoryLoss: 0n,
    accounts: [],
  };
  for (const a of accounts) {
    const shocked = a.positions.map((p) => shockedPosition(p, shockOf(p.marketId)));
    const h = accountHealthAt(a.account, shocked, o.timestamp, o.engine);
    const badDebt = h.value < 0n ? -h.value : 0n;
    out.accounts.push({
      owner: a.owner,
      subId: a.subId,
      value: h.value,
      maintenanceRequirement: h.maintenanceRequirement,
      liquidatable: h.liquidatable,
      badDebt,
    });
    if (h.liquidatable) out.liquidatableCount += 1n;
    if (badDebt === 0n) continue;
    out.totalBadDebt += badDebt;
    // BackstopLogic._drawBackstop: whole tokens rounded up, junior first, WAD shares capped at the debt.
    const tokens = mulDivUp(badDebt, 1n, TOKEN_TO_WAD);
    const j = min(tokens, junior);
    junior -= j;
    let s = 0n;
    if (j < tokens) {
      s = min(tokens - j, senior);
      senior -= s;
    }
    const juniorPaid = min(j * TOKEN_TO_WAD, badDebt);
    const seniorPaid = min(s * TOKEN_TO_WAD, badDebt - juniorPaid);
    out.juniorLoss += juniorPaid;
    out.seniorLoss += seniorPaid;
    out.socialized += badDebt - juniorPaid - seniorPaid;
  }
  // PerpLens._inventoryLossAt: each inventory position's PnL at the shock, the losses summed.
  for (const p of o.inventory ?? []) {
    const { pnl } = positionContribution(shockedPosition(p, shockOf(p.marketId)), o.timestamp);
    if (pnl < 0n) out.inventoryLoss += -pnl;
  }
  return out;
}
