// The index at which an account falls below maintenance when one market moves and the others stay: found by
// bisection over the lens's own stress test (PerpLens.stressTest), so it follows the contracts' tiered margin,
// funding and unsettled profit to 1 bp of the index.
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { perpLensAbi } from "../abi/generated";
import type { PerpClient } from "../pool/client";

const MIN_SHOCK = -9_999n;
const MAX_SHOCK = 100_000n;

async function fallsAt(
  client: PerpClient,
  lens: Address,
  p: { owner: Address; subId: bigint; marketId: bigint },
  shock: bigint,
) {
  const r = await readContract(client, {
    address: lens,
    abi: perpLensAbi,
    functionName: "stressTest",
    args: [p.marketId, shock, [p.owner], [p.subId]],
  });
  return { liquidatable: r.accounts[0]?.liquidatable ?? false, shockedIndex: r.shockedIndex };
}

/**
 * The highest (long) or lowest (short) shocked index at which the account is liquidatable, or null when no
 * shock within the lens's bounds (-99.99 % to +1000 %) takes it there. Already liquidatable: the index now.
 */
export async function liquidationPrice(
  client: PerpClient,
  lens: Address,
  p: { owner: Address; subId: bigint; marketId: bigint; size: bigint; index: bigint },
): Promise<bigint | null> {
  if (p.size === 0n) return null;
  const long = p.size > 0n;
  // Long: falls as the shock goes down; search (MIN_SHOCK, 0]. Short: search [0, MAX_SHOCK).
  let falls = long ? MIN_SHOCK : MAX_SHOCK;
  const worst = await fallsAt(client, lens, p, falls);
  if (!worst.liquidatable) return null;
  const atZero = await fallsAt(client, lens, p, long ? -1n : 1n);
  if (atZero.liquidatable) return p.index;
  // The smallest move is safe, the largest falls: bisect between them.
  let safe = long ? -1n : 1n;
  while ((long ? safe - falls : falls - safe) > 1n) {
    const mid = (safe + falls) / 2n;
    if ((await fallsAt(client, lens, p, mid)).liquidatable) falls = mid;
    else safe = mid;
  }
  return (await fallsAt(client, lens, p, falls)).shockedIndex;
}
