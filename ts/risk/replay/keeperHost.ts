// The real keeper, in process, for a replay: only the oracle and liquidation tasks (the time model: nobody updates
// funding, distributes premium, repegs or sells inventory), ticked by the driver on every block it mines. It signs
// with a key of its own (no account of the book: its liquidator rewards must not change anybody's health), funded
// on the fork. Its journal lives in a temporary directory removed at the end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak256, type TestClient, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "../../deploy/deployment";
import { Keeper, keeperConfigSchema } from "../../keeper";
import { createLogger } from "../../keeper/logger";

/** The replay keeper's key: fixed, public, never funded anywhere but on a replay's fork. */
export const REPLAY_KEEPER_KEY = keccak256(toBytes("tranche-perp risk replay keeper"));
const KEEPER_BALANCE = 10n ** 24n;

export type ReplayKeeper = { keeper: Keeper; dispose(): Promise<void> };

export async function startReplayKeeper(
  rpcUrl: string,
  deployment: Deployment,
  testClient: TestClient,
): Promise<ReplayKeeper> {
  const address = privateKeyToAccount(REPLAY_KEEPER_KEY).address;
  await testClient.setBalance({ address, value: KEEPER_BALANCE });
  const dir = mkdtempSync(path.join(tmpdir(), "risk-replay-keeper-"));
  const config = keeperConfigSchema.parse({
    deployment: "(in process)",
    rpcUrl,
    privateKey: REPLAY_KEEPER_KEY,
    metricsPort: 0,
    logLevel: "silent",
    journalPath: path.join(dir, "journal.json"),
    // The driver mines every block itself: a receipt is final once mined, the head is never stale, nothing is stuck.
    confirmations: 1,
    staleHeadSeconds: 0,
    stuckBlocks: 1_000,
    rpcRetries: 0,
    // Its liquidations land one second after the block it saw: it plans their ladder steps for that second.
    liquidationLeadSeconds: 1,
    tasks: { oracle: true, liquidation: true, funding: false, premium: false, repeg: false, inventory: false },
  });
  const keeper = new Keeper(config, { deployment, logger: createLogger({ level: "silent" }) });
  try {
    await keeper.init();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    keeper,
    async dispose() {
      await keeper.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
