// The main job's LP economics ([5/6]): a risk report's figure posted on chain by the steward and reproduced by
// `perp risk verify`, the premium split it sets (PremiumSplit events, posted figure vs capital rule), the boost of an
// LP who stayed through the crash against one who asked to leave before it, and a junior exit the coverage gate holds.
import { type Address, parseEventLogs } from "viem";
import { backstopAbi, iTailRiskOracleAbi, iTrancheBoostAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { ProtocolWallet } from "../deploy/txQueue";
import type { DevClients } from "../devnet/clients";
import { PerpError } from "../errors";
import type { RiskReportRun } from "../risk/runReport";
import { postFromReport } from "../risk/verifyCanonical";
import { verifyPostedFigure } from "../risk/verifyPosted";
import { readJuniorStressLoss } from "../risk/verifyStress";
import type { ITailRiskPost } from "../risk/verifyTypes";
import { getBoost } from "../tranches/actions/getBoost";
import { getExitGate } from "../tranches/actions/getExitGate";
import { readTailRiskParams } from "../tranches/actions/getJuniorShare";
import { resolveTailRiskOracle } from "../tranches/lpDeployment";
import type { MinedItem } from "./blockBatch";

/** A figure the scenario posted: what the report measured, what the chain made of it, and whether it reproduced. */
export type ScenarioFigure = {
  label: string;
  /** The book block the report read. */
  block: bigint;
  postedInBlock: bigint;
  juniorEs99: bigint;
  juniorCapital: bigint;
  stressLoss: bigint;
  targetShareBps: bigint;
  shareBps: bigint;
  /** `perp risk verify` on the posted figure: every check passed. */
  verified: boolean;
  verifySeconds: number;
};

/** One `distributePremium`: the junior's share it used and where that came from. */
export type SplitRecord = {
  block: bigint;
  shareBps: bigint;
  source: "posted" | "capital";
  toJunior: bigint;
  toSenior: bigint;
};

export type BoostRecord = {
  name: string;
  stayed: boolean;
  /** Shares the LP deposited with (the boost accrues on shares not in a request). */
  shares: bigint;
  /** Unclaimed points at the end plus the points its claim spent (shares × bps-seconds). */
  points: bigint;
  /** Points per share, as seconds at 1× (points / shares / 10_000). */
  secondsAt1x: number;
  /** Boost premium the LP claimed during the run, and what it could still claim at the end (asset units). */
  claimed: bigint;
  claimable: bigint;
};

export type GateRecord = {
  name: string;
  block: bigint;
  floor: bigint;
  fromEs99: boolean;
  capacity: bigint;
  requested: bigint;
  ahead: bigint;
  claimable: bigint;
  claimableBps: bigint | null;
};

export type LpEconomicsOutcome = {
  figures: ScenarioFigure[];
  splits: SplitRecord[];
  /** The largest boost multiplier a vault stored during the run (bps) and how many times it changed. */
  multiplier: { maxBps: bigint; refreshes: number };
  boost: BoostRecord[];
  /** The gated claims: the first one held back, and each later look at it. */
  gate: GateRecord[];
};

/** The oracle's Post for a report run: ES99 and capital from the report, the stress view's loss at its block. */
export async function figurePost(
  clients: DevClients,
  deployment: Deployment,
  run: RiskReportRun,
): Promise<ITailRiskPost> {
  const oracle = await tailRiskOracleOf(clients, deployment);
  const { referenceShockBps } = await readTailRiskParams(clients.publicClient, oracle, run.book.block);
  const stress = await readJuniorStressLoss(
    clients.publicClient,
    deployment.contracts.lens,
    run.book,
    referenceShockBps,
  );
  return postFromReport(run.report, stress);
}

/** The FigurePosted event a block's items carry, checked against the post, reproduced by `perp risk verify`. */
export async function postedFigure(
  clients: DevClients,
  deployment: Deployment,
  label: string,
  post: ITailRiskPost,
  mined: { block: bigint; items: MinedItem[] },
): Promise<ScenarioFigure> {
  const logs = mined.items.flatMap((i) =>
    parseEventLogs({ abi: iTailRiskOracleAbi, eventName: "FigurePosted", logs: i.receipt.logs }),
  );
  const event = logs.find((l) => l.args.blockNumber === post.blockNumber);
  if (!event) throw new PerpError(`the risk figure for block ${post.blockNumber} did not post`);
  const started = performance.now();
  const verify = await verifyPostedFigure(clients.publicClient, deployment, { block: post.blockNumber });
  return {
    label,
    block: post.blockNumber,
    postedInBlock: mined.block,
    juniorEs99: post.juniorEs99,
    juniorCapital: post.juniorCapital,
    stressLoss: post.stressLoss,
    targetShareBps: event.args.targetShareBps,
    shareBps: event.args.shareBps,
    verified: verify.ok,
    verifySeconds: (performance.now() - started) / 1000,
  };
}

/** Every premium distribution in the range with the junior share it used. */
export async function premiumSplits(
  clients: DevClients,
  deployment: Deployment,
  range: { fromBlock: bigint; toBlock: bigint },
): Promise<SplitRecord[]> {
  const logs = await clients.publicClient.getContractEvents({
    address: deployment.contracts.backstop,
    abi: backstopAbi,
    ...range,
    strict: true,
  });
  const out: SplitRecord[] = [];
  for (const l of logs) {
    if (l.eventName === "PremiumSplit") {
      out.push({
        block: l.blockNumber,
        shareBps: l.args.juniorShareBps,
        source: l.args.source === 1 ? "posted" : "capital",
        toJunior: 0n,
        toSenior: 0n,
      });
    } else if (l.eventName === "PremiumDistributed") {
      // Emitted right after its PremiumSplit (none when nothing was paid out).
      const last = out.at(-1);
      if (last && last.block === l.blockNumber && last.toJunior + last.toSenior === 0n) {
        last.toJunior = l.args.toJunior;
        last.toSenior = l.args.toSenior;
      }
    }
  }
  return out;
}

/** The boost multipliers the two vaults stored (BoostMultiplierSet). */
export async function multiplierHistory(
  clients: DevClients,
  deployment: Deployment,
  range: { fromBlock: bigint; toBlock: bigint },
): Promise<{ maxBps: bigint; refreshes: number }> {
  let maxBps = 10_000n;
  let refreshes = 0;
  for (const vault of [deployment.contracts.junior, deployment.contracts.senior]) {
    const logs = await clients.publicClient.getContractEvents({
      address: vault,
      abi: iTrancheBoostAbi,
      eventName: "BoostMultiplierSet",
      ...range,
      strict: true,
    });
    refreshes += logs.length;
    for (const l of logs) if (l.args.multiplierBps > maxBps) maxBps = l.args.multiplierBps;
  }
  return { maxBps, refreshes };
}

/** A junior LP's boost at the end of the run, with what it claimed (points its claim spent counted back in). */
export async function boostRecord(
  clients: DevClients,
  deployment: Deployment,
  name: string,
  wallet: ProtocolWallet,
  stayed: boolean,
  shares: bigint,
  claimed: { points: bigint; assets: bigint },
): Promise<BoostRecord> {
  const b = await getBoost(clients.publicClient, deployment, "junior", wallet.account.address);
  const points = b.points + claimed.points;
  return {
    name,
    stayed,
    shares,
    points,
    secondsAt1x: shares === 0n ? 0 : Number(points / shares) / 10_000,
    claimed: claimed.assets,
    claimable: b.claimable,
  };
}

/** The exit gate as `owner`'s request sees it now. */
export async function gateRecord(
  clients: DevClients,
  deployment: Deployment,
  name: string,
  owner: Address,
): Promise<GateRecord> {
  const g = await getExitGate(clients.publicClient, deployment, owner);
  const mine = g.mine;
  return {
    name,
    block: g.blockNumber,
    floor: g.floor,
    fromEs99: g.fromEs99,
    capacity: g.capacity,
    requested: mine?.requested ?? 0n,
    ahead: mine?.ahead ?? 0n,
    claimable: mine?.claimable ?? 0n,
    claimableBps: mine?.claimableBps ?? null,
  };
}

async function tailRiskOracleOf(clients: DevClients, deployment: Deployment): Promise<Address> {
  const oracle = await resolveTailRiskOracle(clients.publicClient, deployment);
  if (!oracle) throw new PerpError("this deployment has no tail-risk oracle");
  return oracle;
}
