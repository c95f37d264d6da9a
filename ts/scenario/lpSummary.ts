// The LP-economics part of the main job's summary: the figures the steward posted (and that `perp risk verify`
// reproduced), the junior share each premium distribution used, the boost of the LP who stayed against the one who
// left, and the junior exit the coverage gate held back.
import { formatBps, formatPercent, formatUsdc } from "../display/amounts";
import { table } from "../display/table";
import type { LpEconomicsOutcome } from "./lpEconomics";

export function lpEconomicsLines(lp: LpEconomicsOutcome): string[] {
  const out: string[] = ["", "LP economics: the junior's share from posted tail risk"];
  out.push(
    table(
      ["figure", "book block", "junior ES99", "junior capital", "stress loss", "target share", "share set", "verify"],
      lp.figures.map((f) => [
        f.label,
        f.block.toString(),
        formatUsdc(f.juniorEs99),
        formatUsdc(f.juniorCapital),
        formatUsdc(f.stressLoss),
        formatBps(f.targetShareBps, 1),
        formatBps(f.shareBps, 1),
        f.verified ? "reproduced" : "MISMATCH",
      ]),
    ),
  );
  out.push("  target = clamp(m x ES99 / junior capital, lo, hi); each post moves the share at most its step, each day");
  out.push("  at most its daily bound; a figure older than its max age falls back to the capital rule");
  const bySource = (source: "posted" | "capital") => lp.splits.filter((s) => s.source === source);
  const range = (xs: { shareBps: bigint }[]) =>
    xs.length === 0 ? "none" : `${xs.length} at ${[...new Set(xs.map((x) => formatBps(x.shareBps, 1)))].join(", ")}`;
  out.push(
    `  premium distributions: capital rule ${range(bySource("capital"))}; posted figure ${range(bySource("posted"))}`,
  );

  out.push(
    "",
    `Boost for staying (multiplier up to ${formatBps(lp.multiplier.maxBps, 0)} of the 1x rate, ${lp.multiplier.refreshes} refreshes)`,
  );
  out.push(
    table(
      ["junior LP", "shares", "points / share (s at 1x)", "boost claimed", "boost claimable"],
      lp.boost.map((b) => [
        b.name,
        b.shares.toString(),
        b.secondsAt1x.toFixed(0),
        formatUsdc(b.claimed),
        formatUsdc(b.claimable),
      ]),
    ),
  );

  if (lp.gate.length > 0) {
    out.push("", "Junior exit gate (a claim may not leave junior below c x its stressed loss)");
    out.push(
      table(
        ["look", "floor", "from", "capacity", "requested", "ahead", "claimable now"],
        lp.gate.map((g, i) => [
          i === 0 ? "at the claim" : "after new junior capital",
          formatUsdc(g.floor),
          g.fromEs99 ? "ES99" : "stress view",
          formatUsdc(g.capacity),
          formatUsdc(g.requested),
          formatUsdc(g.ahead),
          g.requested === 0n ? "n/a" : formatPercent(g.claimable, g.requested, 0),
        ]),
      ),
    );
  }
  return out;
}
