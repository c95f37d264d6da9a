// `start` (the default command): its options and help text. The work itself is in ts/cli/start.ts.
import type { Command } from "commander";
import { buildIfStale } from "../../../scripts/build-if-stale.mjs";
import type { Deployment } from "../../deploy/deployment";
import { PerpError } from "../../errors";
import { parseStartOptions, type RawStartOptions } from "../args";
import { UsageError } from "../errors";
import type { CommandContext } from "../io";
import { runMainScenario } from "./scenario";

/** Adds `start` to `program`. */
export function registerStart(program: Command, ctx: CommandContext): void {
  program
    .command("start")
    .summary("the main job: a market through a crash with the keeper live (the default command)")
    .description(
      "With no flags (or --scenario): an embedded anvil, deploy, junior and senior LPs, a crowd of traders and an " +
        "arbitrageur, hours of simulated time, the liquidation stack before the crash, the crash with the keeper " +
        "live, and a summary with predicted beside realized (see ts/scenario). With devnet flags (--rpc-url, " +
        "--fork-url, --port, --config, --out, --no-seed, --keep-alive): deploy and seed only, and print " +
        "addresses, markets, tranche coverage, trader health and a stress test. The default command.",
    )
    .option("--scenario <name>", "crash (the default with no flags), black-swan or calm")
    .option("--report <file>", "with a scenario: write the JSON report to FILE")
    .option("--quiet", "with a scenario: no progress lines on stderr")
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
    .action(async (raw: RawStartOptions & { scenario?: string; report?: string; quiet?: boolean }) => {
      const { scenario, report, quiet, ...devnet } = raw;
      const devnetFlags = Object.entries(devnet).some(([k, v]) => v !== undefined && !(k === "seed" && v === true));
      if (scenario !== undefined || !devnetFlags) {
        if (devnetFlags) throw new UsageError("--scenario runs on its own embedded chain: drop the devnet flags");
        await runMainScenario(ctx, scenario ?? "crash", report, quiet ?? false);
        return;
      }
      if (report !== undefined || quiet) throw new UsageError("--report and --quiet go with a scenario");
      const options = parseStartOptions(devnet, ctx.env);
      // The deployment needs the generated ABIs and bytecode: build them on a fresh clone or after a change.
      try {
        buildIfStale({ log: ctx.io.progress });
      } catch (err) {
        throw new PerpError(`build: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      // Loaded only now: viem and the ABIs cost ~0.5 s that `help` and bad input need not pay.
      const { start } = await import("../start");
      // Kept alive, the chain also gets the web page for LPs and traders (and its address is printed).
      const afterSeed = options.keepAlive
        ? async (_conn: unknown, deployment: Deployment, rpcUrl: string) => {
            const { serveWeb } = await import("../../web/server");
            const page = await serveWeb({ rpcUrl, deployment, port: 0 });
            ctx.io.print(`web page: ${page.url} (pick a dev account in the header)`);
          }
        : undefined;
      await start(options, ctx.io, ctx.waitForShutdown, afterSeed ? { afterSeed } : {});
    });
}
