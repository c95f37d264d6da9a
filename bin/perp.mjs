#!/usr/bin/env node
// The `perp` bin: runs ts/cli/main.ts through tsx from this package's node_modules (no build step), so
// `npx perp <command>` in a clone and `npm run perp -- <command>` run the same program.
import { register } from "tsx/esm/api";

register();
await import("../ts/cli/main.ts");
