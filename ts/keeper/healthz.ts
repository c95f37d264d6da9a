// /healthz: fails on real signals only, judged from the wall clock and the node's head (not from the keeper's last
// finished tick, so a stuck tick shows): startup not complete (a node that does not answer), no answer from the node,
// a stale head (a chain that stopped; never on an idle automine devnet), a stalled loop, the keeper behind the
// node's head, a signer under its balance floor, a liquidatable account left waiting more than a few blocks, or a
// task reporting itself unhealthy.
import type { Keeper } from "./keeper";

export type HealthCheck = { name: string; ok: boolean; detail: string };
export type HealthReport = { ok: boolean; checks: HealthCheck[] };

export function keeperHealth(k: Keeper, now: number = Date.now()): HealthReport {
  const c = k.config;
  const checks: HealthCheck[] = [];
  const stallMs = c.stallIntervals * c.pollIntervalMs + c.rpcTimeoutMs;
  if (!k.initialized) {
    checks.push({
      name: "startup",
      ok: false,
      detail: `starting: ${k.startupError ? `the node did not answer (${k.startupError})` : "connecting to the node"}`,
    });
    return { ok: false, checks };
  }
  const sinceNode = (now - (k.lastNodeContactAt ?? 0)) / 1000;
  checks.push({
    name: "node",
    ok: sinceNode * 1000 <= stallMs,
    detail: `last answer from the node ${sinceNode.toFixed(1)} s ago (limit ${(stallMs / 1000).toFixed(1)} s)`,
  });
  const sinceHead = (now - k.lastHeadAt) / 1000;
  const stale = k.staleHeadSeconds();
  checks.push({
    name: "head",
    ok: !k.isHeadStale(),
    detail: `last new head ${sinceHead.toFixed(1)} s ago (limit ${stale || (k.automine ? "none: automine" : "none")})`,
  });
  const sinceLoop = now - k.lastIterationAt;
  checks.push({
    name: "loop",
    ok: sinceLoop <= stallMs,
    detail: `last loop iteration ${(sinceLoop / 1000).toFixed(1)} s ago (limit ${(stallMs / 1000).toFixed(1)} s)`,
  });
  // Behind the node by more than the liquidation limit for longer than two polls (an automine burst of our own
  // transactions is caught up by the next tick).
  const behindMs = k.behindSince === undefined ? 0 : now - k.behindSince;
  const lag = k.headLagBlocks();
  checks.push({
    name: "lag",
    ok: behindMs <= 2 * c.pollIntervalMs,
    detail: `${lag} blocks behind the node's head${behindMs > 0 ? ` for ${(behindMs / 1000).toFixed(1)} s` : ""} (limit ${c.liquidatableMaxBlocks})`,
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
    detail: `oldest liquidatable account waiting ${age} blocks at the node's head, ${k.liquidatableAgeSeconds().toFixed(1)} s (limit ${c.liquidatableMaxBlocks} blocks)`,
  });
  for (const t of k.tasks) {
    const h = t.health();
    checks.push({ name: `task:${t.name}`, ok: h.ok, detail: h.detail ?? "ok" });
  }
  return { ok: checks.every((x) => x.ok), checks };
}
