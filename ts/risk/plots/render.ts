// Vega-lite spec → SVG (vega in Node, no browser) → PNG (resvg, with the bundled DejaVu font and no system fonts),
// so the same spec gives the same bytes on every machine. Vega numbers its clip paths and gradients from a
// process-wide counter: every id is renamed to `<figure>-<n>` in order of appearance, which makes the output
// independent of what the process rendered before and keeps ids unique when several SVGs share one HTML page.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY } from "./theme";

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
/** The regular face and the bold one the titles use. */
export const FONT_FILES = [join(FONT_DIR, "DejaVuSans.ttf"), join(FONT_DIR, "DejaVuSans-Bold.ttf")];

/** PNG pixels per SVG pixel. */
const PNG_ZOOM = 2;

/** Renames every `id` of an SVG (and each reference to it) to `<prefix>-<n>`, numbered in order of appearance. */
export function renumberSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = m[1] as string;
    if (!ids.has(id)) ids.set(id, `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${ids.get(id) ?? id}${b}`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) =>
      ids.has(id) ? `${a}#${ids.get(id)}${b}` : all,
    );
}

/** A vega-lite spec as an SVG document; `id` prefixes the SVG's internal ids. */
export async function specToSvg(spec: TopLevelSpec, id: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return renumberSvgIds(await view.toSVG(), id);
  } finally {
    view.finalize();
  }
}

/** An SVG as PNG bytes, drawn with DejaVu Sans only (no system font can change a glyph). */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: PNG_ZOOM },
    background: "white",
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
