// Chromium for the web tests, driven by playwright-core (which downloads nothing): a system Chromium when there
// is one (CHROMIUM_PATH, else Debian's /usr/bin/chromium), else the build inside the npm package
// @sparticuz/chromium that `npm ci` installs. PERP_CHROMIUM=npm always takes the npm one (test/web/chromiumChoice.ts).
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { type ChromiumChoice, chooseChromium } from "./chromiumChoice";
import { npmChromium } from "./npmChromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/** The Chromium this run uses, decided once from the environment. */
export const CHOICE: ChromiumChoice = chooseChromium(process.env, existsSync);

/** "Chromium (/usr/bin/chromium)" or "Chromium (npm @sparticuz/chromium: no Chromium at /usr/bin/chromium)". */
export const CHROMIUM_LABEL =
  CHOICE.kind === "system" ? `Chromium (${CHOICE.path})` : `Chromium (npm @sparticuz/chromium: ${CHOICE.why})`;

/** Launches the Chromium `choice` names (default: the one this run uses). */
export async function launchChromium(choice: ChromiumChoice = CHOICE): Promise<Browser> {
  if (choice.kind === "system") return chromium.launch({ executablePath: choice.path, args: ARGS });
  const npm = await npmChromium();
  return chromium.launch({ executablePath: npm.executablePath, args: ARGS, env: { ...process.env, ...npm.env } });
}
