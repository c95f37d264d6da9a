// The work of `perp funding` (loaded only when it runs): each market's carry now, the next update's estimate and the
// most it can be, from the SDK's getFundingForecast (the lens's FundingPolicy forecast, one block).
import type { Deployment } from "../deploy/deployment";
import { formatPercent, formatWad } from "../display/amounts";
import { table } from "../display/table";
import { type FundingForecastView, getFundingForecast } from "../pool";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession, type SessionFlags } from "./session";
import { parseMarket } from "./values";

const HOUR = 3600n;
const YEAR = 365n * 86_400n;
const PREMIUM_ONE = 10n ** 12n;
const MAX_UINT256 = (1n << 256n) - 1n;

const symbolOf = (d: Deployment, id: bigint) => d.markets.find((m) => BigInt(m.marketId) === id)?.symbol ?? `#${id}`;

/** A rate (quote per base per second) over `seconds` as a signed % of the index. */
const ofIndex = (perSecond: bigint, seconds: bigint, index: bigint, dp = 4) =>
  formatPercent(perSecond * seconds, index, dp);
/** A premium (1e-12 of the index per period) as a %. */
const premium = (p: bigint, dp = 4) => formatPercent(p, PREMIUM_ONE, dp);

/** The figures `perp funding` prints for one market, as % of the index (also in --json, next to the raw ones). */
export function fundingFigures(f: FundingForecastView) {
  const index = f.indexPrice;
  return {
    ratePerHour: ofIndex(f.rate.perSecond, HOUR, index),
    ratePerDay: ofIndex(f.rate.perSecond, 86_400n, index),
    rateApr: ofIndex(f.rate.perSecond, YEAR, index, 2),
    kickerPerHour: ofIndex(f.kicker.perSecond, HOUR, index),
    nextRatePerHour: ofIndex(f.next.rate.perSecond, HOUR, index),
    nextKickerPerHour: ofIndex(f.next.kickerRate.perSecond, HOUR, index),
    maxRatePerHour: ofIndex(f.max.rate.perSecond, HOUR, index),
    maxKickerPerHour: ofIndex(f.max.kickerRate.perSecond, HOUR, index),
    maxCarryPerDay: ofIndex(f.max.carryPerDay, 1n, index),
    capPerPeriod: premium(f.cap),
    capEffectivePerPeriod: premium(f.capEffective),
    blendWeight: premium(f.blendWeight, 2),
    crowding: f.crowdingBps === MAX_UINT256 ? "no capital" : formatPercent(f.crowdingBps, 10_000n),
    kickerThreshold: f.kickerThresholdBps === 0n ? "off" : formatPercent(f.kickerThresholdBps, 10_000n),
  };
}

export async function fundingCommand(ctx: CommandContext, flags: SessionFlags, p: { market: string | undefined }) {
  const s = await openSession(flags, ctx.env);
  const { lens, pool } = s.deployment.contracts;
  const marketId = p.market === undefined ? undefined : BigInt(parseMarket(s.deployment, p.market).marketId);
  const forecasts = await getFundingForecast(s.publicClient, { lens, pool, marketId });
  const block = await s.publicClient.getBlock({ blockNumber: forecasts[0]?.blockNumber });
  const markets = forecasts.map((f) => ({
    market: symbolOf(s.deployment, f.marketId),
    ...f,
    display: fundingFigures(f),
  }));
  answer(ctx.io, flags.json, { blockNumber: block.number, timestamp: block.timestamp, markets }, () => [
    `Funding at block ${block.number} (% of the index; > 0: longs pay, the kicker: the crowded side pays it to the tranches)`,
    table(
      ["market", "rate/h", "rate/day", "APR", "kicker/h", "next/h (est.)", "most next/h + kicker", "max carry/day"],
      markets.map((m) => [
        `${m.market}-PERP`,
        m.display.ratePerHour,
        m.display.ratePerDay,
        m.display.rateApr,
        m.display.kickerPerHour,
        `${m.display.nextRatePerHour}${m.next.kickerRate.perSecond === 0n ? "" : ` + ${m.display.nextKickerPerHour}`}`,
        `±${m.display.maxRatePerHour} + ${m.display.maxKickerPerHour}`,
        `${m.display.maxCarryPerDay} (${formatWad(m.max.carryPerDay)} USDC/base)`,
      ]),
    ),
    table(
      [
        "market",
        "cap/period (now)",
        "extreme",
        "premium own → blended",
        "blend weight",
        "group net",
        "crowding / threshold",
        "next update",
      ],
      markets.map((m) => [
        `${m.market}-PERP`,
        `${m.display.capPerPeriod} (${m.display.capEffectivePerPeriod})`,
        m.extreme ? "YES" : "no",
        `${premium(m.next.premium)} → ${premium(m.next.blended)}`,
        m.siblingIds.length === 0 ? "no group" : m.display.blendWeight,
        `${m.groupNet.toLocaleString("en-US")} USDC`,
        `${m.display.crowding} / ${m.display.kickerThreshold}`,
        m.nextUpdate <= block.timestamp ? "due" : `in ${m.nextUpdate - block.timestamp} s`,
      ]),
    ),
    "  (next: what an update now would set, the mark may still move; most next: the cap and one change step from",
    "   now, whatever the mark does, plus the kicker's most on the crowded side; the cap halves in an extreme session)",
  ]);
}
