// The paths' σ and correlation from the oracle's own history: every OracleRefreshed(marketId, priceWad, status) of
// the deployment's OracleRouter over a lookback window ending at block B (default 7 days), timestamped by their
// blocks, fed to the pure estimator (estimator.ts). Halted refreshes are left out (their price is the stale one).
import { type Client, getAbiItem } from "viem";
import { getBlock, readContract } from "viem/actions";
import { oracleRouterAbi, perpPoolAbi } from "../../abi/generated";
import { getBlockAtTimestamp } from "../../chain/blockAtTimestamp";
import { getLogsInChunks } from "../../chain/logsInChunks";
import type { Deployment } from "../../deploy/deployment";
import { estimateFromHistory, type MarketEstimate, MIN_RETURNS, type PricePoint } from "./estimator";

/** Default lookback: 7 days of refreshes before B. */
export const DEFAULT_LOOKBACK_SECONDS = 7 * 86_400;
/** OracleStatus.Halted: a halted refresh keeps the last price, so it is not a return. */
const HALTED = 2;
/** Block headers read at once when the node does not put timestamps in logs. */
const HEADER_CONCURRENCY = 8;

export type EstimateMarketParamsOptions = {
  /** Seconds of history before B (default 7 days). */
  lookbackSeconds?: number | undefined;
  /** Fewest returns an estimate is made from (default 30). */
  minReturns?: number | undefined;
  /** Blocks per eth_getLogs request (default 5,000). */
  chunkSize?: bigint | undefined;
};

/** σ and correlation per market (in the deployment's market order), with where each came from and the window. */
export type MarketParams = {
  markets: (MarketEstimate & { marketId: number })[];
  correlation: number[][];
  correlationSource: string;
  /** Blocks searched and the window's times: refreshes at fromTimestamp (B's time − lookback) .. toTimestamp. */
  window: { fromBlock: bigint; toBlock: bigint; fromTimestamp: bigint; toTimestamp: bigint };
};

const refreshed = getAbiItem({ abi: oracleRouterAbi, name: "OracleRefreshed" });

/** Timestamps of `blocks`, read a few headers at a time. */
async function timestampsOf(client: Client, blocks: bigint[]): Promise<Map<bigint, number>> {
  const out = new Map<bigint, number>();
  for (let i = 0; i < blocks.length; i += HEADER_CONCURRENCY) {
    const batch = blocks.slice(i, i + HEADER_CONCURRENCY);
    const headers = await Promise.all(batch.map((blockNumber) => getBlock(client, { blockNumber })));
    for (const h of headers) out.set(h.number, Number(h.timestamp));
  }
  return out;
}

/**
 * Estimates each market's annualized σ and the markets' correlation from the oracle's refreshes in the lookback
 * window up to `blockNumber` (see estimator.ts for the estimators and the fallbacks: σ = volReferenceBps / 10,000
 * and ρ = 0.8 with fewer than 30 returns).
 * @example
 * const params = await estimateMarketParams(client, deployment, book.block);
 * params.markets[0]; // { marketId: 0, symbol: "ETH", sigmaAnnual: 0.74, returns: 412, source: "oracle: 412 returns" }
 */
export async function estimateMarketParams(
  client: Client,
  deployment: Deployment,
  blockNumber: bigint,
  opts: EstimateMarketParamsOptions = {},
): Promise<MarketParams> {
  const lookback = BigInt(opts.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS);
  const head = await getBlock(client, { blockNumber });
  const windowStart = head.timestamp - lookback;
  const startBlock = deployment.startBlock < blockNumber ? deployment.startBlock : blockNumber;
  // The last block at or before the window's start: its refreshes are older than the window, filtered out below.
  const from = await getBlockAtTimestamp(client, windowStart, {
    fromBlock: startBlock,
    toBlock: blockNumber,
  });
  const logs = await getLogsInChunks(client, {
    address: deployment.contracts.oracle,
    event: refreshed,
    fromBlock: from.number,
    toBlock: blockNumber,
    chunkSize: opts.chunkSize,
  });
  const missing = [...new Set(logs.filter((l) => l.blockTimestamp == null).map((l) => l.blockNumber))];
  const headerTimes = await timestampsOf(client, missing);
  const points = new Map<number, PricePoint[]>();
  for (const log of logs) {
    if (log.args.status === HALTED) continue;
    const id = Number(log.args.marketId);
    const timestamp = log.blockTimestamp != null ? Number(log.blockTimestamp) : headerTimes.get(log.blockNumber);
    if (timestamp === undefined || timestamp < Number(windowStart)) continue;
    const list = points.get(id) ?? [];
    list.push({ timestamp, price: Number(log.args.priceWad) / 1e18 });
    points.set(id, list);
  }
  const configs = await Promise.all(
    deployment.markets.map((m) =>
      readContract(client, {
        address: deployment.contracts.pool,
        abi: perpPoolAbi,
        functionName: "marketConfig",
        args: [BigInt(m.marketId)],
        blockNumber,
      }),
    ),
  );
  const estimate = estimateFromHistory(
    deployment.markets.map((m, i) => ({
      symbol: m.symbol,
      points: points.get(m.marketId) ?? [],
      volReferenceBps: Number(configs[i]?.volReferenceBps ?? 0),
    })),
    opts.minReturns ?? MIN_RETURNS,
  );
  return {
    markets: estimate.markets.map((e, i) => ({ ...e, marketId: deployment.markets[i]?.marketId as number })),
    correlation: estimate.correlation,
    correlationSource: estimate.correlationSource,
    window: {
      fromBlock: from.number,
      toBlock: blockNumber,
      fromTimestamp: windowStart,
      toTimestamp: head.timestamp,
    },
  };
}
