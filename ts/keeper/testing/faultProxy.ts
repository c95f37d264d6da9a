// A fault-injecting JSON-RPC proxy for keeper tests: sits in front of anvil and, per request, forwards it, fails it
// (429, 500, a non-JSON body, a reply lost AFTER the node processed the request), delays it past the client's
// timeout, hangs it, freezes the head the keeper sees, or fails chosen calls (e.g. gas estimation of one target).
// Decisions come from a seeded PRNG, so a run is reproducible.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** "hang": no reply at all until release() or stop() (a connection the node never answers). */
export type FaultKind = "429" | "500" | "non-json" | "after-forward" | "slow" | "hang";

type RpcRequest = { jsonrpc: "2.0"; id: number | string; method: string; params?: unknown[] };

export type FaultRule = {
  /** Which requests the rule applies to. */
  match: (req: RpcRequest) => boolean;
  /** What to do: a JSON-RPC error reply, or a fault kind. */
  action: { error: { code: number; message: string; data?: string } } | { fault: FaultKind };
  /** How many times (default: forever). */
  times?: number;
};

export type FaultProxyOptions = {
  target: string;
  /** Fraction of requests (0..1) that get a random fault from `kinds`. */
  failRate?: number;
  kinds?: FaultKind[];
  /** Methods never faulted at random (e.g. the test's own anvil_* calls go straight to anvil anyway). */
  spare?: (req: RpcRequest) => boolean;
  seed?: number;
  /** How long a "slow" reply waits (longer than the client's timeout). */
  slowMs?: number;
};

export class FaultProxy {
  failRate: number;
  kinds: FaultKind[];
  rules: FaultRule[] = [];
  /** While set, eth_blockNumber and "latest" block reads answer with this frozen block. */
  private frozen: { number: string; block: unknown } | undefined;
  private hangAll = false;
  private readonly hung = new Set<() => void>();
  private rng: () => number;
  /** errorReplies: forwarded replies that carried a JSON-RPC error (a revert is one): answers, not faults. */
  readonly stats = { requests: 0, faults: 0, errorReplies: 0, byMethod: new Map<string, number>() };
  private server: Server | undefined;
  private target: string;
  url = "";

  constructor(private readonly o: FaultProxyOptions) {
    this.failRate = o.failRate ?? 0;
    this.kinds = o.kinds ?? ["429", "500", "non-json", "after-forward", "slow"];
    this.rng = mulberry32(o.seed ?? 1);
    this.target = o.target;
  }

  /** Points the proxy at another node (a restarted devnet behind the same URL). */
  retarget(target: string): void {
    this.target = target;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** Freeze the head the clients see at the node's current latest block. */
  async freezeHead(): Promise<void> {
    const block = (
      await this.forward({ jsonrpc: "2.0", id: 0, method: "eth_getBlockByNumber", params: ["latest", false] })
    ).result as { number: string };
    this.frozen = { number: block.number, block };
  }

  unfreezeHead(): void {
    this.frozen = undefined;
  }

  /** Every request hangs (no reply) until release(). */
  hang(): void {
    this.hangAll = true;
  }

  release(): void {
    this.hangAll = false;
    for (const r of this.hung) r();
    this.hung.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let parsed: RpcRequest | RpcRequest[];
    try {
      parsed = JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    this.stats.requests += requests.length;
    for (const r of requests) this.stats.byMethod.set(r.method, (this.stats.byMethod.get(r.method) ?? 0) + 1);
    if (this.hangAll) {
      await new Promise<void>((resolve) => this.hung.add(resolve));
      if (res.destroyed) return;
    }
    try {
      const replies = await Promise.all(requests.map((r) => this.answer(r)));
      const faulted = replies.find((x): x is Faulted => x instanceof Faulted);
      if (faulted) return this.fault(res, faulted.kind);
      const out = Array.isArray(parsed) ? replies : replies[0];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  }

  private async answer(r: RpcRequest): Promise<unknown> {
    const rule = this.rules.find((x) => x.match(r) && (x.times === undefined || x.times > 0));
    if (rule) {
      if (rule.times !== undefined) rule.times--;
      this.stats.faults++;
      if ("error" in rule.action) return { jsonrpc: "2.0", id: r.id, error: rule.action.error };
      return this.randomFault(r, rule.action.fault);
    }
    if (this.frozen && (r.method === "eth_blockNumber" || isLatestBlock(r))) {
      return {
        jsonrpc: "2.0",
        id: r.id,
        result: r.method === "eth_blockNumber" ? this.frozen.number : this.frozen.block,
      };
    }
    const spared = this.o.spare?.(r) ?? (r.method.startsWith("anvil_") || r.method.startsWith("evm_"));
    if (!spared && this.failRate > 0 && this.rng() < this.failRate) {
      this.stats.faults++;
      const kind = this.kinds[Math.floor(this.rng() * this.kinds.length)] as FaultKind;
      return this.randomFault(r, kind);
    }
    const reply = await this.forward(r);
    if (reply.error !== undefined) this.stats.errorReplies++;
    return reply;
  }

  private async randomFault(r: RpcRequest, kind: FaultKind): Promise<unknown> {
    // The node processes the request, the reply is lost: the nastiest case for a send.
    if (kind === "after-forward") await this.forward(r).catch(() => undefined);
    if (kind === "slow") await new Promise((resolve) => setTimeout(resolve, this.o.slowMs ?? 3_000));
    if (kind === "hang") await new Promise<void>((resolve) => this.hung.add(resolve));
    return new Faulted(kind === "after-forward" || kind === "slow" ? "500" : kind);
  }

  private fault(res: ServerResponse, kind: FaultKind): void {
    if (res.destroyed) return;
    if (kind === "429") res.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
    else if (kind === "non-json") res.writeHead(200, { "content-type": "text/html" }).end("<html>bad gateway</html>");
    else res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
  }

  private async forward(r: RpcRequest): Promise<{ result?: unknown; error?: unknown }> {
    const res = await fetch(this.target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(r),
    });
    return (await res.json()) as { result?: unknown; error?: unknown };
  }
}

class Faulted {
  constructor(readonly kind: FaultKind) {}
}

function isLatestBlock(r: RpcRequest): boolean {
  return r.method === "eth_getBlockByNumber" && (r.params?.[0] === "latest" || r.params?.[0] === "pending");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      data += c;
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

/** Small seeded PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
