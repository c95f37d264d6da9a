// `perp risk verify [--block B] [--workers N] [--out DIR] [--json]`: re-runs the risk report behind a posted
// tail-risk figure with the posted block, seed and path count, and checks the report hash, ES99, capital, the stress
// loss, the target share and the bounded share against the chain; exit 1 on any mismatch.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { sessionOptions } from "./common";
import { riskGroup } from "./riskGroup";

export type RiskVerifyFlags = {
  deployment?: string;
  rpcUrl?: string;
  json?: boolean;
  block?: string;
  workers?: string;
  out?: string;
};

export function registerRiskVerify(program: Command, ctx: CommandContext): void {
  sessionOptions(
    riskGroup(program)
      .command("verify")
      .summary("reproduce a posted junior tail-risk figure byte for byte; exit 1 on any mismatch")
      .option("--block <n>", "the figure posted for this book block (default the latest figure)")
      .option("--workers <n>", "worker threads (0: run in this thread; default the machine's cores)")
      .option("--out <dir>", "also write the reproduced canonical report.json (the hashed bytes) here"),
  ).action(async (flags: RiskVerifyFlags) => {
    const { riskVerifyCommand } = await import("../riskVerify");
    await riskVerifyCommand(ctx, flags);
  });
}
