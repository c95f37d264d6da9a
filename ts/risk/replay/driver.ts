// `perp risk replay`: one Monte-Carlo path replayed on a fork of the chain at the report's block B with the real
// keeper, time compressed, following SPEC-20's time model exactly:
//   step s = 1..N at T_s = T0 + s·stepSeconds (T0 = block B's timestamp): ONE block holding every feed of every
//   market set to the path's answer, then `oracle.refresh(m)` for every market in id order; the keeper ticks on
//   it; what it sends is mined in the next block, 1 s later, and so on while it has transactions pending (at most
//   MAX_KEEPER_BLOCKS blocks a step). The block gas limit is raised so that one block holds every liquidation.
// The outcome is read back from the pool's events over the replay's blocks.
import type { Deployment } from "../../deploy/deployment";
import { type AnvilInstance, startAnvil } from "../../devnet/anvil";
import { createDevClients, type DevClients } from "../../devnet/clients";
import { PerpError } from "../../errors";
import { installMulticall3 } from "../../keeper/chain/multicall3";
import { ChainClock } from "../../scenario/chainClock";
import { MIN_STEP_SECONDS } from "../paths";
import { MAX_ROUNDS } from "../simulate";
import type { PathPrices } from "../types";
import { startReplayKeeper } from "./keeperHost";
import { measureRange, type ReplayOutcome } from "./outcome";
import { preparePriceSenders, sendPriceBlock } from "./priceBlock";

/** Blocks the keeper may need after a step block before it has nothing pending (simulatePath's bound too). */
export const MAX_KEEPER_BLOCKS = MAX_ROUNDS;
/** Block gas limit of the replay's chain: every liquidation of the book fits one block. */
export const REPLAY_BLOCK_GAS_LIMIT = 10_000_000_000n;

export type ReplayProgress = {
  step: number;
  steps: number;
  /** The step block and the last keeper block of the step. */
  block: bigint;
  lastBlock: bigint;
  timestamp: bigint;
  keeperBlocks: number;
  /** Cumulative since B. */
  badDebt: bigint;
  accountsLiquidated: number;
};

export type ReplayOptions = {
  /** Fork this node at `blockNumber` (an anvil of our own, stopped at the end). */
  forkUrl?: string | undefined;
  /** Or replay on this node as it is: its head must be `blockNumber`; the replay mines blocks on it. */
  rpcUrl?: string | undefined;
  blockNumber: bigint;
  deployment: Deployment;
  prices: PathPrices;
  stepSeconds: number;
  onProgress?: ((p: ReplayProgress) => void) | undefined;
};

/**
 * Replays `prices` from block `blockNumber` with the real keeper and returns what the chain realized.
 * @example
 * const outcome = await replayPath({ forkUrl: "http://127.0.0.1:8545", blockNumber: 120n, deployment, prices, stepSeconds: 300 });
 * outcome.junior // WAD junior paid over the path
 */
