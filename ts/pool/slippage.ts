// Quote limits and deadlines for trades: the two guards every trade carries (RISK 8).
import { getBlock } from "viem/actions";
import type { PerpClient } from "./client";
import { mulDivDown, mulDivUp } from "./math/solidity";

/** Default slippage when the caller gives neither a limit nor a slippage: 0.5 %. */
export const DEFAULT_SLIPPAGE_BPS = 50n;
/** Default deadline: this many seconds after the latest block. */
export const DEFAULT_DEADLINE_SECONDS = 120n;

/**
 * The `quoteLimit` for a trade expected to move `quote`: for a buy (sizeDelta > 0) the most to pay,
 * quote * (1 + slippage) rounded down; for a sell the least to receive, quote * (1 - slippage) rounded up.
 * Both round so the limit never allows more than the stated slippage.
 */
export function quoteLimitFor(sizeDelta: bigint, quote: bigint, slippageBps: bigint): bigint {
  return sizeDelta > 0n
    ? mulDivDown(quote, 10_000n + slippageBps, 10_000n)
    : mulDivUp(quote, 10_000n - slippageBps, 10_000n);
}

/** now + DEFAULT_DEADLINE_SECONDS, where "now" is the chain's latest block time (right on forks and warped chains). */
export async function defaultDeadline(client: PerpClient): Promise<bigint> {
  const block = await getBlock(client, { blockTag: "latest" });
  return block.timestamp + DEFAULT_DEADLINE_SECONDS;
}
