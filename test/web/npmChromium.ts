// The Chromium inside the npm package @sparticuz/chromium (a headless-shell build with the NSS libraries and a
// font it needs), unpacked once per version into a private directory under the system temp dir.
//
// The package itself unpacks into os.tmpdir() directly (/tmp/chromium, /tmp/fonts, ...) and trusts whatever it
// finds there: a half-written binary from an interrupted run, or another project's version. Here it unpacks in a
// child process whose TMPDIR is a fresh staging directory, which is then renamed into place in one step, so a
// directory that exists is complete; two runs racing each unpack their own and the first rename wins.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export type NpmChromium = {
  /** The package version, e.g. "153.0.0". */
  version: string;
  executablePath: string;
  /** Environment the browser needs: its libraries (LD_LIBRARY_PATH) and fonts (FONTCONFIG_FILE). */
  env: Record<string, string>;
};

/** Where the package is installed (resolved as any import of it is) and its version. */
async function locatePackage(): Promise<{ entry: string; root: string; version: string }> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  } catch (err) {
    throw new Error(
      "the npm Chromium (@sparticuz/chromium) is not installed: run `npm ci` (or use a system one: CHROMIUM_PATH, /usr/bin/chromium)",
      { cause: err },
    );
  }
  const root = path.resolve(path.dirname(entry), "..");
  const { version } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
  return { entry, root, version };
}

// Runs in the child: the package's own unpacking (binary, fonts, SwiftShader) plus its Amazon Linux libraries
// (libnss3, libnspr4, ...), which a bare Debian/Ubuntu image may lack. Everything lands in the child's TMPDIR.
const UNPACK = `
const [entry, bin] = process.argv.slice(1);
const { default: Chromium, inflate } = await import(entry);
await Chromium.executablePath(bin);
await inflate(bin + "/al2023.tar.br");
`;

function browserEnv(dir: string): Record<string, string> {
  return {
    LD_LIBRARY_PATH: [path.join(dir, "al2023", "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
    FONTCONFIG_FILE: path.join(dir, "perp-fonts.conf"),
  };
}

/**
 * The unpacked npm Chromium, unpacking it first if this version is not there yet (~2 s).
 * @example
 * const c = await npmChromium();
 * await chromium.launch({ executablePath: c.executablePath, env: { ...process.env, ...c.env } });
 */
export async function npmChromium(): Promise<NpmChromium> {
  const { entry, root, version } = await locatePackage();
  const uid = process.getuid?.() ?? "user";
  const dir = path.join(tmpdir(), `perp-chromium-${version}-${uid}`);
  const executablePath = path.join(dir, "chromium");
  if (existsSync(executablePath)) return { version, executablePath, env: browserEnv(dir) };

  const staging = await mkdtemp(path.join(tmpdir(), `perp-chromium-${version}-staging-`));
  try {
    await run(
      process.execPath,
      ["--input-type=module", "-e", UNPACK, pathToFileURL(entry).href, path.join(root, "bin")],
      {
        cwd: root,
        env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
      },
    );
    // The package's fonts.conf names /tmp/fonts; this one names where the fonts will be after the rename.
    await writeFile(
      path.join(staging, "perp-fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${path.join(dir, "fonts")}</dir>\n  <cachedir>${path.join(dir, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    try {
      await rename(staging, dir);
    } catch (err) {
      // Another run finished first: keep its copy.
      if (!existsSync(executablePath)) throw err;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { version, executablePath, env: browserEnv(dir) };
}
