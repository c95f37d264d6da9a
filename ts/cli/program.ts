// The command tree (commander): one file per command under ts/cli/commands/, registered here. Commander
// parses the syntax (commands, flags, help); each command validates its values with zod (ts/cli/args.ts).
import { Command } from "commander";
import { keeperCommand } from "../keeper/cli";
import { registerDevnet } from "./commands/devnet";
import { registerFunding } from "./commands/funding";
import { registerInventory } from "./commands/inventory";
import { registerLp } from "./commands/lp";
import { registerRisk } from "./commands/risk";
import { registerRiskReplay } from "./commands/riskReplay";
import { registerRiskReport } from "./commands/riskReport";
import { registerRiskVerify } from "./commands/riskVerify";
import { registerScenario } from "./commands/scenario";
import { registerStart } from "./commands/start";
import { registerTrader } from "./commands/trader";
import type { CommandContext } from "./io";

/** `perp` (bin/perp.mjs, `npm run perp --`); `npm start --` runs the same program. */
export const PROGRAM_NAME = "perp";
/** Used when the arguments name no command (`npm start`, `npm start -- --port 8545`). */
export const DEFAULT_COMMAND = "start";

const FOOTER = `
Run from the project root; the first run compiles the contracts (1-2 minutes), later runs only when they changed.
In a clone: npx perp <command>, npm run perp -- <command>, or npm start (= perp start).
Every command but start/devnet/deploy reads the deployment file (.perp/deployment.json) that devnet/deploy wrote;
keys come from env PERP_PRIVATE_KEY (or --account N, an anvil dev account, on a local chain).

Exit codes: 0 ok, 1 failed (the reason is printed), 2 bad input.
Set DEBUG=1 to add the stack trace and details to an error.`;

/**
 * A fresh program (commander keeps parse state, so make one per run). It never exits the process:
 * errors surface as CommanderError (exitOverride) and nothing is printed for them (the caller does).
 */
export function createProgram(ctx: CommandContext): Command {
  const program = new Command(PROGRAM_NAME)
    .description(
      "A perpetual-futures pool with junior/senior LP tranches: run a devnet, trade, provide liquidity, stress.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.print(text.trimEnd()),
      writeErr: (text) => ctx.io.progress(text.trimEnd()),
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .addHelpText("after", FOOTER);
  // Subcommands copy the settings above when they are created.
  registerStart(program, ctx);
  registerDevnet(program, ctx);
  registerRisk(program, ctx);
  registerRiskReport(program, ctx);
  registerRiskReplay(program, ctx);
  registerRiskVerify(program, ctx);
  registerTrader(program, ctx);
  registerInventory(program, ctx);
  registerFunding(program, ctx);
  registerLp(program, ctx);
  registerScenario(program, ctx);
  program.addCommand(keeperCommand({ env: ctx.env, stderr: ctx.io.progress, exit: ctx.setExitCode }));
  return program;
}

/** `[]` and `["--port", "1"]` mean the default command; `["--help"]`, `["help"]`, `["start", ...]` stay. */
export function withDefaultCommand(argv: readonly string[]): string[] {
  const [first] = argv;
  if (first === undefined) return [DEFAULT_COMMAND];
  if (first.startsWith("-") && first !== "-h" && first !== "--help") return [DEFAULT_COMMAND, ...argv];
  return [...argv];
}
