#!/usr/bin/env node
// Builds the contracts and their typed ABIs (`npm run build`) when ts/abi/generated is missing or older than
// anything it is made from; otherwise does nothing. `npm start` and `npm run bench` call it first, so a fresh
// clone needs only `npm ci`. The check is a stat of a few dozen files (milliseconds); when it says "stale",
// forge's own cache still decides what to recompile (a no-op `forge build` takes about half a second).
// Usage: node scripts/build-if-stale.mjs   (or import { buildIfStale } from it)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { foundryBinary } from "./foundryBinary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Written last by gen-abis.mjs: its mtime is the time of the last successful build. */
const MARKER = path.join("ts", "abi", "generated", "index.ts");
/** What the generated ABIs and bytecode depend on, besides contracts/**.sol. */
const INPUTS = ["foundry.toml", "package-lock.json", "scripts/solc.cjs", "scripts/gen-abis.mjs"];

/** Newest mtime (ms) among the build inputs, and the file that has it. */
function newestInput() {
  let newest = { file: "", mtimeMs: 0 };
  const consider = (rel) => {
    const { mtimeMs } = statSync(path.join(root, rel));
    if (mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs };
  };
  for (const rel of INPUTS) if (existsSync(path.join(root, rel))) consider(rel);
  for (const f of readdirSync(path.join(root, "contracts"), { recursive: true })) {
    if (String(f).endsWith(".sol")) consider(path.join("contracts", String(f)));
  }
  return newest;
}

/**
 * Why a build is needed, or undefined when ts/abi/generated is newer than every input.
 * @returns {string | undefined}
 */
export function staleReason() {
  const marker = path.join(root, MARKER);
  if (!existsSync(marker)) return `${path.dirname(MARKER)}/ is missing`;
  const built = statSync(marker).mtimeMs;
  const newest = newestInput();
  return newest.mtimeMs > built ? `${newest.file} changed since the last build` : undefined;
}

/**
 * Runs forge build + gen-abis when stale. Output (forge's progress) goes to stderr, so stdout stays the
 * caller's. Throws an Error with a one-line message when a step fails.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {boolean} true when it built
 */
export function buildIfStale(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const reason = staleReason();
  if (!reason) return false;
  log(
    `[build] ${reason}: forge build + ABIs (a no-op when forge's cache is current; a full solc-js compile takes 1-2 minutes, more on a busy machine)`,
  );
  const started = Date.now();
  const steps = [
    ["forge build", foundryBinary("forge"), ["build"]],
    ["gen-abis", process.execPath, [path.join(root, "scripts", "gen-abis.mjs")]],
  ];
  for (const [name, command, args] of steps) {
    // stdout -> our stderr: progress, not the result.
    const r = spawnSync(command, args, { cwd: root, stdio: ["ignore", 2, 2] });
    if (r.error) throw new Error(`${name} could not start: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status ?? r.signal}): see its output above`);
  }
  log(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    buildIfStale();
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
