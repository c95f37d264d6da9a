// `npm run keeper -- run|once [options]`: the keeper command on its own (the main CLI mounts the same command).
// A signal that arrives while the modules still load (before the command installs its own handlers) ends the process
// cleanly too: nothing has started, so there is nothing to stop.
let ownsSignals = () => false;
const early = (signal: NodeJS.Signals) => {
  if (ownsSignals()) return;
  const line = { level: "info", time: new Date().toISOString(), service: "keeper", signal, msg: "keeper stopped" };
  process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(0));
};
process.on("SIGTERM", early);
process.on("SIGINT", early);

const { keeperCommand, keeperOwnsSignals } = await import("./cli");
ownsSignals = keeperOwnsSignals;
const program = keeperCommand({ exit: (code) => process.exit(code) }).name("keeper");
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`keeper: ${(err as Error).message}\n`);
  process.exit(1);
});
