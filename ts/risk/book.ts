// The book at block B, read once for the risk report: every account the pool's events name (state and positions),
// every market's state, config, oracle observation and breaker, the backstop's inventory, the risk engine's grid
// and what each tranche vault can pay. One batched read pinned to B (the keeper's `readSnapshot`), plus the oracle
// configs and the vault balances.
import { type Address, type Chain, erc20Abi, type PublicClient, type Transport } from "viem";
import { oracleRouterAbi } from "../abi/generated";
import { discoverAccounts } from "../cli/accounts";
import type { Deployment } from "../deploy/deployment";
import { PerpError } from "../errors";
import { accountId } from "../keeper/book/accountId";
import { getBlockInfo } from "../keeper/chain/blockTracker";
import { hasCode, MULTICALL3_ADDRESS } from "../keeper/chain/multicall3";
import { readSnapshot, type Snapshot } from "../keeper/chain/snapshot";
import type { RiskAccount, RiskBook, RiskMarket } from "./types";

const BACKSTOP = { owner: "0x0000000000000000000000000000000000000000" as Address, subId: 0n };

/**
 * Reads the book at `blockNumber` (default the head).
 * @example
 * const book = await readRiskBook(publicClient, deployment, 1234n);
 * book.accounts.length; // accounts holding a position or owing collateral at block 1234
 */
export async function readRiskBook(
  client: PublicClient<Transport, Chain>,
  deployment: Deployment,
  blockNumber?: bigint,
): Promise<RiskBook> {
  const head = await getBlockInfo(client, blockNumber ?? "latest");
  if (!head) throw new PerpError(`block ${blockNumber} was not found on this chain`);
  const at = { blockNumber: head.number } as const;
  const found = await discoverAccounts(client, deployment, head.number);
  const listed = [BACKSTOP, ...found].map((a) => ({ ...a, id: accountId(a.owner, a.subId) }));
  const { pool, oracle, lens, junior, senior, usdc } = deployment.contracts;
  const count = BigInt(deployment.markets.length);
  const snapshot = await readBookSnapshot(client, { pool, lens, oracle }, head, count, listed);
  const oracleReads = await Promise.all(
    deployment.markets.map(async (m) => {
      const id = BigInt(m.marketId);
      const [config, trippedAt] = await Promise.all([
        client.readContract({ address: oracle, abi: oracleRouterAbi, functionName: "config", args: [id], ...at }),
        client.readContract({
          address: oracle,
          abi: oracleRouterAbi,
          functionName: "breakerTrippedAt",
          args: [id],
          ...at,
        }),
      ]);
      return { config, trippedAt: BigInt(trippedAt) };
    }),
  );
  const [juniorTokens = 0n, seniorTokens = 0n] = await Promise.all(
    [junior, senior].map((vault) =>
      client.readContract({ address: usdc, abi: erc20Abi, functionName: "balanceOf", args: [vault], ...at }),
    ),
  );
  const backstop = snapshot.accounts[0];
  const markets: RiskMarket[] = deployment.markets.map((m, i) => {
    const s = snapshot.markets[i];
    const o = oracleReads[i];
    if (!s || !o) throw new PerpError(`market ${m.symbol} was not read at block ${head.number}`);
    return {
      marketId: m.marketId,
      symbol: m.symbol,
      index: s.last.price,
      feedDecimals: m.feedDecimals,
      state: s.state,
      config: s.config,
      oracleStatus: s.last.status,
      trippedAt: o.trippedAt,
      jumpThresholdBps: BigInt(o.config.jumpThresholdBps),
      breakerCooldown: BigInt(o.config.breakerCooldown),
      inventory: backstop?.positions.get(m.marketId) ?? { size: 0n, openNotional: 0n, fundingEntry: 0n },
    };
  });
  const accounts: RiskAccount[] = [];
  snapshot.accounts.slice(1).forEach((read, i) => {
    const who = found[i];
    if (!who) return;
    // An account with no position and no debt can never be liquidated: it has no place in the report.
    if (read.account.marketMask === 0 && read.account.collateral >= 0n) return;
    accounts.push({
      owner: who.owner,
      subId: who.subId,
      account: read.account,
      positions: [...read.positions.entries()]
        .sort(([a], [b]) => a - b)
        .map(([marketId, position]) => ({ marketId, position })),
    });
  });
  return {
    chainId: await client.getChainId(),
    block: head.number,
    timestamp: head.timestamp,
    pool,
    markets,
    accounts,
    engine: snapshot.riskEngine,
    capacity: { juniorTokens, seniorTokens },
  };
}

/** Accounts per read when the chain has no Multicall3 (a deployless multicall returns its result as contract code,
 * which a node caps at 24 KB). */
const DEPLOYLESS_ACCOUNTS = 12;

/** `readSnapshot` through Multicall3 when the chain has it, else in slices of accounts, merged. */
async function readBookSnapshot(
  client: PublicClient<Transport, Chain>,
  addresses: Parameters<typeof readSnapshot>[1],
  head: Parameters<typeof readSnapshot>[2],
  count: bigint,
  listed: Parameters<typeof readSnapshot>[4],
): Promise<Snapshot> {
  if (await hasCode(client, MULTICALL3_ADDRESS)) {
    return readSnapshot(client, addresses, head, count, listed, MULTICALL3_ADDRESS);
  }
  let first: Snapshot | undefined;
  const accounts: Snapshot["accounts"] = [];
  for (let i = 0; i < listed.length; i += DEPLOYLESS_ACCOUNTS) {
    const part = await readSnapshot(client, addresses, head, count, listed.slice(i, i + DEPLOYLESS_ACCOUNTS));
    first ??= part;
    accounts.push(...part.accounts);
  }
  if (!first) return readSnapshot(client, addresses, head, count, []);
  return { ...first, accounts };
}
