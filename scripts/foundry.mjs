#!/usr/bin/env node
// Runs forge, anvil or cast from the platform package with the exit status passed through.
// (npm's own launchers for @foundry-rs/* always exit 0, so a failing test would pass `npm test`.)
// Usage: node scripts/foundry.mjs <forge|anvil|cast> [args...]
import { spawn } from "node:child_process";
import { foundryBinary } from "./foundryBinary.mjs";

const [tool, ...args] = process.argv.slice(2);
const child = spawn(foundryBinary(tool), args, { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("error", (err) => {
  console.error(`could not start ${tool}: ${err.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
