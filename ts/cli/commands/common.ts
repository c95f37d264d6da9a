// The options every deployment-reading command takes, added in one place so their help reads the same.
import type { Command } from "commander";
import { DEFAULT_DEPLOYMENT_PATH } from "../session";

/** Adds --deployment, --rpc-url, --json (and --account for commands that sign or report on an account). */
export function sessionOptions(command: Command, opts: { account?: "sign" | "owner" | undefined } = {}): Command {
  command
    .option(
      "--deployment <file>",
      `deployment file written by \`perp devnet\` / \`perp deploy\` (env PERP_DEPLOYMENT; default ${DEFAULT_DEPLOYMENT_PATH})`,
    )
    .option(
      "--rpc-url <url>",
      "node to use (env PERP_RPC_URL; default the deployment file's rpcUrl, else 127.0.0.1:8545)",
    );
  if (opts.account) {
    command.option(
      "--account <n>",
      opts.account === "sign"
        ? "sign with anvil dev account N (local chain only); otherwise env PERP_PRIVATE_KEY"
        : "report on anvil dev account N (or the address of env PERP_PRIVATE_KEY)",
    );
  }
  if (opts.account === "owner") command.option("--owner <address>", "report on this address");
  return command.option("--json", "print JSON (amounts as decimal strings) instead of tables");
}
