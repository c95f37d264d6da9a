// Mirror of PerpLens.stressTest: the liquidation stack for an index shock, exact because liquidation settles at
// the index (an insolvent account's bad debt is its negative value there; a solvent one never goes below 0).
import type { Account } from "../types";
import { accountHealthAt, type PositionInput } from "./accountMath";
import type { RiskGrid } from "./portfolioMath";
import { min, mulDivDown, mulDivUp } from "./solidity";

const BPS = 10_000n;
const TOKEN_TO_WAD = 10n ** 12n;
/** `PerpLens.ALL_MARKETS`: shock every market together. */
export const ALL_MARKETS = (1n << 256n) - 1n;

export type StressAccountInput = {
  owner: `0x${string}`;
  subId: bigint;
  account: Account;
  /** The account's open positions (with each market's current index and whether its oracle is halted). */
  positions: readonly (PositionInput & { marketId: bigint })[];
};

export type StressShock = { marketId: bigint; shockBps: bigint };

export type StressPrediction = {
  liquidatableCount: bigint;
  totalBadDebt: bigint;
  juniorLoss: bigint;
  seniorLoss: bigint;
  socialized: bigint;
  accounts: { owner: `0x${string}`; subId: bigint; value: bigint; liquidatable: boolean; badDebt: bigint }[];
};

/** The shocked index: `index * (10_000 + shockBps) / 10_000`, rounded down (as the lens). */
export function shockIndex(index: bigint, shockBps: bigint): bigint {
  return mulDivDown(index, BPS + shockBps, BPS);
}

/**
 * The lens's `stressTest` from raw state at `timestamp`: accounts valued at the shocked index, their bad debt run
 * down the waterfall one account at a time in the listed order with the pool's token rounding (whole tokens
 * rounded up, junior's balance first, then senior's), against what each vault can pay now (its token balance).
 * `engine`: the pool's risk engine grid (null/omitted: none).
 */
export function stressTest(
  accounts: readonly StressAccountInput[],
  shock: StressShock,
  capacity: { juniorTokens: bigint; seniorTokens: bigint },
  timestamp: bigint,
  engine?: RiskGrid | null,
): StressPrediction {
  let junior = capacity.juniorTokens;
  let senior = capacity.seniorTokens;
  const out: StressPrediction = {
    liquidatableCount: 0n,
    totalBadDebt: 0n,
    juniorLoss: 0n,
    seniorLoss: 0n,
    socialized: 0n,
    accounts: [],
  };
  for (const a of accounts) {
    const shocked = a.positions.map((p) =>
      shock.marketId === ALL_MARKETS || p.marketId === shock.marketId
        ? { ...p, index: shockIndex(p.index, shock.shockBps) }
        : p,
    );
    const h = accountHealthAt(a.account, shocked, timestamp, engine);
    const badDebt = h.value < 0n ? -h.value : 0n;
    out.accounts.push({ owner: a.owner, subId: a.subId, value: h.value, liquidatable: h.liquidatable, badDebt });
    if (h.liquidatable) out.liquidatableCount += 1n;
    if (badDebt === 0n) continue;
    out.totalBadDebt += badDebt;
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
  return out;
}
