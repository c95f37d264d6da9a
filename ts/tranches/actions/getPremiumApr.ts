import type { CurrencyAmount, Percent, Token } from "@uniswap/sdk-core";
import { type Address, decodeFunctionResult, encodeFunctionData, getAbiItem } from "viem";
import { call, getBlock, getBlockNumber, readContract } from "viem/actions";
import { z } from "zod";
import { trancheVaultAbi } from "../../abi/generated";
import { type BlockTimestampCache, getBlockAtTimestamp } from "../../chain/blockAtTimestamp";
import { getDeploymentBlock } from "../../chain/deploymentBlock";
import { getLastLogInChunks, getLogsInChunks } from "../../chain/logsInChunks";
import { mulDivDown, WAD } from "../../money";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { usdcAmount } from "../../pool/format";
import { addressSchema, parseParameters } from "../../pool/schemas";
import { annualize, wadToPercent, YEAR } from "../math/apr";
import { readVaultToken } from "../vaultToken";

const DAY = 86_400n;
/** The trailing windows reported by default: 1, 7 and 30 days. */
export const DEFAULT_APR_WINDOWS = [DAY, 7n * DAY, 30n * DAY] as const;

export type GetPremiumAprParameters = {
  /** TrancheVault address. */
  vault: Address;
  /** Trailing windows in seconds (default 1, 7 and 30 days). */
  windows?: readonly (bigint | number)[] | undefined;
  /** The block "now" is read at (default the head): the same block gives the same numbers. */
  blockNumber?: bigint | undefined;
  /** The vault's deployment block, if known (e.g. `deployment.startBlock`); default found by a search over eth_getCode. */
  fromBlock?: bigint | undefined;
  /** Block-timestamp cache for the searches (default one per client; see ts/chain/blockAtTimestamp). */
  cache?: BlockTimestampCache | undefined;
  /** Blocks per eth_getLogs request (default 5,000). */
  logChunkSize?: bigint | undefined;
  /** Seconds ahead the streaming rate is measured over (default 3,600); see PremiumStreamNow.ratePerSecondWad. */
  streamingHorizon?: bigint | number | undefined;
};

/** What the vault's accounting showed at one block. */
export type VaultSnapshot = {
  blockNumber: bigint;
  timestamp: bigint;
  /** `convertToAssets(10^decimals)`: asset units one whole share is worth (as getTranche reports it). */
  sharePrice: bigint;
  /** `convertToAssets(10^(decimals + 18))`: the share price with 18 more digits, which the APRs are computed from. */
  sharePriceScaled: bigint;
  totalAssets: bigint;
  /** Cumulative premium pulled in by `addPremium`. */
  totalPremiumReceived: bigint;
  /** Premium received but not yet vested into `totalAssets` (the vault rounds it up). */
  unvestedPremium: bigint;
  /** Cumulative losses paid out by `coverLoss`. */
  totalLossCovered: bigint;
};

/** One premium payout into the vault (a `PremiumAdded` event). */
export type PremiumPayout = { blockNumber: bigint; assets: bigint; streamEnd: bigint };

/** One trailing window. Rates are WAD fractions a year (1e18 = 100 %), simple APR, rounded down; see annualize. */
export type PremiumAprWindow = {
  /** The window asked for, seconds. */
  window: bigint;
  /** Window start: the last block at or before (now - window), or the vault's deployment block if the vault is younger. */
  from: VaultSnapshot;
  /** Window end: the "now" block. */
  to: VaultSnapshot;
  /** `to.timestamp - from.timestamp`: the seconds the rates are annualized over (>= window when complete). */
  elapsed: bigint;
  /** False when the vault is younger than the window (the rates then cover `elapsed` only). */
  complete: boolean;
  /**
   * Share-price APR: what a share held through the window earned, annualized,
   * `(sharePriceScaled(to) - sharePriceScaled(from)) / sharePriceScaled(from) * YEAR / elapsed`. Premium vested
   * net of losses drawn; deposits and claims at the share price do not move it. null when `elapsed` is 0.
   */
  apr: bigint | null;
  /**
   * Premium that vested into `totalAssets` during the window:
   * `(totalPremiumReceived - unvestedPremium)(to) - (same)(from)`. Exact unless a loss was drawn from the
   * unvested stream in the window (that premium then counts as vested here and as a loss in `lossCovered`).
   */
  premiumVested: bigint;
  /** `premiumVested / totalAssets(from) * YEAR / elapsed`: the gross premium yield on the capital at the start. */
  premiumApr: bigint | null;
  /** Losses the tranche paid in the window: `totalLossCovered(to) - totalLossCovered(from)`. */
  lossCovered: bigint;
  /** `lossCovered / totalAssets(from) * YEAR / elapsed`. */
  lossApr: bigint | null;
  /** The payouts (`PremiumAdded`) in (from.blockNumber, to.blockNumber], oldest first. */
  payouts: PremiumPayout[];
  /** Σ payouts: equals the growth of `totalPremiumReceived` over the window. */
  premiumAdded: bigint;
  display: {
    apr: Percent | null;
    premiumApr: Percent | null;
    lossApr: Percent | null;
    premiumVested: CurrencyAmount<Token>;
    lossCovered: CurrencyAmount<Token>;
  };
};

