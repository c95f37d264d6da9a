// The junior tail-risk figure and the boost multiplier ([5/6] LP economics).
//
// Figure: every `riskFigureIntervalSeconds` (the schedule lives on chain: the posted figure's `postedAt`), the task
// reads the book at the head's parent block B, runs the risk report there (`riskFigurePaths` paths, seed = the low 64
// bits of B's hash, the options every posted figure uses: ts/risk/verifyCanonical.ts) in `riskFigureWorkers` worker
// threads, in the background (a tick never waits for it), reads the stress view's junior loss at B, and posts the
// figure through the steward account (the keeper's signer must be the oracle's steward; otherwise it only says so).
// `perp risk verify` reproduces what it posted.
//
// Boost: at each check, each vault whose stored boost multiplier differs from the oracle's (clamped as the vault
// clamps it) gets `refreshBoost()` (permissionless), so points accrue at the multiplier the volatility asks for.
// Checks run at most once per `riskFigureCheckSeconds` of chain time (default 60): between them a block costs the
// task no request; a report in flight, a post to send or a post to confirm is followed every block.
import { type Address, type Chain, encodeFunctionData, isAddressEqual, type PublicClient, type Transport } from "viem";
import { iTailRiskOracleAbi, iTrancheBoostAbi } from "../../abi/generated";
import type { Deployment } from "../../deploy/deployment";
import { runRiskReport } from "../../risk/runReport";
import { POSTED_REPORT_OPTIONS, postFromReport, seedForBlockHash } from "../../risk/verifyCanonical";
import { readJuniorStressLoss } from "../../risk/verifyStress";
import type { ITailRiskPost } from "../../risk/verifyTypes";
import { readTailRiskParams } from "../../tranches/actions/getJuniorShare";
import { resolveTailRiskOracle } from "../../tranches/lpDeployment";
import { clampBoostMultiplierBps } from "../../tranches/math/boost";
import type { Logger } from "../logger";
import type { KeeperMetrics } from "../metrics";
import { BaseTask, type TickContext } from "./task";

/** Wait after a failed run or a post that did not land before trying again (seconds of chain time, at most the
 * interval). */
const RETRY_SECONDS = 300n;
/** A sent post that has not shown on chain after this long is given up (and counted as a failure). */
const POST_TIMEOUT_SECONDS = 600n;

type Ready = { post: ITailRiskPost; runSeconds: number };

export class RiskFigureTask extends BaseTask {
  readonly name = "riskFigure";
  private oracle: Address | null | undefined;
  /** The report in progress (never awaited by a tick). */
  private inFlight: Promise<void> | undefined;
  private ready: Ready | undefined;
  /** The book block of the post we sent, and until when we wait for it on chain. */
  private awaiting: { block: bigint; until: bigint } | undefined;
  private nextAttemptAt = 0n;
  private nextCheckAt = 0n;
  private notSteward: string | undefined;
  private lastPostedBlock: bigint | undefined;

  constructor(
    private readonly client: PublicClient<Transport, Chain>,
    private readonly deployment: Deployment,
    private readonly metrics: () => KeeperMetrics,
    private readonly signer: Address | undefined,
  ) {
    super();
  }

  override health() {
    const base = super.health();
    if (!this.notSteward) return base;
    return { ...base, detail: [base.detail, this.notSteward].filter(Boolean).join("; ") };
  }

  protected async run(ctx: TickContext): Promise<void> {
    if (this.oracle === undefined) this.oracle = await resolveTailRiskOracle(this.client, this.deployment);
    const oracle = this.oracle;
    if (!oracle) return;
    if (this.ready) return this.post(ctx, oracle, this.ready);
    if (this.awaiting) {
      this.notePosted(ctx, await this.readFigure(oracle, ctx.head.number));
      return;
    }
    // The rest reads the chain: at most once per `riskFigureCheckSeconds` of chain time (a steady block costs the
    // keeper's loop nothing extra).
    if (ctx.head.timestamp < this.nextCheckAt) return;
    this.nextCheckAt = ctx.head.timestamp + BigInt(ctx.config.riskFigureCheckSeconds);
    try {
      await this.refreshBoosts(ctx, oracle);
    } catch (err) {
      // A vault without the boost (a deployment from before it) or a failed read: the figure goes on regardless.
      ctx.log.debug({ task: this.name, err }, "boost multiplier check failed");
    }
    if (ctx.config.riskFigureIntervalSeconds === 0 || this.inFlight) return;
    const figure = await this.readFigure(oracle, ctx.head.number);
    if (figure.postedAt !== 0n) this.metrics().riskFigureShareBps.set(figure.shareBps);
    const interval = BigInt(ctx.config.riskFigureIntervalSeconds);
    if (figure.postedAt !== 0n && ctx.head.timestamp < figure.postedAt + interval) return;
    if (ctx.head.timestamp < this.nextAttemptAt || ctx.head.number === 0n) return;
    if (!(await this.isSteward(ctx, oracle))) return;
    const block = ctx.head.number - 1n;
    this.nextAttemptAt = ctx.head.timestamp + (interval < RETRY_SECONDS ? interval : RETRY_SECONDS);
    const log = ctx.log;
    log.info({ task: this.name, block, paths: ctx.config.riskFigurePaths }, "risk figure: running the report");
    this.inFlight = this.compute(oracle, block, ctx.config.riskFigurePaths, ctx.config.riskFigureWorkers, log)
      .then((ready) => {
        // A keeper stopped (or reset onto another chain) meanwhile does not post what it computed.
        if (!this.running) return;
        this.ready = ready;
        this.metrics().riskFigureRunSeconds.set(ready.runSeconds);
      })
      .catch((err: unknown) => {
        this.metrics().riskFigureFailures.inc();
        this.lastError = err instanceof Error ? err.message.split("\n")[0] : String(err);
        log.warn({ task: this.name, block, err }, "risk figure: the report failed");
      })
      .finally(() => {
        this.inFlight = undefined;
      });
  }

