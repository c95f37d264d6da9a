// The crash: an index gap in one block, and its prediction. Liquidation settles at the index, so the bad debt
// is exact if the stack is computed for the block the liquidations land in: PerpLens.stressTest is called on the
// state before the gap, at the gap's shock, with the block time overridden to the second the keeper's
// liquidation block is mined at (so funding accrued to that second is included).
import { type Address, decodeFunctionResult, encodeFunctionData } from "viem";
import { call } from "viem/actions";
import { perpLensAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { DevClients } from "../devnet/clients";
import { PerpError } from "../errors";
import { ALL_MARKETS, shockIndex } from "../pool/math/stressMath";
import type { StressResult } from "../pool/types";

export type CrashSpec = { market: string; bps: bigint };
export type Accounts = { owners: Address[]; subIds: bigint[] };

/** The market id `stressTest` takes: one market, or every market. */
export function crashMarketId(deployment: Deployment, spec: CrashSpec): bigint {
  if (spec.market === "all") return ALL_MARKETS;
  const m = deployment.markets.find((x) => x.symbol === spec.market);
  if (!m) throw new PerpError(`crash: unknown market ${spec.market}`);
  return BigInt(m.marketId);
}

/** The index of every market after the gap. */
export function crashedPrices(deployment: Deployment, spec: CrashSpec, prices: readonly bigint[]): bigint[] {
  const target = crashMarketId(deployment, spec);
  return prices.map((p, i) => (target === ALL_MARKETS || BigInt(i) === target ? shockIndex(p, spec.bps) : p));
}

/** PerpLens.stressTest at `blockNumber` as if mined at `time`. */
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
    functionName: "stressTest",
    args: [crashMarketId(deployment, spec), spec.bps, accounts.owners, accounts.subIds],
  });
  const r = await call(clients.publicClient, {
    to: deployment.contracts.lens,
    data,
    blockNumber,
    blockOverrides: { time },
  });
  if (!r.data) throw new PerpError("stressTest returned no data");
  return decodeFunctionResult({ abi: perpLensAbi, functionName: "stressTest", data: r.data });
}
