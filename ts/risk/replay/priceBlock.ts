// The driver's own transactions of a step block: every feed of every market set to the path's answer, then
// `oracle.refresh(m)` for every market in id order. The feeds' owners are impersonated (on a fork nobody holds
// their keys); each sender's transactions carry explicit nonces, so one block holds them all in order.
import { type Address, encodeFunctionData, type Hash, type Hex } from "viem";
import { oracleRouterAbi, settableFeedAbi } from "../../abi/generated";
import type { Deployment } from "../../deploy/deployment";
import type { DevClients } from "../../devnet/clients";
import { PerpError } from "../../errors";

/** Gas of one SettableFeed.setAnswer (one slot, one event: ~35k) with room to spare. */
const SET_ANSWER_GAS = 120_000n;
/** Gas of one refresh beyond its feed calls (the router wants MIN_GAS_PER_FEED left before each feed). */
const REFRESH_BASE_GAS = 300_000n;
/** Fees of the driver's transactions: the node is ours, only the order matters (feeds before refreshes). */
const MAX_FEE = 1_000_000_000_000n;
const FEED_TIP = 3_000_000_000n;
const REFRESH_TIP = 2_000_000_000n;
/** Ether given to every impersonated sender (the fork's state; the sender never had to hold any). */
const SENDER_BALANCE = 10n ** 24n;

type Sent = { label: string; hash: Hash };

/** Who sends what in a step block; built once per replay. */
export type PriceSenders = {
  /** Per market id, per feed: the address allowed to set it (its owner). */
  feedOwner: Address[][];
  /** Sends the refreshes (the first feed's owner: one sender orders feeds before refreshes by nonce). */
  refresher: Address;
  refreshGas: bigint[];
};

/**
 * Reads each feed's owner, impersonates every one and funds it. Throws when a feed has no owner.
 * @example
 * const senders = await preparePriceSenders(clients, deployment);
 */
export async function preparePriceSenders(clients: DevClients, deployment: Deployment): Promise<PriceSenders> {
  const { publicClient, testClient } = clients;
  const perFeed = await publicClient.readContract({
    address: deployment.contracts.oracle,
    abi: oracleRouterAbi,
    functionName: "MIN_GAS_PER_FEED",
  });
  const feedOwner = await Promise.all(
    deployment.markets.map((m) =>
      Promise.all(
        m.feeds.map((feed) =>
          publicClient.readContract({ address: feed, abi: settableFeedAbi, functionName: "owner" }),
        ),
      ),
    ),
  );
  const senders = new Set(feedOwner.flat().map((a) => a.toLowerCase() as Address));
  if (senders.has("0x0000000000000000000000000000000000000000")) {
    throw new PerpError("a feed of the deployment has no owner: its answer cannot be set on the fork");
  }
  for (const a of senders) {
    await testClient.impersonateAccount({ address: a });
    await testClient.setBalance({ address: a, value: SENDER_BALANCE });
  }
  const refresher = feedOwner[0]?.[0];
  if (!refresher) throw new PerpError("the deployment has no market with a feed");
  const refreshGas = deployment.markets.map((m) => REFRESH_BASE_GAS + perFeed * BigInt(m.feeds.length));
  return { feedOwner, refresher, refreshGas };
}

/**
 * Sends (without mining) the feed answers of one step and the refreshes of every market; returns the hashes in
 * the order they must execute. `answers[m]` is market m's feed answer.
 */
export async function sendPriceBlock(
  clients: DevClients,
  deployment: Deployment,
  senders: PriceSenders,
  answers: readonly bigint[],
): Promise<Sent[]> {
  const nonces = new Map<string, number>();
  const nonceOf = async (from: Address) => {
    const key = from.toLowerCase();
    let n = nonces.get(key);
    if (n === undefined) {
      n = await clients.publicClient.getTransactionCount({ address: from, blockTag: "pending" });
    }
    nonces.set(key, n + 1);
    return n;
  };
  const sent: Sent[] = [];
  const markets = [...deployment.markets].sort((a, b) => a.marketId - b.marketId);
  const send = async (label: string, from: Address, to: Address, data: Hex, gas: bigint, tip: bigint) => {
    const nonce = await nonceOf(from);
    const hash = (await clients.publicClient.request({
      method: "eth_sendTransaction",
      params: [
        {
          from,
          to,
          data,
          gas: `0x${gas.toString(16)}`,
          nonce: `0x${nonce.toString(16)}`,
          maxFeePerGas: `0x${MAX_FEE.toString(16)}`,
          maxPriorityFeePerGas: `0x${tip.toString(16)}`,
        },
      ],
    } as never)) as Hash;
    sent.push({ label, hash });
  };
  for (const m of markets) {
    const answer = answers[m.marketId];
    if (answer === undefined) throw new PerpError(`the path has no answer for market ${m.symbol}`);
    for (const [i, feed] of m.feeds.entries()) {
      const owner = senders.feedOwner[m.marketId]?.[i] as Address;
      const data = encodeFunctionData({ abi: settableFeedAbi, functionName: "setAnswer", args: [answer] });
      await send(`${m.symbol} feed #${i + 1} = ${answer}`, owner, feed, data, SET_ANSWER_GAS, FEED_TIP);
    }
  }
  for (const m of markets) {
    const data = encodeFunctionData({ abi: oracleRouterAbi, functionName: "refresh", args: [BigInt(m.marketId)] });
    const gas = senders.refreshGas[m.marketId] as bigint;
    await send(`oracle.refresh(${m.symbol})`, senders.refresher, deployment.contracts.oracle, data, gas, REFRESH_TIP);
  }
  return sent;
}
