// `perp funding [--market M]`: each market's funding now, the next update's estimate and the most it can be.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { sessionOptions } from "./common";

type Flags = { deployment?: string; rpcUrl?: string; json?: boolean; market?: string };

/** Adds `funding` to `program`. */
export function registerFunding(program: Command, ctx: CommandContext): void {
  sessionOptions(
    program
      .command("funding")
      .summary(
        "funding per market: the rate and crowding kicker now, the next update's estimate, the most it can be, caps, group blend and crowding",
      )
      .option("--market <market>", "one market (symbol or id; default every market)"),
  ).action(async (flags: Flags) => {
    const { fundingCommand } = await import("../funding");
    await fundingCommand(ctx, flags, { market: flags.market });
  });
}
