import { defineConfig } from "vitest/config";

// The browser tests (test/web), one file at a time: the journeys (one anvil, one Chromium, in order on one chain)
// and the Chromium choice (system or npm).
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
