// Both tranches' share price and trailing APR over time, sampled at blocks between a start block and the head, and
// the premium they received (each payout, and the backstop's split of it). Read-only: historical eth_call by block
// number (the node must serve past state: an archive node, or anvil) and eth_getLogs.
//
// Sampling: at most `samples` blocks. The blocks lie on a grid `start + k * step` whose step is a power of two, plus
// the head itself, so the blocks of one call are mostly the blocks of the next (the step doubles as the chain grows,
// keeping every other block): with a cache, a page that redraws every block re-reads only the head and new grid points.
import type { AbiEvent, Address, GetLogsReturnType, Log } from "viem";
import { getAbiItem } from "viem";
import { getBlock, getBlockNumber, readContract } from "viem/actions";
import { z } from "zod";
import { backstopAbi, iTrancheBoostAbi, trancheVaultAbi } from "../../abi/generated";
import { getDeploymentBlock } from "../../chain/deploymentBlock";
import { getLogsInChunks } from "../../chain/logsInChunks";
import { PerpError } from "../../errors";
import { WAD } from "../../money";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { annualize, YEAR } from "../math/apr";

const DAY = 86_400n;
/** Samples per call by default. */
export const DEFAULT_HISTORY_SAMPLES = 60;
/** The most samples one call may ask for. */
export const MAX_HISTORY_SAMPLES = 1_000;

export type TrancheHistorySide = "junior" | "senior";

/**
 * What a cache keeps, from blocks at least `confirmations` below the head only: one vault's accounting at one block,
 * block timestamps, and the event logs already scanned (so a later call scans only the blocks after them).
 */
export type TrancheHistoryCache = {
  points: Map<string, { sharePrice: bigint; sharePriceScaled: bigint; totalAssets: bigint }>;
  timestamps: Map<bigint, bigint>;
  /** Per contract, event and start block: the logs in [start, toBlock]. */
  logs: Map<string, { toBlock: bigint; logs: readonly Log[] }>;
};

export function createTrancheHistoryCache(): TrancheHistoryCache {
  return { points: new Map(), timestamps: new Map(), logs: new Map() };
}

export type GetTrancheHistoryParameters = {
  junior: Address;
  senior: Address;
  /** The backstop, for its premium split events (`PremiumSplit`, `PremiumDistributed`); omitted: none reported. */
  backstop?: Address | undefined;
  /** First block sampled (e.g. `deployment.startBlock`); blocks before a vault's deployment are skipped for it. */
  fromBlock: bigint;
  /** Last block sampled (default the head). */
  toBlock?: bigint | undefined;
  /** At most this many sample blocks (default 60, 2 to 1,000). */
  samples?: number | undefined;
  /**
   * The trailing window of each point's APR, seconds (default 1 day). The window starts at the latest sample at
   * least this old, so it spans at least `aprWindow` (more when samples are sparser than the window).
   */
  aprWindow?: bigint | number | undefined;
  /** Reuse (and fill) this cache across calls (default none). */
  cache?: TrancheHistoryCache | undefined;
  /** Reads at blocks at least this many below `toBlock` are cached (default 64: deep enough to be final). */
  confirmations?: bigint | undefined;
  /** Premium events kept per list, newest first (default 500): bounds the block headers read. */
  maxEvents?: number | undefined;
  /** Blocks per eth_getLogs request (default 5,000). */
  logChunkSize?: bigint | undefined;
};

/** One sample of one tranche. Amounts in asset units (bigint); rates WAD fractions a year (1e18 = 100 %). */
export type TrancheHistoryPoint = {
  blockNumber: bigint;
  timestamp: bigint;
  /** `convertToAssets(10^decimals)`: asset units one whole share redeems for, rounded down. */
  sharePrice: bigint;
  /** `convertToAssets(10^(decimals + 18))`: the share price with 18 more digits (the APR is computed from it). */
  sharePriceScaled: bigint;
  totalAssets: bigint;
  /**
   * Trailing share-price APR: `(sharePriceScaled - base) / base * YEAR / elapsed`, rounded down, where base is the
   * latest earlier sample at least `aprWindow` old (the first sample when there is none). null at the first sample.
   */
  apr: bigint | null;
  /** The block the APR is measured from (this block at the first sample). */
  aprFromBlock: bigint;
  /** Seconds the APR is annualized over. */
  aprElapsed: bigint;
  /** False when no sample was `aprWindow` old (the APR then covers less than the window). */
  aprComplete: boolean;
};

