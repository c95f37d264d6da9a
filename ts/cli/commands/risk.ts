// `perp status` (markets, tranches, coverage) and `perp stress --shock -30% [--market ETH]`.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { parseShock } from "../values";
import { sessionOptions } from "./common";

type Flags = { deployment?: string; rpcUrl?: string; json?: boolean; shock?: string; market?: string };

/** Adds `status` and `stress` to `program`. */
export function registerRisk(program: Command, ctx: CommandContext): void {
  sessionOptions(
    program
      .command("status")
      .summary("the deployment's markets, tranches, coverage and accounts (read from the chain)"),
  ).action(async (flags: Flags) => {
    const { statusCommand } = await import("../risk");
    await statusCommand(ctx, flags);
  });

  sessionOptions(
    program
      .command("stress")
      .summary("the liquidation stack at a shocked index: who falls, bad debt, junior / senior / socialized")
      .requiredOption("--shock <percent>", "index move, e.g. -30% (or -3000bps)")
      .option("--market <symbol>", "shock this market alone (default: every market together)"),
  ).action(async (flags: Flags) => {
    const shockBps = parseShock(flags.shock ?? "");
    const { stressCommand } = await import("../risk");
    await stressCommand(ctx, flags, { shockBps, market: flags.market });
  });
}
