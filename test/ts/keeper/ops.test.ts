// Operations: the zod config (clear errors, the key never echoed), /metrics with exactly the names,
// /healthz, and `keeper run` as a process: SIGTERM ends it cleanly with exit code 0.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Deployment } from "../../../ts/deploy/deployment";
import { parseDeployment, stringifyDeployment } from "../../../ts/deploy/deployment";
import { findFreePort } from "../../../ts/devnet/anvil";
import { createDevClients } from "../../../ts/devnet/clients";
import { hasCode, MULTICALL3_ADDRESS } from "../../../ts/keeper/chain/multicall3";
import { KeeperConfigError, loadKeeperConfig } from "../../../ts/keeper/config";
import { METRIC_NAMES } from "../../../ts/keeper/metrics";
import { runKeeper } from "../../../ts/keeper/run";
import { FaultProxy } from "../../../ts/keeper/testing/faultProxy";
import { useChain } from "../harness";
import { deployForKeeper, keeperConfig, makeKeeper, privateKeyOf, spawnCli, waitFor } from "./fixture";

const KEY = privateKeyOf(7);

describe("keeper operations", () => {
  const chain = useChain();
  let d: Deployment;
  let deploymentFile: string;

  beforeAll(async () => {
    d = await deployForKeeper(chain);
    deploymentFile = path.join(mkdtempSync(path.join(tmpdir(), "keeper-ops-")), "deployment.json");
    writeFileSync(deploymentFile, stringifyDeployment(d));
  }, 120_000);

  it("rejects a bad config with every field and its source named, never echoing the key", () => {
    const bad = `${KEY.slice(0, 60)}zz`;
    let error: unknown;
    try {
      loadKeeperConfig({ env: { KEEPER_PRIVATE_KEY: bad, KEEPER_SHARD: "3/2" }, flags: { rpcUrl: "ftp://x" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeeperConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/deployment/);
    expect(message).toMatch(/rpcUrl \(flag --rpc-url\)/);
    expect(message).toMatch(/privateKey \(env KEEPER_PRIVATE_KEY\)/);
    expect(message).toMatch(/shard \(env KEEPER_SHARD\)/);
    expect(message).not.toContain(bad.slice(2, 40));
  });

  it("serves /metrics with exactly the keeper's metric names plus the process defaults and a /healthz that passes on a healthy keeper", async () => {
    const port = await findFreePort();
    const running = await runKeeper(keeperConfig(chain.anvil.rpcUrl, { metricsPort: port }), { deployment: d });
    try {
      await waitFor(() => running.keeper.lastReport !== undefined, 20_000, "a first tick");
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const names = new Set([...metrics.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      expect([...names].filter((n) => n?.startsWith("keeper_")).sort()).toEqual(Object.values(METRIC_NAMES).sort());
      // prom-client's default process metrics ride along.
      expect(names).toContain("process_cpu_seconds_total");
      expect(names).toContain("nodejs_eventloop_lag_seconds");
      expect(metrics).toMatch(/keeper_accounts_tracked \d+/);
      expect(metrics).toMatch(/keeper_signer_balance_wei [1-9]/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      const body = (await health.json()) as { ok: boolean; checks: { name: string; ok: boolean }[] };
      expect(health.status).toBe(200);
      expect(body.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(["head", "loop", "balance", "liquidations"]),
      );
    } finally {
      await running.stop();
    }
  }, 60_000);

  it("keeper run exits 0 on SIGTERM and never prints the key", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "ts/keeper/main.ts",
        "run",
        "--deployment",
        deploymentFile,
        "--rpc-url",
        chain.anvil.rpcUrl,
        "--metrics-port",
        "0",
      ],
      {
        env: {
          ...process.env,
          KEEPER_PRIVATE_KEY: KEY,
          KEEPER_POLL_INTERVAL_MS: "100",
          KEEPER_JOURNAL: path.join(path.dirname(deploymentFile), "j.json"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(() => out.includes('"keeper started"'), 30_000, "the keeper to start");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // The command's own handler stopped the running keeper (not the entry point's early one).
    expect(out).toContain('"shutting down"');
    expect(out).toContain('"keeper stopped"');
    expect(out).not.toContain(KEY.slice(2));
  }, 60_000);

  it("against a fresh `perp start --keep-alive` devnet the keeper reads the book through Multicall3", async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "keeper-devnet-")), "deployment.json");
    const devnet = spawnCli(["start", "--keep-alive", "--no-seed", "--out", out], { PRIVATE_KEY: "" });
    try {
      await waitFor(
        () => {
          if (devnet.exitCode() !== undefined) throw new Error(`devnet exited:\n${devnet.output()}`);
          return devnet.output().includes("Ctrl-C to stop");
        },
        120_000,
        "the devnet to deploy",
      );
      expect(devnet.output()).toContain(`Multicall3 installed at ${MULTICALL3_ADDRESS}`);
      const rpcUrl = /keeps running at (\S+) /.exec(devnet.output())?.[1] ?? "";
      expect(await hasCode(createDevClients(rpcUrl).publicClient, MULTICALL3_ADDRESS)).toBe(true);

      // The keeper behind a pass-through proxy that sees every request's target.
      const proxy = await new FaultProxy({ target: rpcUrl, seed: 1 }).start();
      const ethCalls: (string | undefined)[] = [];
      proxy.rules.push({
        match: (r) => {
          if (r.method === "eth_call")
            ethCalls.push((r.params as [{ to?: string }] | undefined)?.[0]?.to?.toLowerCase());
          return false;
        },
        action: { fault: "500" },
      });
      try {
        const k = makeKeeper(keeperConfig(proxy.url), parseDeployment(readFileSync(out, "utf8")));
        await k.init();
        expect(k.multicall).toBe(MULTICALL3_ADDRESS);
        await k.tick();
        // A steady block: the snapshot (every market, oracle and lens view) is one eth_call to Multicall3, and no
        // read is a deployless multicall (an eth_call without a target).
        ethCalls.length = 0;
        await createDevClients(rpcUrl).testClient.mine({ blocks: 1 });
        await k.tick();
        expect(ethCalls.filter((to) => to === MULTICALL3_ADDRESS.toLowerCase())).toHaveLength(1);
        expect(ethCalls.filter((to) => to === undefined)).toEqual([]);
        await k.stop();
      } finally {
        await proxy.stop();
      }
    } finally {
      expect(await devnet.kill("SIGINT")).toBe(null);
    }
    expect(await devnet.exited).toBe(0);
  }, 180_000);
});