/** A premium payment into a vault: `PremiumAdded` (streamed into the share price) or `BoostPremiumAdded` (the pot). */
export type TranchePremiumEvent = {
  kind: "stream" | "boost";
  blockNumber: bigint;
  timestamp: bigint;
  assets: bigint;
  /** When the stream has vested (0 for a boost payment). */
  streamEnd: bigint;
};

export type TrancheHistory = {
  vault: Address;
  /** The vault's first block with code. */
  deployedAt: bigint;
  /** Oldest first; only sample blocks at or after `deployedAt`. */
  points: TrancheHistoryPoint[];
  /** Oldest first (the newest `maxEvents` of each kind). */
  premiums: TranchePremiumEvent[];
};

/** One `distributePremium`: the backstop's `PremiumDistributed`, and its `PremiumSplit` when it emitted one. */
export type PremiumDistribution = {
  blockNumber: bigint;
  timestamp: bigint;
  amount: bigint;
  toJunior: bigint;
  toSenior: bigint;
  /** The junior share the split used, bps; null for a backstop that emits no `PremiumSplit`. */
  juniorShareBps: bigint | null;
  /** "posted": the tail-risk oracle's figure; "capital": weight × capital; null without `PremiumSplit`. */
  source: "posted" | "capital" | null;
};

export type GetTrancheHistoryReturnType = {
  fromBlock: bigint;
  toBlock: bigint;
  /** The grid step, blocks (a power of two). */
  step: bigint;
  aprWindow: bigint;
  /** The sample blocks, oldest first. */
  blocks: { blockNumber: bigint; timestamp: bigint }[];
  junior: TrancheHistory;
  senior: TrancheHistory;
  /** Oldest first (the newest `maxEvents`); empty without `backstop`. */
  distributions: PremiumDistribution[];
};

const schema = z.object({
  junior: addressSchema,
  senior: addressSchema,
  backstop: addressSchema.optional(),
  fromBlock: z.bigint().nonnegative(),
  toBlock: z.bigint().nonnegative().optional(),
  samples: z.number().int().min(2).max(MAX_HISTORY_SAMPLES).default(DEFAULT_HISTORY_SAMPLES),
  aprWindow: z
    .union([z.bigint(), z.number().int()])
    .transform((v) => BigInt(v))
    .refine((v) => v >= 0n && v <= 10n * YEAR, { message: "aprWindow must be 0 s to 10 years" })
    .default(DAY),
  cache: z.custom<TrancheHistoryCache>((v) => typeof v === "object" && v !== null && "logs" in v).optional(),
  confirmations: z.bigint().nonnegative().default(64n),
  maxEvents: z.number().int().min(0).default(500),
  logChunkSize: z.bigint().positive().optional(),
});

/**
 * The sample blocks in [start, head]: `start + k * step` below head, then head, with step the smallest power of two
 * that keeps the count at most `samples` (>= 2). Oldest first.
 * @example historySampleBlocks(100n, 110n, 4) // { step: 4n, blocks: [100n, 104n, 108n, 110n] }
 */
export function historySampleBlocks(start: bigint, head: bigint, samples: number): { step: bigint; blocks: bigint[] } {
  if (head <= start) return { step: 1n, blocks: [head < start ? start : head] };
  const span = head - start;
  const minStep = (span + BigInt(samples) - 2n) / BigInt(samples - 1); // ceil(span / (samples - 1))
  let step = 1n;
  while (step < minStep) step *= 2n;
  const blocks: bigint[] = [];
  for (let b = start; b < head; b += step) blocks.push(b);
  blocks.push(head);
  return { step, blocks };
}

/** The newest `n` of `list` (oldest first). */
const newest = <T>(list: readonly T[], n: number): T[] => (n === 0 ? [] : list.slice(-n));

/**
 * Each point's trailing APR from `points` (oldest first): the base is the latest earlier point at least `window`
 * seconds older, else the first point.
 */
