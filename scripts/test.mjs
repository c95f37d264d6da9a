#!/usr/bin/env node
// `npm test`: build, lint, typecheck, forge tests, gas snapshot check, vitest, one package script each, in that
// order, stopping at the first failure (exit 1). Output is for people: one line per step, one per forge suite
// and per vitest file, and a failure in full (the failing step's whole output, or forge's "Failing tests"
// section with its counterexamples). VERBOSE=1 streams every tool's own output instead (forge's invariant
// call-count tables included, vitest listing every test). `npm test -- lint test:ts` runs only those steps
// (by script name).
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

const VERBOSE = Boolean(process.env.VERBOSE);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** kind: how its output is summarised. */
const STEPS = [
  { name: "build", script: "build", kind: "quiet" },
  { name: "lint", script: "lint", kind: "quiet" },
  { name: "typecheck", script: "typecheck", kind: "quiet" },
  { name: "forge tests", script: "test:sol", kind: "forge" },
  { name: "gas snapshots", script: "test:gas", kind: "forge" },
  { name: "vitest", script: "test:ts", kind: "vitest" },
  { name: "web (Chromium)", script: "test:web", kind: "vitest" },
];

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
const ANSI = /\x1b\[[0-9;]*m/g;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const out = (line = "") => process.stdout.write(`${line}\n`);

/** Runs `npm run <script>`; calls onLine for each output line (stdout and stderr interleaved). */
function run(script, onLine) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (VERBOSE) env.FOUNDRY_INVARIANT_SHOW_METRICS ??= "true";
    const child = spawn(NPM, ["run", "--silent", script], {
      env,
      stdio: VERBOSE ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => child.kill(signal));
    const lines = [];
    if (!VERBOSE) {
      for (const stream of [child.stdout, child.stderr]) {
        let buffered = "";
        stream.setEncoding("utf8");
        stream.on("data", (chunk) => {
          buffered += chunk;
          const parts = buffered.split("\n");
          buffered = parts.pop() ?? "";
          for (const raw of parts) {
            const line = raw.replace(ANSI, "");
            lines.push(line);
            onLine(line);
          }
        });
        stream.on("end", () => {
          if (buffered) {
            lines.push(buffered);
            onLine(buffered);
          }
        });
      }
    }
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), lines }));
  });
}

/** Forge: "Ran N tests for <path>:<Contract>" ... "Suite result: ok. N passed; ..." -> one line per suite. */
function forgeSummariser() {
  let suite = "?";
  const totals = { suites: 0, passed: 0, failed: 0 };
  return {
    totals,
    onLine(line) {
      const ran = /^Ran \d+ tests? for (\S+)/.exec(line);
      if (ran) suite = ran[1];
      const result = /^Suite result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) skipped; finished in (\S+)/.exec(
        line,
      );
      if (!result) return;
      const [, status, passed, failed, skipped, time] = result;
      totals.suites++;
      totals.passed += Number(passed);
      totals.failed += Number(failed);
      const counts = `${passed} passed${failed !== "0" ? `, ${failed} FAILED` : ""}${skipped !== "0" ? `, ${skipped} skipped` : ""}`;
      out(`    ${status === "ok" ? "ok  " : "FAIL"}  ${suite.padEnd(64)} ${counts.padEnd(12)} ${time}`);
    },
    failure(lines) {
      const start = lines.findIndex((l) => /^Failing tests:/.test(l));
      return start >= 0 ? lines.slice(start) : lines;
    },
    describe: () => `${totals.passed} tests in ${totals.suites} suites`,
  };
}

/** Vitest's default reporter already prints one line per file (and failures in full): pass it through. */
function vitestSummariser() {
  const totals = { tests: "", files: "" };
  return {
    totals,
    onLine(line) {
      const file = /^ [✓×↓❯] \S+\.test\.ts/.exec(line);
      if (file) out(`   ${line}`);
      const tests = /^\s+Tests\s+(.*)$/.exec(line);
      if (tests) totals.tests = tests[1].trim();
      const files = /^\s+Test Files\s+(.*)$/.exec(line);
      if (files) totals.files = files[1].trim();
    },
    failure(lines) {
      const start = lines.findIndex((l) => /Failed Tests? \d+|FAIL /.test(l));
      return start >= 0 ? lines.slice(start) : lines;
    },
    describe: () => `tests ${totals.tests || "?"}; files ${totals.files || "?"}`,
  };
}

function quietSummariser() {
  return { onLine() {}, failure: (lines) => lines, describe: () => "" };
}

const only = process.argv.slice(2);
const unknown = only.filter((name) => !STEPS.some((s) => s.script === name));
if (unknown.length > 0) {
  console.error(`error: unknown step ${unknown.join(", ")} (steps: ${STEPS.map((s) => s.script).join(", ")})`);
  process.exit(2);
}
const selected = only.length > 0 ? STEPS.filter((s) => only.includes(s.script)) : STEPS;

const started = performance.now();
for (const step of selected) {
  const summariser =
    step.kind === "forge" ? forgeSummariser() : step.kind === "vitest" ? vitestSummariser() : quietSummariser();
  const t0 = performance.now();
  if (step.kind !== "quiet" || VERBOSE) out(`== ${step.name} (npm run ${step.script})`);
  const { code, lines } = await run(step.script, (line) => summariser.onLine(line));
  const took = seconds(performance.now() - t0);
  if (code !== 0) {
    if (!VERBOSE) {
      out(`FAIL  ${step.name} (npm run ${step.script}, exit ${code}, ${took}):`);
      for (const line of summariser.failure(lines)) out(`  ${line}`);
    }
    out();
    out(`npm test: FAILED at ${step.name} after ${seconds(performance.now() - started)}. Re-run it alone:`);
    out(`  npm run ${step.script}        (VERBOSE=1 npm test streams every tool's full output)`);
    process.exit(1);
  }
  const detail = summariser.describe();
  out(`ok    ${step.name.padEnd(14)} ${took.padStart(8)}${detail ? `   ${detail}` : ""}`);
}
out();
out(`npm test: all ${selected.length} steps passed in ${seconds(performance.now() - started)}`);
