// Builds a book of N trader accounts on a local anvil fast, with real transactions: a few unlocked dev accounts
// each own many isolated sub-accounts (an account is (owner, subId)), every account deposits and opens one
// position, longs and shorts alternating so the mark stays near the index. Transactions go out in JSON-RPC
// batches with automine off (nonces assigned here, gas fixed) and are mined a block at a time with anvil_mine,
// under a raised block gas limit; the limit is put back afterwards.
import { type Address, encodeFunctionData, maxUint256, parseUnits } from "viem";
import { perpPoolAbi, testUsdcAbi } from "../../abi/generated";
import { WAD } from "../../money";

export type BookAccount = { owner: Address; subId: bigint; marketId: bigint; size: bigint; collateral: bigint };

export type BuildBookOptions = {
  rpcUrl: string;
  pool: Address;
  usdc: Address;
  /** Unlocked dev accounts that own the sub-accounts. */
  owners: readonly Address[];
  n: number;
  /** Market ids with their index price (WAD); accounts are spread over them. */
  markets: readonly { marketId: bigint; price: bigint }[];
  /** Leverage of account i in bps of collateral (default: a spread 1x..9.5x). */
  leverageBps?: (i: number) => bigint;
  /** Collateral per account, token units (6 decimals); default 1,000 USDC. */
  collateral?: bigint;
  /** Transactions per mined block while building. */
  perBlock?: number;
  /** First subId used (default 1: subId 0 stays the owner's cross account). */
  firstSubId?: bigint;
};

type Rpc = (calls: { method: string; params: unknown[] }[]) => Promise<unknown[]>;

/** A JSON-RPC batch client (one HTTP request per batch); throws on any error in the batch. */
export function rpcBatch(url: string): Rpc {
  let id = 0;
  return async (calls) => {
    const body = calls.map((c) => ({ jsonrpc: "2.0", id: ++id, method: c.method, params: c.params }));
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const out = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
    const byId = new Map(out.map((r) => [r.id, r]));
    return body.map((b) => {
      const r = byId.get(b.id);
      if (!r || r.error) throw new Error(`${b.method}: ${r?.error?.message ?? "no reply"}`);
      return r.result;
    });
  };
}

const DEPOSIT_GAS = 150_000n;
const TRADE_GAS = 400_000n;
const BUILD_GAS_LIMIT = 2_000_000_000n;

/** A default spread of leverage: 1x to 9.5x in 0.5x steps (initial margin is 10 %: at most 10x). */
export function spreadLeverage(i: number): bigint {
  return 10_000n + BigInt((i * 7) % 18) * 5_000n;
}

export async function buildBook(o: BuildBookOptions): Promise<BookAccount[]> {
  const rpc = rpcBatch(o.rpcUrl);
  const collateral = o.collateral ?? parseUnits("1000", 6);
  const leverage = o.leverageBps ?? spreadLeverage;
  const perBlock = o.perBlock ?? 400;
  const firstSubId = o.firstSubId ?? 1n;
  const [gasLimitHex] = (await rpc([{ method: "eth_getBlockByNumber", params: ["latest", false] }])) as {
    gasLimit: string;
  }[];
  const originalGasLimit = BigInt(gasLimitHex?.gasLimit ?? "0x1c9c380");
  await rpc([
    { method: "evm_setAutomine", params: [false] },
    { method: "evm_setBlockGasLimit", params: [`0x${BUILD_GAS_LIMIT.toString(16)}`] },
  ]);
  try {
    const nonces = new Map<Address, number>();
    const counts = (await rpc(
      o.owners.map((a) => ({ method: "eth_getTransactionCount", params: [a, "pending"] })),
    )) as string[];
    for (const [i, a] of o.owners.entries()) nonces.set(a, Number(counts[i]));
    const txs: { from: Address; to: Address; data: `0x${string}`; gas: bigint }[] = [];
    const perOwner = Math.ceil(o.n / o.owners.length);
    for (const owner of o.owners) {
      txs.push({
        from: owner,
        to: o.usdc,
        data: encodeFunctionData({
          abi: testUsdcAbi,
          functionName: "mint",
          args: [owner, collateral * BigInt(perOwner)],
        }),
        gas: 100_000n,
      });
      txs.push({
        from: owner,
        to: o.usdc,
        data: encodeFunctionData({ abi: testUsdcAbi, functionName: "approve", args: [o.pool, maxUint256] }),
        gas: 100_000n,
      });
    }
    const accounts: BookAccount[] = [];
    for (let i = 0; i < o.n; i++) {
      const owner = o.owners[i % o.owners.length] as Address;
      const subId = firstSubId + BigInt(Math.floor(i / o.owners.length));
      const market = o.markets[i % o.markets.length] as { marketId: bigint; price: bigint };
      const notional = (collateral * 10n ** 12n * leverage(i)) / 10_000n;
      // Alternate sides per market so the book is balanced and the mark stays near the index.
      const long = Math.floor(i / o.markets.length) % 2 === 0;
      const base = (notional * WAD) / market.price;
      const size = long ? base : -base;
      txs.push({
        from: owner,
        to: o.pool,
        data: encodeFunctionData({ abi: perpPoolAbi, functionName: "depositMargin", args: [subId, collateral] }),
        gas: DEPOSIT_GAS,
      });
      txs.push({
        from: owner,
        to: o.pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "trade",
          args: [owner, subId, market.marketId, size, long ? maxUint256 : 0n, maxUint256],
        }),
        gas: TRADE_GAS,
      });
      accounts.push({ owner, subId, marketId: market.marketId, size, collateral });
    }
    for (let i = 0; i < txs.length; i += perBlock) {
      const chunk = txs.slice(i, i + perBlock);
      const hashes = (await rpc(
        chunk.map((t) => {
          const nonce = nonces.get(t.from) as number;
          nonces.set(t.from, nonce + 1);
          return {
            method: "eth_sendTransaction",
            params: [
              {
                from: t.from,
                to: t.to,
                data: t.data,
                gas: `0x${t.gas.toString(16)}`,
                nonce: `0x${nonce.toString(16)}`,
              },
            ],
          };
        }),
      )) as string[];
      await rpc([{ method: "anvil_mine", params: ["0x1"] }]);
      const receipts = (await rpc(hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))) as ({
        status: string;
      } | null)[];
      const bad = receipts.findIndex((r) => r?.status !== "0x1");
      if (bad >= 0)
        throw new Error(`book build: transaction ${hashes[bad]} ${receipts[bad] ? "reverted" : "not mined"}`);
    }
    return accounts;
  } finally {
    await rpc([
      { method: "evm_setBlockGasLimit", params: [`0x${originalGasLimit.toString(16)}`] },
      { method: "evm_setAutomine", params: [true] },
    ]);
  }
}
