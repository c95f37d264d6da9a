// The keeper's view of the node: one HTTP transport with per-call timeouts and retries (viem retries 429, 5xx,
// timeouts and malformed bodies with exponential backoff), counted per method so the benchmark can report RPC
// requests per block and /metrics the failures.
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type EIP1193RequestFn,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

export type RpcStats = {
  /** Logical requests (one per client call; a multicall is one eth_call) by method. */
  byMethod: Map<string, number>;
  total: number;
  errors: number;
};

export type KeeperClients = {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, PrivateKeyAccount> | undefined;
  account: PrivateKeyAccount | undefined;
  stats: RpcStats;
};

export type KeeperClientOptions = {
  rpcUrl: string;
  chainId: number;
  privateKey?: `0x${string}` | undefined;
  timeoutMs: number;
  retries: number;
  onRpcError?: (method: string, err: unknown) => void;
};

/** Wraps a transport so that every request is counted (and every final failure reported). */
function counted(inner: Transport, stats: RpcStats, onError?: (method: string, err: unknown) => void): Transport {
  return (params) => {
    const base = inner(params);
    const request: EIP1193RequestFn = async (args, options) => {
      stats.total++;
      stats.byMethod.set(args.method, (stats.byMethod.get(args.method) ?? 0) + 1);
      try {
        return await base.request(args, options);
      } catch (err) {
        stats.errors++;
        onError?.(args.method, err);
        throw err;
      }
    };
    return custom({ request }, { key: base.config.key, name: base.config.name, retryCount: 0 })(params);
  };
}

export function createKeeperClients(o: KeeperClientOptions): KeeperClients {
  const chain = defineChain({
    id: o.chainId,
    name: `chain ${o.chainId}`,
    nativeCurrency: { decimals: 18, name: "Ether", symbol: "ETH" },
    rpcUrls: { default: { http: [o.rpcUrl] } },
  });
  const stats: RpcStats = { byMethod: new Map(), total: 0, errors: 0 };
  const transport = counted(
    http(o.rpcUrl, { timeout: o.timeoutMs, retryCount: o.retries, retryDelay: 100 }),
    stats,
    o.onRpcError,
  );
  const publicClient = createPublicClient({
    chain,
    transport,
    cacheTime: 0,
    pollingInterval: 100,
  });
  const account = o.privateKey ? privateKeyToAccount(o.privateKey) : undefined;
  const walletClient = account ? createWalletClient({ chain, transport, account, cacheTime: 0 }) : undefined;
  return { chain, publicClient, walletClient, account, stats };
}
