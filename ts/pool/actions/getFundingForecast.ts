import type { Address } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi, perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import { accrue } from "../math/fundingMath";
import { perSecond, siblingIds } from "../math/fundingPolicy";
import { addressSchema, marketIdSchema, parseParameters } from "../schemas";
import type { FundingForecast, FundingParams } from "../types";

/** Seconds in the "per day" figures. */
export const SECONDS_PER_DAY = 86_400n;

export type GetFundingForecastParameters = {
  /** PerpLens address. */
  lens: Address;
  /** PerpPool address (default `lens.pool()`). */
  pool?: Address | undefined;
  /** One market; default every listed market. */
  marketId?: bigint | number | undefined;
  /** Read at this block (default the latest; every read of one call is pinned to one block). */
  blockNumber?: bigint | undefined;
};

/** A funding figure per second and per day (quote WAD per 1 base unit; > 0: longs pay for a rate, the crowded side
 * for a kicker). */
export type FundingRate = { perSecond: bigint; perDay: bigint };

/**
 * One market's funding. Premiums are fractions of the index per funding period in 1e-12 (`FundingPolicy.ONE`); rates
 * are quote WAD per base WAD per second; "per day" is 86,400 s at that rate.
 */
export type FundingForecastView = {
  marketId: bigint;
  blockNumber: bigint;
  /** `lens.fundingForecast` as read. */
  forecast: FundingForecast;
  /** `pool.fundingParams` as read (group, siblings, thresholds). */
  params: FundingParams;
  /** The group's other markets (empty: no group). */
  siblingIds: bigint[];
  indexPrice: bigint;
  /** The current period's time-weighted index (0 right after an update). */
  twapIndex: bigint;
  twapMark: bigint;
  /** The index the "most it can be" premiums are converted at: `twapIndex`, or the index when that is 0. */
  conversionIndex: bigint;
  fundingPeriod: bigint;
  /** What the current period charges: the rate (> 0 longs pay) and the crowding kicker (> 0 longs pay it). */
  rate: FundingRate;
  kicker: FundingRate;
  /** The premium the current rate charges (1e-12 of the index per period). */
  chargedPremium: bigint;
  /**
   * What one base unit long and one short pay per day at the current rate and kicker with today's open interest
   * (> 0 pays, < 0 receives): the pool's own accrual (`FundingMath.accrue`) over 86,400 s, the receivers' credit cut
   * by the backstop budget as on chain.
   */
  carryPerDay: { long: bigint; short: bigint };
  /** What an update now would set (the estimate: the mark may still move). */
  next: {
    premium: bigint;
    blended: bigint;
    charged: bigint;
    kicker: bigint;
    rate: FundingRate;
    kickerRate: FundingRate;
  };
  /**
   * The most the next period can charge whatever the mark does: |charged| within the cap and one change step of now
   * (`maxNextPremium`), and at most `kickerMaxPremium` more on the crowded side; `carryPerDay` is both together
   * (what the side that pays both pays per base per day at most).
   */
  max: {
    premium: bigint;
    rate: FundingRate;
    kickerPremium: bigint;
    kickerRate: FundingRate;
    carryPerDay: bigint;
  };
  /** The normal cap per period and the one that applies (tighter in an extreme session), 1e-12 of the index. */
  cap: bigint;
  capEffective: bigint;
  extreme: boolean;
  /** The siblings' total blend weight (1e-12; 0: no fresh sibling) and the group's net notional (whole quote). */
  blendWeight: bigint;
  groupNet: bigint;
  /** |groupNet| / tranche capital (bps; 2^256-1 with no capital) and the kicker's threshold (bps, 0: no kicker). */
  crowdingBps: bigint;
  kickerThresholdBps: bigint;
  lastUpdate: bigint;
  nextUpdate: bigint;
};

export type GetFundingForecastReturnType = FundingForecastView[];

const schema = z.object({
  lens: addressSchema,
  pool: addressSchema.optional(),
  marketId: marketIdSchema.optional(),
  blockNumber: z.bigint().nonnegative().optional(),
});

function rateOf(perSecondValue: bigint): FundingRate {
  return { perSecond: perSecondValue, perDay: perSecondValue * SECONDS_PER_DAY };
}

