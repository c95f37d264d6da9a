// What `perp tranches` shows of the LP economics ([5/6]): the junior share now and its inputs, each tranche's boost,
// the junior exit gate and the risk timelock's queue. Read at one block; each part says plainly when the deployment
// does not have it (a deployment from before [5/6]).
import type { Address } from "viem";
import { formatBps, formatUsdc } from "../display/amounts";
import type { PerpClient } from "../pool/client";
import {
  type GetBoostReturnType,
  type GetExitGateReturnType,
  type GetJuniorShareReturnType,
  getBoost,
  getExitGate,
  getJuniorShare,
  getQueuedChanges,
  type LpEconomicsDeployment,
  type QueuedChange,
} from "../tranches";
import { toJson } from "./output";

export type LpEconomicsView = {
  blockNumber: bigint;
  timestamp: bigint;
  juniorShare: GetJuniorShareReturnType;
  /** Per tranche; null when the vaults have no boost. */
  boost: { junior: BoostView; senior: BoostView } | null;
  exitGate:
    | (Omit<GetExitGateReturnType, "mine"> & {
        mine?: Omit<NonNullable<GetExitGateReturnType["mine"]>, "claimablePercent">;
      })
    | null;
  queued: QueuedChange[];
};

type BoostView = Omit<GetBoostReturnType, "claimableAt">;

const ZERO: Address = "0x0000000000000000000000000000000000000000";

/** Reads every part at `blockNumber`. `owner` adds the LP's points, claimable boost and place in the exit queue. */
export async function readLpEconomics(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  blockNumber: bigint,
  owner: Address | undefined,
): Promise<LpEconomicsView> {
  const at = { blockNumber };
  const juniorShare = await getJuniorShare(client, deployment, at);
  const boostOf = async (tranche: "junior" | "senior") => {
    const { claimableAt: _f, ...rest } = await getBoost(client, deployment, tranche, owner ?? ZERO, at);
    return rest;
  };
  const [boost, exitGate, queued] = await Promise.all([
    Promise.all([boostOf("junior"), boostOf("senior")]).then(
      ([junior, senior]) => ({ junior, senior }),
      () => null,
    ),
    getExitGate(client, deployment, owner, at).then(
      ({ mine, ...gate }) => {
        if (!mine) return gate;
        const { claimablePercent: _p, ...m } = mine;
        return { ...gate, mine: m };
      },
      () => null,
    ),
    getQueuedChanges(client, deployment, at).catch(() => []),
  ]);
  return { blockNumber, timestamp: juniorShare.timestamp, juniorShare, boost, exitGate, queued };
}

/** "1 d 4 h", "3 h 12 m", "45 s". */
export function durationText(seconds: bigint): string {
  const s = seconds < 0n ? -seconds : seconds;
  const d = s / 86_400n;
  const h = (s % 86_400n) / 3_600n;
  const m = (s % 3_600n) / 60n;
  if (d > 0n) return `${d} d ${h} h`;
  if (h > 0n) return `${h} h ${m} m`;
  if (m > 0n) return `${m} m ${s % 60n} s`;
  return `${s} s`;
}

/** 15_000 bps as "1.5×". */
const multiple = (bps: bigint) => `${Number((Number(bps) / 10_000).toFixed(4))}×`;

