// Resolves the native forge/anvil/cast binary shipped in @foundry-rs/<tool>-<platform>-<arch>.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const TOOLS = new Set(["forge", "anvil", "cast"]);
const ARCH = { x64: "amd64", arm64: "arm64" };

/** Absolute path of the native binary for `tool` on this platform. Throws a readable error. */
export function foundryBinary(tool) {
  if (!TOOLS.has(tool)) throw new Error(`unknown foundry tool "${tool}" (expected forge, anvil or cast)`);
  const arch = ARCH[process.arch];
  if (!arch) throw new Error(`no @foundry-rs binary for architecture ${process.arch}`);
  const pkg = `@foundry-rs/${tool}-${process.platform === "win32" ? "win32" : process.platform}-${arch}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed: run \`npm ci\` (and never --omit=optional)`);
  }
  const bin = path.join(dir, "bin", process.platform === "win32" ? `${tool}.exe` : tool);
  if (!existsSync(bin)) throw new Error(`${bin} is missing: reinstall ${pkg}`);
  return bin;
}
