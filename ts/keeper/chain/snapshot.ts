// One batched read per block: every market's raw state, config, oracle observation and peek, the lens's market
// view, the pool's premium ledger and risk engine, and the raw state of the accounts that changed (events) since the
// last read. All of it in one multicall (chunked only when the account list is long), pinned to the head block. The
// risk engine's grid is code (immutable): it is read once per engine address (`RiskEngineCache`).
import { type Address, type Chain, type Hex, type PublicClient, type Transport, zeroAddress } from "viem";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi } from "../../abi/generated";
import { readRiskGrid } from "../../pool/actions/getRiskEngine";
import type { RiskGrid } from "../../pool/math/portfolioMath";
import type { Account, MarketConfig, MarketState, MarketView, Position } from "../../pool/types";
import { type MarketPricing, marketPricing } from "../book/localHealth";
import { batchRead, resultValue, type ViewCall } from "./batchRead";
import type { BlockInfo } from "./blockTracker";

export type OracleReading = { price: bigint; status: number };

export type MarketSnapshot = {
  marketId: bigint;
  state: MarketState;
  config: MarketConfig;
  /** What a refresh now would store (undefined when peek reverted). */
  peek: OracleReading | undefined;
  last: OracleReading & { timestamp: bigint };
  view: MarketView | undefined;
  pricing: MarketPricing;
};

export type AccountRead = { id: Hex; account: Account; positions: Map<number, Position> };

export type Snapshot = {
  head: BlockInfo;
  marketCount: bigint;
  markets: MarketSnapshot[];
  pendingPremium: bigint;
  /** The pool's risk engine grid (null: none, or a pool without one: every market additive). */
  riskEngine: RiskGrid | null;
  accounts: AccountRead[];
};

/** The last engine read and its grid: a new grid is a new engine address, so the grid is read once per address. */
export class RiskEngineCache {
  address: Address = zeroAddress;
  grid: RiskGrid | null = null;

  async gridAt(
    client: PublicClient<Transport, Chain>,
    address: Address,
    blockNumber: bigint,
  ): Promise<RiskGrid | null> {
    if (address === this.address) return this.grid;
    const grid = address === zeroAddress ? null : await readRiskGrid(client, address, blockNumber);
    this.address = address;
    this.grid = grid;
    return grid;
  }
}

export type SnapshotAddresses = { pool: Address; lens: Address; oracle: Address };

const poolAbi = perpPoolAbi;
/** OracleStatus.Halted. */
export const ORACLE_HALTED = 2;

/**
 * Reads the snapshot at `head`. `marketCount` is the count known so far (the read also returns the current
 * count, so a newly listed market joins at the next block).
 */
export async function readSnapshot(
  client: PublicClient<Transport, Chain>,
  a: SnapshotAddresses,
  head: BlockInfo,
  marketCount: bigint,
  accounts: readonly { id: Hex; owner: Address; subId: bigint }[],
  multicallAddress?: Address,
  engines: RiskEngineCache = new RiskEngineCache(),
): Promise<Snapshot> {
  const calls: ViewCall[] = [
    { address: a.pool, abi: poolAbi, functionName: "marketCount" },
    { address: a.pool, abi: poolAbi, functionName: "pools" },
    { address: a.pool, abi: poolAbi, functionName: "riskEngine" },
  ];
  for (let m = 0n; m < marketCount; m++) {
    calls.push(
      { address: a.pool, abi: poolAbi, functionName: "marketState", args: [m] },
      { address: a.pool, abi: poolAbi, functionName: "marketConfig", args: [m] },
      { address: a.oracle, abi: oracleRouterAbi, functionName: "peek", args: [m] },
      { address: a.oracle, abi: oracleRouterAbi, functionName: "lastObservation", args: [m] },
      { address: a.lens, abi: perpLensAbi, functionName: "marketView", args: [m] },
    );
  }
  for (const acc of accounts) {
    calls.push({ address: a.pool, abi: poolAbi, functionName: "account", args: [acc.owner, acc.subId] });
    for (let m = 0n; m < marketCount; m++) {
      calls.push({ address: a.pool, abi: poolAbi, functionName: "position", args: [acc.owner, acc.subId, m] });
    }
  }
  const r = await batchRead(client, calls, { blockNumber: head.number, multicallAddress });
  let k = 0;
  const newCount = resultValue<bigint>(r[k++], "marketCount");
  const pools = resultValue<readonly [bigint, bigint, bigint]>(r[k++], "pools");
  // A pool built before the risk engine (no `riskEngine()`) margins every market additively.
  const engineR = r[k++];
  const engineAddress = engineR?.ok ? (engineR.value as Address) : zeroAddress;
  const markets: MarketSnapshot[] = [];
  for (let m = 0n; m < marketCount; m++) {
    const state = resultValue<MarketState>(r[k++], "marketState");
    const config = resultValue<MarketConfig>(r[k++], "marketConfig");
    const peekR = r[k++];
    const [lastPrice, lastStatus, lastTs] = resultValue<readonly [bigint, number, bigint]>(r[k++], "lastObservation");
    const viewR = r[k++];
    const peek = peekR?.ok ? toReading(peekR.value as readonly [bigint, number]) : undefined;
    const last = { price: lastPrice, status: Number(lastStatus), timestamp: BigInt(lastTs) };
    // As PerpLens._price: this block's stored observation, else a fresh peek.
    const used = last.timestamp === head.timestamp ? last : (peek ?? last);
    const index = used.price;
    const view = viewR?.ok ? (viewR.value as MarketView) : undefined;
    // The IM volatility multiplier the lens values with (of the variance a refresh now would store); none without a
    // market view (the lens call failed: the exact path and the lens then disagree, and the chain decides).
    const vm = view?.initialMultiplierBps;
    markets.push({
      marketId: m,
      state,
      config,
      peek,
      last,
      view,
      pricing: marketPricing(m, state, config, index, used.status === ORACLE_HALTED, head.timestamp, {
        oracleStatus: used.status,
        imMultiplierBps: vm,
      }),
    });
  }
  const reads: AccountRead[] = [];
  for (const acc of accounts) {
    const account = resultValue<Account>(r[k++], "account");
    const positions = new Map<number, Position>();
    for (let m = 0; m < Number(marketCount); m++) {
      const p = resultValue<Position>(r[k++], "position");
      if (p.size !== 0n) positions.set(m, p);
    }
    reads.push({ id: acc.id, account, positions });
  }
  const riskEngine = await engines.gridAt(client, engineAddress, head.number);
  return { head, marketCount: newCount, markets, pendingPremium: pools[1], riskEngine, accounts: reads };
}

function toReading([price, status]: readonly [bigint, number]): OracleReading {
  return { price, status: Number(status) };
}
