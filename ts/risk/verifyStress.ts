// The stress view's junior loss a posted figure records: the lens's `stressTest(ALL_MARKETS, referenceShockBps, …)`
// over the report's book accounts (in the book's order, which is the waterfall's order), read at the book's block.
import type { Address, Chain, PublicClient, Transport } from "viem";
import { perpLensAbi } from "../abi/generated";
import { ALL_MARKETS } from "../tranches/actions/getStressAllMarkets";
import type { RiskBook } from "./types";

/** The junior's loss (WAD) when every market's index moves by `referenceShockBps` at the book's block. */
export async function readJuniorStressLoss(
  client: PublicClient<Transport, Chain>,
  lens: Address,
  book: Pick<RiskBook, "block" | "accounts">,
  referenceShockBps: bigint,
): Promise<bigint> {
  const r = await client.readContract({
    address: lens,
    abi: perpLensAbi,
    functionName: "stressTest",
    args: [ALL_MARKETS, referenceShockBps, book.accounts.map((a) => a.owner), book.accounts.map((a) => a.subId)],
    blockNumber: book.block,
  });
  return r.juniorLoss;
}
