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

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const solc = require("solc");
  process.stdout.write(solc.compile(Buffer.concat(chunks).toString("utf8")));
});
