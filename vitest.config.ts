import { defineConfig } from "vitest/config";

// Test files run in parallel, one forked process each (at most 2: the machine has 2 cores);
// every file that calls useChain() (test/ts/harness.ts) starts its own anvil on a free port.
export default defineConfig({
  test: {
    include: ["test/ts/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
  },
});
