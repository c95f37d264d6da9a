// `perp risk verify` and the LP commands as a user runs them (in process) against a chain with a posted figure:
// verify reproduces a figure posted from the report's own numbers (exit 0) and names every number a tampered post
// changed (exit 1); `perp tranches` shows the junior share's source and inputs; `perp tranche boost` reports points.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak256, toBytes } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { tailRiskOracleAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { type Deployment, stringifyDeployment } from "../../../ts/deploy/deployment";
import { runRiskReport } from "../../../ts/risk/runReport";
import { POSTED_REPORT_OPTIONS, postFromReport, seedForBlockHash } from "../../../ts/risk/verifyCanonical";
import { readJuniorStressLoss } from "../../../ts/risk/verifyStress";
import type { ITailRiskPost } from "../../../ts/risk/verifyTypes";
import { useChain } from "../harness";
import { buildTestBook, deployForKeeper } from "../keeper/fixture";
import { send } from "../sdk/fixture";

const chain = useChain();
let d: Deployment;
let file: string;
let dir: string;

type Run = { code: number; stdout: string; stderr: string };
async function perp(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
  const code = await runCli(
    [...args, "--deployment", file, "--rpc-url", chain.anvil.rpcUrl],
    io,
    () => Promise.resolve("SIGINT"),
    { PATH: process.env.PATH },
  );
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

beforeAll(async () => {
  d = await deployForKeeper(chain, undefined, "owner");
  await buildTestBook(chain, chain.anvil.rpcUrl, d, 6);
  dir = await mkdtemp(path.join(tmpdir(), "perp-verify-"));
  file = path.join(dir, "deployment.json");
  await writeFile(file, stringifyDeployment(d));
}, 180_000);

/** The figure for the head's parent block as the keeper makes it (30 paths). */
async function figureAtParent(): Promise<ITailRiskPost> {
  await chain.testClient.mine({ blocks: 1 });
  const block = (await chain.publicClient.getBlockNumber()) - 1n;
  const { hash } = await chain.publicClient.getBlock({ blockNumber: block });
  const { report, book } = await runRiskReport(chain.publicClient, d, {
    ...POSTED_REPORT_OPTIONS,
    block,
    paths: 30,
    seed: seedForBlockHash(hash).toString(),
    workers: 0,
  });
  const params = await chain.publicClient.readContract({
    address: d.contracts.tailRiskOracle,
    abi: tailRiskOracleAbi,
    functionName: "params",
    blockNumber: block,
  });
  const stress = await readJuniorStressLoss(
    chain.publicClient,
    d.contracts.lens,
    book,
    BigInt(params.referenceShockBps),
  );
  return postFromReport(report, stress);
}

const post = (p: ITailRiskPost) =>
  send(chain, chain.deployer, {
    address: d.contracts.tailRiskOracle,
    abi: tailRiskOracleAbi,
    functionName: "post",
    args: [p],
  });

type VerifyJson = { ok: boolean; rows: { check: string; ok: boolean | null }[]; reportJson?: string };

describe("perp risk verify", { timeout: 180_000 }, () => {
  it("reproduces a posted figure: every row ok, exit 0, and the written report.json hashes to the posted hash", async () => {
    const figure = await figureAtParent();
    await post(figure);
    const out = path.join(dir, "reproduced");
    const r = await perp(["risk", "verify", "--json", "--workers", "0", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as VerifyJson;
    expect(v.ok).toBe(true);
    expect(v.rows.filter((row) => row.ok === false)).toEqual([]);
    expect(v.rows.map((row) => row.check)).toEqual(
      expect.arrayContaining(["report hash", "junior ES99 (asset units)", "target share (bps)"]),
    );
    const bytes = await readFile(path.join(out, "report.json"));
    expect(keccak256(bytes)).toBe(figure.reportHash);
    expect(bytes.toString()).not.toContain('"code"');

    const human = await perp(["risk", "verify", "--workers", "0", "--block", figure.blockNumber.toString()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/reproduced/);
    expect(human.stdout).not.toMatch(/MISMATCH/);
  });

  it("names what a tampered post changed and exits 1", async () => {
    const figure = await figureAtParent();
    const tampered = {
      ...figure,
      juniorEs99: figure.juniorEs99 + 1n,
      reportHash: keccak256(toBytes("another report")),
    };
    await post(tampered);
    const r = await perp(["risk", "verify", "--json", "--workers", "0"]);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as VerifyJson;
    expect(v.ok).toBe(false);
    const bad = v.rows.filter((row) => row.ok === false).map((row) => row.check);
    expect(bad).toContain("report hash");
    expect(bad).toContain("junior ES99 (asset units)");
    expect(bad).not.toContain("junior capital (asset units)");
  });

  it("says plainly when nothing has been posted, or nothing for the block asked", async () => {
    const none = await perp(["risk", "verify"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no figure has been posted yet/);
    const bad = await perp(["risk", "verify", "--block", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--block: a block number/);
  });
});

describe("perp tranches and perp tranche boost", { timeout: 120_000 }, () => {
  it("shows the junior share's source and inputs once a figure is posted", async () => {
    const before = await perp(["tranches"]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/Junior share of premium: .* \(capital rule: no figure posted yet/);
    expect(before.stdout).toMatch(/Junior exit gate: floor 0\.00 USDC/);
    expect(before.stdout).toMatch(/Queued parameter changes: none/);
    const figure = await figureAtParent();
    await post(figure);
    const after = await perp(["tranches", "--json"]);
    expect(after.code, after.stderr).toBe(0);
    const j = JSON.parse(after.stdout) as {
      juniorShare: { source: string; figure: { blockNumber: string; juniorEs99: string; fresh: boolean } };
      tranches: { junior: { boost: { multiplierBps: string } } };
    };
    expect(j.juniorShare.figure).toMatchObject({
      blockNumber: figure.blockNumber.toString(),
      juniorEs99: figure.juniorEs99.toString(),
      fresh: true,
    });
    expect(j.juniorShare.source).toBe("posted");
    expect(BigInt(j.tranches.junior.boost.multiplierBps)).toBeGreaterThanOrEqual(10_000n);
    const text = await perp(["tranches"]);
    expect(text.stdout).toMatch(/posted tail-risk figure/);
    expect(text.stdout).toMatch(new RegExp(`report: block ${figure.blockNumber}, seed ${figure.seed}, 30 paths`));
  });

  it("tranche boost reports the LP's points and refuses a claim with nothing to claim", async () => {
    const junior = chain.wallet(8).account.address;
    const r = await perp(["tranche", "boost", "--tranche", "junior", "--owner", junior, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { tranches: { tranche: string; points: string; activeShares: string }[] };
    expect(j.tranches.map((t) => t.tranche)).toEqual(["junior"]);
    expect(BigInt(j.tranches[0]?.activeShares ?? 0)).toBeGreaterThan(0n);
    const none = await perp(["tranche", "boost", "--claim", "--account", "5"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /nothing to claim \(junior: you have no boost points; senior: you have no boost points\)/,
    );
  });
});
