// `npm run keeper -- run|once [options]`: the keeper command on its own (the main CLI mounts the same command).
import { keeperCommand } from "./cli";

const program = keeperCommand({ exit: (code) => process.exit(code) }).name("keeper");
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`keeper: ${(err as Error).message}\n`);
  process.exit(1);
});
