// What a deployment produced: every contract and feed address, typed, plus a bigint-safe JSON form
// (`--out deployment.json`) that the keeper, the SDK and a web page can read back.
import { type Address, getAddress, isAddress, zeroAddress } from "viem";
import { z } from "zod";

export type MarketDeployment = {
  /** Pool and oracle market id (the same number in both). */
  marketId: number;
  symbol: string;
  /** SettableFeeds behind the oracle router for this market. */
  feeds: Address[];
  /** Decimals of every feed's answer. */
  feedDecimals: number;
  /** Oracle price at deployment, WAD quote per base. */
  initialPrice: bigint;
};

export type Deployment = {
  chainId: number;
  deployer: Address;
  /** Block of the first deployment transaction (where an event indexer starts). */
  startBlock: bigint;
  contracts: {
    usdc: Address;
    oracle: Address;
    backstop: Address;
    junior: Address;
    senior: Address;
    pool: Address;
    lens: Address;
    /** The portfolio-margin grid the pool nets with (`pool.riskEngine()`). */
    riskEngine: Address;
    /** The posted junior tail-risk figure: premium split, junior exit floor, boost multiplier (`backstop.tailRiskOracle()`). */
    tailRiskOracle: Address;
    /** The RiskTimelock: owner of the pool, the oracle router and the tail-risk oracle unless deployed with
     * `governance: "owner"` (then it owns nothing; read `owner()` on each target). A deployment file written before
     * [5/6] names neither: both read back as the zero address, and the SDK finds them on chain (the backstop's
     * oracle, the pool's owner). */
    timelock: Address;
  };
  markets: MarketDeployment[];
};

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), "an address")
  .transform((s) => getAddress(s));
const bigintString = z
  .union([z.string().regex(/^\d+$/, "a non-negative integer"), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));

const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  deployer: address,
  startBlock: bigintString,
  contracts: z.object({
    usdc: address,
    oracle: address,
    backstop: address,
    junior: address,
    senior: address,
    pool: address,
    lens: address,
    riskEngine: address,
    tailRiskOracle: address.optional().transform((a) => a ?? zeroAddress),
    timelock: address.optional().transform((a) => a ?? zeroAddress),
  }),
  markets: z.array(
    z.object({
      marketId: z.number().int().nonnegative(),
      symbol: z.string().min(1),
      feeds: z.array(address).min(1),
      feedDecimals: z.number().int().min(0).max(18),
      initialPrice: bigintString,
    }),
  ),
}) satisfies z.ZodType<Deployment, unknown>;

/** JSON with every bigint written as a decimal string; pretty-printed. */
export function stringifyDeployment(deployment: Deployment): string {
  return `${JSON.stringify(deployment, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}

/**
 * Reads a deployment back from `stringifyDeployment`'s JSON, validating every field (throws a ZodError,
 * or a SyntaxError for malformed JSON).
 * @example
 * const deployment = parseDeployment(await readFile("deployment.json", "utf8"));
 */
export function parseDeployment(json: string): Deployment {
  return deploymentSchema.parse(JSON.parse(json));
}
