import type { Address } from "viem";
import { getBlock, readContract } from "viem/actions";
import { z } from "zod";
import { iTailRiskOracleAbi, iTrancheBoostAbi, trancheVaultAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { addressSchema, parseParameters } from "../../pool/schemas";
import {
  type LpEconomicsDeployment,
  lpActionError,
  lpDeploymentSchema,
  resolveTailRiskOracle,
  type TrancheName,
  trancheNameSchema,
} from "../lpDeployment";
import { BOOST_MULTIPLIER_MIN_BPS, clampBoostMultiplierBps, projectedClaimableBoost } from "../math/boost";

export type GetBoostReturnType = {
  tranche: TrancheName;
  vault: Address;
  owner: Address;
  blockNumber: bigint;
  timestamp: bigint;
  /** The multiplier accruing now (bps, 10_000 = 1×), stored at the vault's last `refreshBoost`. */
  multiplierBps: bigint;
  /** What `refreshBoost` would store now: the oracle's largest clamp(σ/σ_ref, 1, cap), within [1×, 100×] (1× with no
   * oracle). */
  oracleMultiplierBps: bigint;
  /** The volatility index (bps-seconds) as of the block. */
  volatilityIndex: bigint;
  /** The owner's unclaimed points and every holder's (shares × bps-seconds), accrued to the block. */
  points: bigint;
  totalPoints: bigint;
  /** The boost premium not claimed yet (asset units). */
  pot: bigint;
  /** What `claimBoost` pays the owner now: ⌊pot × points / totalPoints⌋. */
  claimable: bigint;
  /** Shares accruing points: the owner's not in a request (and not written off), and every holder's. */
  activeShares: bigint;
  totalActiveShares: bigint;
  /** Points the owner and everyone accrue per second at the stored multiplier. */
  pointsPerSecond: bigint;
  totalPointsPerSecond: bigint;
  /** The claim at `t` (unix seconds ≥ timestamp) if nothing moves meanwhile: no premium, claim, transfer or refresh. */
  claimableAt: (t: bigint) => bigint;
};

const schema = z.object({ deployment: lpDeploymentSchema, tranche: trancheNameSchema, owner: addressSchema });

type BoostView =
  | "boostMultiplierBps"
  | "volatilityIndex"
  | "boostPoints"
  | "totalBoostPoints"
  | "boostPot"
  | "claimableBoost";
type ShareView = "balanceOf" | "writtenOffBalance" | "totalSupply" | "writtenOffSupply";

/**
 * An LP's boost in one tranche: points, the pot, what a claim pays now, and how fast points accrue.
 * @example
 * const b = await getBoost(publicClient, deployment, "junior", lp);
 * console.log(b.points, b.claimable, b.claimableAt(b.timestamp + 86_400n));
 */
export async function getBoost(
  client: PerpClient,
  deployment: LpEconomicsDeployment,
  tranche: TrancheName,
  owner: Address,
  options: { blockNumber?: bigint | undefined } = {},
): Promise<GetBoostReturnType> {
  const p = parseParameters("getBoost", schema, { deployment, tranche, owner });
  const vault = p.deployment.contracts[p.tranche];
  try {
    const block = await getBlock(client, options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber });
    const blockNumber = block.number;
    // Every read below is a uint256 view of the vault; the names are checked against these lists.
    const boost = (functionName: BoostView, args: readonly [Address] | [] = []) =>
      readContract(client, {
        address: vault,
        abi: iTrancheBoostAbi,
        functionName,
        args,
        blockNumber,
      } as never) as Promise<bigint>;
    const shares = (functionName: ShareView, args: readonly [Address] | [] = []) =>
      readContract(client, {
        address: vault,
        abi: trancheVaultAbi,
        functionName,
        args,
        blockNumber,
      } as never) as Promise<bigint>;
    const [
      multiplierBps,
      volatilityIndex,
      points,
      totalPoints,
      pot,
      claimable,
      balance,
      writtenOff,
      supply,
      writtenOffSupply,
      vaultOwn,
      oracle,
    ] = await Promise.all([
      boost("boostMultiplierBps"),
      boost("volatilityIndex"),
      boost("boostPoints", [p.owner]),
      boost("totalBoostPoints"),
      boost("boostPot"),
      boost("claimableBoost", [p.owner]),
      shares("balanceOf", [p.owner]),
      shares("writtenOffBalance", [p.owner]),
      shares("totalSupply"),
      shares("writtenOffSupply"),
      shares("balanceOf", [vault]),
      resolveTailRiskOracle(client, p.deployment, blockNumber),
    ]);
    const oracleMultiplierBps = clampBoostMultiplierBps(
      oracle
        ? await readContract(client, {
            address: oracle,
            abi: iTailRiskOracleAbi,
            functionName: "boostMultiplierBps",
            blockNumber,
          })
        : BOOST_MULTIPLIER_MIN_BPS,
    );
    // The vault's own balance (escrowed requests, the sentinel) never accrues; neither does a written-off balance.
    const activeShares = p.owner === vault ? 0n : balance - writtenOff;
    const totalActiveShares = supply - writtenOffSupply - vaultOwn;
    const now = block.timestamp;
    const state = { pot, points, totalPoints, activeShares, totalActiveShares };
    return {
      tranche: p.tranche,
      vault,
      owner: p.owner,
      blockNumber,
      timestamp: now,
      multiplierBps,
      oracleMultiplierBps,
      volatilityIndex,
      points,
      totalPoints,
      pot,
      claimable,
      activeShares,
      totalActiveShares,
      pointsPerSecond: activeShares * multiplierBps,
      totalPointsPerSecond: totalActiveShares * multiplierBps,
      claimableAt: (t) => projectedClaimableBoost(state, multiplierBps, now, t),
    };
  } catch (err) {
    throw lpActionError("getBoost", err);
  }
}