/** The premium streaming into the vault now. Rates are asset units per second times 1e18, rounded down. */
export type PremiumStreamNow = {
  /** Premium received and not yet vested (`unvestedPremium()` at the "now" block). */
  unvested: bigint;
  /** When everything paid so far has vested (`streamEnd` of the latest `PremiumAdded`); 0 when there never was one. */
  streamEnd: bigint;
  /** `max(0, streamEnd - now)`: the time left of the stream. */
  secondsLeft: bigint;
  /**
   * The rate streaming now: what vests over the next `horizon` seconds, per second, as the vault computes it
   * (`unvestedPremium()` read again with the block time overridden to now + horizon; no new payout or loss
   * assumed): `(unvested(now) - unvested(now + horizon)) * WAD / horizon`. Falls back to
   * `averageRatePerSecondWad` when the node does not take block overrides in eth_call.
   */
  ratePerSecondWad: bigint;
  /** Seconds the rate is measured over (default 3,600); 0 when the fallback was used. */
  horizon: bigint;
  /** `unvested * WAD / secondsLeft`: the average rate until everything has vested (0 when nothing streams). */
  averageRatePerSecondWad: bigint;
  /** `ratePerSecondWad * YEAR / (WAD * totalAssets)` as a WAD fraction: the rate now against today's capital. */
  apr: bigint | null;
  display: { unvested: CurrencyAmount<Token>; apr: Percent | null };
};

export type GetPremiumAprReturnType = {
  vault: Address;
  asset: Token;
  now: VaultSnapshot;
  windows: PremiumAprWindow[];
  streaming: PremiumStreamNow;
};

const schema = z.object({
  vault: addressSchema,
  windows: z
    .array(
      z
        .union([z.bigint(), z.number().int()])
        .transform((v) => BigInt(v))
        .refine((v) => v > 0n && v <= 10n * YEAR, { message: "a window must be 1 s to 10 years" }),
    )
    .min(1)
    .optional(),
  blockNumber: z.bigint().nonnegative().optional(),
  fromBlock: z.bigint().nonnegative().optional(),
  cache: z.instanceof(Map).optional(),
  logChunkSize: z.bigint().positive().optional(),
  streamingHorizon: z
    .union([z.bigint(), z.number().int()])
    .transform((v) => BigInt(v))
    .refine((v) => v > 0n && v <= YEAR, { message: "streamingHorizon must be 1 s to a year" })
    .default(3_600n),
});

/** `unvestedPremium()` on the state of `blockNumber` with the block time set to `time`; undefined if unsupported. */
async function unvestedAt(client: PerpClient, vault: Address, blockNumber: bigint, time: bigint) {
  const data = encodeFunctionData({ abi: trancheVaultAbi, functionName: "unvestedPremium" });
  try {
    const r = await call(client, { to: vault, data, blockNumber, blockOverrides: { time } });
    return r.data
      ? decodeFunctionResult({ abi: trancheVaultAbi, functionName: "unvestedPremium", data: r.data })
      : undefined;
  } catch {
    return undefined; // the node refuses block overrides: the caller falls back to the average rate
  }
}

async function snapshotAt(
  client: PerpClient,
  vault: Address,
  shareDecimals: number,
  blockNumber: bigint,
  timestamp: bigint,
): Promise<VaultSnapshot> {
  const v = { address: vault, abi: trancheVaultAbi, blockNumber } as const;
  const one = 10n ** BigInt(shareDecimals);
  const [sharePrice, sharePriceScaled, totalAssets, totalPremiumReceived, unvestedPremium, totalLossCovered] =
    await Promise.all([
      readContract(client, { ...v, functionName: "convertToAssets", args: [one] }),
      readContract(client, { ...v, functionName: "convertToAssets", args: [one * WAD] }),
      readContract(client, { ...v, functionName: "totalAssets" }),
      readContract(client, { ...v, functionName: "totalPremiumReceived" }),
      readContract(client, { ...v, functionName: "unvestedPremium" }),
      readContract(client, { ...v, functionName: "totalLossCovered" }),
    ]);
  return {
    blockNumber,
    timestamp,
    sharePrice,
    sharePriceScaled,
    totalAssets,
    totalPremiumReceived,
    unvestedPremium,
    totalLossCovered,
  };
}

