// `npm run web:dev`: a local anvil, the protocol deployed and seeded, and the page served; Ctrl-C stops it all.
import { parseDeploymentConfig } from "../deploy/config";
import { deployProtocol } from "../deploy/deployProtocol";
import { seedProtocol } from "../deploy/seedProtocol";
import { startAnvil } from "../devnet/anvil";
import { createDevClients } from "../devnet/clients";
import { buildWeb } from "./build";
import { serveWeb } from "./server";

const port = Number(process.env.PORT ?? 5173);
/** The out dir of `perp risk report` the Risk tab shows (default .perp/risk). */
const riskReportDir = process.env.PERP_RISK_DIR || undefined;
const anvil = await startAnvil();
try {
  const clients = createDevClients(anvil.rpcUrl);
  const config = parseDeploymentConfig();
  const deployment = await deployProtocol(clients, config);
  const seeded = await seedProtocol({ ...clients, actors: clients.wallets.slice(1) }, deployment, config.seed);
  const labels: Record<string, string> = { [clients.deployer.account.address]: "deployer" };
  labels[seeded.juniorLp] = "junior LP";
  labels[seeded.seniorLp] = "senior LP";
  for (const t of seeded.traders) labels[t.address] = t.name;
  await buildWeb();
  const web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, port, labels, riskReportDir });
  console.log(`anvil ${anvil.rpcUrl} (pid ${anvil.pid}); protocol deployed and seeded`);
  console.log(`open ${web.url}  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await web.close();
} finally {
  await anvil.stop();
}
