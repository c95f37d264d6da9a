// Bundles the page (ts/web/app) with vite into WEB_DIST: static files the server serves as they are.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const WEB_ROOT = fileURLToPath(new URL("./app/", import.meta.url));
export const WEB_DIST = fileURLToPath(new URL("../../dist/web/", import.meta.url));

/** Builds the page into WEB_DIST (a few seconds); quiet unless `log`. */
export async function buildWeb(options: { log?: boolean } = {}): Promise<string> {
  const { build } = await import("vite");
  await build({
    root: WEB_ROOT,
    base: "./",
    logLevel: options.log ? "info" : "warn",
    build: { outDir: WEB_DIST, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2_000 },
  });
  return WEB_DIST;
}

/** Builds only when there is no build yet. */
export async function ensureWebBuild(): Promise<string> {
  if (!existsSync(new URL("index.html", `file://${WEB_DIST}`))) await buildWeb();
  return WEB_DIST;
}
