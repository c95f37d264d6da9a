// `perp risk report` as a user runs it against a `perp devnet`: the same block, seed and paths give the same bytes in
// every file it writes; --json carries the per-tranche figures; bad flags are one line and exit 2.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../ts/cli/run";
import { findFreePort } from "../../../ts/devnet/anvil";
import { type Devnet, type Run, startDevnet } from "./perpProcess";

async function inProcess(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
  const code = await runCli(args, io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("perp risk report against a running `perp devnet`", { timeout: 180_000 }, () => {
  let dir: string;
  let file: string;
  let devnet: Devnet;
  let block: string;
  const at = () => ["--deployment", file];
  const report = (out: string, extra: string[] = []) =>
    inProcess([
      "risk",
      "report",
      "--paths",
      "120",
      "--horizon",
      "6h",
      "--seed",
      "7",
      "--block",
      block,
      "--out",
      out,
      ...at(),
      ...extra,
    ]);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "perp-risk-"));
    file = path.join(dir, "deployment.json");
    devnet = await startDevnet(["--port", String(await findFreePort()), "--deployment", file]);
    const res = await fetch(devnet.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    block = String(BigInt(((await res.json()) as { result: string }).result));
  }, 240_000);
  afterAll(async () => {
    if (devnet) expect(await devnet.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it("writes byte-identical files for the same block, seed and paths, whatever the worker count", async () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    const first = await report(a);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/junior .* senior/s);
    const second = await report(b, ["--workers", "0"]);
    expect(second.code, second.stderr).toBe(0);
    const files = (await readdir(a)).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        "report.json",
        "report.html",
        "junior-loss.png",
        "senior-exceedance.png",
        "bad-debt-vs-move.png",
      ]),
    );
    expect((await readdir(b)).sort()).toEqual(files);
    for (const f of files) {
      expect((await readFile(path.join(b, f))).equals(await readFile(path.join(a, f))), f).toBe(true);
    }
  });

  it("prints the per-tranche figures with --json", async () => {
    const run = await report(path.join(dir, "json"), ["--json"]);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      tranches: Record<string, Record<string, unknown>>;
      book: { block: string };
    };
    expect(json.book.block).toBe(block);
    for (const t of ["junior", "senior"]) {
      expect(Object.keys(json.tranches[t] ?? {})).toEqual([
        "capital",
        "pLoss",
        "meanLoss",
        "var95",
        "var99",
        "es99",
        "pWiped",
      ]);
    }
  });

  it("refuses bad flags with one line and exit 2, writing nothing", async () => {
    const bad = [
      [["--horizon", "25m", "--step", "10m"], /whole number of/],
      [["--models", "gbm,brownian"], /--models/],
      [["--paths", "0"], /--paths/],
      [["--step", "30s"], /at least 60/],
    ] as const;
    for (const [flags, message] of bad) {
      const run = await inProcess(["risk", "report", ...flags, "--out", path.join(dir, "bad"), ...at()]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    await expect(readdir(path.join(dir, "bad"))).rejects.toThrow();
  });
});