/**
 * Reads `lens.fundingForecast`, `lens.marketView`, `pool.fundingParams` and `pool.marketConfig` of one market (or
 * every listed one) at one block and derives the carry: now, the next update's estimate, and the most it can be.
 * @example
 * const [eth] = await getFundingForecast(publicClient, { lens, marketId: 0 });
 * console.log(eth.rate.perDay, eth.max.carryPerDay, eth.extreme);
 */
export async function getFundingForecast(
  client: PerpClient,
  parameters: GetFundingForecastParameters,
): Promise<GetFundingForecastReturnType> {
  const p = parseParameters("getFundingForecast", schema, parameters);
  try {
    const blockNumber = p.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const pool =
      p.pool ?? (await readContract(client, { address: p.lens, abi: perpLensAbi, functionName: "pool", blockNumber }));
    let ids: bigint[];
    if (p.marketId !== undefined) ids = [p.marketId];
    else {
      const count = await readContract(client, {
        address: pool,
        abi: perpPoolAbi,
        functionName: "marketCount",
        blockNumber,
      });
      ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i));
    }
    return await Promise.all(ids.map((id) => readOne(client, p.lens, pool, id, blockNumber)));
  } catch (err) {
    throw actionError("getFundingForecast", err);
  }
}

async function readOne(
  client: PerpClient,
  lens: Address,
  pool: Address,
  marketId: bigint,
  blockNumber: bigint,
): Promise<FundingForecastView> {
  const at = { blockNumber, args: [marketId] } as const;
  const [forecast, view, params, config] = await Promise.all([
    readContract(client, { address: lens, abi: perpLensAbi, functionName: "fundingForecast", ...at }),
    readContract(client, { address: lens, abi: perpLensAbi, functionName: "marketView", ...at }),
    readContract(client, { address: pool, abi: perpPoolAbi, functionName: "fundingParams", ...at }),
    readContract(client, { address: pool, abi: perpPoolAbi, functionName: "marketConfig", ...at }),
  ]);
  const period = BigInt(config.fundingPeriod);
  const conversionIndex = view.twapIndex !== 0n ? view.twapIndex : view.indexPrice;
  const day = accrue(
    view.fundingRate,
    view.fundingKicker,
    SECONDS_PER_DAY,
    view.longOpenInterest,
    view.shortOpenInterest,
    config.fundingBudgetPerSecond * SECONDS_PER_DAY,
  );
  const maxRate = perSecond(forecast.maxNextPremium, conversionIndex, period);
  const maxKicker = perSecond(forecast.kickerMaxPremium, conversionIndex, period);
  const n = forecast.next;
  return {
    marketId,
    blockNumber,
    forecast,
    params,
    siblingIds: siblingIds(params),
    indexPrice: view.indexPrice,
    twapIndex: view.twapIndex,
    twapMark: view.twapMark,
    conversionIndex,
    fundingPeriod: period,
    rate: rateOf(view.fundingRate),
    kicker: rateOf(view.fundingKicker),
    chargedPremium: forecast.chargedPremium,
    // cumShort credits shorts: a short base unit pays -dShort.
    carryPerDay: { long: day.dLong, short: -day.dShort },
    next: {
      premium: n.premium,
      blended: n.blended,
      charged: n.charged,
      kicker: n.kicker,
      rate: rateOf(n.ratePerSecond),
      kickerRate: rateOf(n.kickerPerSecond),
    },
    max: {
      premium: forecast.maxNextPremium,
      rate: rateOf(maxRate),
      kickerPremium: forecast.kickerMaxPremium,
      kickerRate: rateOf(maxKicker),
      carryPerDay: (maxRate + maxKicker) * SECONDS_PER_DAY,
    },
    cap: n.cap,
    capEffective: n.capEffective,
    extreme: n.extreme,
    blendWeight: n.blendWeight,
    groupNet: n.groupNet,
    crowdingBps: n.crowdingBps,
    kickerThresholdBps: BigInt(params.kickerThresholdBps),
    lastUpdate: view.lastFundingUpdate,
    nextUpdate: view.nextFundingUpdate,
  };
}
