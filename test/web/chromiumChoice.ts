// Which Chromium the web tests drive: a system one when there is one, else the build inside the npm package
// @sparticuz/chromium (so a machine with Node and the npm registry only still runs them). Pure: the caller
// passes the environment and a file check.

/** Debian's `chromium` package installs here. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export type ChromiumChoice = { kind: "system"; path: string; why: string } | { kind: "npm"; why: string };

export type ChromiumEnv = {
  /** A Chromium binary to use instead of Debian's. When set it is the only system candidate. */
  CHROMIUM_PATH?: string | undefined;
  /** "npm": always the npm package's Chromium; "system": a system Chromium or an error; unset: the first found. */
  PERP_CHROMIUM?: string | undefined;
};

/**
 * The system Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium) when that file exists, else the npm package's.
 * `PERP_CHROMIUM=npm` skips the system one; `PERP_CHROMIUM=system` refuses to fall back.
 * @example
 * chooseChromium(process.env, existsSync) // { kind: "npm", why: "no /usr/bin/chromium" } on a bare machine
 */
export function chooseChromium(env: ChromiumEnv, exists: (path: string) => boolean): ChromiumChoice {
  const mode = env.PERP_CHROMIUM?.trim() || "auto";
  if (mode !== "auto" && mode !== "npm" && mode !== "system") {
    throw new Error(
      `PERP_CHROMIUM=${mode}: expected "npm" or "system" (or unset: a system Chromium if found, else npm)`,
    );
  }
  if (mode === "npm") return { kind: "npm", why: "PERP_CHROMIUM=npm" };
  const explicit = env.CHROMIUM_PATH?.trim() || undefined;
  const path = explicit ?? DEBIAN_CHROMIUM;
  const named = explicit ? `CHROMIUM_PATH=${explicit}` : DEBIAN_CHROMIUM;
  if (exists(path)) return { kind: "system", path, why: named };
  if (mode === "system") {
    throw new Error(
      `PERP_CHROMIUM=system but no Chromium at ${path} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
  }
  return { kind: "npm", why: `no Chromium at ${path}` };
}
