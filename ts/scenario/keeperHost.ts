// The keeper runs in the scenario's process (ts/keeper's Keeper), ticked once per mined block: what it sends
// after seeing block N is mined in block N+1. Its journal lives in a temporary directory removed at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { toHex } from "viem";
import type { Deployment } from "../deploy/deployment";
import { devAccount } from "../devnet/clients";
import { PerpError } from "../errors";
import { Keeper, keeperConfigSchema } from "../keeper";
import { createLogger } from "../keeper/logger";

export type KeeperHost = { keeper: Keeper; dispose(): Promise<void> };

export async function startKeeper(rpcUrl: string, deployment: Deployment, walletIndex: number): Promise<KeeperHost> {
  const key = devAccount(walletIndex).getHdKey().privateKey;
  if (!key) throw new PerpError(`dev account ${walletIndex} has no private key`);
  const dir = mkdtempSync(path.join(tmpdir(), "scenario-keeper-"));
  const config = keeperConfigSchema.parse({
    deployment: "(in process)",
    rpcUrl,
    privateKey: toHex(key),
    metricsPort: 0,
    logLevel: "silent",
    journalPath: path.join(dir, "journal.json"),
    // The scenario mines every block itself: a receipt is final once mined, the head is never stale.
    confirmations: 1,
    staleHeadSeconds: 0,
    stuckBlocks: 1_000,
    premiumIntervalSeconds: 1_800,
    // The scenario posts its risk figures itself (before and after the crash); the task still refreshes the vaults'
    // boost multipliers every block.
    riskFigureIntervalSeconds: 0,
    rpcRetries: 0,
  });
  const keeper = new Keeper(config, { deployment, logger: createLogger({ level: "silent" }) });
  await keeper.init();
  return {
    keeper,
    async dispose() {
      await keeper.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
