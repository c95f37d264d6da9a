// The operations endpoint: GET /metrics (Prometheus text) and GET /healthz (200 or 503, JSON checks).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { keeperHealth } from "./healthz";
import type { Keeper } from "./keeper";

export type OpsServer = { port: number; close(): Promise<void> };

export async function startOpsServer(k: Keeper, port: number, host: string): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    if (url === "/metrics") {
      k.metrics.registry
        .metrics()
        .then((body) => res.writeHead(200, { "Content-Type": k.metrics.registry.contentType }).end(body))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
      return;
    }
    if (url === "/healthz") {
      const report = keeperHealth(k);
      res.writeHead(report.ok ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify(report));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
