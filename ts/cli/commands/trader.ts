// Trader commands: `margin deposit|withdraw`, `quote`, `open` (alias `trade`), `close`, `positions`. Writes go
// through the ts/pool actions (what they print comes from the mined events); quotes through ts/pool/quoteTrade.
// `quote` and `open` take one pair of market and size, or several (`ETH 10 BTC -0.33`: one tradeLegs).
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { parseLegOperands } from "../legs";
import { parseSize, parseSlippage, parseSubId, parseUsdc } from "../values";
import { sessionOptions } from "./common";

type Flags = {
  deployment?: string;
  rpcUrl?: string;
  account?: string;
  owner?: string;
  json?: boolean;
  sub?: string;
  slippage?: string;
};

const SUB = "sub-account (default 0, the cross-margin account)";

/** Adds `margin`, `quote`, `open` (alias `trade`), `close` and `positions` to `program`. */
export function registerTrader(program: Command, ctx: CommandContext): void {
  const margin = program.command("margin").summary("deposit or withdraw trading collateral (USDC)");
  for (const action of ["deposit", "withdraw"] as const) {
    sessionOptions(
      margin
        .command(`${action} <amount>`)
        .summary(`${action} USDC ${action === "deposit" ? "into" : "from"} a margin account`)
        .option("--sub <n>", SUB),
      { account: "sign" },
    ).action(async (amountText: string, flags: Flags) => {
      const amount = parseUsdc(amountText);
      const subId = parseSubId(flags.sub);
      const { marginCommand } = await import("../trader");
      await marginCommand(ctx, flags, { action, amount, subId });
    });
  }

  sessionOptions(
    program
      .command("quote <market> <size> [more...]")
      .summary(
        "a trade's notional, fee and price impact, and what it does to the account (size in base: 1.5 long, -1.5 short; several markets: ETH 10 BTC -0.33); nothing sent",
      )
      .option("--sub <n>", SUB),
    { account: "owner" },
  ).action(async (marketText: string, sizeText: string, more: string[], flags: Flags) => {
    const subId = parseSubId(flags.sub);
    if (more.length > 0) {
      const legs = parseLegOperands("quote", [marketText, sizeText, ...more]);
      const { quoteLegsCommand } = await import("../quoteLegs");
      await quoteLegsCommand(ctx, flags, { legs, subId });
      return;
    }
    const size = parseSize(sizeText);
    const { quoteCommand } = await import("../quote");
    await quoteCommand(ctx, flags, { market: marketText, size, subId });
  });

  sessionOptions(
    program
      .command("open <market> <size> [more...]")
      .alias("trade")
      .summary(
        "trade on a market (size in base: 1.5 buys, -1.5 sells), or on several at once with one margin check (ETH 10 BTC -0.33)",
      )
      .option("--sub <n>", SUB)
      .option("--slippage <percent>", "tolerated slippage from the exact quote, percent, per leg (default 0.5)"),
    { account: "sign" },
  ).action(async (marketText: string, sizeText: string, more: string[], flags: Flags) => {
    const subId = parseSubId(flags.sub);
    const slippage = parseSlippage(flags.slippage);
    if (more.length > 0) {
      const legs = parseLegOperands("trade", [marketText, sizeText, ...more]);
      const { tradeLegsCommand } = await import("../trader");
      await tradeLegsCommand(ctx, flags, { legs, subId, slippage });
      return;
    }
    const size = parseSize(sizeText);
    const { openCommand } = await import("../trader");
    await openCommand(ctx, flags, { market: marketText, size, subId, slippage });
  });

  sessionOptions(
    program
      .command("close <market>")
      .summary("close the whole position on a market")
      .option("--sub <n>", SUB)
      .option("--slippage <percent>", "tolerated slippage from the exact quote, percent (default 0.5)"),
    { account: "sign" },
  ).action(async (marketText: string, flags: Flags) => {
    const subId = parseSubId(flags.sub);
    const slippage = parseSlippage(flags.slippage);
    const { closeCommand } = await import("../trader");
    await closeCommand(ctx, flags, { market: marketText, subId, slippage });
  });

  sessionOptions(
    program
      .command("positions")
      .summary("an account's positions: value, health, liquidation price, funding per day")
      .option("--sub <n>", SUB),
    { account: "owner" },
  ).action(async (flags: Flags) => {
    const subId = parseSubId(flags.sub);
    const { positionsCommand } = await import("../trader");
    await positionsCommand(ctx, flags, { subId });
  });
}
