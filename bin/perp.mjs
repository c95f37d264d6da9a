#!/usr/bin/env node
// The `perp` bin: runs ts/cli/main.ts through tsx from this package's node_modules (no build step), so
// `npx perp <command>` in a clone and `npm run perp -- <command>` run the same program.
// `perp keeper run`: a signal that arrives while the modules still load (before the command installs its own
// handlers, which set the flag below) ends the process cleanly: nothing has started, so there is nothing to stop.
const [command, sub] = process.argv.slice(2);
if (command === "keeper" && sub === "run") {
  const early = (signal) => {
    if (globalThis.__perpKeeperOwnsSignals) return;
    const line = { level: "info", time: new Date().toISOString(), service: "keeper", signal, msg: "keeper stopped" };
    process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(0));
  };
  process.on("SIGTERM", early);
  process.on("SIGINT", early);
}

// Loaded after the handlers above (a static import would load tsx first).
const { register } = await import("tsx/esm/api");
register();
await import("../ts/cli/main.ts");
