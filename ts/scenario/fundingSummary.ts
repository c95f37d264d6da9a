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
        "extreme periods (after crash)",
        "blended",
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
    const label = `${m.symbol} periods:`;
    wrap(periodTrail(m), TRAIL_WIDTH - label.length - 3).forEach((line, i) => {
      out.push(`  ${i === 0 ? label : " ".repeat(label.length)} ${line}`);
    });
  }
  out.push(
    "  (premium > blended > charged; * the extreme session's cap applied, k the kicker. The blend mixes in the group's fresh",
    "  premiums, weighted by open interest and bounded by each one's push cost. Paid includes the kicker.)",
  );
  out.push(
    `  kicker: the crowded side paid ${formatWad(f.kickerPaid)} USDC into the tranches' premium (pool.kickerPaid), on in ${f.markets.reduce((n, m) => n + m.kickerPeriods, 0)} of ${f.updates} periods`,
  );
  const c = f.check;
  const detail = `    ${c.periods} periods; max |charged| / cap ${c.maxCapRatio.toFixed(3)}, max |change| / limit ${c.maxStepRatio.toFixed(3)}; ${c.loweredByCap} lowered by an extreme cap, ${c.unvouched} unvouched (charged 0)`;
  if (c.violations.length === 0) out.push("  check: no period's rate exceeded its cap or its change limit", detail);
  else
    out.push(
      `  check: ${c.violations.length} period(s) broke a bound`,
      detail,
      ...c.violations.slice(0, 3).map((v) => `    ${v}`),
    );
  return out;
}

/** "3 from +17 min, 1 at cap" (minutes after the crash; periods the extreme cap set) or "0". */
function extremeText(m: FundingMarketOutcome, crashTime: bigint | undefined): string {
  if (m.extremePeriods === 0) return "0";
  const bound = m.extremeCapBound === 0 ? "" : `, ${m.extremeCapBound} at cap`;
  if (crashTime === undefined || m.firstExtremeAfterCrash === undefined) return `${m.extremePeriods}${bound}`;
  const minutes = Number(m.firstExtremeAfterCrash - crashTime) / 60;
  return `${m.extremePeriods} from +${minutes.toFixed(0)} min${bound}`;
}

/** Widest line of the trail (characters). */
const TRAIL_WIDTH = 118;

/** `items` joined by two spaces into lines of at most `width` characters (an item longer than that on its own). */
function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line !== "" && line.length + 2 + item.length > width) {
      lines.push(line);
      line = "";
    }
    line = line === "" ? item : `${line}  ${item}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Each period as "premium>blended>charged", the extreme ones starred, kickers marked. */
function periodTrail(m: FundingMarketOutcome): string[] {
  return m.periods.map((p) => {
    const blend = p.blended === p.premium ? "" : `>${premiumBps(p.blended, 1)}`;
    const kick = p.kicker === 0n ? "" : ` k${premiumBps(p.kicker, 1)}`;
    return `${premiumBps(p.premium, 1)}${blend}>${premiumBps(p.charged, 1)}${p.extreme ? "*" : ""}${kick}`;
  });
}
