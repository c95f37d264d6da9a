import { defineConfig } from "vitest/config";

// The browser journeys (test/web): one file, one anvil, one Chromium; the journeys run in order on one chain.
export default defineConfig({
  test: {
    include: ["test/web/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 15_000,
  },
});
