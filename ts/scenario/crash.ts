// The crash: a joint index gap in one block, and its prediction. Liquidation settles at the index, so the bad debt
// is exact if the stack is computed for the block the liquidations land in: PerpLens.stressTestJoint is called on
// the state before the gap, at the gap's moves (every account margined with netting at the shocked prices), with the
// block time overridden to the second the keeper's liquidation block is mined at (so funding accrued to that second
// is included).
import { type Address, decodeFunctionResult, encodeFunctionData } from "viem";
import { call } from "viem/actions";
import { perpLensAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { formatMoveBps } from "../display/scenario";
import { PerpError } from "../errors";
import { shockIndex } from "../pool/math/stressMath";
import type { StressResult } from "../pool/types";

export type CrashSpec = readonly { readonly market: string; readonly bps: bigint }[];
export type Accounts = { owners: Address[]; subIds: bigint[] };

/** One move per market id, as `stressTestJoint` takes it (0: the market stays put). */
export function crashShocks(deployment: Deployment, spec: CrashSpec): bigint[] {
  const shocks = deployment.markets.map(() => 0n);
  for (const move of spec) {
    const m = deployment.markets.find((x) => x.symbol === move.market);
    if (!m) throw new PerpError(`crash: unknown market ${move.market}`);
    shocks[m.marketId] = move.bps;
  }
  return shocks;
}

/** The crash for people: "ETH −20 %, BTC −15 %". */
export function crashLabel(spec: CrashSpec): string {
  return spec.map((m) => `${m.market} ${formatMoveBps(m.bps)}`).join(", ");
}

/** The index of every market after the gap. */
export function crashedPrices(deployment: Deployment, spec: CrashSpec, prices: readonly bigint[]): bigint[] {
  const shocks = crashShocks(deployment, spec);
  return prices.map((p, i) => {
    const bps = shocks[i] ?? 0n;
    return bps === 0n ? p : shockIndex(p, bps);
  });
}

/** PerpLens.stressTestJoint at `blockNumber` as if mined at `time`. */
export async function predictStack(
  clients: DevClients,
  deployment: Deployment,
  spec: CrashSpec,
  accounts: Accounts,
  blockNumber: bigint,
  time: bigint,
): Promise<StressResult> {
  const data = encodeFunctionData({
    abi: perpLensAbi,
    functionName: "stressTestJoint",
    args: [crashShocks(deployment, spec), accounts.owners, accounts.subIds],
  });
  const r = await call(clients.publicClient, {
    to: deployment.contracts.lens,
    data,
    blockNumber,
    blockOverrides: { time },
  });
  if (!r.data) throw new PerpError("stressTestJoint returned no data");
  return decodeFunctionResult({ abi: perpLensAbi, functionName: "stressTestJoint", data: r.data });
}