export function trailingAprs(
  points: readonly { blockNumber: bigint; timestamp: bigint; sharePriceScaled: bigint }[],
  window: bigint,
): Pick<TrancheHistoryPoint, "apr" | "aprFromBlock" | "aprElapsed" | "aprComplete">[] {
  return points.map((point, i) => {
    let j = -1;
    for (let k = i - 1; k >= 0; k--) {
      if ((points[k] as (typeof points)[number]).timestamp <= point.timestamp - window) {
        j = k;
        break;
      }
    }
    const complete = j >= 0;
    const base = points[complete ? j : 0] as (typeof points)[number];
    const elapsed = point.timestamp - base.timestamp;
    return {
      apr: i === 0 ? null : annualize(point.sharePriceScaled - base.sharePriceScaled, base.sharePriceScaled, elapsed),
      aprFromBlock: base.blockNumber,
      aprElapsed: elapsed,
      aprComplete: complete,
    };
  });
}

/**
 * Share price and trailing APR of both tranches at up to `samples` blocks from `fromBlock` to the head, and the
 * premium paid into them (each `PremiumAdded` / `BoostPremiumAdded`, and the backstop's split of each distribution).
 * @example
 * const h = await getTrancheHistory(publicClient, { ...deployment.contracts, fromBlock: deployment.startBlock });
 * for (const p of h.junior.points) console.log(p.timestamp, p.sharePrice, p.apr);
 */
