// `npm start`: embedded anvil -> deploy -> LPs and a crowd of traders -> hours of simulated time with the keeper
// live in process -> (a junior LP asks to leave) -> the liquidation stack, predicted -> the crash -> the keeper
// liquidates -> the LP's claim -> on until the arbitrageur has taken the backstop's inventory at its descending
// discount and no repeg is due -> measured, reported, the chain stopped (also on Ctrl-C).
import { writeFile } from "node:fs/promises";
import { type Address, formatUnits, parseEventLogs } from "viem";
import { iTrancheBoostAbi, trancheVaultAbi } from "../abi/generated";
import { oracleGasHeadroom } from "../chain/oracleGas";
import { deployProtocol } from "../deploy/deployProtocol";
import type { ProtocolWallet } from "../deploy/txQueue";
import { type AnvilInstance, startAnvil } from "../devnet/anvil";
import { createDevClients } from "../devnet/clients";
import { formatPercent } from "../display/amounts";
import { PerpError } from "../errors";
import { getPremiumApr } from "../tranches/actions/getPremiumApr";
import { Actors } from "./actors";
import {
  CRASHES,
  CROWD,
  LATE_JUNIOR,
  LATE_JUNIOR_WALLET,
  NETTING_PAIR,
  scenarioDeploymentConfig,
  WALLET_COUNT,
  WALLETS,
} from "./book";
import { ChainClock } from "./chainClock";
import { type Accounts, crashedPrices, crashLabel, predictStack } from "./crash";
import { fundingOutcome } from "./funding";
import { IndexPath, seededRandom } from "./indexPath";
import { inventorySales, inventorySold, markIndexGaps, repegSteps } from "./inventorySale";
import { startKeeper } from "./keeperHost";
import {
  boostRecord,
  figurePost,
  gateRecord,
  type LpEconomicsOutcome,
  multiplierHistory,
  postedFigure,
  premiumSplits,
} from "./lpEconomics";
import { inventoryOf, keeperTxs, liquidationSteps, realizedBadDebt, withdrawalOf } from "./measure";
import { nettingOutcome } from "./netting";
import { stringifyReport } from "./report";
import { placeRealized, postedReport, type ScenarioRiskRun, scenarioRiskReport } from "./riskReport";
import { fundEveryone, readVault } from "./setup";
import { Simulation } from "./simulation";
import type { RunScenarioOptions, ScenarioResult, StackEntry, TrancheOutcome, Waterfall } from "./types";

const MINUTE = 60n;
/** Where the main job's risk report goes (the web page's Risk tab reads it there). */
const RISK_OUT = ".perp/risk";
/** Trading before the crash, in 10-minute steps. */
const TRADING_STEPS = 36;
/** The LP's request, this many steps before the crash (cooldown 1 h: it unlocks 20 minutes after). */
const REQUEST_STEPS_BEFORE = 4;
const SEED = 20_240_601;
/**
 * After the claim: at most this many one-minute steps until the inventory is sold, no repeg is due and every mark is
 * within its funding cap of the index.
 */
const AFTERMATH_STEPS = 30;

