// The funding part of the main job's summary: per market what the paying side paid, the cap and the extreme session's
// cap (and when it applied), how far the correlation group's blend moved the own premium, the crowding kicker, and the
// check of every period against its cap and its change limit.
import { formatWad } from "../display/amounts";
import { table } from "../display/table";
import type { FundingMarketOutcome, FundingOutcome } from "./types";

/** A premium (1e-12 of the index per period) in bps: 500_000_000n -> "5.00". */
export function premiumBps(x: bigint, dp = 2): string {
  return (Number(x) / 1e8).toFixed(dp);
}

export function fundingLines(f: FundingOutcome): string[] {
  const groups = new Map<number, string[]>();
  for (const m of f.markets) if (m.group !== 0) groups.set(m.group, [...(groups.get(m.group) ?? []), m.symbol]);
  const grouped = [...groups].map(([g, symbols]) => `group ${g}: ${symbols.join(" + ")}`).join("; ");
  const out: string[] = [
    "",
    `Funding: predictable carry (${grouped || "no groups"}; premiums in bps of the index per funding period)`,
  ];
  out.push(
    table(
      [
        "market",
        "updates",
        "paid (USDC)",
        "cap",
        "step",
        "extreme cap",
        "extreme periods",
        "blend moved",
        "max blend",
        "kicker on",
        "max kicker",
      ],
      f.markets.map((m) => [
        m.symbol,
        String(m.updates),
        formatWad(m.paid),
        premiumBps(m.cap),
        m.step === undefined ? "none" : premiumBps(m.step),
        premiumBps(m.extremeCap),
        extremeText(m, f.crashTime),
        `${m.blendedPeriods}/${m.updates}`,
        premiumBps(m.maxBlendMove),
        `${m.kickerPeriods}/${m.updates}`,
        premiumBps(m.maxKicker),
      ]),
    ),
  );
  for (const m of f.markets) {
    const trail = periodTrail(m);
    for (let i = 0; i < trail.length; i += TRAIL_PER_LINE)
      out.push(
        `  ${i === 0 ? `${m.symbol} periods:` : " ".repeat(m.symbol.length + 9)} ${trail.slice(i, i + TRAIL_PER_LINE).join("  ")}`,
      );
  }
  out.push(
    "  (premium -> blended -> charged, * extreme session's cap, k kicker; blend: the group's fresh premiums, weighted by open",
    "  interest and bounded by each one's push cost; the paid column includes the kicker)",
  );
  out.push(
    `  kicker: the crowded side paid ${formatWad(f.kickerPaid)} USDC into the tranches' premium (pool.kickerPaid), on in ${f.markets.reduce((n, m) => n + m.kickerPeriods, 0)} of ${f.updates} periods`,
  );
  const c = f.check;
  const detail = `${c.periods} periods; max |charged| / cap ${c.maxCapRatio.toFixed(3)}, max |change| / limit ${c.maxStepRatio.toFixed(3)}; ${c.loweredByCap} lowered by an extreme cap, ${c.unvouched} while the oracle was not Normal (charged 0)`;
  out.push(
    c.violations.length === 0
      ? `  check: no period's rate exceeded its cap or its change limit (${detail})`
      : `  check: ${c.violations.length} period(s) broke a bound (${detail}): ${c.violations.slice(0, 3).join("; ")}`,
  );
  return out;
}

/** "3 (from 10 min after the crash, cap bound 1)" or "0". */
function extremeText(m: FundingMarketOutcome, crashTime: bigint | undefined): string {
  if (m.extremePeriods === 0) return "0";
  const bound = m.extremeCapBound === 0 ? "" : `, cap bound ${m.extremeCapBound}`;
  if (crashTime === undefined || m.firstExtremeAfterCrash === undefined) return `${m.extremePeriods}${bound}`;
  const minutes = Number(m.firstExtremeAfterCrash - crashTime) / 60;
  return `${m.extremePeriods} (from ${minutes.toFixed(0)} min after the crash${bound})`;
}

/** Periods per line of the trail. */
const TRAIL_PER_LINE = 8;

/** Each period as "premium>blended>charged", the extreme ones starred, kickers marked. */
function periodTrail(m: FundingMarketOutcome): string[] {
  return m.periods.map((p) => {
    const blend = p.blended === p.premium ? "" : `>${premiumBps(p.blended, 1)}`;
    const kick = p.kicker === 0n ? "" : ` k${premiumBps(p.kicker, 1)}`;
    return `${premiumBps(p.premium, 1)}${blend}>${premiumBps(p.charged, 1)}${p.extreme ? "*" : ""}${kick}`;
  });
}