export async function getTrancheHistory(
  client: PerpClient,
  parameters: GetTrancheHistoryParameters,
): Promise<GetTrancheHistoryReturnType> {
  const p = parseParameters("getTrancheHistory", schema, parameters);
  try {
    const head = p.toBlock ?? (await getBlockNumber(client, { cacheTime: 0 }));
    if (p.fromBlock > head) throw new PerpError(`fromBlock ${p.fromBlock} is above block ${head}`);
    const cache = p.cache ?? createTrancheHistoryCache();
    const final = (n: bigint) => head - n >= p.confirmations;

    const timestampOf = async (n: bigint): Promise<bigint> => {
      const hit = cache.timestamps.get(n);
      if (hit !== undefined) return hit;
      const { timestamp } = await getBlock(client, { blockNumber: n });
      if (final(n)) cache.timestamps.set(n, timestamp);
      return timestamp;
    };

    const pointAt = async (vault: Address, one: bigint, blockNumber: bigint) => {
      const key = `${vault.toLowerCase()}:${blockNumber}`;
      const hit = cache.points.get(key);
      if (hit) return hit;
      const v = { address: vault, abi: trancheVaultAbi, blockNumber } as const;
      const [sharePrice, sharePriceScaled, totalAssets] = await Promise.all([
        readContract(client, { ...v, functionName: "convertToAssets", args: [one] }),
        readContract(client, { ...v, functionName: "convertToAssets", args: [one * WAD] }),
        readContract(client, { ...v, functionName: "totalAssets" }),
      ]);
      const point = { sharePrice, sharePriceScaled, totalAssets };
      if (final(blockNumber)) cache.points.set(key, point);
      return point;
    };

    /** `event`'s logs of `address` in [fromBlock, head]: the cached part, then a scan of the blocks after it. */
    const logsOf = async <event extends AbiEvent>(
      address: Address,
      event: event,
      fromBlock: bigint,
    ): Promise<GetLogsReturnType<event>> => {
      const key = `${address.toLowerCase()}:${event.name}:${fromBlock}`;
      const hit = cache.logs.get(key);
      const known = (hit?.logs ?? []) as GetLogsReturnType<event>;
      if (hit && hit.toBlock >= head) return known.filter((l) => (l.blockNumber ?? 0n) <= head) as typeof known;
      const start = hit ? hit.toBlock + 1n : fromBlock;
      const fresh = await getLogsInChunks(client, {
        address,
        event,
        fromBlock: start,
        toBlock: head,
        chunkSize: p.logChunkSize,
      });
      const all = [...known, ...fresh] as GetLogsReturnType<event>;
      const finalTo = head - p.confirmations;
      if (finalTo >= start) {
        cache.logs.set(key, { toBlock: finalTo, logs: all.filter((l) => (l.blockNumber ?? 0n) <= finalTo) });
      }
      return all;
    };

    const premiumEvents = async (vault: Address, fromBlock: bigint): Promise<TranchePremiumEvent[]> => {
      const [streams, boosts] = await Promise.all([
        logsOf(vault, getAbiItem({ abi: trancheVaultAbi, name: "PremiumAdded" }), fromBlock),
        logsOf(vault, getAbiItem({ abi: iTrancheBoostAbi, name: "BoostPremiumAdded" }), fromBlock),
      ]);
      const events = [
        ...newest(streams, p.maxEvents).map((l) => ({
          kind: "stream" as const,
          blockNumber: l.blockNumber,
          logIndex: l.logIndex,
          assets: l.args.assets ?? 0n,
          streamEnd: BigInt(l.args.streamEnd ?? 0),
        })),
        ...newest(boosts, p.maxEvents).map((l) => ({
          kind: "boost" as const,
          blockNumber: l.blockNumber,
          logIndex: l.logIndex,
          assets: l.args.assets ?? 0n,
          streamEnd: 0n,
        })),
      ].sort((a, b) =>
        a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
      );
      const times = await Promise.all(events.map((e) => timestampOf(e.blockNumber)));
      return events.map(({ logIndex: _, ...e }, i) => ({ ...e, timestamp: times[i] as bigint }));
    };

    const distributions = async (backstop: Address): Promise<PremiumDistribution[]> => {
      const [distributed, splits] = await Promise.all([
        logsOf(backstop, getAbiItem({ abi: backstopAbi, name: "PremiumDistributed" }), p.fromBlock),
        logsOf(backstop, getAbiItem({ abi: backstopAbi, name: "PremiumSplit" }), p.fromBlock),
      ]);
      // The backstop emits PremiumSplit immediately before its PremiumDistributed, in the same transaction.
      const splitAt = new Map(splits.map((l) => [`${l.transactionHash}:${l.logIndex + 1}`, l.args]));
      const kept = newest(distributed, p.maxEvents);
      const times = await Promise.all(kept.map((l) => timestampOf(l.blockNumber)));
      return kept.map((l, i) => {
        const split = splitAt.get(`${l.transactionHash}:${l.logIndex}`);
        return {
          blockNumber: l.blockNumber,
          timestamp: times[i] as bigint,
          amount: l.args.amount ?? 0n,
          toJunior: l.args.toJunior ?? 0n,
          toSenior: l.args.toSenior ?? 0n,
          juniorShareBps: split?.juniorShareBps ?? null,
          source: split === undefined ? null : split.source === 1 ? "posted" : "capital",
        };
      });
    };

    const { step, blocks } = historySampleBlocks(p.fromBlock, head, p.samples);
    const [times, juniorDeployed, seniorDeployed] = await Promise.all([
      Promise.all(blocks.map(timestampOf)),
      getDeploymentBlock(client, p.junior),
      getDeploymentBlock(client, p.senior),
    ]);
    const sampled = blocks.map((blockNumber, i) => ({ blockNumber, timestamp: times[i] as bigint }));

    const side = async (vault: Address, deployedAt: bigint): Promise<TrancheHistory> => {
      const at = sampled.filter((b) => b.blockNumber >= deployedAt);
      const from = deployedAt > p.fromBlock ? deployedAt : p.fromBlock;
      const [decimals, premiums] = await Promise.all([
        readContract(client, { address: vault, abi: trancheVaultAbi, functionName: "decimals", blockNumber: head }),
        from <= head ? premiumEvents(vault, from) : Promise.resolve([]),
      ]);
      const one = 10n ** BigInt(decimals);
      const values = await Promise.all(at.map((b) => pointAt(vault, one, b.blockNumber)));
      const raw = at.map((b, i) => ({ ...b, ...(values[i] as (typeof values)[number]) }));
      const aprs = trailingAprs(raw, p.aprWindow);
      return { vault, deployedAt, points: raw.map((x, i) => ({ ...x, ...aprs[i] }) as TrancheHistoryPoint), premiums };
    };

    const [junior, senior, paid] = await Promise.all([
      side(p.junior, juniorDeployed),
      side(p.senior, seniorDeployed),
      p.backstop ? distributions(p.backstop) : Promise.resolve([]),
    ]);
    return {
      fromBlock: p.fromBlock,
      toBlock: head,
      step,
      aprWindow: p.aprWindow,
      blocks: sampled,
      junior,
      senior,
      distributions: paid,
    };
  } catch (err) {
    throw actionError("getTrancheHistory", err);
  }
}
