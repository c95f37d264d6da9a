// `perp status` (markets, tranches, coverage), `perp stress --shock -30% [--market ETH]` and the joint shock
// `perp stress ETH -12 BTC -4` (one move per market, every account margined with netting at those prices).
import type { Command } from "commander";
import { UsageError } from "../errors";
import type { CommandContext } from "../io";
import { parseShock, parseShockLegs } from "../values";
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
      .argument("[moves...]", "a joint shock, one move per market: ETH -12 BTC -4 (percent, or -1200bps)")
      .option("--shock <percent>", "one move for every market together, e.g. -30% (or -3000bps)")
      .option("--market <symbol>", "with --shock: shock this market alone"),
  ).action(async (moves: string[], flags: Flags) => {
    const { jointStressCommand, stressCommand } = await import("../risk");
    if (moves.length > 0) {
      if (flags.shock !== undefined || flags.market !== undefined) {
        throw new UsageError("stress: give either per-market moves (ETH -12 BTC -4) or --shock [--market], not both");
      }
      await jointStressCommand(ctx, flags, { legs: parseShockLegs(moves) });
      return;
    }
    if (flags.shock === undefined) {
      throw new UsageError("stress: give per-market moves (ETH -12 BTC -4) or --shock -30% [--market ETH]");
    }
    await stressCommand(ctx, flags, { shockBps: parseShock(flags.shock), market: flags.market });
  });
}
