// How many ladder steps an account needs to get back above maintenance: the SDK's mirror of one liquidation call,
// applied until the account is healthy (ts/pool/math/liquidationMath: liquidationCallsToHealthy, made of
// liquidationOutcome and accountAfterLiquidation). The keeper lists the account that many times in one
// liquidateMany, so a deep account is brought back in one transaction instead of one step per block. An
// overestimate costs a skipped (healthy) id; an underestimate leaves the rest to the next block.
import {
  type LiquidationPositionInput,
  liquidationCallsToHealthy,
  nettedMaintenance,
} from "../../pool/math/liquidationMath";
import type { RiskGrid } from "../../pool/math/portfolioMath";
import type { Account, MarketConfig, MarketState, Position } from "../../pool/types";

export type LadderMarket = {
  marketId: bigint;
  state: MarketState;
  config: MarketConfig;
  index: bigint;
  halted: boolean;
  oracleStatus?: number;
  imMultiplierBps?: bigint;
};

/**
 * Steps (calls) until healthy, at most `max`; 1 for an account that cannot pay a step's penalty (it is closed in one
 * call). Each step takes the same fraction of every usable position. `engine`: the pool's risk engine grid (null:
 * none), so each step is judged against the netted maintenance requirement, as the pool judges it.
 */
export function stepsToHealthy(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
  markets: readonly (LadderMarket | undefined)[],
  timestamp: bigint,
  max: number,
  engine: RiskGrid | null = null,
): number {
  const inputs: LiquidationPositionInput[] = [];
  for (let i = 0, mask = account.marketMask; mask !== 0; i++, mask >>>= 1) {
    const p = positions.get(i);
    const m = markets[i];
    if ((mask & 1) === 0 || !p || !m) continue;
    inputs.push({
      position: p,
      state: m.state,
      config: m.config,
      index: m.index,
      halted: m.halted,
      ...(m.oracleStatus === undefined ? {} : { oracleStatus: m.oracleStatus }),
      ...(m.imMultiplierBps === undefined ? {} : { imMultiplierBps: m.imMultiplierBps }),
      marketId: BigInt(i),
    });
  }
  return liquidationCallsToHealthy(account, inputs, timestamp, max, nettedMaintenance(engine));
}
