// `perp open|trade` and `perp quote` operands: pairs of market and signed size (`ETH 10 BTC -0.33`). Sizes and the
// pairing are checked before anything is read; markets once the deployment is known.
import type { Deployment, MarketDeployment } from "../deploy/deployment";
import { MAX_TRADE_LEGS } from "../pool/quoteTradeLegs";
import { UsageError } from "./errors";
import { parseMarket, parseSize } from "./values";

export type LegOperand = { market: string; size: bigint };
export type Leg = { market: MarketDeployment; size: bigint };

/** [market, size, market, size, ...] into pairs; refuses an odd count, a bad size or more legs than the pool takes. */
export function parseLegOperands(command: string, operands: readonly string[]): LegOperand[] {
  if (operands.length % 2 !== 0) {
    throw new UsageError(
      `${command}: expected pairs of market and size (e.g. ETH 10 BTC -0.33), got ${operands.length} operands: ${operands.join(" ")}`,
    );
  }
  const legs: LegOperand[] = [];
  for (let i = 0; i < operands.length; i += 2) {
    legs.push({ market: operands[i] as string, size: parseSize(operands[i + 1] as string) });
  }
  if (legs.length > MAX_TRADE_LEGS) {
    throw new UsageError(`${command}: at most ${MAX_TRADE_LEGS} markets in one trade, got ${legs.length}`);
  }
  return legs;
}

/** Resolves each leg's market in `deployment`; refuses an unknown market and a market listed twice. */
export function resolveLegs(command: string, deployment: Deployment, legs: readonly LegOperand[]): Leg[] {
  const resolved: Leg[] = [];
  for (const leg of legs) {
    let market: MarketDeployment;
    try {
      market = parseMarket(deployment, leg.market);
    } catch (err) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
    if (resolved.some((r) => r.market.marketId === market.marketId)) {
      throw new UsageError(`${command}: ${market.symbol} is listed twice (one size per market)`);
    }
    resolved.push({ market, size: leg.size });
  }
  return resolved;
}
