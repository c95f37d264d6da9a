// `perp scenario` (also `npm start` with no flags, or `start --scenario`): the main job's market story
// (ts/scenario): deploy on an embedded anvil, trade for hours of simulated time with the keeper live, crash the
// index, and print predicted beside realized.
import { type Command, InvalidArgumentError } from "commander";
import { buildIfStale } from "../../../scripts/build-if-stale.mjs";
import { PerpError } from "../../errors";
import { UsageError } from "../errors";
import type { CommandContext } from "../io";

const SCENARIOS = ["crash", "black-swan", "calm"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

/** Runs scenario `name` (building the contracts first on a fresh clone) and prints its summary. */
export async function runMainScenario(
  ctx: CommandContext,
  name: string,
  report: string | undefined,
  quiet: boolean,
): Promise<void> {
  if (!(SCENARIOS as readonly string[]).includes(name)) {
    throw new UsageError(`--scenario: expected one of ${SCENARIOS.join(", ")}`);
  }
  try {
    buildIfStale({ log: ctx.io.progress });
  } catch (err) {
    throw new PerpError(`build: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  // Loaded only now: the scenario pulls in viem, the ABIs and the keeper.
  const { runScenario } = await import("../../scenario/runScenario");
  const { formatScenarioSummary } = await import("../../scenario/summary");
  const result = await runScenario({
    scenario: name as ScenarioName,
    quiet,
    ...(report ? { report } : {}),
    ...(quiet ? {} : { onProgress: (line: string) => ctx.io.progress(line) }),
  });
  for (const line of formatScenarioSummary(result)) ctx.io.print(line);
}

/** Adds `scenario` to `program`. */
export function registerScenario(program: Command, ctx: CommandContext): void {
  program
    .command("scenario")
    .summary("run a market through a crash with the keeper live; print predicted beside realized")
    .option(
      "--scenario <name>",
      `one of ${SCENARIOS.join(", ")}`,
      (v: string): ScenarioName => {
        if (!(SCENARIOS as readonly string[]).includes(v)) {
          throw new InvalidArgumentError(`expected one of ${SCENARIOS.join(", ")}`);
        }
        return v as ScenarioName;
      },
      "crash",
    )
    .option("--report <file>", "write the JSON report to FILE")
    .option("--quiet", "no progress lines on stderr")
    .action(async (o: { scenario: ScenarioName; report?: string; quiet?: boolean }) => {
      await runMainScenario(ctx, o.scenario, o.report, o.quiet ?? false);
    });
}
