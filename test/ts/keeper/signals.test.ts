// `perp keeper run` as an operator runs it (bin/perp.mjs, a child process): a SIGTERM at any moment of its startup
// (loading, connecting, indexing, first ticks) ends it cleanly (exit 0 after "keeper stopped"), and so does one while
// the node never answers, during which /healthz already serves and says the keeper is not healthy.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment } from "../../../ts/deploy/deployment";
import { stringifyDeployment } from "../../../ts/deploy/deployment";
import { findFreePort } from "../../../ts/devnet/anvil";
import { useChain } from "../harness";
import { deployForKeeper, privateKeyOf, spawnCli, waitFor } from "./fixture";

const KEY = privateKeyOf(7);

describe("keeper run and signals", () => {
  const chain = useChain();
  let d: Deployment;
  let dir: string;
  let deploymentFile: string;
  let silent: { server: Server; url: string; sockets: Set<Socket> };

  beforeAll(async () => {
    d = await deployForKeeper(chain);
    dir = mkdtempSync(path.join(tmpdir(), "keeper-signals-"));
    deploymentFile = path.join(dir, "deployment.json");
    writeFileSync(deploymentFile, stringifyDeployment(d));
    // A node that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    silent = { server, url: `http://127.0.0.1:${port}`, sockets };
  }, 120_000);

  afterAll(async () => {
    for (const s of silent?.sockets ?? []) s.destroy();
    await new Promise<void>((resolve) => silent?.server.close(() => resolve()));
  });

  function keeperRun(rpcUrl: string, metricsPort: number, journal: string) {
    return spawnCli(
      [
        "keeper",
        "run",
        "--deployment",
        deploymentFile,
        "--rpc-url",
        rpcUrl,
        "--metrics-port",
        String(metricsPort),
        "--journal",
        journal,
      ],
      { KEEPER_PRIVATE_KEY: KEY, KEEPER_POLL_INTERVAL_MS: "100", PRIVATE_KEY: "" },
    );
  }

  /** Sends SIGTERM and expects a clean stop: exit code 0, "keeper stopped" logged, the key never printed. */
  async function expectCleanStop(p: ReturnType<typeof keeperRun>, what: string) {
    p.child.kill("SIGTERM");
    const code = await p.exited;
    expect(code, `${what}: exit code\n${p.output()}`).toBe(0);
    expect(p.output(), what).toContain('"keeper stopped"');
    expect(p.output()).not.toContain(KEY.slice(2));
  }

  it("a SIGTERM at any moment of startup stops the keeper cleanly (exit 0, keeper stopped)", async () => {
    // Calibrate: how long this machine takes from the first log line to the first ticks.
    const calib = keeperRun(chain.anvil.rpcUrl, 0, path.join(dir, "calib.json"));
    await waitFor(() => calib.output().includes('"config"'), 60_000, "the first log line");
    const t0 = Date.now();
    await waitFor(() => calib.output().includes('"keeper started"'), 60_000, "the keeper to start");
    const startupMs = Date.now() - t0;
    await expectCleanStop(calib, "after startup");

    // Signals spread over that window (and a little past it), each in a fresh process.
    const fractions = [0, 0.05, 0.2, 0.4, 0.6, 0.8, 1, 1.3];
    for (const [i, f] of fractions.entries()) {
      const p = keeperRun(chain.anvil.rpcUrl, 0, path.join(dir, `j${i}.json`));
      await waitFor(() => p.output().includes('"config"'), 60_000, "the first log line");
      const delay = Math.round(f * startupMs);
      await new Promise((r) => setTimeout(r, delay));
      await expectCleanStop(p, `SIGTERM ${delay} ms after the first log line (startup took ${startupMs} ms)`);
    }
  }, 300_000);

  it("against a node that never answers, /healthz says unhealthy and a SIGTERM stops it cleanly", async () => {
    const port = await findFreePort();
    const p = keeperRun(silent.url, port, path.join(dir, "dead.json"));
    let body: { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] } | undefined;
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        body = (await res.json()) as typeof body;
        return res.status === 503;
      },
      60_000,
      "/healthz to answer 503",
    );
    expect(body?.ok).toBe(false);
    expect(body?.checks.find((c) => c.name === "startup")?.ok).toBe(false);
    const t0 = Date.now();
    await expectCleanStop(p, "SIGTERM while the node never answers");
    // Not held by a hung request (the default request timeout is 10 s).
    expect(Date.now() - t0).toBeLessThan(8_000);
  }, 120_000);
});
