// How many ladder steps an account needs to get back above maintenance, by applying the SDK's mirror of one
// liquidation call (ts/pool/math/liquidationMath: liquidationOutcome) to a local copy of the account until it is
// healthy. The keeper lists the account that many times in one liquidateMany, so a deep account is brought back
// in one block instead of one step per block. An overestimate costs a skipped (healthy) id; an underestimate
// leaves the rest to the next block.
import { type LiquidationPositionInput, liquidationOutcome } from "../../pool/math/liquidationMath";
import { cumNow } from "../../pool/math/marketMath";
import { applyLeg } from "../../pool/math/positionMath";
import type { Account, MarketConfig, MarketState, Position } from "../../pool/types";

export type LadderMarket = {
  marketId: bigint;
  state: MarketState;
  config: MarketConfig;
  index: bigint;
  halted: boolean;
};

/** Steps (calls) until healthy, at most `max`; 1 for an insolvent account (it is closed in one call). */
export function stepsToHealthy(
  account: Account,
  positions: ReadonlyMap<number, Pick<Position, "size" | "openNotional" | "fundingEntry">>,
  markets: readonly (LadderMarket | undefined)[],
  timestamp: bigint,
  max: number,
): number {
  let acc = { ...account };
  const pos = new Map([...positions].map(([m, p]) => [m, { ...p }]));
  for (let steps = 0; steps < max; steps++) {
    const inputs: LiquidationPositionInput[] = [];
    for (let i = 0, mask = acc.marketMask; mask !== 0; i++, mask >>>= 1) {
      const p = pos.get(i);
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
    const out = liquidationOutcome(acc, inputs, timestamp);
    if (out.kind !== "liquidated") return steps;
    if (out.insolvent) return steps + 1;
    let collateral = acc.collateral;
    let mask = acc.marketMask;
    for (const s of out.steps) {
      const i = Number(s.marketId);
      const p = pos.get(i);
      const m = markets[i];
      if (!p || !m) continue;
      const leg = applyLeg(p.size, p.openNotional, -s.transferred, s.quoteDelta);
      const { cumLong, cumShort } = cumNow(m.state, m.config, timestamp);
      pos.set(i, {
        size: leg.newSize,
        openNotional: leg.newOpenNotional,
        fundingEntry: p.size > 0n ? cumLong : cumShort,
      });
      if (leg.newSize === 0n) mask &= ~(1 << i);
      collateral += s.realizedPnl - s.penalty;
    }
    acc = { ...acc, collateral, marketMask: mask };
  }
  return max;
}
