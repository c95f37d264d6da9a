// Entry point of `npm start` (tsx ts/cli/main.ts [command] [options]). The command tree is in program.ts.
import { runCli } from "./run";

const code = await runCli(process.argv.slice(2));
// Exit explicitly: keep-alive HTTP sockets to the (now stopped) node must not hold the process open.
process.exit(code);
