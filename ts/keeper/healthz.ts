// /healthz: fails on real signals only: a stale head, a stalled loop, a signer under its balance floor, a
// liquidatable account left waiting more than a few blocks, or a task reporting itself unhealthy.
import type { Keeper } from "./keeper";

export type HealthCheck = { name: string; ok: boolean; detail: string };
export type HealthReport = { ok: boolean; checks: HealthCheck[] };

export function keeperHealth(k: Keeper, now: number = Date.now()): HealthReport {
  const c = k.config;
  const checks: HealthCheck[] = [];
  const sinceHead = (now - k.lastHeadAt) / 1000;
  checks.push({
    name: "head",
    ok: !k.isHeadStale(),
    detail: `last new head ${sinceHead.toFixed(1)} s ago (limit ${c.staleHeadSeconds || "none"})`,
  });
  const stallMs = c.stallIntervals * c.pollIntervalMs + c.rpcTimeoutMs;
  const sinceLoop = now - k.lastIterationAt;
  checks.push({
    name: "loop",
    ok: sinceLoop <= stallMs,
    detail: `last loop iteration ${(sinceLoop / 1000).toFixed(1)} s ago (limit ${(stallMs / 1000).toFixed(1)} s)`,
  });
  if (k.signer) {
    const b = k.lastBalance;
    checks.push({
      name: "balance",
      ok: b !== undefined && b >= c.minSignerBalanceWei,
      detail: `signer balance ${b ?? "unknown"} wei (floor ${c.minSignerBalanceWei})`,
    });
  }
  const age = k.liquidatableAgeBlocks();
  checks.push({
    name: "liquidations",
    ok: age <= BigInt(c.liquidatableMaxBlocks),
    detail: `oldest liquidatable account waiting ${age} blocks (limit ${c.liquidatableMaxBlocks})`,
  });
  for (const t of k.tasks) {
    const h = t.health();
    checks.push({ name: `task:${t.name}`, ok: h.ok, detail: h.detail ?? "ok" });
  }
  return { ok: checks.every((x) => x.ok), checks };
}
