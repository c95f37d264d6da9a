// What the server tells the page (served at WEB_CONFIG_PATH) and where the page sends JSON-RPC (RPC_PATH, proxied
// to the chain by the server, so the chain needs no CORS and the page no URL), and where the last risk report is.
// Shared by ts/web/server.ts and the app.
import { z } from "zod";

export const WEB_CONFIG_PATH = "/config.json";
export const RPC_PATH = "/rpc";
/** The out dir of the last `perp risk report` (report.json, the figures, report.html), served by name under it. */
export const RISK_REPORT_PATH = "/risk-report/";
/** Where `perp risk report` writes by default (relative to the directory the server runs in). */
export const DEFAULT_RISK_REPORT_DIR = ".perp/risk";

export const webConfigSchema = z.object({
  chainId: z.number().int().positive(),
  /** `stringifyDeployment` output, parsed by the page with `parseDeployment`. */
  deployment: z.string().min(2),
  /** Number of anvil dev accounts (the default mnemonic) the page offers; 0 = only an injected wallet. */
  devAccounts: z.number().int().min(0).max(100),
  /** Names to show for known addresses (seeded LPs and traders). */
  labels: z.record(z.string(), z.string()).default({}),
});

export type WebConfig = z.output<typeof webConfigSchema>;
