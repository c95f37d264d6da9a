import type { Address } from "viem";
import { getBlock, getBlockNumber, readContract } from "viem/actions";
import { z } from "zod";
import { oracleRouterAbi, perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../client";
import { actionError } from "../errors";
import type { StressAccountInput, StressPositionInput } from "../math/stressMath";
import { initialMultiplierBps, nextVariance } from "../math/volatilityMath";
import { addressSchema, parseParameters, subIdSchema } from "../schemas";

export type GetAccountStateParameters = {
  /** PerpPool address. */
  pool: Address;
  /** OracleRouter address (the index each position is valued at). */
  oracle: Address;
  owner: Address;
  /** Sub-account; 0 (default) is the cross-margin account. */
  subId?: bigint | number | undefined;
  /** Read at this block (default the head). */
  blockNumber?: bigint | undefined;
};

/**
 * The raw state the SDK math takes (`accountHealthAt`, `liquidationOutcome`, `stressTest`, `liquidationPrice`):
 * the account, and for every open position (ascending market id) the position, its market's state and config,
 * the oracle index the lens would use (this block's stored observation, else `peek`), its status (halted: gains
 * ignored; not Normal: no netting credit), the IM volatility multiplier of the variance the lens would use and the
 * oracle's breaker threshold (`oracle.config(marketId).jumpThresholdBps`, for the stress test's predicted trips);
 * plus the block it was read at and that block's timestamp.
 */
export type GetAccountStateReturnType = StressAccountInput & {
  positions: StressPositionInput[];
  blockNumber: bigint;
  timestamp: bigint;
};

const schema = z.object({
  pool: addressSchema,
  oracle: addressSchema,
  owner: addressSchema,
  subId: subIdSchema,
  blockNumber: z.bigint().nonnegative().optional(),
});

const HALTED = 2;

/**
 * Reads an account's raw state at one block, for the exact off-chain math.
 * @example
 * const s = await getAccountState(publicClient, { pool, oracle, owner: alice });
 * const engine = await getRiskEngine(publicClient, { pool });
 * const h = math.accountHealthAt(s.account, s.positions, s.timestamp, engine); // = lens.accountHealth at s.blockNumber
 */
export async function getAccountState(
  client: PerpClient,
  parameters: GetAccountStateParameters,
): Promise<GetAccountStateReturnType> {
  const p = parseParameters("getAccountState", schema, parameters);
  try {
    const blockNumber = p.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const at = { blockNumber } as const;
    const pool = { address: p.pool, abi: perpPoolAbi, ...at } as const;
    const [block, account] = await Promise.all([
      getBlock(client, at),
      readContract(client, { ...pool, functionName: "account", args: [p.owner, p.subId] }),
    ]);
    const ids: bigint[] = [];
    for (let i = 0; i < 32; i++) if (((account.marketMask >> i) & 1) === 1) ids.push(BigInt(i));
    const positions = await Promise.all(
      ids.map(async (marketId): Promise<StressPositionInput> => {
        const oracle = { address: p.oracle, abi: oracleRouterAbi, args: [marketId], ...at } as const;
        const [position, state, config, peeked, [lastPrice, lastStatus, lastAt], stored, oracleConfig] =
          await Promise.all([
            readContract(client, { ...pool, functionName: "position", args: [p.owner, p.subId, marketId] }),
            readContract(client, { ...pool, functionName: "marketState", args: [marketId] }),
            readContract(client, { ...pool, functionName: "marketConfig", args: [marketId] }),
            readContract(client, { ...oracle, functionName: "peek" }),
            readContract(client, { ...oracle, functionName: "lastObservation" }),
            readContract(client, { ...oracle, functionName: "realizedVariance" }),
            readContract(client, { ...oracle, functionName: "config" }),
          ]);
        // As PerpLens._price: the observation stored in this block (same timestamp), else what a refresh would store;
        // and as PerpLens._variance: the stored variance, advanced by that refresh unless it is this block's or halted.
        const thisBlock = BigInt(lastAt) === block.timestamp;
        const [index, status] = thisBlock ? [lastPrice, lastStatus] : peeked;
        const variance =
          thisBlock || status === HALTED
            ? stored
            : nextVariance(stored, lastPrice, index, block.timestamp - BigInt(lastAt));
        const imMultiplierBps = initialMultiplierBps(
          variance,
          BigInt(config.volReferenceBps),
          BigInt(config.volCapBps),
        );
        return {
          marketId,
          position,
          state,
          config,
          index,
          halted: status === HALTED,
          oracleStatus: status,
          imMultiplierBps,
          jumpThresholdBps: BigInt(oracleConfig.jumpThresholdBps),
        };
      }),
    );
    return { owner: p.owner, subId: p.subId, account, positions, blockNumber, timestamp: block.timestamp };
  } catch (err) {
    throw actionError("getAccountState", err);
  }
}
