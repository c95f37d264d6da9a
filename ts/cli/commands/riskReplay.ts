// `perp risk replay --path K [--report DIR]`: one path of a risk report replayed on a fork at the report's block
// with the real keeper (time compressed), its realized waterfall printed beside the report's numbers for it.
import type { Command } from "commander";
import type { CommandContext } from "../io";
import { sessionOptions } from "./common";
import { riskGroup } from "./riskGroup";

export type RiskReplayFlags = {
  deployment?: string;
  rpcUrl?: string;
  json?: boolean;
  path?: string;
  report?: string;
};

export function registerRiskReplay(program: Command, ctx: CommandContext): void {
  sessionOptions(
    riskGroup(program)
      .command("replay")
      .summary("replay path K of a risk report on a fork with the real keeper; print report | replay | difference")
      .requiredOption("--path <k>", "the report's path number")
      .option("--report <dir>", "the directory holding report.json", ".perp/risk"),
  ).action(async (flags: RiskReplayFlags) => {
    const { riskReplayCommand } = await import("../../risk/replay/command");
    await riskReplayCommand(ctx, flags);
  });
}