export async function replayPath(opts: ReplayOptions): Promise<ReplayOutcome> {
  const { deployment, prices, stepSeconds } = opts;
  if ((opts.forkUrl === undefined) === (opts.rpcUrl === undefined)) {
    throw new PerpError("replayPath: give either forkUrl (a fork is started) or rpcUrl (a node at the block)");
  }
  if (!Number.isInteger(stepSeconds) || stepSeconds < MIN_STEP_SECONDS) {
    throw new PerpError(`replayPath: stepSeconds must be a whole number >= ${MIN_STEP_SECONDS} (got ${stepSeconds})`);
  }
  const answers = stepAnswers(deployment, prices);
  let anvil: AnvilInstance | undefined;
  let restoreAutomine: boolean | undefined;
  let clients: DevClients | undefined;
  let disposeKeeper: (() => Promise<void>) | undefined;
  try {
    let rpcUrl = opts.rpcUrl as string;
    if (opts.forkUrl !== undefined) {
      anvil = await startAnvil({
        forkUrl: opts.forkUrl,
        forkBlockNumber: opts.blockNumber,
        accounts: 1,
        args: ["--gas-limit", REPLAY_BLOCK_GAS_LIMIT.toString(), "--no-mining"],
      });
      rpcUrl = anvil.rpcUrl;
    }
    clients = createDevClients(rpcUrl, { chainId: deployment.chainId, accounts: 1 });
    const { publicClient, testClient } = clients;
    const head = await publicClient.getBlock({ blockTag: "latest" });
    if (head.number !== opts.blockNumber) {
      throw new PerpError(
        `replay: the node's head is block ${head.number}, not the report's block ${opts.blockNumber}`,
      );
    }
    const t0 = head.timestamp;
    if (anvil === undefined) {
      restoreAutomine = await testClient.getAutomine();
      await testClient.setBlockGasLimit({ gasLimit: REPLAY_BLOCK_GAS_LIMIT });
    }
    const clock = new ChainClock(clients);
    await clock.manual();
    await installMulticall3(publicClient);
    const senders = await preparePriceSenders(clients, deployment);
    const host = await startReplayKeeper(rpcUrl, deployment, testClient);
    disposeKeeper = host.dispose;
    const keeper = host.keeper;

    const steps = answers.length;
    let firstBadDebtStep = 0;
    let keeperTransactions = 0;
    let toBlock = head.number;
    for (let s = 1; s <= steps; s++) {
      const ts = t0 + BigInt(s * stepSeconds);
      const sent = await sendPriceBlock(clients, deployment, senders, answers[s - 1] as bigint[]);
      const block = await clock.mineAt(ts);
      const receipts = await clock.receipts(sent.map((x) => x.hash));
      receipts.forEach((r, i) => {
        if (r.status !== "success" || r.blockNumber !== block) {
          throw new PerpError(
            `replay step ${s}: ${sent[i]?.label} ${r.status === "success" ? "missed" : "reverted in"} block ${block}`,
          );
        }
      });
      await keeper.tick();
      let keeperBlocks = 0;
      let last = block;
      while (keeper.tx.pendingCount > 0 || (await clock.pendingCount()) > 0) {
        if (keeperBlocks >= MAX_KEEPER_BLOCKS) {
          throw new PerpError(
            `replay step ${s}: the keeper still has ${keeper.tx.pendingCount} transaction(s) pending after ${MAX_KEEPER_BLOCKS} blocks`,
            { details: `step block ${block} at ${ts}; blocks mined 1 s apart up to ${last}` },
          );
        }
        keeperBlocks++;
        last = await clock.mineAt(ts + BigInt(keeperBlocks));
        keeperTransactions += await successfulTransactionsFrom(clients, clock, last, keeper.signer);
        await keeper.tick();
      }
      toBlock = last;
      const sofar = await measureRange(clients, deployment, { fromBlock: head.number + 1n, toBlock });
      if (firstBadDebtStep === 0 && sofar.badDebt > 0n) firstBadDebtStep = s;
      opts.onProgress?.({
        step: s,
        steps,
        block,
        lastBlock: last,
        timestamp: ts,
        keeperBlocks,
        badDebt: sofar.badDebt,
        accountsLiquidated: sofar.accountsLiquidated,
      });
    }
    const range = { fromBlock: head.number + 1n, toBlock };
    const measured = await measureRange(clients, deployment, range);
    return { ...measured, firstBadDebtStep, ...range, blocksMined: clock.blocksMined, keeperTransactions };
  } finally {
    await disposeKeeper?.().catch(() => undefined);
    if (clients && restoreAutomine !== undefined)
      await clients.testClient.setAutomine(restoreAutomine).catch(() => undefined);
    await anvil?.stop();
  }
}

/** The path's feed answers per step, per market id, as bigints (checked: whole, at least 1, one per market). */
export function stepAnswers(deployment: Deployment, prices: PathPrices): bigint[][] {
  const n = deployment.markets.length;
  const ids = deployment.markets.map((m) => m.marketId).sort((a, b) => a - b);
  if (ids.some((id, i) => id !== i)) throw new PerpError("replay: the deployment's market ids are not 0..n-1");
  if (n === 0 || prices.answers.length === 0 || prices.answers.length % n !== 0) {
    throw new PerpError(
      `replay: path ${prices.path} has ${prices.answers.length} answers, not a multiple of ${n} markets`,
    );
  }
  const out: bigint[][] = [];
  for (let s = 0; s < prices.answers.length / n; s++) {
    const row: bigint[] = [];
    for (let m = 0; m < n; m++) {
      const a = prices.answers[s * n + m] as number;
      if (!Number.isSafeInteger(a) || a < 1) {
        throw new PerpError(
          `replay: path ${prices.path} step ${s + 1} market ${m}: answer ${a} is not a whole number >= 1`,
        );
      }
      row.push(BigInt(a));
    }
    out.push(row);
  }
  return out;
}

async function successfulTransactionsFrom(
  clients: DevClients,
  clock: ChainClock,
  blockNumber: bigint,
  sender: string | undefined,
): Promise<number> {
  if (!sender) return 0;
  const block = await clients.publicClient.getBlock({ blockNumber, includeTransactions: true });
  const mine = block.transactions.filter((t) => t.from.toLowerCase() === sender.toLowerCase());
  const receipts = await clock.receipts(mine.map((t) => t.hash));
  return receipts.filter((r) => r.status === "success").length;
}