  /** The report at `block` and the stress view there, as the oracle's Post. */
  private async compute(oracle: Address, block: bigint, paths: number, workers: number, log: Logger): Promise<Ready> {
    const started = performance.now();
    const { hash } = await this.client.getBlock({ blockNumber: block });
    const { report, book } = await runRiskReport(this.client, this.deployment, {
      ...POSTED_REPORT_OPTIONS,
      block,
      paths,
      seed: seedForBlockHash(hash).toString(),
      workers,
    });
    const { referenceShockBps } = await readTailRiskParams(this.client, oracle, block);
    const stress = await readJuniorStressLoss(this.client, this.deployment.contracts.lens, book, referenceShockBps);
    const post = postFromReport(report, stress);
    const runSeconds = (performance.now() - started) / 1000;
    log.info(
      {
        task: this.name,
        block,
        juniorEs99: post.juniorEs99,
        juniorCapital: post.juniorCapital,
        stressLoss: post.stressLoss,
        seed: post.seed,
        paths: post.paths,
        reportHash: post.reportHash,
        runSeconds: Number(runSeconds.toFixed(3)),
      },
      "risk figure: report done",
    );
    return { post, runSeconds };
  }

  private async post(ctx: TickContext, oracle: Address, ready: Ready): Promise<void> {
    const r = await ctx.submit({
      key: `riskFigure:${ready.post.blockNumber}`,
      task: this.name,
      to: oracle,
      data: encodeFunctionData({ abi: iTailRiskOracleAbi, functionName: "post", args: [ready.post] }),
      slots: ["riskFigure"],
    });
    if (r.kind === "skipped") return; // our earlier post still holds the slot: try again next tick
    this.ready = undefined;
    if (r.kind === "sent" || r.kind === "done") {
      this.awaiting = { block: ready.post.blockNumber, until: ctx.head.timestamp + POST_TIMEOUT_SECONDS };
      ctx.log.info({ task: this.name, block: ready.post.blockNumber, outcome: r.kind }, "risk figure: post sent");
    } else if (r.kind === "failed") {
      this.metrics().riskFigureFailures.inc();
      ctx.log.warn({ task: this.name, block: ready.post.blockNumber, reason: r.reason }, "risk figure: post failed");
    }
  }

  private readFigure(oracle: Address, blockNumber: bigint) {
    return this.client.readContract({ address: oracle, abi: iTailRiskOracleAbi, functionName: "figure", blockNumber });
  }

  /** Counts our post once the chain shows it; gives up on one that never shows. */
  private notePosted(ctx: TickContext, figure: { blockNumber: bigint; shareBps: number; postedAt: bigint }): void {
    if (figure.postedAt !== 0n) this.metrics().riskFigureShareBps.set(figure.shareBps);
    const a = this.awaiting;
    if (!a) return;
    if (figure.blockNumber >= a.block) {
      this.awaiting = undefined;
      if (figure.blockNumber === a.block && this.lastPostedBlock !== a.block) {
        this.lastPostedBlock = a.block;
        this.metrics().riskFigurePosts.inc();
        ctx.log.info(
          { task: this.name, block: a.block, shareBps: figure.shareBps, postedAt: figure.postedAt },
          "risk figure: posted",
        );
      }
    } else if (ctx.head.timestamp > a.until) {
      this.awaiting = undefined;
      this.metrics().riskFigureFailures.inc();
      ctx.log.warn({ task: this.name, block: a.block }, "risk figure: the post did not land");
    }
  }

  private async isSteward(ctx: TickContext, oracle: Address): Promise<boolean> {
    const steward = await this.client.readContract({
      address: oracle,
      abi: iTailRiskOracleAbi,
      functionName: "steward",
    });
    if (this.signer && isAddressEqual(steward, this.signer)) {
      this.notSteward = undefined;
      return true;
    }
    const why = `risk figure: the signer is not the oracle's steward (${steward}); not posting`;
    if (this.notSteward !== why) ctx.log.warn({ task: this.name, steward, signer: this.signer }, why);
    this.notSteward = why;
    return false;
  }

  private async refreshBoosts(ctx: TickContext, oracle: Address): Promise<void> {
    const at = { blockNumber: ctx.head.number } as const;
    const target = clampBoostMultiplierBps(
      await this.client.readContract({
        address: oracle,
        abi: iTailRiskOracleAbi,
        functionName: "boostMultiplierBps",
        ...at,
      }),
    );
    for (const vault of [this.deployment.contracts.junior, this.deployment.contracts.senior]) {
      const stored = await this.client.readContract({
        address: vault,
        abi: iTrancheBoostAbi,
        functionName: "boostMultiplierBps",
        ...at,
      });
      if (stored === target) continue;
      const r = await ctx.submit({
        key: `boost:${vault}:${ctx.head.number}`,
        task: this.name,
        to: vault,
        data: encodeFunctionData({ abi: iTrancheBoostAbi, functionName: "refreshBoost" }),
        slots: [`boost:${vault}`],
      });
      if (r.kind === "sent") {
        this.metrics().boostRefreshes.inc();
        ctx.log.info({ task: this.name, vault, from: stored, to: target }, "boost multiplier refresh sent");
      }
    }
  }
}
