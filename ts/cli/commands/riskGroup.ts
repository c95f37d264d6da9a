// `perp risk ...`: the Monte-Carlo report and its replay on a fork. One group, created once, whichever registers first.
import type { Command } from "commander";

/** The `risk` command group of `program` (created on first use). */
export function riskGroup(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === "risk");
  if (existing) return existing;
  return program
    .command("risk")
    .summary("Monte-Carlo tranche losses: `risk report`, and `risk replay --path K` on a fork with the real keeper");
}
