// `perp scenario`: the main job's market story (ts/scenario) — deploy on an embedded anvil, trade for hours of
// simulated time with the keeper live, crash the index, and print predicted beside realized.
import { type Command, InvalidArgumentError } from "commander";
import type { CommandContext } from "../io";

const NAMES = ["crash", "black-swan", "calm"] as const;
type Name = (typeof NAMES)[number];

/** Adds `scenario` to `program`. */
export function registerScenario(program: Command, ctx: CommandContext): void {
  program
    .command("scenario")
    .summary("run a market through a crash with the keeper live; print predicted beside realized")
    .option(
      "--scenario <name>",
      `one of ${NAMES.join(", ")}`,
      (v: string): Name => {
        if (!(NAMES as readonly string[]).includes(v))
          throw new InvalidArgumentError(`expected one of ${NAMES.join(", ")}`);
        return v as Name;
      },
      "crash",
    )
    .option("--report <file>", "write the JSON report to FILE")
    .option("--quiet", "no progress lines on stderr")
    .action(async (o: { scenario: Name; report?: string; quiet?: boolean }) => {
      const { runScenario } = await import("../../scenario/runScenario");
      const { formatScenarioSummary } = await import("../../scenario/summary");
      const result = await runScenario({
        scenario: o.scenario,
        quiet: o.quiet ?? false,
        ...(o.report ? { report: o.report } : {}),
        onProgress: (line) => ctx.io.progress(line),
      });
      for (const line of formatScenarioSummary(result)) ctx.io.print(line);
    });
}
