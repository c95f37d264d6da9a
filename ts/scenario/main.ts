// `npm run scenario` (and `npm start`): runs a scenario, prints the summary on stdout, progress on stderr.
import { Command, InvalidArgumentError } from "commander";
import { runScenario } from "./runScenario";
import { formatScenarioSummary } from "./summary";
import { SCENARIOS, type ScenarioName } from "./types";

const program = new Command("scenario")
  .description("deploy on an embedded anvil, trade for hours of simulated time, crash the index, let the keeper work")
  .option(
    "--scenario <name>",
    `one of ${SCENARIOS.join(", ")}`,
    (v: string): ScenarioName => {
      if (!(SCENARIOS as readonly string[]).includes(v))
        throw new InvalidArgumentError(`expected one of ${SCENARIOS.join(", ")}`);
      return v as ScenarioName;
    },
    "crash",
  )
  .option("--report <file>", "write the JSON report to FILE")
  .option("--quiet", "no progress lines on stderr")
  .option("--rpc-url <url>", "an anvil to use instead of starting one")
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .parse();

const o = program.opts<{ scenario: ScenarioName; report?: string; quiet?: boolean; rpcUrl?: string }>();
try {
  const result = await runScenario({
    scenario: o.scenario,
    quiet: o.quiet ?? false,
    ...(o.report ? { report: o.report } : {}),
    ...(o.rpcUrl ? { rpcUrl: o.rpcUrl } : {}),
  });
  for (const line of formatScenarioSummary(result)) process.stdout.write(`${line}\n`);
} catch (err) {
  process.stderr.write(`scenario failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
