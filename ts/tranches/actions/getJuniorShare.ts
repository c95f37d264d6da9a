import type { Address, Hex } from "viem";
import { getBlock, readContract } from "viem/actions";
import { z } from "zod";
import { backstopAbi, iTailRiskOracleAbi, trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { parseParameters } from "../../pool/schemas";
import { type LpEconomicsDeployment, lpActionError, lpDeploymentSchema, resolveTailRiskOracle } from "../lpDeployment";
import { capitalRuleShareBpsDown, isFigureFresh, type TailRiskParams } from "../math/tailRisk";

/** The posted figure (`ITailRiskOracle.Figure`, amounts in asset units) and how old it is at the read block. */
export type PostedFigure = {
  juniorEs99: bigint;
  juniorCapital: bigint;
  stressLoss: bigint;
  /** The block whose book the report read. */
  blockNumber: bigint;
  seed: bigint;
  paths: bigint;
  /** Unix seconds of the post. */
  postedAt: bigint;
  /** clamp(m · ES99 / capital, lo, hi), what the figure asked for. */
  targetShareBps: bigint;
  /** What the per-post and per-day bounds allowed. */
  shareBps: bigint;
  reportHash: Hex;
  ageSeconds: bigint;
  /** Sets the split (age ≤ maxAge). */
  fresh: boolean;
};

export type GetJuniorShareReturnType = {
  /** The block read, and its timestamp ("now"). */
  blockNumber: bigint;
  timestamp: bigint;
  /** The junior's share of the next premium (bps) and where it comes from: the posted figure while it is fresh and
   * both tranches hold capital, else the capital rule (juniorWeight × capital). */
  shareBps: bigint;
  source: "posted" | "capital";
  /** The TailRiskOracle (null: the backstop has none, the capital rule always applies). */
  oracle: Address | null;
  figure: PostedFigure | null;
  params: TailRiskParams | null;
  /** What the capital rule gives now (bps, rounded down; 0 with no capital in either tranche). */
  capitalRuleShareBps: bigint;
  juniorAssets: bigint;
  seniorAssets: bigint;
};

const schema = z.object({ deployment: lpDeploymentSchema, blockNumber: z.bigint().nonnegative().optional() });

/** Reads `ITailRiskOracle.params()` into bigints. */
export async function readTailRiskParams(
  client: PerpClient,
  oracle: Address,
  blockNumber?: bigint,
): Promise<TailRiskParams> {
  const p = await readContract(client, {
    address: oracle,
    abi: iTailRiskOracleAbi,
    functionName: "params",
    blockNumber,
  });
  return {
    multiplierBps: BigInt(p.multiplierBps),
    minShareBps: BigInt(p.minShareBps),
    maxShareBps: BigInt(p.maxShareBps),
    maxStepBps: BigInt(p.maxStepBps),
    maxDailyBps: BigInt(p.maxDailyBps),
    maxAge: BigInt(p.maxAge),
    coverageMultipleBps: BigInt(p.coverageMultipleBps),
    referenceShockBps: BigInt(p.referenceShockBps),
  };
}

/** Reads `ITailRiskOracle.figure()`; null before the first post. `ageSeconds`/`fresh` as of `timestamp`. */
export async function readPostedFigure(
  client: PerpClient,
  oracle: Address,
  at: { blockNumber?: bigint | undefined; timestamp: bigint; maxAge: bigint },
): Promise<PostedFigure | null> {
  const f = await readContract(client, {
    address: oracle,
    abi: iTailRiskOracleAbi,
    functionName: "figure",
    blockNumber: at.blockNumber,
  });
  if (f.postedAt === 0n) return null;
  return {
    juniorEs99: f.juniorEs99,
    juniorCapital: f.juniorCapital,
    stressLoss: f.stressLoss,
    blockNumber: f.blockNumber,
    seed: f.seed,
    paths: BigInt(f.paths),
    postedAt: f.postedAt,
    targetShareBps: BigInt(f.targetShareBps),
    shareBps: BigInt(f.shareBps),
    reportHash: f.reportHash,
    ageSeconds: at.timestamp - f.postedAt,
    fresh: isFigureFresh(f.postedAt, at.timestamp, at.maxAge),
  };
}

/**
 * The junior's share of premium now, where it comes from, and its inputs: the posted ES99 and capital, the report's
 * block, seed and hash, the figure's age and freshness, the oracle's bounds, and the capital rule it falls back to.
 * @example
 * const s = await getJuniorShare(publicClient, deployment);
 * console.log(s.shareBps, s.source, s.figure?.juniorEs99, s.figure?.ageSeconds);
 */
export async function getJuniorShare(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  options: { blockNumber?: bigint | undefined } = {},
): Promise<GetJuniorShareReturnType> {
  const p = parseParameters("getJuniorShare", schema, { deployment, ...options });
  const c = p.deployment.contracts;
  try {
    const block = await getBlock(client, p.blockNumber === undefined ? {} : { blockNumber: p.blockNumber });
    const blockNumber = block.number;
    const at = { blockNumber } as const;
    const [oracle, juniorAssets, seniorAssets, juniorWeight, seniorWeight] = await Promise.all([
      resolveTailRiskOracle(client, p.deployment, blockNumber),
      readContract(client, { address: c.junior, abi: trancheVaultAbi, functionName: "totalAssets", ...at }),
      readContract(client, { address: c.senior, abi: trancheVaultAbi, functionName: "totalAssets", ...at }),
      readContract(client, { address: c.backstop, abi: backstopAbi, functionName: "juniorWeight", ...at }),
      readContract(client, { address: c.backstop, abi: backstopAbi, functionName: "seniorWeight", ...at }),
    ]);
    const capitalRuleShareBps = capitalRuleShareBpsDown(juniorAssets, seniorAssets, juniorWeight, seniorWeight);
    const base = { blockNumber, timestamp: block.timestamp, capitalRuleShareBps, juniorAssets, seniorAssets };
    if (!oracle) {
      return { ...base, shareBps: capitalRuleShareBps, source: "capital", oracle, figure: null, params: null };
    }
    const params = await readTailRiskParams(client, oracle, blockNumber);
    const figure = await readPostedFigure(client, oracle, {
      blockNumber,
      timestamp: block.timestamp,
      maxAge: params.maxAge,
    });
    // The backstop takes the posted share only while it is fresh and both tranches hold capital.
    const postedShare = figure?.fresh && juniorAssets > 0n && seniorAssets > 0n ? figure.shareBps : undefined;
    return {
      ...base,
      shareBps: postedShare ?? capitalRuleShareBps,
      source: postedShare === undefined ? "capital" : "posted",
      oracle,
      figure,
      params,
    };
  } catch (err) {
    throw lpActionError("getJuniorShare", err);
  }
}
