// Entry point of `npm start` (tsx ts/cli/main.ts start). Everything else lives in run.ts and start.ts.
import { runCli } from "./run";

const code = await runCli(process.argv.slice(2));
// Exit explicitly: keep-alive HTTP sockets to the (now stopped) node must not hold the process open.
process.exit(code);
