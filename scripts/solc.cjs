#!/usr/bin/env node
// Solidity compiler for forge, offline: solc-js (npm `solc`, pinned) behind the CLI surface forge uses.
// `--version` prints the two lines forge parses (answered without loading the 8 MB wasm);
// anything else reads Standard-JSON on stdin and writes Standard-JSON on stdout.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

if (process.argv.includes("--version")) {
  const pkg = require(path.join(__dirname, "..", "node_modules", "solc", "package.json"));
  const cache = path.join(__dirname, "..", "node_modules", ".cache", `solc-version-${pkg.version}`);
  let version;
  try {
    version = fs.readFileSync(cache, "utf8");
  } catch {
    version = require("solc").version();
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.writeFileSync(cache, version);
  }
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

// The input goes to the compiler through the wasm heap, not solc-js's `compile()`: that helper copies its string
// argument onto the 5 MB emscripten stack, and a full build (every source inlined by forge: OpenZeppelin, forge-std,
// the project's tests) is larger than that and dies with "memory access out of bounds".
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const soljson = require("solc/soljson.js");
  const compile = soljson.cwrap("solidity_compile", "number", ["number", "number", "number"]);
  const input = Buffer.concat(chunks).toString("utf8");
  const size = soljson.lengthBytesUTF8(input) + 1;
  const ptr = soljson._solidity_alloc(size);
  soljson.stringToUTF8(input, ptr, size);
  // No import callback (0): forge passes every source inline.
  const output = soljson.UTF8ToString(compile(ptr, 0, 0));
  soljson._solidity_reset();
  process.stdout.write(output);
});