/**
 * Runs one scenario end to end and returns what it measured (and writes the JSON report if asked).
 * @example
 * const result = await runScenario({ scenario: "crash", quiet: true });
 * result.predicted.badDebt === result.realized.badDebt // true, to the wei
 */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const progress = options.quiet
    ? () => {}
    : (options.onProgress ?? ((line: string) => process.stderr.write(`${line}\n`)));
  let anvil: AnvilInstance | undefined;
  let disposeKeeper: (() => Promise<void>) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    void (async () => {
      await disposeKeeper?.().catch(() => undefined);
      await anvil?.stop().catch(() => undefined);
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      process.kill(process.pid, signal);
    })();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    let rpcUrl = options.rpcUrl;
    if (!rpcUrl) {
      anvil = await startAnvil({ accounts: WALLET_COUNT });
      rpcUrl = anvil.rpcUrl;
      progress(`[anvil] pid ${anvil.pid} on ${rpcUrl}`);
    }
    const clients = createDevClients(rpcUrl, { accounts: WALLET_COUNT });
    const deployment = await deployProtocol(clients, scenarioDeploymentConfig());
    progress(`[deploy] pool ${deployment.contracts.pool}, ${deployment.markets.length} markets`);
    const actors = new Actors(
      clients,
      deployment,
      await oracleGasHeadroom(clients.publicClient, deployment.contracts.pool),
    );
    const wallet = (i: number) => clients.wallet(i) as ProtocolWallet;
    const traders = CROWD.map((_, i) => wallet(WALLETS.firstTrader + i));
    const who = {
      juniorA: wallet(WALLETS.juniorA),
      juniorB: wallet(WALLETS.juniorB),
      senior: wallet(WALLETS.senior),
      arbitrageur: wallet(WALLETS.arbitrageur),
      traders,
      crowd: CROWD,
    };
    await fundEveryone(clients, deployment, actors, who);
    progress(`[lp] junior and senior funded; ${CROWD.length} traders and the arbitrageur hold margin`);
    const { junior, senior } = deployment.contracts;
    const firstBlock = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    const startBlock = await clients.publicClient.getBlock({ blockNumber: firstBlock });
    const vaultsStart = { junior: await readVault(clients, junior), senior: await readVault(clients, senior) };
    const lp: LpEconomicsOutcome = {
      figures: [],
      splits: [],
      multiplier: { maxBps: 10_000n, refreshes: 0 },
      boost: [],
      gate: [],
    };
    const sharesOf = (w: ProtocolWallet) =>
      clients.publicClient.readContract({
        address: junior,
        abi: trancheVaultAbi,
        functionName: "balanceOf",
        args: [w.account.address],
      });
    const lpShares = { juniorA: await sharesOf(who.juniorA), juniorB: await sharesOf(who.juniorB) };
    const tailRiskOracle = deployment.contracts.tailRiskOracle;

    const host = await startKeeper(rpcUrl, deployment, WALLETS.keeper);
    disposeKeeper = host.dispose;
    const clock = new ChainClock(clients);
    await clock.manual();
    const path = new IndexPath(
      deployment.markets.map((m) => m.initialPrice),
      SEED,
    );
    const sim = new Simulation(
      {
        clients,
        deployment,
        actors,
        clock,
        keeper: host.keeper,
        path,
        crowd: CROWD,
        traders,
        arbitrageur: who.arbitrageur,
        random: seededRandom(SEED + 1),
        progress,
      },
      startBlock.timestamp,
    );
    await sim.init();
    await sim.openBook(MINUTE);

    // Hours of trading; the first junior LP asks to leave before the crash.
    let unlock = 0n;
    for (let step = 1; step <= TRADING_STEPS; step++) {
      const request = step === TRADING_STEPS - REQUEST_STEPS_BEFORE;
      const mined = await sim.tradingStep(10n * MINUTE, 2, async (b) => {
        if (!request) return;
        const shares = await clients.publicClient.readContract({
          address: junior,
          abi: trancheVaultAbi,
          functionName: "balanceOf",
          args: [who.juniorA.account.address],
        });
        b.add("lp", actors.requestWithdraw(who.juniorA, junior, shares));
      });
      if (request) {
        const receipt = mined.items.find((i) => i.kind === "lp")?.receipt;
        const [event] = receipt
          ? parseEventLogs({ abi: trancheVaultAbi, eventName: "WithdrawRequested", logs: receipt.logs })
          : [];
        if (!event) throw new PerpError("the junior LP's withdrawal request did not mine");
        unlock = BigInt(event.args.unlockTime);
        progress(
          `[lp] junior LP A requests its whole withdrawal: ${formatUnits(event.args.assetsAtRequest, 6)} USDC now, claimable after the 1 h cooldown`,
        );
      }
      if (step % 6 === 0) progress(`[time] ${step / 6} h simulated, ${sim.trades.crowd + sim.trades.arbitrage} trades`);
    }

    // The liquidation stack before the crash, for the block the keeper will liquidate in.
    const crash = CRASHES[options.scenario];
    const accounts: Accounts = {
      owners: [...traders.map((t) => t.account.address), who.arbitrageur.account.address],
      subIds: [...CROWD.map((c) => c.subId), 0n],
    };
    // Names follow the crowd's order; `accounts` itself is reordered for the prediction below.
    const named = { owners: [...accounts.owners], subIds: [...accounts.subIds] };
    const nameOf = (owner: Address, subId: bigint) => {
      const i = named.owners.findIndex((o, j) => o.toLowerCase() === owner.toLowerCase() && named.subIds[j] === subId);
      return i < 0 ? owner : i < CROWD.length ? (CROWD[i]?.name ?? owner) : "arbitrageur";
    };
    const pairMember = (name: string) => {
      const i = CROWD.findIndex((c) => c.name === name);
      const trader = traders[i];
      if (!trader) throw new PerpError(`the crowd has no ${name}`);
      return { name, owner: trader.account.address, subId: CROWD[i]?.subId ?? 0n };
    };
    const pair = { desk: pairMember(NETTING_PAIR.desk), naked: pairMember(NETTING_PAIR.naked) };
    let beforeCrash = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    let stack: StackEntry[] = [];
    let predicted: Waterfall = { badDebt: 0n, junior: 0n, senior: 0n, socialized: 0n };
    let riskRun: ScenarioRiskRun | undefined;
    let crashTime: bigint | undefined;
    if (crash) {
      await sim.settleKeeper();
      const before = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
      beforeCrash = before;
      // The Monte-Carlo report on this book, before anything happens to it.
      riskRun = await scenarioRiskReport(clients, deployment, before, options.riskOut ?? RISK_OUT, progress);
      progress(
        `[risk] ${riskRun.risk.paths} paths over 24 h: P(junior loses) ${pct(riskRun.risk.juniorPLoss)}, junior ES99 ${formatUnits(riskRun.risk.juniorEs99, 18)} USDC, P(senior loses) ${pct(riskRun.risk.seniorPLoss)} (${(riskRun.risk.elapsedMs / 1000).toFixed(1)} s)`,
      );
      const gapTime = sim.now + 1n;
      const liquidationTime = gapTime + 1n;
      // The waterfall runs account by account with whole-token rounding, so the prediction lists the accounts in
      // the order the keeper liquidates them: the largest maintenance shortfall first (ts/keeper/book/book.ts).
      const first = await predictStack(clients, deployment, crash, accounts, before, liquidationTime);
      const order = first.accounts
        .map((a, i) => ({ i, a }))
        .sort((x, y) => {
          const sx = x.a.liquidatable ? x.a.maintenanceRequirement - BigInt(x.a.value) : -(1n << 255n);
          const sy = y.a.liquidatable ? y.a.maintenanceRequirement - BigInt(y.a.value) : -(1n << 255n);
          return sx > sy ? -1 : sx < sy ? 1 : 0;
        })
        .map((x) => x.i);
      accounts.owners = order.map((i) => accounts.owners[i] as Address);
      accounts.subIds = order.map((i) => accounts.subIds[i] as bigint);
      const s = await predictStack(clients, deployment, crash, accounts, before, liquidationTime);
      predicted = { badDebt: s.totalBadDebt, junior: s.juniorLoss, senior: s.seniorLoss, socialized: s.socialized };
      stack = s.accounts.map((a, i) => ({
        name: nameOf(a.owner, accounts.subIds[i] ?? 0n),
        owner: a.owner,
        subId: accounts.subIds[i] ?? 0n,
        value: a.value,
        maintenance: a.maintenanceRequirement,
        liquidatable: a.liquidatable,
        badDebt: a.badDebt,
      }));
      progress(`[stack] ${crashLabel(crash)}: ${s.liquidatableCount} accounts fall, bad debt predicted`);
      // The gap: every feed of the market(s) in one block, then the keeper's liquidations in the next.
      const gapped = crashedPrices(deployment, crash, path.prices);
      path.gap(gapped);
      // The steward posts the report's figure; it lands with the gap (a post moves no position).
      const post = tailRiskOracle ? await figurePost(clients, deployment, riskRun.run) : undefined;
      const gapBlock = await sim.block(1n, gapped, (b) => {
        if (post && tailRiskOracle) b.add("lp", actors.postFigure(tailRiskOracle, post));
      });
      crashTime = sim.now;
      progress(`[crash] index gapped ${crashLabel(crash)}`);
      if (post) {
        const f = await postedFigure(clients, deployment, "before the crash", post, gapBlock);
        lp.figures.push(f);
        progress(
          `[lp] steward posts the report's figure: junior ES99 ${formatUnits(f.juniorEs99, 6)} on ${formatUnits(f.juniorCapital, 6)} USDC -> junior share ${bps(f.shareBps)} (target ${bps(f.targetShareBps)}); perp risk verify: ${f.verified ? "reproduced byte for byte" : "MISMATCH"} (${f.verifySeconds.toFixed(1)} s)`,
        );
      }
      await sim.block(1n, undefined);
      progress("[keeper] liquidation block mined");
      for (let i = 0; i < 5; i++) await sim.block(12n, undefined);
      // The breaker keeps the oracle reduce-only for 5 minutes; then the arbitrageur closes the gap.
      for (let i = 0; i < 5; i++) await sim.block(MINUTE, undefined);
      // A report on the book after the crash: the oracle's history now holds the gap.
      if (tailRiskOracle) {
        const at = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
        const after = await postedReport(clients, deployment, at);
        const post2 = await figurePost(clients, deployment, after);
        const mined = await sim.tradingStep(MINUTE, 1, (b) => b.add("lp", actors.postFigure(tailRiskOracle, post2)));
        const f = await postedFigure(clients, deployment, "after the crash", post2, mined);
        lp.figures.push(f);
        progress(
          `[lp] after the crash the report's junior ES99 is ${formatUnits(f.juniorEs99, 6)} on ${formatUnits(f.juniorCapital, 6)} USDC: target ${bps(f.targetShareBps)}, the bounds let the share move to ${bps(f.shareBps)}; verify: ${f.verified ? "reproduced" : "MISMATCH"}`,
        );
      }
    }
    // After the crash (or calm): trading until the LP's cooldown has passed, then the claim.
    while (sim.now < unlock) await sim.tradingStep(5n * MINUTE, 1);
    const gateA = () => gateRecord(clients, deployment, "junior LP A", who.juniorA.account.address);
    const firstLook = await gateA();
    await sim.tradingStep(MINUTE, 1, (b) => b.add("lp", actors.claim(who.juniorA, junior)));
    let claimedPart = firstLook.claimable;
    if (firstLook.claimable < firstLook.requested) {
      lp.gate.push(firstLook);
      progress(
        `[gate] junior LP A's claim: ${share(firstLook.claimable, firstLook.requested)} claimable now (junior may not go below ${formatUnits(firstLook.floor, 6)} USDC = c x ${firstLook.fromEs99 ? "ES99" : "stress loss"}); the rest keeps its place in the queue`,
      );
      // New junior capital arrives (the posted figure raised the junior's share): the gate opens in queue order.
      const late = wallet(LATE_JUNIOR_WALLET);
      const amount = BigInt(LATE_JUNIOR) * 1_000_000n;
      await sim.block(MINUTE, undefined, (b) => {
        b.add("lp", actors.mint(late.account.address, amount));
        b.add("lp", actors.approve(late, junior));
      });
      await sim.tradingStep(MINUTE, 1, (b) => b.add("lp", actors.vaultDeposit(late, junior, amount)));
      const second = await gateA();
      lp.gate.push(second);
      progress(
        `[gate] a new junior LP deposits ${LATE_JUNIOR.toLocaleString("en-US")} USDC: A's remaining claim is ${share(second.claimable, second.requested)} claimable now`,
      );
      if (second.claimable > 0n) {
        // The claimed parts settle together, after the settlement delay from the last one.
        await sim.tradingStep(MINUTE, 1, (b) => b.add("lp", actors.claim(who.juniorA, junior)));
        claimedPart += second.claimable;
      }
    }
    if (claimedPart > 0n)
      progress("[lp] junior LP A claims: its escrowed shares bear losses through the settlement delay");
    // Step two once the settlement delay has passed: every deficit visible at the claim has been liquidated by then.
    const delay = await clients.publicClient.readContract({
      address: junior,
      abi: trancheVaultAbi,
      functionName: "settlementDelay",
    });
    const settleAt = sim.now + BigInt(delay);
    while (sim.now < settleAt) await sim.tradingStep(5n * MINUTE, 1);
    if (claimedPart > 0n) {
      await sim.tradingStep(MINUTE, 1, (b) =>
        b.add("lp", actors.settleClaim(who.juniorA, junior, who.juniorA.account.address)),
      );
      progress("[lp] junior LP A's claim settles");
    }
    // The junior LP who stayed through the crash claims its boost.
    const boostMined = await sim.tradingStep(MINUTE, 1, (b) => b.add("lp", actors.claimBoost(who.juniorB, junior)));
    const [boostEvent] = boostMined.items.flatMap((i) =>
      parseEventLogs({ abi: iTrancheBoostAbi, eventName: "BoostClaimed", logs: i.receipt.logs }),
    );
    // The aftermath: the chain and the keeper run on until the backstop's inventory has left it (the arbitrageur
    // takes it at the descending discount), no market is due a repeg (the keeper repegs while one is) and every
    // mark is back within its funding cap of the index (the arbitrageur and the repeg close the crash's gap).
    for (let i = 0; i < AFTERMATH_STEPS; i++) {
      const [sales, gaps] = await Promise.all([
        inventorySales(clients, deployment),
        markIndexGaps(clients, deployment),
      ]);
      const settled = gaps.every((g) => !g.repegDue && abs(g.gapBps) <= g.fundingCapBps);
      if (sales.length === 0 && settled) break;
      await sim.tradingStep(MINUTE, 1);
    }
    await host.dispose();
    disposeKeeper = undefined;

    // Measure.
    const lastBlock = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    const range = { fromBlock: firstBlock + 1n, toBlock: lastBlock };
    const realized = await realizedBadDebt(clients, deployment, range);
    const risk = riskRun ? await placeRealized(riskRun, realized, options.riskOut ?? RISK_OUT) : undefined;
    const endBlock = await clients.publicClient.getBlock({ blockNumber: lastBlock });
    const elapsed = endBlock.timestamp - startBlock.timestamp;
    const tranche = async (vault: Address, start: Awaited<ReturnType<typeof readVault>>): Promise<TrancheOutcome> => {
      const end = await readVault(clients, vault, lastBlock);
      const apr = await getPremiumApr(clients.publicClient, {
        vault,
        windows: [elapsed],
        blockNumber: lastBlock,
        fromBlock: deployment.startBlock,
      });
      return {
        navStart: start.nav,
        navEnd: end.nav,
        premium: end.premium - start.premium,
        apr: apr.windows[0]?.premiumApr ?? null,
        lossCovered: end.loss - start.loss,
      };
    };
    const liquidations = await liquidationSteps(clients, deployment, range, nameOf);
    if (tailRiskOracle) {
      lp.splits = await premiumSplits(clients, deployment, range);
      lp.multiplier = await multiplierHistory(clients, deployment, range);
      const none = { points: 0n, assets: 0n };
      const claimedB = boostEvent ? { points: boostEvent.args.points, assets: boostEvent.args.assets } : none;
      lp.boost = [
        await boostRecord(
          clients,
          deployment,
          "junior LP A (asked to leave before the crash)",
          who.juniorA,
          false,
          lpShares.juniorA,
          none,
        ),
        await boostRecord(
          clients,
          deployment,
          "junior LP B (stayed through it)",
          who.juniorB,
          true,
          lpShares.juniorB,
          claimedB,
        ),
      ];
      progress(
        `[boost] per share, LP B (stayed) earned ${lp.boost[1]?.secondsAt1x.toFixed(0)} s at 1x of points against LP A's ${lp.boost[0]?.secondsAt1x.toFixed(0)} (multiplier up to ${bps(lp.multiplier.maxBps)}); B claimed ${formatUnits(claimedB.assets, 6)} USDC of boost`,
      );
    }
    const result: ScenarioResult = {
      scenario: options.scenario,
      elapsedMs: 0,
      simulatedSeconds: elapsed,
      blocks: sim.blocks,
      trades: { ...sim.trades },
      stack,
      shock: crash,
      netting: await nettingOutcome(clients, deployment, pair, { before: beforeCrash, after: lastBlock }, liquidations),
      predicted,
      realized,
      risk,
      liquidations,
      funding: await fundingOutcome(clients, deployment, range, crashTime),
      tranches: {
        junior: await tranche(junior, vaultsStart.junior),
        senior: await tranche(senior, vaultsStart.senior),
      },
      keeper: await keeperTxs(clients, clients.wallet(WALLETS.keeper).account.address, range),
      withdrawal: await withdrawalOf(clients, junior, who.juniorA.account.address, range),
      inventory: await inventoryOf(clients, deployment),
      repegSteps: await repegSteps(clients, deployment, range),
      inventorySold: await inventorySold(clients, deployment, range),
      markIndexGap: await markIndexGaps(clients, deployment),
      lp: tailRiskOracle ? lp : undefined,
    };
    result.elapsedMs = performance.now() - started;
    if (options.report) await writeFile(options.report, stringifyReport(result));
    return result;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await disposeKeeper?.().catch(() => undefined);
    if (anvil) {
      await anvil.stop();
      progress(`[anvil] pid ${anvil.pid} stopped`);
    }
  }
}

/** bps as a percentage: 5000n -> "50.0 %". */
function bps(x: bigint): string {
  return `${(Number(x) / 100).toFixed(1)} %`;
}

/** part / whole as a whole percentage. */
function share(part: bigint, whole: bigint): string {
  return formatPercent(part, whole, 0);
}

function pct(p: number): string {
  return `${(p * 100).toFixed(1)} %`;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
