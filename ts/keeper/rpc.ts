// The keeper's view of the node: one HTTP transport whose every request is bounded and hedged. A request that has
// not answered within a few times its method's measured latency gets a second, identical request (the first one
// still counts: whichever answers first wins, the other is aborted); a transport fault (timeout, HTTP error status,
// a body that is not JSON, a refused connection) is retried at once. So one hung request costs a hedge delay, not a
// whole timeout, and a tick is never held by a single stuck connection. A JSON-RPC error in a reply (a revert) is an
// answer, not a fault: it is returned at once and counted nowhere here. Every request is counted per method (the
// benchmark's requests per block) and every fault / retry / final failure reported to /metrics.
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
  /** Logical requests that failed after every attempt (transport faults only; reverts are answers). */
  errors: number;
  /** Attempts that hit a transport fault (absorbed by a retry or not). */
  faults: number;
  /** Extra attempts: after a fault ("retry") or because the first was slow ("hedge"). */
  retries: number;
  hedges: number;
};

export type KeeperClients = {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, PrivateKeyAccount> | undefined;
  account: PrivateKeyAccount | undefined;
  stats: RpcStats;
  latency: LatencyTracker;
};

export type RpcEvents = {
  /** One attempt hit a transport fault. */
  onFault?: (method: string, err: unknown) => void;
  /** A further attempt was started. */
  onRetry?: (method: string, reason: "retry" | "hedge") => void;
  /** A request failed after every attempt (a transport failure; never a revert). */
  onError?: (method: string, err: unknown) => void;
};

export type KeeperClientOptions = RpcEvents & {
  rpcUrl: string;
  chainId: number;
  privateKey?: `0x${string}` | undefined;
  /** Hard bound of one request, all attempts included. */
  timeoutMs: number;
  /** Retries after transport faults (hedges of slow attempts come on top, at most MAX_HEDGES). */
  retries: number;
  /** Lower bound of the hedge delay (ms); the delay is HEDGE_MULTIPLE x the method's recent p90 latency. */
  hedgeMinMs?: number;
};

/** Hedge after this multiple of the p90 latency of the same kind of request (doubling for each further hedge). */
const HEDGE_MULTIPLE = 3;
const DEFAULT_HEDGE_MIN_MS = 250;
/** Hedges of one request at most (on top of the retries after faults). */
const MAX_HEDGES = 3;
/** Latency samples kept per method. */
const SAMPLES = 64;
/** Pause before retrying a fault (a refused connection fails at once: do not spin). */
const RETRY_PAUSE_MS = 25;

/**
 * Recent successful latencies per method and request size (a 2,000-call multicall is not a balance read): the hedge
 * delay follows what the node actually answers that kind of request in.
 */
export class LatencyTracker {
  private readonly samples = new Map<string, number[]>();

  constructor(private readonly minMs: number) {}

  record(kind: RequestKind, ms: number): void {
    for (const key of [kind.method, `${kind.method}:${kind.size}`]) {
      const s = this.samples.get(key) ?? [];
      s.push(ms);
      if (s.length > SAMPLES) s.shift();
      this.samples.set(key, s);
    }
  }

  /** p90 of the recent latencies of this kind of request (of its method while the size has none). */
  p90(kind: RequestKind): number | undefined {
    const s = this.samples.get(`${kind.method}:${kind.size}`) ?? this.samples.get(kind.method);
    if (!s || s.length === 0) return undefined;
    const sorted = [...s].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))];
  }

  /** Wait before the `n`-th hedge (1-based): HEDGE_MULTIPLE x p90, doubling with every further hedge. */
  hedgeDelayMs(kind: RequestKind, n = 1): number {
    return Math.max(this.minMs, HEDGE_MULTIPLE * (this.p90(kind) ?? this.minMs)) * 2 ** (n - 1);
  }
}

/** A request's method and the order of magnitude of its parameters (log2 of their JSON length). */
export type RequestKind = { method: string; size: number };

function kindOf(args: { method: string; params?: unknown }): RequestKind {
  let len = 0;
  try {
    len = JSON.stringify(args.params ?? null)?.length ?? 0;
  } catch {
    len = 0;
  }
  return { method: args.method, size: Math.floor(Math.log2(len + 1)) };
}

