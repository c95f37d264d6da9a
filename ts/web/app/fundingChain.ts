// The funding reads the Trade page needs, straight from the chain through the generated ABIs, shaped as SDK actions
// (client first, one parameters object). The page imports them from here only (fundingPanel.ts, fundingCharts.ts):
// when ts/pool/actions ships getFundingForecast / getFundingHistory, the import there is the one line to change.
import { type Address, type Client, type ContractFunctionReturnType, getAbiItem } from "viem";
import { getBlock, readContract } from "viem/actions";
import { perpLensAbi, perpPoolAbi } from "../../abi/generated";
import { getLogsInChunks } from "../../chain/logsInChunks";
import type { MarketView } from "../../pool/types";

/** `PerpLens.fundingForecast`: the current charged premium, the most the next period can charge, and the outcome an
 * update now would set (premiums in 1e-12 of the index per funding period). */
export type FundingForecast = ContractFunctionReturnType<typeof perpLensAbi, "view", "fundingForecast">;
/** `PerpPool.fundingParams`: the market's funding policy (cap derived, group and siblings). */
export type FundingParams = ContractFunctionReturnType<typeof perpPoolAbi, "view", "fundingParams">;

export type GetFundingForecastParameters = {
  /** PerpLens address. */
  lens: Address;
  /** PerpPool address. */
  pool: Address;
  marketId: bigint;
  /** Read at this block (default the latest). */
  blockNumber?: bigint | undefined;
};

export type GetFundingForecastReturnType = {
  marketId: bigint;
  /** What an update now would set, and the bounds of the next period. */
  forecast: FundingForecast;
  /** The policy: cap (derived), change limit, extreme threshold, blend weight and group, kicker threshold and max. */
  params: FundingParams;
  /** Seconds a premium is charged over (`marketConfig.fundingPeriod`). */
  fundingPeriod: bigint;
  /** The market now: rate and kicker per second, index, last and next update. */
  market: MarketView;
};

/**
 * A market's funding now and next, all at one block.
 * @example
 * const f = await getFundingForecast(publicClient, { lens, pool, marketId: 0n });
 * console.log(f.forecast.next.charged, f.forecast.maxNextPremium + f.forecast.kickerMaxPremium);
 */
export async function getFundingForecast(
  client: Client,
  { lens, pool, marketId, blockNumber }: GetFundingForecastParameters,
): Promise<GetFundingForecastReturnType> {
  const at = blockNumber === undefined ? {} : { blockNumber };
  const args = [marketId] as const;
  const [forecast, params, config, market] = await Promise.all([
    readContract(client, { address: lens, abi: perpLensAbi, functionName: "fundingForecast", args, ...at }),
    readContract(client, { address: pool, abi: perpPoolAbi, functionName: "fundingParams", args, ...at }),
    readContract(client, { address: pool, abi: perpPoolAbi, functionName: "marketConfig", args, ...at }),
    readContract(client, { address: lens, abi: perpLensAbi, functionName: "marketView", args, ...at }),
  ]);
  return { marketId, forecast, params, fundingPeriod: BigInt(config.fundingPeriod), market };
}

/** One `FundingUpdated`: what the update measured and set (premiums in 1e-12 of the index per period). */
export type FundingUpdate = {
  marketId: bigint;
  blockNumber: bigint;
  timestamp: bigint;
  ratePerSecond: bigint;
  kickerPerSecond: bigint;
  twapMark: bigint;
  twapIndex: bigint;
  premium: bigint;
  blended: bigint;
  charged: bigint;
  kicker: bigint;
  capEffective: bigint;
};

export type GetFundingHistoryParameters = {
  /** PerpPool address. */
  pool: Address;
  /** One market's updates; default every market's. */
  marketId?: bigint | undefined;
  fromBlock: bigint;
  toBlock: bigint;
  /** Block number -> timestamp, reused and filled (past blocks never change). */
  cache?: Map<bigint, bigint> | undefined;
};

export type GetFundingHistoryReturnType = {
  fromBlock: bigint;
  toBlock: bigint;
  /** Oldest first. */
  updates: FundingUpdate[];
};

const fundingUpdated = getAbiItem({ abi: perpPoolAbi, name: "FundingUpdated" });

/**
 * Every funding update in [fromBlock, toBlock], with its block's timestamp.
 * @example
 * const { updates } = await getFundingHistory(publicClient, { pool, marketId: 0n, fromBlock: start, toBlock: head });
 */
export async function getFundingHistory(
  client: Client,
  { pool, marketId, fromBlock, toBlock, cache = new Map() }: GetFundingHistoryParameters,
): Promise<GetFundingHistoryReturnType> {
  if (fromBlock > toBlock) return { fromBlock, toBlock, updates: [] };
  const logs = await getLogsInChunks(client, { address: pool, event: fundingUpdated, fromBlock, toBlock });
  const mine = logs.filter((l) => marketId === undefined || l.args.marketId === marketId);
  const missing = [...new Set(mine.map((l) => l.blockNumber))].filter((b) => !cache.has(b));
  const blocks = await Promise.all(missing.map((blockNumber) => getBlock(client, { blockNumber })));
  for (const b of blocks) cache.set(b.number, b.timestamp);
  const updates = mine.map((l): FundingUpdate => {
    const a = l.args;
    return {
      marketId: a.marketId ?? 0n,
      blockNumber: l.blockNumber,
      timestamp: cache.get(l.blockNumber) ?? 0n,
      ratePerSecond: a.ratePerSecond ?? 0n,
      kickerPerSecond: a.kickerPerSecond ?? 0n,
      twapMark: a.twapMark ?? 0n,
      twapIndex: a.twapIndex ?? 0n,
      premium: a.premium ?? 0n,
      blended: a.blended ?? 0n,
      charged: a.charged ?? 0n,
      kicker: a.kicker ?? 0n,
      capEffective: a.capEffective ?? 0n,
    };
  });
  return { fromBlock, toBlock, updates };
}