/** The junior share line and its inputs. */
export function juniorShareLines(v: LpEconomicsView): string[] {
  const s = v.juniorShare;
  const f = s.figure;
  const source =
    s.source === "posted"
      ? "posted tail-risk figure"
      : !s.oracle
        ? "capital rule: no tail-risk oracle"
        : !f
          ? "capital rule: no figure posted yet"
          : !f.fresh
            ? `capital rule: the figure is ${durationText(f.ageSeconds)} old, older than ${durationText(s.params?.maxAge ?? 0n)}`
            : "capital rule: a tranche is empty";
  const lines = [
    `Junior share of premium: ${formatBps(s.shareBps)} (${source}; the capital rule gives ${formatBps(s.capitalRuleShareBps)})`,
  ];
  if (f && s.params) {
    const p = s.params;
    lines.push(
      `  posted figure: ES99 (1 day) ${formatUsdc(f.juniorEs99)} USDC, junior capital ${formatUsdc(f.juniorCapital)} USDC, stress loss ${formatUsdc(f.stressLoss)} USDC at ${formatBps(p.referenceShockBps, 0)}`,
      `  target ${formatBps(f.targetShareBps)} = clamp(${multiple(p.multiplierBps)} ES99 / capital, ${formatBps(p.minShareBps, 0)}, ${formatBps(p.maxShareBps, 0)}), after the bounds (±${formatBps(p.maxStepBps, 0)} a post, ±${formatBps(p.maxDailyBps, 0)} a day) ${formatBps(f.shareBps)}`,
      `  report: block ${f.blockNumber}, seed ${f.seed}, ${f.paths} paths, hash ${f.reportHash.slice(0, 10)}…; posted ${durationText(f.ageSeconds)} ago, ${f.fresh ? `fresh for ${durationText(p.maxAge - f.ageSeconds)} more` : "stale"} (perp risk verify --block ${f.blockNumber})`,
    );
  }
  return lines;
}

/** The table rows the boost adds (junior, senior columns). */
export function boostRows(v: LpEconomicsView, withOwner: boolean): string[][] {
  const b = v.boost;
  if (!b) return [["boost", "n/a", "n/a"]];
  const both = (f: (x: BoostView) => string) => [f(b.junior), f(b.senior)];
  const rows = [
    ["boost multiplier", ...both((x) => multiple(x.multiplierBps))],
    ["boost pot (USDC)", ...both((x) => formatUsdc(x.pot))],
  ];
  if (withOwner) {
    rows.push(
      ["your boost points", ...both((x) => x.points.toString())],
      ["your claimable boost (USDC)", ...both((x) => formatUsdc(x.claimable))],
    );
  }
  return rows;
}

/** The exit gate and the timelock's queue. */
export function gateAndQueueLines(v: LpEconomicsView): string[] {
  const lines: string[] = [];
  const g = v.exitGate;
  if (g) {
    const basis = g.floor === 0n ? "no figure gates exits" : g.fromEs99 ? "c × posted ES99" : "c × stress loss";
    lines.push(
      `Junior exit gate: floor ${formatUsdc(g.floor)} USDC (${basis}), capacity ${formatUsdc(g.capacity)} USDC, queued ${formatUsdc(g.queued)} USDC`,
    );
    const m = g.mine;
    if (m && m.requested > 0n) {
      lines.push(
        `  your request: ${m.claimableBps === null ? "n/a" : formatBps(m.claimableBps, 0)} claimable now (${formatUsdc(m.claimable)} of ${formatUsdc(m.requested)} USDC; ${formatUsdc(m.ahead)} USDC ahead)`,
      );
    }
  }
  if (v.queued.length === 0) lines.push("Queued parameter changes: none");
  else {
    lines.push("Queued parameter changes:");
    for (const c of v.queued) {
      const call = c.functionName ? `${c.functionName}(${argsText(c.args)})` : `selector ${c.selector}`;
      const when = c.heldBack
        ? `${c.ready ? "past its time" : `from ${new Date(Number(c.eta) * 1000).toISOString()}`}, held back while the junior exit gate holds requests`
        : c.ready
          ? "executable now"
          : `effective ${new Date(Number(c.eta) * 1000).toISOString()} (in ${durationText(c.eta - v.timestamp)})`;
      lines.push(`  #${c.id} ${c.targetName}.${call}: ${c.raisesRisk ? "raises risk" : "lowers risk"}, ${when}`);
    }
  }
  return lines;
}

/** Decoded arguments, compact: structs as JSON, bigints as numbers. */
function argsText(args: readonly unknown[]): string {
  const text = args
    .map((a) =>
      toJson(a)
        .replace(/\s+/g, " ")
        .replace(/"(\d+)"/g, "$1"),
    )
    .join(", ");
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