/** A fault of the connection or the server, not an answer of the node (a revert or an invalid request). */
export function isTransportFault(err: unknown): boolean {
  let e: unknown = err;
  for (let d = 0; e && d < 8; d++) {
    const name = (e as { name?: string }).name ?? "";
    if (name === "HttpRequestError" || name === "TimeoutError") return true;
    if (name === "RpcRequestError") {
      const status = (e as { status?: number }).status;
      return status !== undefined && (status === 429 || status >= 500);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Wraps a single-attempt transport: hedged, retried, bounded attempts; counted. A send is safe to repeat (the node
 * answers "already known"), and every read is.
 */
function hedged(
  inner: Transport,
  o: { timeoutMs: number; retries: number; stats: RpcStats; latency: LatencyTracker } & RpcEvents,
): Transport {
  return (params) => {
    const base = inner(params);
    const request: EIP1193RequestFn = async (args, options) => {
      const { stats } = o;
      stats.total++;
      stats.byMethod.set(args.method, (stats.byMethod.get(args.method) ?? 0) + 1);
      try {
        return (await attempt(base.request as EIP1193RequestFn, args, options, o)) as never;
      } catch (err) {
        if (isTransportFault(err)) {
          stats.errors++;
          o.onError?.(args.method, err);
        }
        throw err;
      }
    };
    return custom({ request }, { key: base.config.key, name: base.config.name, retryCount: 0 })(params);
  };
}

type Args = Parameters<EIP1193RequestFn>[0];
type Options = Parameters<EIP1193RequestFn>[1];

function attempt(
  request: EIP1193RequestFn,
  args: Args,
  options: Options,
  o: { timeoutMs: number; retries: number; stats: RpcStats; latency: LatencyTracker } & RpcEvents,
): Promise<unknown> {
  const kind = kindOf(args as { method: string; params?: unknown });
  return new Promise((resolve, reject) => {
    const controllers: AbortController[] = [];
    let started = 0;
    let hedges = 0;
    let failed = 0;
    let settled = false;
    let lastError: unknown;
    let hedgeTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => finish(false, lastError ?? timeoutError(args.method, o.timeoutMs)), o.timeoutMs);

    const finish = (ok: boolean, value: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(hedgeTimer);
      for (const c of controllers) c.abort();
      if (ok) resolve(value);
      else reject(value);
    };
    // Two budgets: retries after faults, and hedges of slow attempts. A burst of faults must not use up the
    // hedges (the last retry may hang), nor hedges the retries.
    let retried = 0;
    const launch = (reason: "first" | "retry" | "hedge") => {
      if (settled) return;
      if (reason === "retry" && retried >= o.retries) return;
      if (reason === "hedge" && hedges >= MAX_HEDGES) return;
      if (reason === "retry") retried++;
      started++;
      if (reason === "retry") o.stats.retries++;
      if (reason === "hedge") o.stats.hedges++;
      if (reason !== "first") o.onRetry?.(args.method, reason);
      const controller = new AbortController();
      controllers.push(controller);
      const t0 = performance.now();
      if (reason === "hedge") hedges++;
      clearTimeout(hedgeTimer);
      hedgeTimer = setTimeout(() => launch("hedge"), o.latency.hedgeDelayMs(kind, hedges + 1));
      (request as (a: Args, opt: Options) => Promise<unknown>)(args, { ...options, signal: controller.signal }).then(
        (value) => {
          o.latency.record(kind, performance.now() - t0);
          finish(true, value);
        },
        (err: unknown) => {
          if (settled) return;
          if (!isTransportFault(err)) return finish(false, err); // an answer (a revert): final
          o.stats.faults++;
          o.onFault?.(args.method, err);
          lastError = err;
          failed++;
          if (retried < o.retries) setTimeout(() => launch("retry"), RETRY_PAUSE_MS);
          else if (failed === started) finish(false, err);
        },
      );
    };
    launch("first");
  });
}

function timeoutError(method: string, ms: number): Error {
  const e = new Error(`${method}: no answer within ${ms} ms`);
  e.name = "TimeoutError";
  return e;
}

export function createKeeperClients(o: KeeperClientOptions): KeeperClients {
  const chain = defineChain({
    id: o.chainId,
    name: `chain ${o.chainId}`,
    nativeCurrency: { decimals: 18, name: "Ether", symbol: "ETH" },
    rpcUrls: { default: { http: [o.rpcUrl] } },
  });
  const stats: RpcStats = { byMethod: new Map(), total: 0, errors: 0, faults: 0, retries: 0, hedges: 0 };
  const latency = new LatencyTracker(o.hedgeMinMs ?? DEFAULT_HEDGE_MIN_MS);
  // One attempt per inner request (the wrapper retries); each attempt is bounded by the whole request's timeout.
  const transport = hedged(http(o.rpcUrl, { timeout: o.timeoutMs, retryCount: 0 }), {
    timeoutMs: o.timeoutMs,
    retries: o.retries,
    stats,
    latency,
    onFault: o.onFault,
    onRetry: o.onRetry,
    onError: o.onError,
  });
  const publicClient = createPublicClient({
    chain,
    transport,
    cacheTime: 0,
    pollingInterval: 100,
  });
  const account = o.privateKey ? privateKeyToAccount(o.privateKey) : undefined;
  const walletClient = account ? createWalletClient({ chain, transport, account, cacheTime: 0 }) : undefined;
  return { chain, publicClient, walletClient, account, stats, latency };
}