/**
 * A tranche's trailing premium APRs (1, 7, 30 days by default) from its on-chain history, and the premium
 * streaming into it now. Reads the vault at past blocks (the node must serve historical state) and its
 * `PremiumAdded` events.
 * @example
 * const { windows, streaming } = await getPremiumApr(publicClient, { vault: junior });
 * for (const w of windows) console.log(w.window, w.display.apr?.toFixed(2), "%");
 */
export async function getPremiumApr(
  client: PerpClient,
  parameters: GetPremiumAprParameters,
): Promise<GetPremiumAprReturnType> {
  const p = parseParameters("getPremiumApr", schema, parameters);
  const windows = p.windows ?? [...DEFAULT_APR_WINDOWS];
  try {
    const head = p.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const [{ asset, shareDecimals }, headBlock, deployed] = await Promise.all([
      readVaultToken(client, p.vault),
      getBlock(client, { blockNumber: head }),
      p.fromBlock ?? getDeploymentBlock(client, p.vault),
    ]);
    const now = await snapshotAt(client, p.vault, shareDecimals, head, headBlock.timestamp);
    const premiumAdded = getAbiItem({ abi: trancheVaultAbi, name: "PremiumAdded" });
    const logRange = { address: p.vault, event: premiumAdded, chunkSize: p.logChunkSize, toBlock: head };

    const result: PremiumAprWindow[] = [];
    for (const window of windows) {
      const start = await getBlockAtTimestamp(client, now.timestamp - window, {
        cache: p.cache as BlockTimestampCache | undefined,
        fromBlock: deployed,
        toBlock: head,
      });
      const from = await snapshotAt(client, p.vault, shareDecimals, start.number, start.timestamp);
      const logs =
        start.number < head ? await getLogsInChunks(client, { ...logRange, fromBlock: start.number + 1n }) : [];
      const payouts = logs.map((l) => ({
        blockNumber: l.blockNumber,
        assets: l.args.assets ?? 0n,
        streamEnd: BigInt(l.args.streamEnd ?? 0),
      }));
      const elapsed = now.timestamp - from.timestamp;
      const premiumVested =
        now.totalPremiumReceived - now.unvestedPremium - (from.totalPremiumReceived - from.unvestedPremium);
      const lossCovered = now.totalLossCovered - from.totalLossCovered;
      const apr = annualize(now.sharePriceScaled - from.sharePriceScaled, from.sharePriceScaled, elapsed);
      const premiumApr = annualize(premiumVested, from.totalAssets, elapsed);
      const lossApr = annualize(lossCovered, from.totalAssets, elapsed);
      result.push({
        window,
        from,
        to: now,
        elapsed,
        complete: !start.beforeRange,
        apr,
        premiumVested,
        premiumApr,
        lossCovered,
        lossApr,
        payouts,
        premiumAdded: payouts.reduce((s, x) => s + x.assets, 0n),
        display: {
          apr: apr === null ? null : wadToPercent(apr),
          premiumApr: premiumApr === null ? null : wadToPercent(premiumApr),
          lossApr: lossApr === null ? null : wadToPercent(lossApr),
          premiumVested: usdcAmount(asset, premiumVested),
          lossCovered: usdcAmount(asset, lossCovered),
        },
      });
    }

    const last = await getLastLogInChunks(client, { ...logRange, fromBlock: deployed });
    const streamEnd = BigInt(last?.args.streamEnd ?? 0);
    const secondsLeft = streamEnd > now.timestamp ? streamEnd - now.timestamp : 0n;
    const unvested = now.unvestedPremium;
    const averageRatePerSecondWad = secondsLeft === 0n ? 0n : mulDivDown(unvested, WAD, secondsLeft);
    const later = unvested === 0n ? 0n : await unvestedAt(client, p.vault, head, now.timestamp + p.streamingHorizon);
    const horizon = later === undefined ? 0n : p.streamingHorizon;
    const ratePerSecondWad =
      later === undefined ? averageRatePerSecondWad : mulDivDown(unvested - later, WAD, p.streamingHorizon);
    const streamingApr = annualize(ratePerSecondWad, now.totalAssets * WAD, 1n);
    return {
      vault: p.vault,
      asset,
      now,
      windows: result,
      streaming: {
        unvested,
        streamEnd,
        secondsLeft,
        ratePerSecondWad,
        horizon,
        averageRatePerSecondWad,
        apr: streamingApr,
        display: {
          unvested: usdcAmount(asset, unvested),
          apr: streamingApr === null ? null : wadToPercent(streamingApr),
        },
      },
    };
  } catch (err) {
    throw actionError("getPremiumApr", err);
  }
}
