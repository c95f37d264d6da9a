// The CLI as users run it: a child process (node + tsx), its exit code and output, and no anvil left behind.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpPoolAbi } from "../../ts/abi/generated";
import { runCli as runCliInProcess } from "../../ts/cli/run";
import { parseDeployment } from "../../ts/deploy/deployment";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients } from "../../ts/devnet/clients";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

type Run = { code: number | null; stdout: string; stderr: string };

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "ts/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, PRIVATE_KEY: "", DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** ts/cli/run.ts's runCli with captured output (for cases that fail before any chain is started). */
async function runInProcess(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (line: string) => out.push(line), progress: (line: string) => err.push(line) };
  const code = await runCliInProcess(args, io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function anvilPid(stderr: string): number {
  const match = /\[anvil\] pid (\d+) listening/.exec(stderr);
  if (!match?.[1]) throw new Error(`no anvil pid in:\n${stderr}`);
  return Number(match[1]);
}

// Each child process pays tsx's start-up (seconds on a loaded 2-core machine): generous timeouts.
describe("npm start (ts/cli/main.ts)", { timeout: 90_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "perp-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("starts anvil, deploys, seeds, prints the summary, writes --out and leaves no anvil behind", async () => {
    const out = path.join(dir, "deployment.json");
    // No command name: `npm start -- --out x` runs the default command, start.
    const run = await runCli(["--out", out]);
    expect(run.code, run.stderr).toBe(0);

    // Progress on stderr, in order.
    expect(run.stderr).toMatch(/\[deploy\] TestUSDC 0x[0-9a-fA-F]{40} \(1\/39\)/);
    expect(run.stderr).toMatch(/\[deploy\] RiskEngine 0x[0-9a-fA-F]{40} \(\d+\/39\)/);
    expect(run.stderr).toMatch(/\[deploy\] pool\.setRiskEngine 0x[0-9a-f]{64} \(\d+\/39\)/);
    expect(run.stderr).toMatch(/\[deploy\] pool\.listMarket\(BTC\) 0x[0-9a-f]{64} \(\d+\/39\)/);
    expect(run.stderr).toMatch(/\[deploy\] TailRiskOracle 0x[0-9a-fA-F]{40} \(\d+\/39\)/);
    expect(run.stderr).toMatch(/\[deploy\] timelock\.acceptOwnership\(tailRiskOracle\) 0x[0-9a-f]{64} \(39\/39\)/);
    expect(run.stderr).toMatch(/\[seed\] carol long 20 ETH/);

    // The summary on stdout: every address, markets, tranches, traders, stress.
    const deployment = parseDeployment(await readFile(out, "utf8"));
    for (const address of Object.values(deployment.contracts)) expect(run.stdout).toContain(address);
    for (const feed of deployment.markets.flatMap((m) => m.feeds)) expect(run.stdout).toContain(feed);
    expect(run.stdout).toMatch(/ETH-PERP\s+[\d,]+\.\d\d\s+2,000\.00\s+Normal/);
    expect(run.stdout).toMatch(/BTC-PERP\s+[\d,]+\.\d\d\s+60,000\.00\s+Normal/);
    expect(run.stdout).toMatch(/junior capital\s+2,000,000\.00/);
    expect(run.stdout).toMatch(/senior capital\s+6,000,000\.00/);
    for (const trader of ["alice", "bob", "carol", "dave"]) {
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+${trader}\\s+0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\\s.*\\s(healthy|LIQUIDATABLE)$`, "m"),
      );
    }
    expect(run.stdout).toMatch(
      /Stress ETH -30% \(index 2,000\.00 -> 1,400\.00\): 1 of 4 accounts liquidatable, bad debt [\d,]+\.\d\d USDC -> junior [\d,]+\.\d\d, senior 0\.00, socialized 0\.00/,
    );

    const pid = anvilPid(run.stderr);
    expect(run.stderr).toContain(`[anvil] pid ${pid} stopped`);
    expect(isAlive(pid)).toBe(false);
  });

  it("rejects bad input with exit code 2 and a one-line reason", async () => {
    const [run, unknown, both] = await Promise.all([
      runCli(["start", "--port", "abc"]),
      runCli(["start", "--bogus"]),
      runCli(["start", "--rpc-url", "http://127.0.0.1:1", "--fork-url", "http://127.0.0.1:2"]),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --port: expected a port number/m);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe("");

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown option '--bogus'/m);
    expect(unknown.stderr).toContain("Run `perp help` (in a clone: `npm run perp -- help`) for usage.");

    expect(both.code).toBe(2);
    expect(both.stderr).toContain("exclude each other");
  });

  it("prints usage for help, --help, help start and start --help (the hint every error gives works)", async () => {
    const [help, dashHelp, helpStart, startHelp] = await Promise.all([
      runCli(["help"]),
      runCli(["--help"]),
      runCli(["help", "start"]),
      runCli(["start", "--help"]),
    ]);
    for (const run of [help, dashHelp]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("Usage: perp [options] [command]");
      expect(run.stdout).toMatch(/^\s+start \[options\]\s+the main job/m);
      expect(run.stdout).toContain("Exit codes: 0 ok, 1 failed (the reason is printed), 2 bad input.");
    }
    for (const run of [helpStart, startHelp]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("Usage: perp start [options]");
      expect(run.stdout).toContain("--fork-url <url>");
      expect(run.stdout).toContain("--no-seed");
    }
  });

  it("answers each bad input with one line and exit 2, before starting anything", async () => {
    const cases: [string[], RegExp][] = [
      [["bogus"], /^error: unknown command 'bogus'$/m],
      [["start", "extra"], /^error: too many arguments for 'start'/m],
      [["start", "--port"], /^error: option '--port <n>' argument missing$/m],
      [["start", "--port", "70000"], /^error: --port: expected a port number \(1-65535\)$/m],
      [["start", "--rpc-url", "ws://127.0.0.1:8545"], /^error: --rpc-url: WebSocket URLs are not supported/m],
      [["start", "--fork-url", "ftp://x"], /^error: --fork-url: expected an http\(s\) or ws\(s\) URL$/m],
      [["start", "--out", path.join(dir, "missing", "d.json")], /^error: --out .*: folder .*missing does not exist/m],
      [["start", "--out", dir], /^error: --out .*: is a folder/m],
      [["start", "--config", path.join(dir, "none.json")], /^error: --config: cannot read .*none\.json: ENOENT$/m],
      [["start", "--private-key", "0x12"], /^error: --private-key \/ PRIVATE_KEY: expected 0x followed by 64 hex/m],
    ];
    // In-process (the same runCli that main.ts calls): a child process per case costs seconds of tsx start-up.
    for (const [args, message] of cases) {
      const run = await runInProcess(args);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
      expect(run.stderr.trimEnd().split("\n"), args.join(" ")).toEqual([
        expect.stringMatching(/^error: /),
        "Run `perp help` (in a clone: `npm run perp -- help`) for usage.",
      ]);
      expect(run.stdout).toBe("");
    }
  });

  it("refuses a config whose seeded trades cannot open because both tranches are empty (exit 2)", async () => {
    const config = path.join(dir, "empty-tranches.json");
    await writeFile(config, JSON.stringify({ seed: { juniorDeposit: "0", seniorDeposit: "0" } }));
    const run = await runInProcess(["start", "--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --config .*: the tranches are empty .* the open-interest cap is 0/m);
    expect(run.stderr).not.toContain("[anvil]");
  });

  it("says when the requested port is taken (exit 1), and leaves the holder alone", async () => {
    const holder = await startAnvil();
    try {
      const run = await runCli(["start", "--port", String(holder.port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^error: port ${holder.port} is already in use: pass another --port, or leave it out`, "m"),
      );
      expect(isAlive(holder.pid)).toBe(true);
    } finally {
      await holder.stop();
    }
  });

  it("shows anvil's reason when --fork-url is unreachable (exit 1)", async () => {
    const run = await runCli(["start", "--fork-url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: anvil could not fork http:\/\/127\.0\.0\.1:9: failed to get fork block number \(Connection refused/m,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("fails with exit code 1 and a readable line when the RPC node is unreachable", async () => {
    const run = await runCli(["start", "--rpc-url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot reach an RPC node at http:\/\/127\.0\.0\.1:9/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("--keep-alive keeps anvil up until SIGINT, then stops it and exits 0", async () => {
    // tsx's loader in this one process, not tsx's CLI: the CLI is a parent that relays SIGINT to its child and
    // SIGKILLs it (exit 130, anvil orphaned) when the child does not acknowledge within 30 ms, which a loaded
    // machine misses. bin/perp.mjs loads tsx the same way.
    const child = spawn(process.execPath, ["--import", "tsx", "ts/cli/main.ts", "start", "--keep-alive", "--no-seed"], {
      cwd: ROOT,
      env: { ...process.env, PRIVATE_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d;
        if (stdout.includes("Ctrl-C to stop")) resolve();
      });
      child.once("close", () => reject(new Error(`exited early:\n${stderr}`)));
    });
    const pid = anvilPid(stderr);
    const rpcUrl = /keeps running at (\S+) /.exec(stdout)?.[1] ?? "";
    expect(await createDevClients(rpcUrl).publicClient.getChainId()).toBe(31_337);
    child.kill("SIGINT");
    expect(await closed).toBe(0);
    expect(stderr).toContain("[anvil] SIGINT: shutting down");
    expect(isAlive(pid)).toBe(false);
  });

  describe("against an existing node", () => {
    let node: AnvilInstance;
    beforeAll(async () => {
      node = await startAnvil();
    });
    afterAll(async () => {
      await node.stop();
    });

    it("--rpc-url deploys there and leaves that node running", async () => {
      const run = await runCli(["start", "--rpc-url", node.rpcUrl, "--no-seed"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Deployed \(not seeded: --no-seed\) in [\d.]+ s\.$/m);
      expect(run.stdout).not.toContain("seeded in");
      expect(run.stderr).not.toContain("[anvil]");
      expect(isAlive(node.pid)).toBe(true);
      const pool = /PerpPool\s+(0x[0-9a-fA-F]{40})/.exec(run.stdout)?.[1] as `0x${string}`;
      const { publicClient } = createDevClients(node.rpcUrl);
      expect(await publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketCount" })).toBe(
        2n,
      );
    });

    it("--fork-url deploys onto a fork (http or ws) and stops the fork's anvil", async () => {
      const wsUrl = node.rpcUrl.replace(/^http/, "ws");
      const [run, ws] = await Promise.all([
        runCli(["start", "--fork-url", node.rpcUrl]),
        runCli(["start", "--fork-url", wsUrl, "--no-seed"]),
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`(fork of ${node.rpcUrl})`);
      expect(run.stdout).toContain("Stress ETH -30%");
      expect(run.stdout).toMatch(/^Deployed and seeded in [\d.]+ s\.$/m);
      expect(ws.code, ws.stderr).toBe(0);
      expect(ws.stderr).toContain(`(fork of ${wsUrl})`);
      expect(isAlive(anvilPid(ws.stderr))).toBe(false);
      expect(isAlive(anvilPid(run.stderr))).toBe(false);
      expect(isAlive(node.pid)).toBe(true);
    });
  });
});
