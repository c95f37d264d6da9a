// `perp risk verify` as a library call: find a posted tail-risk figure (the latest, or the one for block B), re-run
// the risk report with its block, seed and path count and the fixed options every posted figure uses, and compare
// every number the chain holds with what the report and the lens give again: the canonical report hash, ES99,
// capital, the stress loss, the target share and the share the bounds allowed.
import type { Chain, Hex, PublicClient, Transport } from "viem";
import { iTailRiskOracleAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import { PerpError } from "../errors";
import { readTailRiskParams } from "../tranches/actions/getJuniorShare";
import { resolveTailRiskOracle } from "../tranches/lpDeployment";
import { nextShareState, type ShareState, targetShareBpsUp } from "../tranches/math/tailRisk";
import type { RiskReport } from "./report";
import { runRiskReport } from "./runReport";
import { canonicalReportText, POSTED_REPORT_OPTIONS, postFromReport, seedForBlockHash } from "./verifyCanonical";
import { readJuniorStressLoss } from "./verifyStress";

/** A FigurePosted event with where it was mined. */
export type PostedFigureEvent = {
  juniorEs99: bigint;
  juniorCapital: bigint;
  stressLoss: bigint;
  blockNumber: bigint;
  seed: bigint;
  paths: bigint;
  reportHash: Hex;
  targetShareBps: bigint;
  shareBps: bigint;
  postedInBlock: bigint;
  postedAt: bigint;
};

/** One line of the comparison; `ok` null for a line that informs and checks nothing. */
export type VerifyRow = { check: string; posted: string; reproduced: string; ok: boolean | null };

export type VerifyResult = {
  ok: boolean;
  figure: PostedFigureEvent;
  rows: VerifyRow[];
  report: RiskReport;
  /** The reproduced report.json bytes the hash covers (report.json without `code`). */
  canonicalText: string;
};

export type VerifyOptions = {
  /** The figure posted for this book block (default the latest figure). */
  block?: bigint | undefined;
  workers?: number | undefined;
  onStage?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
};

/** Every FigurePosted event of the deployment's tail-risk oracle, oldest first. */
export async function readPostedFigures(
  client: PublicClient<Transport, Chain>,
  deployment: Deployment,
): Promise<PostedFigureEvent[]> {
  const oracle = await resolveTailRiskOracle(client, deployment);
  if (!oracle) throw new PerpError("this deployment has no tail-risk oracle (backstop.tailRiskOracle() is unset)");
  const logs = await client.getContractEvents({
    address: oracle,
    abi: iTailRiskOracleAbi,
    eventName: "FigurePosted",
    fromBlock: deployment.startBlock,
    toBlock: "latest",
    strict: true,
  });
  const times = new Map<bigint, bigint>();
  for (const l of logs) {
    if (!times.has(l.blockNumber))
      times.set(l.blockNumber, (await client.getBlock({ blockNumber: l.blockNumber })).timestamp);
  }
  return logs.map((l) => ({
    ...l.args,
    postedInBlock: l.blockNumber,
    postedAt: times.get(l.blockNumber) ?? 0n,
  }));
}

/**
 * Reproduces a posted figure and compares it with the chain.
 * @example
 * const { ok, rows } = await verifyPostedFigure(publicClient, deployment, { block: 1234n });
 */
export async function verifyPostedFigure(
  client: PublicClient<Transport, Chain>,
  deployment: Deployment,
  o: VerifyOptions = {},
): Promise<VerifyResult> {
  const oracle = await resolveTailRiskOracle(client, deployment);
  if (!oracle) throw new PerpError("this deployment has no tail-risk oracle (backstop.tailRiskOracle() is unset)");
  const all = await readPostedFigures(client, deployment);
  const matching = o.block === undefined ? all : all.filter((f) => f.blockNumber === o.block);
  const figure = matching[matching.length - 1];
  if (!figure) {
    throw new PerpError(
      o.block === undefined ? "no figure has been posted yet" : `no figure was posted for block ${o.block}`,
      { details: all.length ? `posted blocks: ${all.map((f) => f.blockNumber).join(", ")}` : undefined },
    );
  }
  o.onStage?.(
    `[figure] block ${figure.blockNumber}, seed ${figure.seed}, ${figure.paths} paths, posted in block ${figure.postedInBlock}`,
  );
  const { report, book } = await runRiskReport(client, deployment, {
    ...POSTED_REPORT_OPTIONS,
    block: figure.blockNumber,
    paths: Number(figure.paths),
    seed: figure.seed.toString(),
    workers: o.workers,
    onStage: o.onStage,
    onProgress: o.onProgress,
  });
  // The reference shock and the bounds as the keeper read them at B, and as the oracle applied them at the post.
  const [paramsAtBook, paramsAtPost, bookBlock] = await Promise.all([
    readTailRiskParams(client, oracle, figure.blockNumber),
    readTailRiskParams(client, oracle, figure.postedInBlock),
    client.getBlock({ blockNumber: figure.blockNumber }),
  ]);
  const stressWad = await readJuniorStressLoss(client, deployment.contracts.lens, book, paramsAtBook.referenceShockBps);
  const again = postFromReport(report, stressWad);
  const target = targetShareBpsUp(again.juniorEs99, again.juniorCapital, paramsAtPost);
  const share = await boundedShare(client, oracle, all, figure);
  const row = (check: string, posted: bigint | string, reproduced: bigint | string): VerifyRow => ({
    check,
    posted: posted.toString(),
    reproduced: reproduced.toString(),
    ok: posted === reproduced,
  });
  const rows: VerifyRow[] = [
    row("report hash", figure.reportHash, again.reportHash),
    row("junior ES99 (asset units)", figure.juniorEs99, again.juniorEs99),
    row("junior capital (asset units)", figure.juniorCapital, again.juniorCapital),
    row(
      `stress loss at ${Number(paramsAtBook.referenceShockBps) / 100} % (asset units)`,
      figure.stressLoss,
      again.stressLoss,
    ),
    row("target share (bps)", figure.targetShareBps, target),
    row("share after bounds (bps)", figure.shareBps, share),
    {
      check: "seed = low 64 bits of the block's hash",
      posted: figure.seed.toString(),
      reproduced: seedForBlockHash(bookBlock.hash).toString(),
      ok: null,
    },
  ];
  return {
    ok: rows.every((r) => r.ok !== false),
    figure,
    rows,
    report,
    canonicalText: canonicalReportText(report),
  };
}

/** The share the bounds allow for `figure`, replaying every post up to it with the params the oracle had at each. */
async function boundedShare(
  client: PublicClient<Transport, Chain>,
  oracle: Hex,
  all: readonly PostedFigureEvent[],
  figure: PostedFigureEvent,
): Promise<bigint> {
  let state: ShareState | undefined;
  for (const f of all) {
    const params = await readTailRiskParams(client, oracle, f.postedInBlock);
    state = nextShareState(state, f.targetShareBps, f.postedAt, params);
    if (f === figure) return state.shareBps;
    // Later posts move from what the chain stored (a mismatch earlier is reported for that post, not carried).
    state = { ...state, shareBps: f.shareBps };
  }
  throw new PerpError("the figure is not among the posted figures");
}
