// Rewrites the gas column of the README's gas table from snapshots/*.json (the rows whose first cell names a
// snapshot key in backticks), so the table never drifts from what `npm run gas` measured. `npm run bench` then
// checks both against live receipts. Usage: node scripts/gas-table.mjs (then biome formats the table);
// --check changes nothing and exits 1 when a row's number differs from its snapshot (`npm run test:gas`).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const snapshots = Object.assign(
  {},
  ...readdirSync("snapshots")
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(`snapshots/${f}`, "utf8"))),
);
const readme = readFileSync("README.md", "utf8");
const check = process.argv.includes("--check");
let updated = 0;
const missing = [];
const stale = [];
const out = readme.replace(/^\| ([^|]*?`([^`]+)`[^|]*?) \|\s*([\d,]+) \|/gm, (row, cell, key, shown) => {
  const gas = snapshots[key];
  if (gas === undefined) {
    missing.push(key);
    return row;
  }
  updated++;
  if (Number(shown.replaceAll(",", "")) !== Number(gas)) stale.push(`${key}: README ${shown}, snapshot ${gas}`);
  return `| ${cell} | ${Number(gas).toLocaleString("en-US")} |`;
});
if (check) {
  if (stale.length) {
    console.error(`gas-table: README gas table is stale (run \`npm run gas\`):\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
} else {
  writeFileSync("README.md", out);
  console.log(`gas-table: ${updated} README rows set from snapshots`);
}
if (missing.length) {
  console.error(`gas-table: no snapshot named ${missing.map((k) => `"${k}"`).join(", ")}`);
  process.exit(1);
}
