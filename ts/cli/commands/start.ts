// `start` (the default command): its options and help text. The work itself is in ts/cli/start.ts.
import type { Command } from "commander";
import { buildIfStale } from "../../../scripts/build-if-stale.mjs";
import { PerpError } from "../../errors";
import { parseStartOptions, type RawStartOptions } from "../args";
import type { CommandContext } from "../io";

/** Adds `start` to `program`. */
export function registerStart(program: Command, ctx: CommandContext): void {
  program
    .command("start")
    .summary("deploy and seed the protocol on a local chain, print its state (the default command)")
    .description(
      "Starts a local anvil (or uses --rpc-url), deploys the protocol, seeds LPs and traders, and prints " +
        "addresses, markets, tranche coverage, trader health and a stress test. The default command.",
    )
    .option("--rpc-url <url>", "deploy to an existing node (http/https) instead of starting anvil")
    .option("--fork-url <url>", "start anvil as a fork of this node (http/https/ws/wss) and deploy onto the fork")
    .option("--port <n>", "port of the embedded anvil (default: a free port)")
    .option(
      "--private-key <hex>",
      "deployer key for --rpc-url (or env PRIVATE_KEY); default anvil account 0 on chain 31337",
    )
    .option(
      "--config <file>",
      "deployment config (JSON, human units; see ts/deploy/config.ts); default = the forge fixture",
    )
    .option("--out <file>", "write the deployment (addresses, chain id, start block) as JSON; its folder must exist")
    .option("--no-seed", "deploy only: no LP deposits, no traders")
    .option("--keep-alive", "keep the embedded anvil running until Ctrl-C")
    .action(async (raw: RawStartOptions) => {
      const options = parseStartOptions(raw, ctx.env);
      // The deployment needs the generated ABIs and bytecode: build them on a fresh clone or after a change.
      try {
        buildIfStale({ log: ctx.io.progress });
      } catch (err) {
        throw new PerpError(`build: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      // Loaded only now: viem and the ABIs cost ~0.5 s that `help` and bad input need not pay.
      const { start } = await import("../start");
      await start(options, ctx.io, ctx.waitForShutdown);
    });
}
