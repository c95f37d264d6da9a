// The replay: a path replayed on a fork at block B with the real keeper realizes, to the wei, what simulatePath
// computes for it from the book at B (bad debt, junior, senior, socialized, liquidation volume, accounts, calls, the
// first bad debt's step); and, as an independent check while nothing is socialized, what the lens's joint stress
// predicts for each step's move, valued on the replayed chain before the step at the second of the keeper's
// liquidation block.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Address,
  createPublicClient,
  decodeFunctionResult,
  encodeFunctionData,
  http,
  type PublicClient,
} from "viem";
import { call } from "viem/actions";
import { beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, perpLensAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { type Deployment, stringifyDeployment } from "../../../ts/deploy/deployment";
import { startAnvil } from "../../../ts/devnet/anvil";
import type { BookAccount } from "../../../ts/keeper/testing/bookBuilder";
import { shockIndex } from "../../../ts/pool/math/stressMath";
import type { StressResult } from "../../../ts/pool/types";
import { readRiskBook } from "../../../ts/risk/book";
import { pathPrices } from "../../../ts/risk/paths";
import { type ReplayProgress, replayPath } from "../../../ts/risk/replay/driver";
import type { ReplayOutcome } from "../../../ts/risk/replay/outcome";
import { buildReport, stringifyReport } from "../../../ts/risk/report";
import { type PreparedBook, prepareBook, simulatePath } from "../../../ts/risk/simulate";
import type { PathInputs, PathPrices } from "../../../ts/risk/types";
import { feedAnswerOf } from "../../../ts/scenario/indexPath";
import { useChain } from "../harness";
import { buildTestBook, deployForKeeper } from "../keeper/fixture";

const STEP = 300;
const USDC = 10n ** 6n;
type Moves = readonly (readonly bigint[])[];
type Waterfall = { badDebt: bigint; junior: bigint; senior: bigint; socialized: bigint };

/** A devnet with the keeper tests' book of 48 accounts on ETH and BTC, and block B after it. */
function bookAtB(tranches?: { junior: bigint; senior: bigint }) {
  // readRiskBook reads through a deployless multicall (no Multicall3 address given), whose result for 48 accounts
  // outgrows the code size limit.
  const chain = useChain({ args: ["--disable-code-size-limit"] });
  const w = {
    chain,
    d: undefined as unknown as Deployment,
    book: [] as BookAccount[],
    b: 0n,
    t0: 0n,
    index0: [] as bigint[],
    prepared: undefined as unknown as PreparedBook,
  };
  beforeAll(async () => {
    w.d = await deployForKeeper(chain, tranches);
    w.book = await buildTestBook(chain, chain.anvil.rpcUrl, w.d, 48);
    const head = await chain.publicClient.getBlock({ blockTag: "latest" });
    w.b = head.number;
    w.t0 = head.timestamp;
    w.index0 = await Promise.all(
      w.d.markets.map(async (m) => {
        const [price] = await chain.publicClient.readContract({
          address: w.d.contracts.oracle,
          abi: oracleRouterAbi,
          functionName: "lastObservation",
          args: [BigInt(m.marketId)],
        });
        return price;
      }),
    );
    w.prepared = prepareBook(await readRiskBook(chain.publicClient, w.d, w.b));
  }, 120_000);
  return w;
}
type World = ReturnType<typeof bookAtB>;

/** A path of whole-bps moves per step (one move per market, each of the index after the previous step). */
function pathOf(w: World, moves: Moves): PathPrices {
  let index = [...w.index0];
  const answers: number[] = [];
  for (const step of moves) {
    index = index.map((p, m) => shockIndex(p, step[m] ?? 0n));
    w.d.markets.forEach((m, i) => {
      const answer = feedAnswerOf(index[i] as bigint, m.feedDecimals);
      // The moves are chosen so that every index is a whole feed answer.
      expect(answer * 10n ** BigInt(18 - m.feedDecimals)).toBe(index[i]);
      answers.push(Number(answer));
    });
  }
  return { path: 0, model: "replay", scenario: null, answers: Float64Array.from(answers) };
}

/**
 * PerpLens.stressTestJoint at `blockNumber` as if mined at `time`, the accounts listed in the keeper's order (the
 * largest maintenance shortfall first): once junior runs out, which account draws the last whole token decides
 * the split.
 */
async function jointStress(
  w: World,
  client: PublicClient,
  moves: readonly bigint[],
  blockNumber: bigint,
  time: bigint,
): Promise<StressResult> {
  const stress = async (accounts: readonly { owner: Address; subId: bigint }[]) => {
    const data = encodeFunctionData({
      abi: perpLensAbi,
      functionName: "stressTestJoint",
      args: [w.d.markets.map((_, i) => moves[i] ?? 0n), accounts.map((a) => a.owner), accounts.map((a) => a.subId)],
    });
    const r = await call(client, { to: w.d.contracts.lens, data, blockNumber, blockOverrides: { time } });
    return decodeFunctionResult({ abi: perpLensAbi, functionName: "stressTestJoint", data: r.data ?? "0x" });
  };
  const first = await stress(w.book);
  const shortfall = (a: StressResult["accounts"][number]) =>
    a.liquidatable ? a.maintenanceRequirement - BigInt(a.value) : -(1n << 255n);
  const order = [...first.accounts].sort((x, y) => {
    const [sx, sy] = [shortfall(x), shortfall(y)];
    return sx > sy ? -1 : sx < sy ? 1 : 0;
  });
  return stress(order);
}

/**
 * Replays `moves` on a fork of B (a node of the test's own, so its blocks can be read afterwards) and predicts each
 * step with the joint stress on the replayed chain just before the step block, at the keeper block's second.
 */
async function replayAndPredict(w: World, moves: Moves) {
  const fork = await startAnvil({ forkUrl: w.chain.anvil.rpcUrl, forkBlockNumber: w.b, accounts: 1 });
  try {
    const steps: ReplayProgress[] = [];
    const out = await replayPath({
      rpcUrl: fork.rpcUrl,
      blockNumber: w.b,
      deployment: w.d,
      prices: pathOf(w, moves),
      stepSeconds: STEP,
      onProgress: (p) => steps.push(p),
    });
    expect(steps.map((s) => s.step)).toEqual(moves.map((_, i) => i + 1));
    const client = createPublicClient({ transport: http(fork.rpcUrl) });
    const predicted: Waterfall = { badDebt: 0n, junior: 0n, senior: 0n, socialized: 0n };
    let firstBadDebtStep = 0;
    for (const [i, p] of steps.entries()) {
      // Every liquidation of the step lands in the block right after it.
      expect(p.keeperBlocks).toBeLessThanOrEqual(1);
      const s = await jointStress(w, client, moves[i] as bigint[], p.block - 1n, p.timestamp + 1n);
      predicted.badDebt += s.totalBadDebt;
      predicted.junior += s.juniorLoss;
      predicted.senior += s.seniorLoss;
      predicted.socialized += s.socialized;
      if (firstBadDebtStep === 0 && s.totalBadDebt > 0n) firstBadDebtStep = i + 1;
    }
    return { out, predicted, firstBadDebtStep, prices: pathOf(w, moves) };
  } finally {
    await fork.stop();
  }
}

/** The replay against simulatePath of the book at B, every field the two share, to the wei. */
function expectSimulated(w: World, prices: PathPrices, out: ReplayOutcome): void {
  const sim = simulatePath(w.prepared, prices, STEP);
  const fields = (o: ReplayOutcome | typeof sim) => ({
    badDebt: o.badDebt,
    junior: o.junior,
    senior: o.senior,
    socialized: o.socialized,
    liquidationVolume: o.liquidationVolume,
    accountsLiquidated: o.accountsLiquidated,
    liquidationCalls: o.liquidationCalls,
    firstBadDebtStep: o.firstBadDebtStep,
  });
  expect(fields(out)).toEqual(fields(sim));
}

const waterfallOf = (o: ReplayOutcome): Waterfall => ({
  badDebt: o.badDebt,
  junior: o.junior,
  senior: o.senior,
  socialized: o.socialized,
});

describe("risk replay, deep tranches (and `perp risk replay`)", () => {
  const w = bookAtB();

  it("realizes a one-step crash as simulatePath and the lens's joint stress compute it, to the wei", async () => {
    for (const moves of [
      [-2_500n, -1_800n],
      [-1_000n, 0n],
      [2_000n, 1_500n],
    ]) {
      // The crash at step 1, then two flat steps (nothing more falls). Forked by the driver itself.
      const prices = pathOf(w, [moves, [0n, 0n], [0n, 0n]]);
      const predicted = await jointStress(w, w.chain.publicClient, moves, w.b, w.t0 + BigInt(STEP) + 1n);
      const out = await replayPath({
        forkUrl: w.chain.anvil.rpcUrl,
        blockNumber: w.b,
        deployment: w.d,
        prices,
        stepSeconds: STEP,
      });
      expect(predicted.liquidatableCount).toBeGreaterThan(0n);
      expect(waterfallOf(out)).toEqual({
        badDebt: predicted.totalBadDebt,
        junior: predicted.juniorLoss,
        senior: predicted.seniorLoss,
        socialized: predicted.socialized,
      });
      expect(out.accountsLiquidated).toBe(Number(predicted.liquidatableCount));
      expect(out.liquidationCalls).toBeGreaterThanOrEqual(out.accountsLiquidated);
      expect(out.liquidationVolume).toBeGreaterThan(0n);
      expect(out.firstBadDebtStep).toBe(predicted.totalBadDebt > 0n ? 1 : 0);
      if (moves[0] === -2_500n) expect(out.junior).toBeGreaterThan(0n);
      expectSimulated(w, prices, out);
    }
  }, 120_000);

  it("realizes a four-step crash (ETH -25 %, BTC -18.5 %) as simulatePath computes it and each step as the joint stress predicts it, to the wei", async () => {
    const step = [-700n, -500n];
    const { out, predicted, firstBadDebtStep, prices } = await replayAndPredict(w, [step, step, step, step]);
    expectSimulated(w, prices, out);
    expect(waterfallOf(out)).toEqual(predicted);
    expect(out.junior).toBeGreaterThan(0n);
    expect(out.firstBadDebtStep).toBe(firstBadDebtStep);
  }, 120_000);

  const PATHS = 4;

  /** A report of four crash-day paths over 2 h in 5-minute steps, written as `perp risk report` writes it. */
  async function writeReport(dir: string): Promise<{ inputs: PathInputs; worst: number }> {
    const book = w.prepared.book;
    const inputs: PathInputs = {
      markets: book.markets.map((m) => ({
        symbol: m.symbol,
        index0: m.index,
        feedDecimals: m.feedDecimals,
        sigmaAnnual: 0.8,
        jumpBeta: 1,
      })),
      correlation: [
        [1, 0.8],
        [0.8, 1],
      ],
      horizonSeconds: 7_200,
      stepSeconds: STEP,
      models: ["replay"],
      seed: "replay-test",
      jump: { intensityPerYear: 8, meanLog: -0.08, stdLog: 0.06 },
    };
    const outcomes = Array.from({ length: PATHS }, (_, k) => simulatePath(w.prepared, pathPrices(inputs, k), STEP));
    const report = buildReport({ ...inputs, paths: PATHS, sources: ["flag", "flag"] }, book, outcomes, {
      commit: "test",
      dirty: false,
    });
    await writeFile(path.join(dir, "report.json"), stringifyReport(report));
    const worst = outcomes.reduce(
      (a, o) => (o.liquidationVolume > (outcomes[a]?.liquidationVolume ?? 0n) ? o.path : a),
      0,
    );
    expect(outcomes[worst]?.accountsLiquidated).toBeGreaterThan(0);
    return { inputs, worst };
  }

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
    const code = await runCli(args, io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  }

  it("replays the report's path K on a fork and prints report | replay | difference, matching to the wei; a tampered row differs (exit 1)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "risk-replay-"));
    try {
      const file = path.join(dir, "deployment.json");
      await writeFile(file, stringifyDeployment(w.d));
      const { worst } = await writeReport(dir);
      const at = ["--report", dir, "--deployment", file, "--rpc-url", w.chain.anvil.rpcUrl];

      const run = await cli(["risk", "replay", "--path", String(worst), ...at]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/report\s+replay\s+difference/);
      expect(run.stdout).toMatch(
        new RegExp(`Verdict: MATCH: the replay realized the report's numbers for path ${worst} to the wei`),
      );

      // One wei more of liquidation volume in the report's row: the replay tells.
      const reportFile = path.join(dir, "report.json");
      const json = JSON.parse(await readFile(reportFile, "utf8"));
      const column = json.pathTable.columns.indexOf("liquidationVolume");
      const row = json.pathTable.rows.find((r: unknown[]) => r[0] === worst);
      row[column] = (BigInt(row[column]) + 1n).toString();
      await writeFile(reportFile, JSON.stringify(json));
      const tampered = await cli(["risk", "replay", "--path", String(worst), ...at, "--json"]);
      expect(tampered.code).toBe(1);
      const answer = JSON.parse(tampered.stdout);
      expect(answer.comparison.matches).toBe(false);
      expect(answer.comparison.fields.filter((f: { difference: string }) => f.difference !== "0")).toEqual([
        expect.objectContaining({ field: "liquidationVolume", difference: "-1" }),
      ]);

      // A path the report does not hold is bad input (exit 2), before any fork is started.
      const missing = await cli(["risk", "replay", "--path", String(PATHS), ...at]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(new RegExp(`has no path ${PATHS}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("risk replay, thin tranches", () => {
  // 5,000 USDC of junior and 10,000 of senior (the book's open interest needs about that much backstop capital): a
  // deep crash wipes junior, senior pays, the rest is socialized.
  const w = bookAtB({ junior: 5_000n * USDC, senior: 10_000n * USDC });

  it("realizes the whole waterfall as simulatePath computes it, to the wei: junior wiped, senior paying, the rest socialized", async () => {
    const { out, predicted, prices } = await replayAndPredict(w, [
      [-1_500n, -1_000n],
      [-5_000n, -5_000n],
      [0n, 0n],
    ]);
    expectSimulated(w, prices, out);
    // The joint stress values every account before any of the step's liquidations: it cannot see that a loss
    // socialized in the step's block charges the accounts liquidated after it (more bad debt, never less).
    expect(out.badDebt).toBeGreaterThan(predicted.badDebt);
    expect(out.junior + out.senior + out.socialized).toBe(out.badDebt);
    expect(out.senior).toBeGreaterThan(0n);
    expect(out.socialized).toBeGreaterThan(0n);
  }, 120_000);
});
