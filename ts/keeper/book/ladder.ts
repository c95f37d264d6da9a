// How many ladder steps an account needs to get back above maintenance: the SDK's mirror of one liquidation call,
// applied until the account is healthy (ts/pool/math/liquidationMath: liquidationCallsToHealthy, made of
// liquidationOutcome and accountAfterLiquidation). The keeper lists the account that many times in one
// liquidateMany, so a deep account is brought back in one transaction instead of one step per block. An
// overestimate costs a skipped (healthy) id; an underestimate leaves the rest to the next block.
import {
  type LiquidationPositionInput,
  liquidationCallsToHealthy,
  type MaintenanceRequirementOf,
} from "../../pool/math/liquidationMath";
import type { Account, MarketConfig, MarketState, Position } from "../../pool/types";

export type LadderMarket = {
  marketId: bigint;
  state: MarketState;
  config: MarketConfig;
  index: bigint;
  halted: boolean;
};

/**
 * Steps (calls) until healthy, at most `max`; 1 for an account that cannot pay a step's penalty (it is closed in one
 * call). Each step takes the same fraction of every usable position. `maintenanceOf`: the pool's netted maintenance
 * requirement of a book (default: the standalone sum, exact without a risk engine).
 */
export function stepsToHealthy(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
  markets: readonly (LadderMarket | undefined)[],
  timestamp: bigint,
  max: number,
  maintenanceOf?: MaintenanceRequirementOf,
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
      marketId: BigInt(i),
    });
  }
  return liquidationCallsToHealthy(account, inputs, timestamp, max, maintenanceOf);
}
