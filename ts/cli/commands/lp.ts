// LP commands: `tranches` (both tranches side by side) and `tranche deposit|request-withdraw|cancel|claim|boost`.
import type { Command } from "commander";
import { UsageError } from "../errors";
import type { CommandContext } from "../io";
import { parseSide, parseUsdc } from "../values";
import { sessionOptions } from "./common";

type Flags = { deployment?: string; rpcUrl?: string; account?: string; owner?: string; json?: boolean };

/** Adds `tranches` and `tranche` to `program`. */
export function registerLp(program: Command, ctx: CommandContext): void {
  sessionOptions(
    program
      .command("tranches")
      .summary("junior and senior side by side: capital, APR, coverage, expected loss at standard shocks, cooldown"),
    { account: "owner" },
  ).action(async (flags: Flags) => {
    const { tranchesCommand } = await import("../lp");
    await tranchesCommand(ctx, flags);
  });

  const tranche = program
    .command("tranche")
    .summary("deposit into a tranche, request a withdrawal, cancel it or claim; your boost");
  sessionOptions(
    tranche
      .command("boost")
      .summary("your boost points, what a claim pays now and in a day, and --claim to take it")
      .option("--tranche <side>", "junior or senior (default both)")
      .option("--claim", "claim the boost (signs: --account N or PERP_PRIVATE_KEY)"),
    { account: "owner" },
  ).action(async (flags: Flags & { tranche?: string; claim?: boolean }) => {
    const { trancheBoostCommand } = await import("../trancheBoost");
    await trancheBoostCommand(ctx, flags);
  });
  const actions = [
    ["deposit", "<side> <amount>", "deposit USDC into junior or senior"],
    ["request-withdraw", "<side> [amount]", "escrow shares worth `amount` USDC (default all) for the cooldown"],
    ["cancel", "<side>", "cancel the open withdraw request (shares come back at most at their value then)"],
    ["claim", "<side>", "claim the request after the cooldown"],
  ] as const;
  for (const [action, args, summary] of actions) {
    sessionOptions(tranche.command(`${action} ${args}`).summary(summary), { account: "sign" }).action(
      async (sideText: string, ...rest: unknown[]) => {
        const side = parseSide(sideText);
        const amountText =
          action === "deposit" || action === "request-withdraw" ? (rest[0] as string | undefined) : undefined;
        const flags = rest.find((r) => typeof r === "object" && r !== null && !Array.isArray(r)) as Flags;
        if (action === "deposit" && amountText === undefined) throw new UsageError("tranche deposit: missing amount");
        const amount = amountText === undefined ? undefined : parseUsdc(amountText);
        const { trancheCommand } = await import("../lp");
        await trancheCommand(ctx, flags, { action, side, amount });
      },
    );
  }
}
