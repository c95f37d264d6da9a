// Serves the page: the static build (ts/web/build.ts), the deployment at WEB_CONFIG_PATH, and a JSON-RPC proxy at
// RPC_PATH to the chain (so the browser needs neither the node's URL nor CORS from it), and the last risk report's out
// dir at RISK_REPORT_PATH. Node's http module only.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { type Deployment, stringifyDeployment } from "../deploy/deployment";
import { PerpError } from "../errors";
import { ensureWebBuild } from "./build";
import { DEFAULT_RISK_REPORT_DIR, RISK_REPORT_PATH, RPC_PATH, WEB_CONFIG_PATH, type WebConfig } from "./config";
import { serveRiskReportFile } from "./riskReportFiles";

export type ServeWebOptions = {
  /** The chain the page talks to (proxied at /rpc). */
  rpcUrl: string;
  deployment: Deployment;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Anvil dev accounts the wallet picker offers (default 10; 0 on a real chain: injected wallet only). */
  devAccounts?: number;
  /** Names for known addresses (e.g. the seeded LPs and traders). */
  labels?: Record<string, string>;
  /** The directory of the static build (default: ts/web/build's, built first when missing). */
  distDir?: string;
  /** The out dir of the last `perp risk report`, served at /risk-report/ (default `.perp/risk`, from the cwd). */
  riskReportDir?: string;
};

export type WebServer = {
  /** http://host:port/ */
  url: string;
  port: number;
  close(): Promise<void>;
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};
const MAX_RPC_BODY = 1 << 20;

/**
 * Starts the web server; resolves once it listens.
 * @example
 * const web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, port: 5173 });
 * console.log(`open ${web.url}`); // ... await web.close();
 */
export async function serveWeb(options: ServeWebOptions): Promise<WebServer> {
  const dist = options.distDir ?? (await ensureWebBuild());
  const config: WebConfig = {
    chainId: options.deployment.chainId,
    deployment: stringifyDeployment(options.deployment),
    devAccounts: options.devAccounts ?? 10,
    labels: options.labels ?? {},
  };
  const configJson = JSON.stringify(config);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === RPC_PATH && req.method === "POST") return proxyRpc(req, res);
    if (path === WEB_CONFIG_PATH) {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      return void res.end(configJson);
    }
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405).end();
    if (path.startsWith(RISK_REPORT_PATH)) {
      const name = decodeURIComponent(path.slice(RISK_REPORT_PATH.length));
      return serveRiskReportFile(options.riskReportDir ?? DEFAULT_RISK_REPORT_DIR, name, req, res);
    }
    const file = normalize(join(dist, path === "/" ? "index.html" : decodeURIComponent(path)));
    if (!file.startsWith(normalize(dist))) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  }

  async function proxyRpc(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_RPC_BODY) return void res.writeHead(413).end();
      chunks.push(chunk as Buffer);
    }
    const upstream = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, { "content-type": "application/json" });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(new PerpError(`web server: ${err.message}`, { cause: err })));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
