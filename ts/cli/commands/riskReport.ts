// `perp risk report [--paths 10000] [--horizon 24h] [--step 5m] [--models gbm,jump,replay] [--seed S] [--block B]
// [--out DIR] [--json]`: the distribution of tranche losses over seeded price paths run through the liquidation
// math, with report.json, report.html and the plots as PNG in DIR.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { sessionOptions } from "./common";
import { riskGroup } from "./riskGroup";

export type RiskReportFlags = {
  deployment?: string;
  rpcUrl?: string;
  json?: boolean;
  paths?: string;
  horizon?: string;
  step?: string;
  models?: string;
  seed?: string;
  block?: string;
  out?: string;
  vol?: string;
  corr?: string;
  workers?: string;
};

export function registerRiskReport(program: Command, ctx: CommandContext): void {
  sessionOptions(
    riskGroup(program)
      .command("report")
      .summary("P(loss), VaR95/99 and ES99 per tranche over seeded price paths (JSON, HTML, PNG)")
      .option("--paths <n>", "price paths to run", "10000")
      .option("--horizon <duration>", "length of each path: 90s, 30m, 24h, 2d", "24h")
      .option("--step <duration>", "time between index updates (the keeper acts one block after each)", "5m")
      .option("--models <list>", "comma-separated models; path k uses the (k mod count)-th: gbm, jump, replay", "gbm,jump,replay")
      .option("--seed <seed>", "seed of every path's random stream (same block + seed + paths + code = same report)", "1")
      .option("--block <n>", "read the book at this block (default the head)")
      .option("--out <dir>", "where report.json, report.html and the plots go", ".perp/risk")
      .option("--vol <list>", "override σ per market, annualized: ETH=0.9,BTC=70%")
      .option("--corr <value>", "override correlation: 0.75 for every pair, or ETH/BTC=0.7")
      .option("--workers <n>", "worker threads (0: run in this thread; default the machine's cores)"),
  ).action(async (flags: RiskReportFlags) => {
    const { riskReportCommand } = await import("../riskReport");
    await riskReportCommand(ctx, flags);
  });
}
