import { defineConfig } from "vitest/config";

// The browser tests (test/web), one file at a time: the journeys (one anvil, one Chromium, in order on one chain)
// and the Chromium choice (system or npm). A page redraws after RPC round trips: on a loaded 2-core machine that
// can take seconds, so every expect.poll waits up to 20 s by default (vitest's 1 s made the checks race the page).
export default defineConfig({
  test: {
    include: ["test/web/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 15_000,
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
