import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// @uniswap/sdk-core's ESM build is not valid Node ESM (extensionless imports), so vitest runs it through vite,
// whose loader warns once per file that the package's sourcemaps point to sources it does not ship (21 lines
// of noise per run). This drops only that warning and only for files under node_modules. (Vitest installs its
// own logger after the user config is read, so the filter wraps the resolved logger.)
const MISSING_SOURCES = /^Sourcemap for "[^"]*\/node_modules\/[^"]*" points to missing source files/;
const quietDependencySourcemaps: Plugin = {
  name: "quiet-dependency-sourcemaps",
  enforce: "post",
  configResolved(config) {
    const { logger } = config;
    for (const level of ["warn", "warnOnce"] as const) {
      const original = logger[level].bind(logger);
      logger[level] = (msg, options) => {
        if (!MISSING_SOURCES.test(msg)) original(msg, options);
      };
    }
  },
};

// Test files run in parallel, one forked process each (at most 2: the machine has 2 cores);
// every file that calls useChain() (test/ts/harness.ts) starts its own anvil on a free port.
// Reporter: one line per file and failures in full; VERBOSE=1 lists every test.
export default defineConfig({
  plugins: [quietDependencySourcemaps],
  test: {
    include: ["test/ts/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
    reporters: process.env.VERBOSE ? ["verbose"] : [["default", { summary: false }]],
    // The default reporter also lists every test slower than this: only in VERBOSE mode.
    slowTestThreshold: process.env.VERBOSE ? 300 : 120_000,
  },
});
