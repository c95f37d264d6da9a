// What a replay did, read back from the pool's events over its blocks (ts/scenario/measure.ts reads them): the
// waterfall from BadDebtResolved, the liquidation volume, accounts and calls from Liquidated.
import type { Address } from "viem";
import type { Deployment } from "../../deploy/deployment";
import type { DevClients } from "../../devnet/clients";
import { liquidationSteps, realizedBadDebt } from "../../scenario/measure";
import type { LiquidationRecord } from "../../scenario/types";
import type { PathOutcome } from "../types";

/** The money fields of a PathOutcome, as the chain realized them, and the blocks they came from. */
export type ReplayOutcome = Pick<
  PathOutcome,
  | "badDebt"
  | "junior"
  | "senior"
  | "socialized"
  | "liquidationVolume"
  | "accountsLiquidated"
  | "liquidationCalls"
  | "firstBadDebtStep"
> & {
  /** The replay's blocks: the first step block to the last block mined. */
  fromBlock: bigint;
  toBlock: bigint;
  blocksMined: number;
  /** Successful transactions the keeper sent (liquidations and oracle refreshes). */
  keeperTransactions: number;
};

/**
 * Liquidation calls among Liquidated events in log order: one call emits one event per market it moves (each market
 * once), so a new call starts where the account changes, the block changes or a market repeats.
 */
export function countLiquidationCalls(steps: readonly LiquidationRecord[]): number {
  let calls = 0;
  let key = "";
  let markets = new Set<bigint>();
  for (const s of steps) {
    const k = `${s.block}:${s.owner.toLowerCase()}:${s.subId}`;
    if (k !== key || markets.has(s.marketId)) {
      calls++;
      key = k;
      markets = new Set();
    }
    markets.add(s.marketId);
  }
  return calls;
}

/**
 * Σ |base moved| × index over every liquidation event: the quote each transfer moved, rounded as the pool rounds it
 * (`quoteDelta`), as simulatePath sums it (quote WAD).
 */
export function liquidationVolumeOf(steps: readonly LiquidationRecord[]): bigint {
  let volume = 0n;
  for (const s of steps) volume += s.quoteDelta < 0n ? -s.quoteDelta : s.quoteDelta;
  return volume;
}

export type MeasuredRange = Pick<
  ReplayOutcome,
  "badDebt" | "junior" | "senior" | "socialized" | "liquidationVolume" | "accountsLiquidated" | "liquidationCalls"
>;

/** The waterfall and the liquidations the pool's events record in `range`. */
export async function measureRange(
  clients: DevClients,
  deployment: Deployment,
  range: { fromBlock: bigint; toBlock: bigint },
): Promise<MeasuredRange> {
  const [waterfall, steps] = await Promise.all([
    realizedBadDebt(clients, deployment, range),
    liquidationSteps(clients, deployment, range, (owner: Address, subId: bigint) => `${owner.toLowerCase()}:${subId}`),
  ]);
  return {
    ...waterfall,
    liquidationVolume: liquidationVolumeOf(steps),
    accountsLiquidated: new Set(steps.map((s) => s.name)).size,
    liquidationCalls: countLiquidationCalls(steps),
  };
}
